#!/usr/bin/env node
/** Entry point of `npm run bench` (see ./main.ts); options: --runs <n>, --resources <n>. */
"use strict";
require("../preview/transpile").register();
require("./main.ts")
  .main(process.argv.slice(2))
  .then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
      process.exit(2);
    },
  );
