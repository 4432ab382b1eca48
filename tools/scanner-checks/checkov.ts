/**
 * Extracts Checkov's checks (id, name, the resource types or kinds each applies to, the file it lives
 * in) from Checkov's source, without running Checkov.
 */
import * as yaml from "js-yaml";
import type { SourceTree } from "./source-tree";
import { classValue, parseModule, type ModuleLoader, type PythonModule } from "./python-source";

/** Where the checks this table covers live in Checkov's repository, and what each directory holds. */
export const CHECKOV_SOURCES = [
  { dir: "checkov/terraform/checks/resource/aws", kind: "resource", language: "python" },
  { dir: "checkov/terraform/checks/graph_checks/aws", kind: "graph", language: "yaml" },
  { dir: "checkov/terraform/checks/data/aws", kind: "data", language: "python" },
  { dir: "checkov/terraform/checks/provider/aws", kind: "provider", language: "python" },
  { dir: "checkov/kubernetes/checks/resource/k8s", kind: "resource", language: "python" },
  { dir: "checkov/kubernetes/checks/graph_checks", kind: "graph", language: "yaml" },
] as const;

export type CheckKind = (typeof CHECKOV_SOURCES)[number]["kind"];

export interface CheckovCheck {
  readonly id: string;
  readonly name: string;
  /**
   * "resource": a Python check of one Terraform resource or Kubernetes object; "graph": a YAML check
   * over resources and their connections; "data"/"provider": a check of a Terraform data source or
   * of the provider block.
   */
  readonly kind: CheckKind;
  /**
   * The resource types (Kubernetes kinds, data sources, providers) whose attributes the check reads:
   * a Python check's supported list; for a graph check, every `resource_types` of its conditions, as
   * Checkov's own policy index lists them.
   */
  readonly supportedResources: readonly string[];
  /** Graph checks: the types a `filter` condition selects for reporting (else the supported ones). */
  readonly reportedResources: readonly string[];
  /** Graph checks: types named only as `connected_resource_types` (the check asks whether one is attached). */
  readonly connectedResources: readonly string[];
  /**
   * Kubernetes checks whose source names a control-plane component as a string (`"kube-apiserver"`):
   * they test that component's flags or pod, which a managed control plane (EKS) does not expose.
   */
  readonly controlPlaneComponents: readonly string[];
  readonly file: string;
}

