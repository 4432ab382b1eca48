/**
 * The config a stack program receives in the preview: the stack file as the Pulumi CLI passes it,
 * with a clearly marked placeholder standing in for every `secure:` value (the ciphertext is
 * never decrypted, passed on or printed).
 */
import * as path from "path";
import { readStackFile, secretPlaceholder, StackFile } from "../../stacks/stack-files";

export { secretPlaceholder };

export interface StackInput {
  readonly stack: string;
  /** The stack file the config came from. */
  readonly file: string;
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  readonly region: string;
  readonly accountId: string;
}

/** AWS's documentation account, used when a config names no account (fixtures). */
const DEFAULT_ACCOUNT = "123456789012";

/** `Pulumi.prod-us-west-2.yaml` -> `prod-us-west-2`; any other file name -> its base name. */
export function stackNameOfFile(file: string): string {
  const base = path.basename(file);
  return /^Pulumi\.(.+)\.ya?ml$/.exec(base)?.[1] ?? base.replace(/\.ya?ml$/, "");
}

export function withPlaceholders(file: StackFile): Record<string, string> {
  const config = { ...file.config };
  for (const key of file.secretKeys) config[key] = secretPlaceholder(key);
  return config;
}

export function loadStackInput(stack: string, configFile?: string): StackInput {
  const file = configFile ? readStackFile(stack, path.resolve(configFile)) : readStackFile(stack);
  const config = withPlaceholders(file);
  return {
    stack,
    file: file.path,
    config,
    secretKeys: file.secretKeys,
    region: config["aws:region"] ?? "us-east-1",
    accountId: config["platform:accountId"] ?? DEFAULT_ACCOUNT,
  };
}

/** The stack a standby reads through its StackReference (`platform:primaryStack`), if any. */
export function referencedStack(input: StackInput): string | undefined {
  if (input.config["platform:role"] !== "standby") return undefined;
  const primary = input.config["platform:primaryStack"];
  return primary !== undefined && primary !== "" ? primary : undefined;
}
