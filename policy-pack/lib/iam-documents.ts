/** Reading IAM policy documents as resources carry them: a JSON string or an object. */
import { isUnknown } from "@platform/model";
import { asArray, isObject, jsonish, type Props } from "./values";

export interface Statement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly principals: readonly string[];
  readonly hasCondition: boolean;
  readonly condition: Props;
  readonly raw: Props;
}

/** Statements of a document; `undefined` when the document (or a part that matters) is unknown. */
export function statements(document: unknown): Statement[] | undefined {
  if (document === undefined || document === null || document === "") return [];
  const doc = jsonish(document);
  if (isUnknown(doc)) return undefined;
  if (!isObject(doc)) return [];
  const list = asArray<Props>(doc.Statement);
  const out: Statement[] = [];
  for (const s of list) {
    if (isUnknown(s)) return undefined;
    if (!isObject(s)) continue;
    const actions = asArray<string>(s.Action);
    const resources = asArray<string>(s.Resource);
    if ([...actions, ...resources].some(isUnknown)) return undefined;
    out.push({
      effect: String(s.Effect ?? "Allow"),
      actions,
      notActions: asArray<string>(s.NotAction),
      resources,
      principals: principalsOf(s.Principal),
      hasCondition: isObject(s.Condition) && Object.keys(s.Condition).length > 0,
      condition: isObject(s.Condition) ? s.Condition : {},
      raw: s,
    });
  }
  return out;
}

/** Flattens `"*"`, `{ AWS: "*" }`, `{ Service: [...] }` into `kind:value` strings (`*` for anyone). */
function principalsOf(principal: unknown): string[] {
  if (principal === undefined) return [];
  if (principal === "*") return ["*"];
  if (!isObject(principal)) return [String(principal)];
  const out: string[] = [];
  for (const [kind, values] of Object.entries(principal)) {
    for (const v of asArray<string>(values))
      out.push(kind === "AWS" && v === "*" ? "*" : `${kind}:${v}`);
  }
  return out;
}

/** True for `*` and `*:*`, which grant every action. */
export function isAllActions(action: string): boolean {
  return action === "*" || action === "*:*";
}

/** The service of a `service:*` wildcard (e.g. `iam` for `iam:*`), otherwise undefined. */
export function serviceWildcard(action: string): string | undefined {
  const m = /^([a-z0-9-]+):\*$/i.exec(action);
  return m ? m[1].toLowerCase() : undefined;
}
