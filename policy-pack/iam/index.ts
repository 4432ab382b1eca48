/** IAM: least privilege in documents and roles, no IAM users, scoped role trust. */
import type { DomainPolicy } from "../lib/policy";
import { permissionPolicies } from "./permissions";

export const policies: readonly DomainPolicy[] = permissionPolicies;
