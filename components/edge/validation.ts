/** Checks of the edge's arguments: every problem at once, naming the argument. */
import { Problems } from "@platform/core";
import { EdgeArgs, PRICE_CLASSES } from "./args";

const DOMAIN_NAME = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
/** CloudFront path patterns: start with `/`, at most 255 characters. */
const PATH_PATTERN = /^\/[\w\-./*?~]{0,254}$/;
/** CloudFront's quota of alternate domain names per distribution. */
const MAX_ALIASES = 100;

export function validateEdgeArgs(name: string, args: EdgeArgs): void {
  const problems = new Problems();
  const path = (field: string) => `${name}.${field}`;
  problems.check(
    args.aliases.length >= 1 && args.aliases.length <= MAX_ALIASES,
    path("aliases"),
    args.aliases,
    `list 1 to ${MAX_ALIASES} names`,
  );
  for (const alias of args.aliases) {
    problems.check(DOMAIN_NAME.test(alias), path("aliases"), alias, "be lower-case domain names");
  }
  for (const field of ["primaryOrigin", "secondaryOrigin", "failoverOrigin"] as const) {
    problems.check(DOMAIN_NAME.test(args[field]), path(field), args[field], "be a domain name");
  }
  problems.check(
    args.primaryOrigin !== args.secondaryOrigin,
    path("secondaryOrigin"),
    args.secondaryOrigin,
    "differ from primaryOrigin (failover needs a second region)",
  );
  for (const field of ["staticPathPatterns", "apiPathPatterns"] as const) {
    for (const pattern of args[field]) {
      problems.check(
        PATH_PATTERN.test(pattern),
        path(field),
        pattern,
        'be CloudFront path patterns such as "/static/*"',
      );
    }
  }
  const overlap = args.staticPathPatterns.filter((p) => args.apiPathPatterns.includes(p));
  problems.check(
    overlap.length === 0,
    path("staticPathPatterns"),
    overlap,
    "share no pattern with apiPathPatterns (a path is cached or not)",
  );
  if (args.viewerRedirect !== undefined) {
    const { targetHost, countryCodes } = args.viewerRedirect;
    problems.check(
      DOMAIN_NAME.test(targetHost) && !args.aliases.includes(targetHost),
      path("viewerRedirect.targetHost"),
      targetHost,
      "be a domain name another distribution serves (not one of aliases)",
    );
    problems.check(
      countryCodes.length > 0 && countryCodes.every((c) => /^[A-Z]{2}$/.test(c)),
      path("viewerRedirect.countryCodes"),
      countryCodes,
      "list ISO 3166-1 alpha-2 codes such as DE",
    );
  }
  if (args.priceClass !== undefined) {
    problems.check(
      (PRICE_CLASSES as readonly string[]).includes(args.priceClass),
      path("priceClass"),
      args.priceClass,
      `be one of ${PRICE_CLASSES.join(", ")}`,
    );
  }
  problems.throwIfAny(`Edge ${name}`);
}
