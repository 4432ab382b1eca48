/**
 * Loads TypeScript for mocha (.mocharc.json `require`) through the preview's cached transpile hook
 * (tools/preview/transpile.js), not ts-node: the Pulumi SDK captures a stack trace for every
 * resource and output, and ts-node's source-map-support maps each frame of each, which took half
 * the CPU of a program run. Stack traces therefore show transpiled lines; run mocha with
 * NODE_OPTIONS=--enable-source-maps to see TypeScript lines (from the inline source maps).
 */
"use strict";
require("../preview/transpile").register();
