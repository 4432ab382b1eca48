/**
 * The edge: a CloudFront distribution in front of a primary stack's ingress (components/edge). Off
 * until `platform:edgeDomainNames` lists the viewer names the stack's distribution serves.
 */
import { PRICE_CLASSES, PriceClass } from "@platform/edge";
import { ConfigSection, configKey } from "./schema";

export interface EdgeConfig {
  /**
   * The stack's ALB is an origin of a CloudFront distribution: the primary's own edge, or for a
   * standby its primary's (the origin group's secondary). The ALB then admits CloudFront only.
   */
  readonly behindEdge: boolean;
  /** Present when the stack has an edge. */
  readonly distribution?: {
    readonly aliases: readonly string[];
    readonly staticPathPatterns: readonly string[];
    readonly priceClass: PriceClass;
    readonly shieldAdvanced: boolean;
    /**
     * An edge outside Europe sends European viewers to the EU primary's edge name (its first
     * edgeDomainNames entry); absent when no EU primary has an edge, or this stack is in the EU.
     */
    readonly europeanEdgeName?: string;
  };
}

const isEuropean = (region: unknown) => typeof region === "string" && region.startsWith("eu-");

/** Another stack's edgeDomainNames: a list in its stack file, JSON text in the engine's config. */
function namesOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

const PATH_PATTERN = /^\/[\w\-./*?~]{0,254}$/;

export const edge: ConfigSection<EdgeConfig> = {
  keys: {
    edgeDomainNames: {
      type: "array",
      items: "string",
      default: [],
      description:
        "Viewer names of this stack's CloudFront distribution, inside domainName and unique to the stack (CloudFront gives a name to one distribution); empty: no edge.",
    },
    edgeStaticPathPatterns: {
      type: "array",
      items: "string",
      default: ["/static/*", "/assets/*"],
      description:
        "Path patterns the edge caches (read-only, through the origin group); API paths (ingressApiPathPrefix) and the rest are never cached.",
    },
    edgePriceClass: {
      type: "string",
      default: "PriceClass_All",
      description: "CloudFront price class: PriceClass_All, PriceClass_200 or PriceClass_100.",
    },
    edgeShieldAdvanced: {
      type: "boolean",
      default: false,
      description:
        "Protect the distribution with Shield Advanced (subscription USD 3,000 a month per organization).",
    },
  },

  build(values, problems, context): EdgeConfig {
    const names = (values.edgeDomainNames as string[]).map((n) => n.replace(/\.$/, ""));
    const key = configKey("edgeDomainNames");
    if (names.length === 0) {
      const primary = context.otherStacks.find((o) => o.stack === values.primaryStack);
      const standbyBehindEdge =
        values.role === "standby" &&
        primary !== undefined &&
        namesOf(primary.config[key]).length > 0;
      return { behindEdge: standbyBehindEdge };
    }
    const domainName = String(values.domainName ?? "").replace(/\.$/, "");
    problems.check(
      (values.role ?? "primary") === "primary",
      key,
      names,
      "be empty on a standby (its ingress is the primary's secondary origin)",
    );
    for (const name of names) {
      problems.check(
        name === domainName || name.endsWith(`.${domainName}`),
        key,
        name,
        `be domainName ${domainName} or names below it`,
      );
      problems.check(
        name !== values.failoverRecordName && name !== `${context.region}.${domainName}`,
        key,
        name,
        "differ from the failover record and the regional endpoint (the edge's origins)",
      );
      for (const other of context.otherStacks) {
        const list = namesOf(other.config[key]);
        problems.check(
          !list.includes(name),
          key,
          name,
          `differ from stack ${other.stack}'s edgeDomainNames (a name belongs to one distribution)`,
        );
      }
    }
    const staticPathPatterns = values.edgeStaticPathPatterns as string[];
    for (const pattern of staticPathPatterns) {
      problems.check(
        PATH_PATTERN.test(pattern),
        configKey("edgeStaticPathPatterns"),
        pattern,
        'be CloudFront path patterns such as "/static/*"',
      );
    }
    const priceClass = values.edgePriceClass as PriceClass;
    problems.oneOf(configKey("edgePriceClass"), priceClass, PRICE_CLASSES);
    const europeanEdgeName = isEuropean(context.region)
      ? undefined
      : context.otherStacks
          .filter((o) => isEuropean(o.config["aws:region"]))
          .map((o) => namesOf(o.config[key])[0])
          .find((n): n is string => typeof n === "string");
    return {
      behindEdge: true,
      distribution: {
        aliases: names,
        staticPathPatterns,
        priceClass,
        shieldAdvanced: values.edgeShieldAdvanced as boolean,
        ...(europeanEdgeName !== undefined ? { europeanEdgeName } : {}),
      },
    };
  },
};