const CONTROL_PLANE_COMPONENT =
  /["'](kube-apiserver|kube-controller-manager|kube-scheduler|kubelet|etcd)["']/g;

/** The control-plane components a Kubernetes check's source names (see controlPlaneComponents). */
export function controlPlaneComponentsIn(source: string): string[] {
  return [...new Set([...source.matchAll(CONTROL_PLANE_COMPONENT)].map((m) => m[1]))].sort();
}

const CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

/** The names Checkov's check classes bind their resource types, kinds, data sources or providers to. */
const SUPPORTED_NAMES = [
  "supported_resources",
  "supported_entities",
  "supported_kind",
  "supported_data",
  "supported_provider",
];

function isList(v: unknown): v is readonly string[] {
  return Array.isArray(v);
}

/**
 * The checks defined in one Python file: every class that binds a check id (`id`/`check_id`), its
 * `name`/`description`, and its `supported_resources`/`supported_entities`/`supported_kind`, inherited
 * from a base class when the class does not pass its own.
 */
export function parsePythonChecks(
  source: string,
  file: string,
  load: ModuleLoader,
  kind: Exclude<CheckKind, "graph"> = "resource",
): CheckovCheck[] {
  const module = parseModule(source);
  const components = file.startsWith("checkov/kubernetes/") ? controlPlaneComponentsIn(source) : [];
  const checks: CheckovCheck[] = [];
  for (const className of module.classes.keys()) {
    const id = classValue(module, className, ["id", "check_id"], load, {
      accept: (v) => typeof v === "string" && CHECK_ID.test(v),
    });
    if (typeof id !== "string") continue; // an abstract base class, or not a check
    const name = classValue(module, className, ["name", "description"], load, {
      accept: (v) => typeof v === "string",
      strict: true,
    });
    const supported = classValue(module, className, SUPPORTED_NAMES, load, {
      accept: isList,
      strict: true,
    });
    if (typeof name !== "string") throw new Error(`${file}: check ${id} has no literal name`);
    if (!isList(supported) || supported.length === 0) {
      throw new Error(`${file}: check ${id} has no literal supported resources`);
    }
    const types = [...new Set(supported)];
    checks.push({
      id,
      name,
      kind,
      supportedResources: types,
      reportedResources: types,
      connectedResources: [],
      controlPlaneComponents: components,
      file,
    });
  }
  return checks;
}

interface GraphNode {
  cond_type?: string;
  attribute?: string;
  value?: unknown;
  resource_types?: unknown;
  connected_resource_types?: unknown;
  and?: unknown;
  or?: unknown;
  not?: unknown;
}

function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** A graph check's YAML: metadata id and name, and the resource types its conditions name. */
export function parseGraphCheck(text: string, file: string): CheckovCheck {
  const doc = yaml.load(text) as {
    metadata?: { id?: unknown; name?: unknown };
    definition?: unknown;
  };
  const id = doc?.metadata?.id;
  const name = doc?.metadata?.name;
  if (typeof id !== "string" || !CHECK_ID.test(id) || typeof name !== "string") {
    throw new Error(`${file}: graph check without metadata.id/metadata.name`);
  }
  const conditionTypes = new Set<string>();
  const connected = new Set<string>();
  const filtered = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const n = node as GraphNode;
    strings(n.resource_types).forEach((t) => conditionTypes.add(t));
    strings(n.connected_resource_types).forEach((t) => connected.add(t));
    if (n.cond_type === "filter" && (n.attribute === "resource_type" || n.attribute === "kind")) {
      strings(n.value).forEach((t) => filtered.add(t));
    }
    visit(n.and);
    visit(n.or);
    visit(n.not);
  };
  visit(doc.definition);
  const supported = [...conditionTypes].sort();
  const reported = filtered.size ? [...filtered].sort() : supported;
  return {
    id,
    name,
    kind: "graph",
    supportedResources: supported,
    reportedResources: reported,
    connectedResources: [...connected]
      .filter((t) => !conditionTypes.has(t) && !filtered.has(t))
      .sort(),
    controlPlaneComponents: [],
    file,
  };
}

/** Loads Python modules of the tree by dotted name (`checkov.a.b` -> `checkov/a/b.py`), parsed once. */
export function moduleLoader(tree: SourceTree): ModuleLoader {
  const cache = new Map<string, PythonModule | undefined>();
  return (dotted) => {
    if (!cache.has(dotted)) {
      const file = `${dotted.replace(/\./g, "/")}.py`;
      cache.set(dotted, tree.exists(file) ? parseModule(tree.read(file)) : undefined);
    }
    return cache.get(dotted);
  };
}

/** Every check in CHECKOV_SOURCES, sorted by id; fails on an id defined twice. */
export function collectCheckovChecks(tree: SourceTree): CheckovCheck[] {
  const load = moduleLoader(tree);
  const checks: CheckovCheck[] = [];
  for (const source of CHECKOV_SOURCES) {
    for (const f of tree.list(source.dir)) {
      const file = `${source.dir}/${f}`;
      if (source.language === "yaml" && /\.ya?ml$/.test(f)) {
        checks.push(parseGraphCheck(tree.read(file), file));
      } else if (source.kind !== "graph" && f.endsWith(".py") && f !== "__init__.py") {
        checks.push(...parsePythonChecks(tree.read(file), file, load, source.kind));
      }
    }
  }
  const seen = new Map<string, string>();
  for (const c of checks) {
    const other = seen.get(c.id);
    if (other) throw new Error(`check id ${c.id} is defined in both ${other} and ${c.file}`);
    seen.set(c.id, c.file);
  }
  return checks.sort((a, b) => compareCheckIds(a.id, b.id));
}

/** Orders CKV_AWS_2 before CKV_AWS_10, and CKV_AWS_* before CKV2_AWS_*. */
export function compareCheckIds(a: string, b: string): number {
  const pa = /^(.*?)(\d+)$/.exec(a);
  const pb = /^(.*?)(\d+)$/.exec(b);
  if (pa && pb && pa[1] === pb[1]) return Number(pa[2]) - Number(pb[2]);
  // "CKV2_AWS_" sorts after every "CKV_..." family.
  const family = (id: string): string => id.replace(/^CKV2_/, "CKV_~");
  return family(a) < family(b) ? -1 : family(a) > family(b) ? 1 : 0;
}
