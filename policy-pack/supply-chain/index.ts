/** Supply chain: images only from allowed registries; ECR repositories immutable, scanned and encrypted. */
import type { DomainPolicy } from "../lib/policy";
import { ecrPolicies } from "./ecr";
import { imagePolicies } from "./images";

export const policies: readonly DomainPolicy[] = [...imagePolicies, ...ecrPolicies];
