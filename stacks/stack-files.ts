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

function parseStackFile(stack: string, filePath: string, text: string): StackFile {
  let document: unknown;
  try {
    document = yaml.load(text);
  } catch (err) {
    throw new StackFileError(
      `${filePath} is not valid YAML: ${(err as Error).message.split("\n")[0]}`,
    );
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
