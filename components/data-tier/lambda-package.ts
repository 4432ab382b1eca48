/**
 * The code archive of a Lambda function written as plain JavaScript in its own directory, with the
 * npm packages it loads at run time copied from the repository's node_modules.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The directory of `name` as Node resolves it from `fromDir`, or undefined when it is not installed.
 * A package whose "exports" do not list "./package.json" (pg-pool's do not) refuses
 * `require.resolve("<name>/package.json")` with ERR_PACKAGE_PATH_NOT_EXPORTED; for those, the
 * node_modules directories of `fromDir` and its ancestors are searched in Node's order
 * (NODE_MODULES_PATHS in https://nodejs.org/api/modules.html#all-together).
 */
function packageDir(name: string, fromDir: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "MODULE_NOT_FOUND") return undefined;
    if (code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw error;
  }
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== "node_modules") {
      const candidate = path.join(dir, "node_modules", name);
      if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The runtime dependency closure of `packages`, name to directory: each package's `dependencies`
 * and those of its `optionalDependencies` that are installed, resolved from the requiring
 * package's directory; `peerDependencies` are the requirer's to provide, so not followed.
 */
export function runtimeClosure(fromDir: string, packages: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (name: string, from: string, optional: boolean): void => {
    const dir = packageDir(name, from);
    if (dir === undefined) {
      if (optional) return;
      throw new Error(`Package ${name}, needed at run time, is not installed (from ${from})`);
    }
    const seen = found.get(name);
    if (seen !== undefined) {
      if (seen !== dir) {
        throw new Error(
          `Package ${name} resolves to both ${seen} and ${dir}: two versions cannot share node_modules/${name}`,
        );
      }
      return;
    }
    found.set(name, dir);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dir, "package.json"), "utf8"),
    ) as Manifest;
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of packages) visit(name, fromDir, false);
  return found;
}

/**
 * The function's own JavaScript files in `dir` (not its tests), plus `node_modules/<name>` for
 * each package in the runtime dependency closure of `packages`.
 */
export function lambdaArchive(dir: string, packages: readonly string[]): pulumi.asset.AssetArchive {
  const assets: pulumi.asset.AssetMap = {};
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith(".js") && !/\.test\.js$/.test(file)) {
      assets[file] = new pulumi.asset.FileAsset(path.join(dir, file));
    }
  }
  for (const [name, pkgDir] of runtimeClosure(dir, packages)) {
    assets[`node_modules/${name}`] = new pulumi.asset.FileArchive(pkgDir);
  }
  return new pulumi.asset.AssetArchive(assets);
}
