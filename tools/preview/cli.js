#!/usr/bin/env node
/**
 * Entry point of `npm run preview`. Plain JavaScript so that start-up needs no compiler: the
 * TypeScript sources load through a cached transpile hook (./transpile.js).
 */
"use strict";
const verbose = process.argv.includes("--verbose");
require("./transpile").register({ sourceMaps: verbose });
const { main } = require("./main.ts");

main(process.argv.slice(2)).then(
  (result) => {
    process.stderr.write(result.stderr);
    // Exit only once stdout is flushed: a report piped to a file must arrive whole.
    process.stdout.write(result.stdout, () => process.exit(result.exitCode));
  },
  (err) => {
    process.stderr.write(`error: the preview tool failed: ${verbose ? err.stack : err.message}\n`);
    process.exit(2);
  },
);
