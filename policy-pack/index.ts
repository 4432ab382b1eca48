/** The CrossGuard pack: `pulumi preview --policy-pack policy-pack [--policy-pack-config policy-pack/config/<stack>.json]`. */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./catalog";

new PolicyPack(PACK_NAME, {
  displayName: "AWS platform guardrails",
  description:
    "Security, data-safety, Kubernetes and resource rules for the multi-region AWS platform.",
  policies: [...policies],
});
