/**
 * What .github/workflows/mirror-images.yml copies and where, read from the image table and the stack
 * files, so that the workflow names no image and no region:
 *
 *   npx ts-node -T tools/mirror-images/list.ts images
 *     one line per mirrored image: `<source>/<repository>:<tag> mirror/<repository>:<tag>`
 *   npx ts-node -T tools/mirror-images/list.ts matrix   (reads VARS_JSON = toJSON(vars))
 *     step outputs `matrix` and `count`: the primary stacks with a mirror role variable
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { IMAGES, type ImagePin, MIRROR_PREFIX, mirroredImages } from "@platform/core";
import * as yaml from "js-yaml";

/** Repository variable prefix of each primary stack's mirror role (docs/ci-cd.md). */
export const ROLE_PREFIX = "AWS_MIRROR_ROLE_ARN_";

// The workflows' stack discovery, shared rather than copied (plain CommonJS, no build).
const stacks = createRequire(__filename)(
  path.join(__dirname, "..", "..", ".github", "scripts", "stacks.js"),
) as {
  listStacks(root: string): string[];
  stackInfo(root: string, stack: string): { region: string; accountId: string };
  stackRole(
    vars: Record<string, string>,
    rolePrefix: string,
    stack: string,
  ): { variable: string; roleArn: string };
  setOutput(name: string, value: string): void;
};

/**
 * `<source>/<repository>:<tag> mirror/<repository>:<tag>` per mirrored image. The source is read by
 * digest where the table pins one, so the copy is that very image; the target is always the tag.
 */
export function copyLines(images: Record<string, ImagePin> = IMAGES): string[] {
  return mirroredImages(images).map((pin) => {
    const source = `${pin.source}/${pin.repository}${pin.digest ? `@${pin.digest}` : `:${pin.tag}`}`;
    return `${source} ${MIRROR_PREFIX}/${pin.repository}:${pin.tag}`;
  });
}

export interface MirrorTarget {
  readonly stack: string;
  readonly region: string;
  readonly accountId: string;
  readonly roleArn: string;
}

/**
 * The stacks CI copies into: primaries only (a standby creates no mirror repositories; ECR
 * replicates the primary's to it), each with its role variable set. Returns a line per stack left
 * out, saying why.
 */
export function mirrorTargets(
  root: string,
  vars: Record<string, string>,
): { include: MirrorTarget[]; skipped: string[] } {
  const include: MirrorTarget[] = [];
  const skipped: string[] = [];
  for (const stack of stacks.listStacks(root)) {
    const file = `Pulumi.${stack}.yaml`;
    const config = (
      (yaml.load(fs.readFileSync(path.join(root, file), "utf8")) ?? {}) as {
        config?: Record<string, unknown>;
      }
    ).config;
    if (config?.["platform:role"] === "standby") {
      skipped.push(`${stack}: a standby, its mirror arrives by replication`);
      continue;
    }
    const { variable, roleArn } = stacks.stackRole(vars, ROLE_PREFIX, stack);
    if (!roleArn) {
      skipped.push(`${stack}: repository variable ${variable} is not set`);
      continue;
    }
    const { region, accountId } = stacks.stackInfo(root, stack);
    if (!accountId) throw new Error(`${file} must set platform:accountId under config (got none)`);
    include.push({ stack, region, accountId, roleArn });
  }
  return { include, skipped };
}

function main(command: string | undefined): void {
  if (command === "images") {
    for (const line of copyLines()) console.log(line);
  } else if (command === "matrix") {
    const vars = JSON.parse(process.env.VARS_JSON || "{}") as Record<string, string>;
    const { include, skipped } = mirrorTargets(process.cwd(), vars);
    for (const line of skipped) console.log(`::notice title=Mirror skipped::${line}`);
    stacks.setOutput("matrix", JSON.stringify({ include }));
    stacks.setOutput("count", String(include.length));
  } else {
    console.error("usage: list.ts images | matrix");
    process.exit(2);
  }
}

if (require.main === module) {
  try {
    main(process.argv[2]);
  } catch (error) {
    console.error(`::error::${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
