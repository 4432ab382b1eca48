import * as assert from "assert";
import { cidrsOverlap, formatCidr, parseCidr, planSubnets } from "./cidr";

describe("CIDR plan", () => {
  it("parses and formats", () => {
    assert.strictEqual(formatCidr(parseCidr("10.10.0.0/16")!), "10.10.0.0/16");
    for (const bad of ["10.10.0.0", "10.10.0.0/33", "256.0.0.0/8", "10.10.0.1/16", "a.b.c.d/8"]) {
      assert.strictEqual(parseCidr(bad), undefined, bad);
    }
  });

  it("detects overlap", () => {
    assert.ok(cidrsOverlap(parseCidr("10.0.0.0/8")!, parseCidr("10.20.0.0/16")!));
    assert.ok(!cidrsOverlap(parseCidr("10.10.0.0/16")!, parseCidr("10.20.0.0/16")!));
  });

  it("splits a /16 into private /18s and public and isolated /21s that never overlap", () => {
    const plan = planSubnets(parseCidr("10.10.0.0/16")!);
    assert.deepStrictEqual(plan, {
      private: ["10.10.0.0/18", "10.10.64.0/18", "10.10.128.0/18"],
      public: ["10.10.192.0/21", "10.10.200.0/21", "10.10.208.0/21"],
      isolated: ["10.10.224.0/21", "10.10.232.0/21", "10.10.240.0/21"],
    });
    const all = [...plan.private, ...plan.public, ...plan.isolated].map((c) => parseCidr(c)!);
    all.forEach((a, i) => all.slice(i + 1).forEach((b) => assert.ok(!cidrsOverlap(a, b))));
  });

  it("fits a /20", () => {
    const plan = planSubnets(parseCidr("172.16.16.0/20")!);
    assert.deepStrictEqual(plan.private, ["172.16.16.0/22", "172.16.20.0/22", "172.16.24.0/22"]);
    assert.deepStrictEqual(plan.isolated, ["172.16.30.0/25", "172.16.30.128/25", "172.16.31.0/25"]);
  });
});
