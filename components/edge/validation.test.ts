import * as assert from "assert";
import type * as aws from "@pulumi/aws";
import { EdgeArgs } from "./args";
import { validateEdgeArgs } from "./validation";

const VALID: EdgeArgs = {
  accountId: "123456789012",
  region: "eu-west-1",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  aliases: ["europe.platform.example.com"],
  primaryOrigin: "eu-west-1.platform.example.com",
  secondaryOrigin: "eu-central-1.platform.example.com",
  failoverOrigin: "eu.platform.example.com",
  originVerifyValue: "generated-in-the-stack",
  serverAccessLogBucket: "platform-eu-west-1-access-logs",
  staticPathPatterns: ["/static/*"],
  apiPathPatterns: ["/api/*"],
  rateLimits: {
    globalRps: 1000,
    apiRps: 500,
    apiPathPrefix: "/api/",
    perClientRps: 100,
    windowSeconds: 60,
  },
  globalProvider: {} as aws.Provider,
};

describe("validateEdgeArgs", () => {
  it("accepts the happy path", () => validateEdgeArgs("edge", VALID));

  const cases: [string, Partial<EdgeArgs>, RegExp][] = [
    ["no alias", { aliases: [] }, /edge\.aliases must list 1 to 100 names/],
    ["an upper-case alias", { aliases: ["WWW.example.com"] }, /edge\.aliases must be lower-case/],
    [
      "the same region twice",
      { secondaryOrigin: "eu-west-1.platform.example.com" },
      /edge\.secondaryOrigin must differ from primaryOrigin/,
    ],
    [
      "a relative pattern",
      { staticPathPatterns: ["static/*"] },
      /edge\.staticPathPatterns must be/,
    ],
    [
      "a pattern both cached and not",
      { staticPathPatterns: ["/api/*"] },
      /edge\.staticPathPatterns must share no pattern with apiPathPatterns/,
    ],
  ];
  for (const [what, change, message] of cases) {
    it(`rejects ${what}`, () => {
      assert.throws(() => validateEdgeArgs("edge", { ...VALID, ...change }), message);
    });
  }
});
