/** IPv4 CIDR arithmetic for the VPC's subnet plan. Pure functions, no Pulumi. */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; returns undefined for anything malformed or with host bits set. */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const network = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (network % 2 ** (32 - prefix) !== 0) return undefined;
  return { network, prefix };
}

export function formatCidr(cidr: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.network / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefix}`;
}

function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + cidrSize(b) && b.network < a.network + cidrSize(a);
}

/** The `index`-th block of `newPrefix` inside `parent`. */
export function subnetOf(parent: Cidr, newPrefix: number, index: number): Cidr {
  const network = parent.network + index * 2 ** (32 - newPrefix);
  if (
    newPrefix < parent.prefix ||
    network + 2 ** (32 - newPrefix) > parent.network + cidrSize(parent)
  ) {
    throw new RangeError(`block ${index} of /${newPrefix} does not fit in ${formatCidr(parent)}`);
  }
  return { network, prefix: newPrefix };
}

export interface SubnetPlan {
  /** Nodes and pods (VPC CNI gives every pod a VPC address): three quarters of the VPC. */
  readonly private: readonly string[];
  /** Load balancers and NAT gateways. */
  readonly public: readonly string[];
  /** Databases and caches: no route to the internet at all. */
  readonly isolated: readonly string[];
}

/** Smallest and largest VPC the plan supports for three availability zones. */
export const VPC_PREFIX_RANGE = { min: 16, max: 20 } as const;
export const AVAILABILITY_ZONE_COUNT = 3;

/**
 * Splits a VPC into private, public and isolated subnets for three AZs: private subnets take a
 * quarter of the VPC each; the last quarter holds the public and isolated subnets, an eighth of it
 * each. A /16 gives private /18s (16,384 addresses) and public and isolated /21s (2,048).
 */
export function planSubnets(vpc: Cidr): SubnetPlan {
  const zones = [0, 1, 2];
  const lastQuarter = subnetOf(vpc, vpc.prefix + 2, 3);
  return {
    private: zones.map((z) => formatCidr(subnetOf(vpc, vpc.prefix + 2, z))),
    public: zones.map((z) => formatCidr(subnetOf(lastQuarter, lastQuarter.prefix + 3, z))),
    isolated: zones.map((z) => formatCidr(subnetOf(lastQuarter, lastQuarter.prefix + 3, z + 4))),
  };
}
