/**
 * Reads `Pulumi.<stack>.yaml` files the way the Pulumi CLI hands their config to a program: every
 * value a string (structured values as JSON), `secure:` values marked secret.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

export const PROJECT_ROOT = path.resolve(__dirname, "..");
export const PROJECT_NAME = "platform";

export interface StackFile {
  readonly stack: string;
  readonly path: string;
  /** Config with every value a string, as the engine passes it. Secure values keep their ciphertext. */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export class StackFileError extends Error {}

/**
 * What the offline preview (tools/preview) passes the program in place of a `secure:` value it
 * cannot decrypt. The config loader skips format checks of a secret holding it: the real
 * `pulumi preview`, which decrypts, checks the value.
 */
export function secretPlaceholder(key: string): string {
  return `[secret placeholder for ${key}]`;
}

function isSecure(value: unknown): value is { secure: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}

/** Qualifies a key as the CLI does: a key without a namespace belongs to the project. */
function qualifyKey(key: string): string {
  return key.includes(":") ? key : `${PROJECT_NAME}:${key}`;
}

// js-yaml 4 exports its built-in types as `types`; @types/js-yaml 4.0.9 does not declare it.
const BUILT_IN = (yaml as unknown as { types: Record<"int" | "float", yaml.Type> }).types;

/**
 * YAML's integers and floats, kept as written when a JavaScript number would not read back the same
 * (`100000000000000000000000` would become `1e+23`, `0.10` would become `0.1`), so a message quotes
 * the value the user typed.
 */
function asWritten(name: "int" | "float"): yaml.Type {
  const type = BUILT_IN[name];
  return new yaml.Type(`tag:yaml.org,2002:${name}`, {
    kind: "scalar",
    resolve: (data: string) => type.resolve(data),
    construct: (data: string) => {
      const value = type.construct(data) as number;
      return String(value) === data ? value : data;
    },
  });
}

const NUMBERS_AS_WRITTEN = yaml.DEFAULT_SCHEMA.extend({
  implicit: [asWritten("int"), asWritten("float")],
});

/** The YAML error's position (1-based, as editors count) and the offending line, quoted. */
function describeYamlError(err: unknown, text: string): string {
  const { reason, mark } = err as yaml.YAMLException;
  if (!mark) return (err as Error).message.split("\n")[0];
  const lines = text.split(/\r?\n/);
  // At the end of input js-yaml points past the last line: show the last line with content.
  let line = Math.min(mark.line, lines.length - 1);
  while (line > 0 && lines[line].trim() === "") line--;
  const column = line === mark.line ? mark.column + 1 : lines[line].length + 1;
  const where = `${reason} at line ${line + 1}, column ${column}: ${JSON.stringify(lines[line].trim())}`;
  if (!reason.includes("flow collection")) return where;
  // js-yaml notices an unclosed [ or { where the next entry starts: name where it was opened.
  const unclosed = (l: string) =>
    (l.match(/[[{]/g) ?? []).length > (l.match(/[\]}]/g) ?? []).length;
  let opened = line;
  while (opened >= 0 && !unclosed(lines[opened])) opened--;
  return opened < 0 || opened === line
    ? where
    : `${where} (the [ or { left open is on line ${opened + 1}: ${JSON.stringify(lines[opened].trim())})`;
}

function parseStackFile(stack: string, filePath: string, text: string): StackFile {
  let document: unknown;
  try {
    document = yaml.load(text, { schema: NUMBERS_AS_WRITTEN });
  } catch (err) {
    throw new StackFileError(`${filePath} is not valid YAML: ${describeYamlError(err, text)}`);
  }
  const configSection = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof configSection !== "object" || configSection === null || Array.isArray(configSection)) {
    throw new StackFileError(`${filePath}: "config" must be a map of keys to values`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(configSection)) {
    const key = qualifyKey(rawKey);
    if (isSecure(value)) {
      config[key] = value.secure;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { stack, path: filePath, config, secretKeys };
}

function stackFilePath(stack: string, root = PROJECT_ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

export function readStackFile(stack: string, filePath = stackFilePath(stack)): StackFile {
  if (!fs.existsSync(filePath)) throw new StackFileError(`no stack config file ${filePath}`);
  return parseStackFile(stack, filePath, fs.readFileSync(filePath, "utf8"));
}

/** Every stack of the repository, by its `Pulumi.<stack>.yaml` file. */
export function listStacks(root = PROJECT_ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}
