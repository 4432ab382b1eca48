/**
 * Lists the AWS resource types whose inputs accept `tags`, read from the installed @pulumi/aws SDK
 * (each generated resource module declares its type token and copies `args.tags` into its inputs).
 * The list is committed as policy-pack/generated/aws-taggable-types.json so the pack loads it in
 * microseconds; policy-pack/test/generated.test.ts fails when it no longer matches the SDK.
 *
 * Usage: npx ts-node policy-pack/scripts/taggable-types.ts [--check]
 */
import * as fs from "fs";
import * as path from "path";

export const OUTPUT = path.join(__dirname, "..", "generated", "aws-taggable-types.json");

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "types" && entry.name !== "node_modules") walk(full, out);
    } else if (entry.name.endsWith(".js")) {
      out.push(full);
    }
  }
}

export function taggableTypes(): { providerVersion: string; types: string[] } {
  const pkgJson = require.resolve("@pulumi/aws/package.json");
  const root = path.dirname(pkgJson);
  const files: string[] = [];
  walk(root, files);
  const types = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const token = /static __pulumiType = '([^']+)'/.exec(text)?.[1];
    if (token && /resourceInputs\["tags"\] = args\b/.test(text)) types.add(token);
  }
  const version: string = JSON.parse(fs.readFileSync(pkgJson, "utf8")).version;
  return { providerVersion: version, types: [...types].sort() };
}

export function render(): string {
  return JSON.stringify(taggableTypes(), null, 2) + "\n";
}

if (require.main === module) {
  const text = render();
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, "utf8") : "";
    if (current !== text) {
      console.error(`${OUTPUT} is stale: run npx ts-node policy-pack/scripts/taggable-types.ts`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(OUTPUT, text);
    console.log(`wrote ${OUTPUT}`);
  }
}
