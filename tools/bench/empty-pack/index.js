// The protocol's floor for `npm run bench`: the policy runtime with nothing to evaluate.
"use strict";
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("empty", { policies: [] });
