/**
 * Validates custom resources against the OpenAPI v3 schemas of the CRDs at the pinned chart
 * versions (vendored beside this file by vendor.ts), as the API server does on create: the
 * schema's defaults applied, then types, enums, patterns, bounds, required fields,
 * `x-kubernetes-list-type` uniqueness, and the CRD's CEL rules (`x-kubernetes-validations`) with
 * @bufbuild/cel, its strings extension and Kubernetes' `find`. Transition rules (those reading
 * `oldSelf`) apply to updates only and are skipped. Unknown fields are reported: the API server
 * would prune them silently, and a misspelt field is a setting that never took effect.
 */
import { celMethod, CelScalar, isCelError, run as runCel } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import Ajv, { ValidateFunction } from "ajv";
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { displayValue, RecordedResource } from "../../mock-engine";
import { CRD_SCHEMA_DIR } from "./vendor";

/** A vendored CRD file, as vendor.ts writes it. */
export interface VendoredCrd {
  readonly source: {
    readonly repository: string;
    readonly ref: string;
    readonly commit: string;
    readonly path: string;
  };
  readonly group: string;
  readonly kind: string;
  readonly versions: Readonly<Record<string, Record<string, unknown>>>;
}

export function vendoredCrds(): VendoredCrd[] {
  return fs
    .readdirSync(CRD_SCHEMA_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => JSON.parse(fs.readFileSync(path.join(CRD_SCHEMA_DIR, file), "utf8")));
}

/** Objects that list their properties and neither allow nor preserve others reject unknown ones. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const node = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "properties"
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, closed(v)]),
          )
        : key === "default" || key === "enum"
          ? value
          : closed(value);
  }
  if (
    node.properties !== undefined &&
    node.additionalProperties === undefined &&
    node["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function newAjv(): Ajv {
  // useDefaults: the API server applies a schema's defaults before it validates, so a required
  // field with a default (NodePool spec.disruption.consolidateAfter) may be left out.
  // strictRequired off: Kubernetes' structural schemas name properties in `oneOf: [{required:
  // [...]}]` branches without restating them there (Kyverno's attestors, matchImageReferences).
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    useDefaults: true,
  });
  for (const keyword of [
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-validations",
  ]) {
    ajv.addKeyword({ keyword });
  }
  // The API server rejects duplicate items of a set and duplicate keys of a map-typed list.
  ajv.addKeyword({
    keyword: "x-kubernetes-list-type",
    type: "array",
    errors: false,
    validate: (listType: string, data: unknown[], parent?: Record<string, unknown>) => {
      if (listType === "atomic") return true;
      const keys = (parent?.["x-kubernetes-list-map-keys"] as string[] | undefined) ?? [];
      const identity = (item: unknown): unknown =>
        listType === "map" ? keys.map((key) => (item as Record<string, unknown>)?.[key]) : item;
      return data.every(
        (item, i) =>
          data.findIndex((other) => isDeepStrictEqual(identity(other), identity(item))) === i,
      );
    },
  });
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("date-time", {
    type: "string",
    validate: (s: string) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s),
  });
  return ajv;
}

interface CompiledCrd {
  readonly validate: ValidateFunction;
  readonly schema: Schema;
}
type Schema = Readonly<Record<string, unknown>>;

let validators: Map<string, CompiledCrd> | undefined;

/** `<group>/<version> <Kind>` -> its compiled schema, for every vendored served version. */
function compiled(): Map<string, CompiledCrd> {
  if (!validators) {
    const ajv = newAjv();
    validators = new Map();
    for (const crd of vendoredCrds()) {
      for (const [version, schema] of Object.entries(crd.versions)) {
        validators.set(`${crd.group}/${version} ${crd.kind}`, {
          validate: ajv.compile(closed(schema) as object),
          schema,
        });
      }
    }
  }
  return validators;
}

/** Kubernetes' CEL regex library: the first match of the pattern, or "" (JavaScript RegExp). */
const findMethod = celMethod(
  "find",
  CelScalar.STRING,
  [CelScalar.STRING],
  CelScalar.STRING,
  function (pattern) {
    return new RegExp(pattern).exec(this)?.[0] ?? "";
  },
);
const CEL_FUNCS = [...strings, findMethod];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The schema of a property or map value, if the schema describes one. */
function childSchema(schema: Schema | undefined, key: string): Schema | undefined {
  const properties = schema?.properties as Record<string, Schema> | undefined;
  if (properties?.[key]) return properties[key];
  return isPlainObject(schema?.additionalProperties)
    ? (schema.additionalProperties as Schema)
    : undefined;
}

