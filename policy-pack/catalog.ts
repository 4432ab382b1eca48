/**
 * Every policy of the pack, by domain. Kept apart from index.ts (which starts the policy server)
 * so that the coverage table generator and tests can read the policies without serving them.
 * Each domain is a folder whose index.ts lists its policies; the folder's name, the key below, is
 * the domain every one of its policies reports (a test checks that each key names its folder).
 */
import { inDomain, type DomainPolicy, type PlatformPolicy } from "./lib/policy";
import { policies as alerting } from "./alerting";
import { policies as compute } from "./compute";
import { policies as cost } from "./cost";
import { policies as data } from "./data";
import { policies as dr } from "./dr";
import { policies as edge } from "./edge";
import { policies as eks } from "./eks";
import { policies as iam } from "./iam";
import { policies as kubernetes } from "./kubernetes";
import { policies as logs } from "./logs";
import { policies as messaging } from "./messaging";
import { policies as network } from "./network";
import { policies as resilience } from "./resilience";
import { policies as resources } from "./resources";
import { policies as safety } from "./safety";
import { policies as supplyChain } from "./supply-chain";

export const PACK_NAME = "aws-platform";

/** Domain folders in the order the pack serves (and docs/policies.md lists) their policies. */
export const DOMAINS: Readonly<Record<string, readonly DomainPolicy[]>> = {
  eks,
  compute,
  network,
  data,
  iam,
  messaging,
  logs,
  kubernetes,
  "supply-chain": supplyChain,
  safety,
  resources,
  cost,
  dr,
  alerting,
  resilience,
  edge,
};

export const policies: readonly PlatformPolicy[] = Object.entries(DOMAINS).flatMap(
  ([domain, list]) => inDomain(domain, list),
);
