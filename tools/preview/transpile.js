/**
 * A `.ts` require hook with an on-disk cache, so the preview starts as fast as plain JavaScript.
 *
 * ts-node (transpile-only) costs twice on every run: loading the TypeScript compiler (~0.6 s) and
 * source-map-support, which makes every `new Error().stack` expensive; the Pulumi SDK captures one
 * per resource and per output, so a 100-resource program spends seconds there. Here each file is
 * transpiled once (TypeScript's own `transpileModule`, as ts-node's transpile-only mode does) and
 * cached under node_modules/.cache keyed by content, compiler version and options; the compiler is
 * only loaded on a cache miss. Stack traces are mapped to TypeScript lines only when asked
 * (`sourceMaps: true`, used by --verbose).
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "platform-preview");

/** The compiler options of the root tsconfig.json that matter for emit (type checking is tsc's job). */
const COMPILER_OPTIONS = {
  target: "ES2022",
  module: "commonjs",
  esModuleInterop: true,
  resolveJsonModule: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
};

let typescript;
let compilerOptions;
let salt;

function cacheSalt() {
  if (salt === undefined) {
    const tsVersion = JSON.parse(
      fs.readFileSync(require.resolve("typescript/package.json", { paths: [ROOT] }), "utf8"),
    ).version;
    salt = `${tsVersion}\0${JSON.stringify(COMPILER_OPTIONS)}\0`;
  }
  return salt;
}

function transpile(source, filename) {
  if (typescript === undefined) {
    typescript = require(require.resolve("typescript", { paths: [ROOT] }));
    compilerOptions = typescript.convertCompilerOptionsFromJson(COMPILER_OPTIONS, ROOT).options;
  }
  const result = typescript.transpileModule(source, {
    compilerOptions,
    fileName: filename,
    reportDiagnostics: false,
  });
  return result.outputText;
}

/** Returns the JavaScript for a TypeScript file, from the cache when its content is unchanged. */
function compiled(filename) {
  const source = fs.readFileSync(filename, "utf8");
  const key = crypto
    .createHash("sha256")
    .update(cacheSalt())
    .update(filename)
    .update("\0")
    .update(source)
    .digest("hex");
  const cached = path.join(CACHE_DIR, `${key.slice(0, 2)}`, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    const output = transpile(source, filename);
    try {
      fs.mkdirSync(path.dirname(cached), { recursive: true });
      // Write then rename, so a concurrent run never reads half a file.
      const temporary = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, output);
      fs.renameSync(temporary, cached);
    } catch {
      // A read-only tree still works, only without the cache.
    }
    return output;
  }
}

let registered = false;

/**
 * Installs the hook for `.ts` files (declaration files excluded).
 * @param {{ sourceMaps?: boolean }} options sourceMaps maps stack traces to TypeScript lines (slow).
 */
function register(options = {}) {
  if (options.sourceMaps) process.setSourceMapsEnabled(true);
  if (registered) return;
  registered = true;
  require.extensions[".ts"] = function loadTypeScript(module, filename) {
    if (filename.endsWith(".d.ts")) throw new Error(`cannot run a declaration file: ${filename}`);
    module._compile(compiled(filename), filename);
  };
}

module.exports = { register, CACHE_DIR };