/** A JSON value as CEL sees it under its schema: objects as maps, integers as CEL ints. */
function celValue(value: unknown, schema: Schema | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => celValue(item, schema?.items as Schema));
  if (isPlainObject(value)) {
    return new Map(Object.entries(value).map(([k, v]) => [k, celValue(v, childSchema(schema, k))]));
  }
  if (typeof value === "number" && Number.isInteger(value) && schema?.type !== "number") {
    return BigInt(value);
  }
  return value;
}

/** Each CEL rule of the schema, evaluated where its field is present, as `<path>: <message>`. */
function celProblems(value: unknown, schema: Schema | undefined, path: string): string[] {
  if (!schema || value === undefined) return [];
  const problems: string[] = [];
  const rules = (schema["x-kubernetes-validations"] ?? []) as { rule: string; message?: string }[];
  for (const { rule, message } of rules.filter((r) => !/\boldSelf\b/.test(r.rule))) {
    const result = runCel(rule, { self: celValue(value, schema) as never }, { funcs: CEL_FUNCS });
    if (isCelError(result)) {
      problems.push(`${path || "/"}: rule ${rule} could not be evaluated: ${result.message}`);
    } else if (result !== true) {
      problems.push(`${path || "/"}: ${message ?? `failed rule ${rule}`}`);
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      problems.push(...celProblems(item, schema.items as Schema, `${path}/${i}`)),
    );
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      problems.push(...celProblems(child, childSchema(schema, key), `${path}/${key}`));
    }
  }
  return problems;
}

/** Whether a vendored CRD schema covers this apiVersion and kind. */
export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return compiled().has(`${apiVersion} ${kind}`);
}

/**
 * What is wrong with a custom resource against its CRD's schema, one line per problem
 * (`<path>: <message>`); empty when it is valid. Throws for a kind with no vendored schema.
 */
export function crdSchemaProblems(object: {
  readonly apiVersion: string;
  readonly kind: string;
  readonly [field: string]: unknown;
}): string[] {
  const crd = compiled().get(`${object.apiVersion} ${object.kind}`);
  if (!crd) {
    throw new Error(
      `no vendored CRD schema for ${object.apiVersion} ${object.kind} (have: ${[...compiled().keys()].join(", ")})`,
    );
  }
  // The API server applies defaults, then validates the schema, then the CEL rules.
  const defaulted = structuredClone(object);
  if (crd.validate(defaulted)) return celProblems(defaulted, crd.schema, "");
  return (crd.validate.errors ?? []).map((error) => {
    const detail =
      error.keyword === "additionalProperties"
        ? `unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`
        : error.keyword === "x-kubernetes-list-type"
          ? "duplicate items in a list the CRD types as a set or as a map by key"
          : error.keyword === "enum"
            ? `${error.message} (${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")})`
            : error.message;
    return `${error.instancePath || "/"}: ${detail}`;
  });
}

/**
 * Every recorded resource of a kind with a vendored CRD schema, validated: how many of each kind
 * were checked, and each problem as `<urn>: <path>: <message>` (secrets shown as a placeholder).
 */
export function customResourceProblems(resources: readonly RecordedResource[]): {
  readonly checked: Record<string, number>;
  readonly problems: string[];
} {
  const checked: Record<string, number> = {};
  const problems: string[] = [];
  for (const resource of resources) {
    const object = displayValue(resource.inputs) as { apiVersion?: unknown; kind?: unknown };
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") continue;
    if (!resource.custom || !hasCrdSchema(object.apiVersion, object.kind)) continue;
    checked[object.kind] = (checked[object.kind] ?? 0) + 1;
    const typed = { ...object, apiVersion: object.apiVersion, kind: object.kind };
    problems.push(...crdSchemaProblems(typed).map((problem) => `${resource.urn}: ${problem}`));
  }
  return { checked, problems };
}
