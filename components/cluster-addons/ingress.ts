/**
 * The ingress path: the AWS Load Balancer Controller behind one shared internet-facing ALB per
 * stack, TLS from an ACM certificate validated in the stack's hosted zone, AWS WAF with rate limits
 * and managed rules, security response headers set on the HTTPS listener, external-dns limited to
 * the zone, and cert-manager with a Let's Encrypt DNS-01 ClusterIssuer for in-cluster TLS.
 */
import { RestrictedNamespace } from "@platform/cluster";
import { CHARTS, dnsValidatedCertificate, pinnedRelease, serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  awsLoadBalancerControllerPolicy,
  certManagerDns01Policy,
  externalDnsPolicy,
} from "./ingress-iam";
import { addonNetworkPolicy, HTTPS_ANYWHERE } from "./placement";
import { certManagerValues, externalDnsValues, loadBalancerControllerValues } from "./values";

/** WAF's rate-based windows, in seconds (RateBasedStatement.EvaluationWindowSec). */
export const WAF_EVALUATION_WINDOWS = [60, 120, 300, 600] as const;
/** Smallest and largest `Limit` WAF accepts for a rate-based rule. */
export const WAF_RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;

export interface RateLimits {
  /** Requests per second across all clients, for the whole ALB. */
  readonly globalRps: number;
  /** Requests per second across all clients, for paths under `apiPathPrefix`. */
  readonly apiRps: number;
  readonly apiPathPrefix: string;
  /** Requests per second from one client IP, for the whole ALB. */
  readonly perClientRps: number;
  /** WAF evaluation window in seconds: 60, 120, 300 or 600. */
  readonly windowSeconds: number;
}

/**
 * WAF counts requests over a sliding window (`evaluationWindowSec`), not per second: a limit of
 * R requests per second becomes R x window requests per window. Bursts above R within a window pass
 * as long as the window's total stays under the limit, and WAF applies a block some seconds after
 * the limit is crossed; blocking stops once the rate falls back below it.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
 */
export function requestsPerWindow(rps: number, windowSeconds: number): number {
  return rps * windowSeconds;
}

const TOO_MANY_REQUESTS = { block: { customResponse: { responseCode: 429 } } };

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

function pathStartsWith(prefix: string) {
  return {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: "STARTS_WITH",
      searchString: prefix,
      textTransformations: [{ priority: 0, type: "NONE" }],
    },
  };
}

/** AWS managed rule groups evaluated after the rate limits (no extra charge beyond WCU/requests). */
const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

interface WebAclRuleOptions {
  /** Priority of the first rate rule, so that a web ACL can evaluate a rule of its own first. */
  readonly firstPriority?: number;
  /**
   * Count each client IP. Off behind CloudFront: every request then comes from a CloudFront
   * address, so a per-IP limit would throttle whole edge locations; the edge web ACL, which sees
   * the viewers' addresses, applies it instead.
   */
  readonly perClientLimit?: boolean;
}

/**
 * Web ACL rules: the API and global limits count every client together (`CONSTANT` aggregation,
 * which WAF scopes through a scope-down statement; "/" matches every path), the per-client limit
 * counts each source IP; then the managed rule groups.
 */
export function webAclRules(
  limits: RateLimits,
  { firstPriority = 0, perClientLimit = true }: WebAclRuleOptions = {},
): aws.types.input.wafv2.WebAclRule[] {
  const window = limits.windowSeconds;
  const rateRule = (
    name: string,
    priority: number,
    rps: number,
    aggregateKeyType: "CONSTANT" | "IP",
    scopePrefix?: string,
  ): aws.types.input.wafv2.WebAclRule => ({
    name,
    priority,
    action: TOO_MANY_REQUESTS,
    statement: {
      rateBasedStatement: {
        aggregateKeyType,
        evaluationWindowSec: window,
        limit: requestsPerWindow(rps, window),
        ...(scopePrefix !== undefined ? { scopeDownStatement: pathStartsWith(scopePrefix) } : {}),
      },
    },
    visibilityConfig: visibility(name),
  });
  return [
    rateRule("api-rate-limit", firstPriority, limits.apiRps, "CONSTANT", limits.apiPathPrefix),
    rateRule("global-rate-limit", firstPriority + 1, limits.globalRps, "CONSTANT", "/"),
    ...(perClientLimit
      ? [rateRule("per-client-rate-limit", firstPriority + 2, limits.perClientRps, "IP")]
      : []),
    ...MANAGED_RULE_GROUPS.map((group, i) => ({
      name: group,
      priority: 10 + i,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
      visibilityConfig: visibility(group),
    })),
  ];
}

/**
 * The header CloudFront adds to every origin request (an origin custom header) and the regional
 * web ACL requires, so that only the platform's own distribution reaches the ALB: the
 * origin-facing prefix list admits every CloudFront distribution, anyone's. AWS documents the
 * pattern in "Restricting access to Application Load Balancers" (CloudFront Developer Guide).
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html
 */
export const ORIGIN_VERIFY_HEADER = "x-origin-verify";

/** The ALB behind CloudFront: who may open connections and what its web ACL requires. */
export interface OriginLockdown {
  /**
   * Managed prefix lists the ALB's security group admits on its listeners: CloudFront's
   * origin-facing list, and the region's Route 53 health-check list for the DR failover check.
   */
  readonly prefixListIds: pulumi.Input<string>[];
  /** Further sources, e.g. the stack's NAT gateways, whose in-cluster probes reach the ALB. */
  readonly inboundCidrs: pulumi.Input<string>[];
  /**
   * Value of ORIGIN_VERIFY_HEADER the web ACL requires (a secret); absent, the ALB is limited by
   * the prefix lists only (a standby, which does not hold its primary's value).
   */
  readonly originVerifyValue?: pulumi.Input<string>;
}

/**
 * First rule of the regional web ACL behind CloudFront: block (403) every request that lacks the
 * origin header's value, except the health-check path, which Route 53's checkers (which cannot add
 * headers) and the probes request and the ALB answers itself (regionalEndpointIngress).
 */
export function originVerifyRule(
  value: pulumi.Input<string>,
  healthCheckPath: string,
): aws.types.input.wafv2.WebAclRule {
  const none = [{ priority: 0, type: "NONE" }];
  return {
    name: "origin-verify",
    priority: 0,
    action: { block: {} },
    statement: {
      notStatement: {
        statement: {
          orStatement: {
            statements: [
              {
                byteMatchStatement: {
                  fieldToMatch: { singleHeader: { name: ORIGIN_VERIFY_HEADER } },
                  positionalConstraint: "EXACTLY",
                  searchString: value,
                  textTransformations: none,
                },
              },
              {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: "EXACTLY",
                  searchString: healthCheckPath,
                  textTransformations: none,
                },
              },
            ],
          },
        },
      },
    },
    visibilityConfig: visibility("origin-verify"),
  };
}

/** The regional web ACL: behind CloudFront, the origin header first and no per-client limit. */
function regionalWebAclRules(
  args: Pick<IngressArgs, "originLockdown" | "rateLimits" | "healthCheckPath">,
): aws.types.input.wafv2.WebAclRule[] {
  const lockdown = args.originLockdown;
  if (lockdown === undefined) return webAclRules(args.rateLimits);
  const originRules =
    lockdown.originVerifyValue !== undefined
      ? [originVerifyRule(lockdown.originVerifyValue, args.healthCheckPath)]
      : [];
  return [
    ...originRules,
    ...webAclRules(args.rateLimits, { firstPriority: 1, perClientLimit: false }),
  ];
}

/** Response headers the ALB's HTTPS listener adds to every response (listener attributes). */
export const SECURITY_HEADERS = {
  "routing.http.response.strict_transport_security.header_value":
    "max-age=31536000; includeSubDomains",
  "routing.http.response.x_content_type_options.header_value": "nosniff",
  "routing.http.response.x_frame_options.header_value": "DENY",
  "routing.http.response.content_security_policy.header_value":
    "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
  "routing.http.response.server.enabled": "false",
} as const;

/** TLS 1.3 and 1.2 with forward secrecy only. */
const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
export const INGRESS_CLASS = "alb";

interface IngressClassParamsArgs {
  readonly certificateArn: pulumi.Input<string>;
  readonly webAclArn: pulumi.Input<string>;
  readonly groupName: string;
  /** Behind CloudFront: the sources the ALB's security group admits instead of 0.0.0.0/0. */
  readonly lockdown?: Pick<OriginLockdown, "prefixListIds" | "inboundCidrs">;
}

/**
 * IngressClassParams (elbv2.k8s.aws/v1beta1) every Ingress of the `alb` class inherits: one shared
 * ALB, IP targets, the ACM certificate, the TLS policy, the WAF web ACL and the security headers,
 * so no team can forget them (the class's values override Ingress annotations).
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/guide/ingress/ingress_class.md
 */
export function ingressClassParamsSpec(args: IngressClassParamsArgs) {
  return {
    scheme: "internet-facing",
    group: { name: args.groupName },
    targetType: "ip",
    certificateArn: [args.certificateArn],
    sslPolicy: ALB_SSL_POLICY,
    wafv2AclArn: args.webAclArn,
    // The class's prefix lists and CIDRs replace the controller's 0.0.0.0/0 default on every
    // listener of the class's ALBs (controller v3.5.0, ingress_class.md "spec.prefixListsIDs").
    ...(args.lockdown
      ? {
          prefixListsIDs: args.lockdown.prefixListIds,
          ...(args.lockdown.inboundCidrs.length > 0
            ? { inboundCIDRs: args.lockdown.inboundCidrs }
            : {}),
        }
      : {}),
    loadBalancerAttributes: [
      { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
      { key: "routing.http.desync_mitigation_mode", value: "strictest" },
      // Fail closed: if WAF cannot be reached, requests are refused rather than let through.
      { key: "waf.fail_open.enabled", value: "false" },
    ],
    listeners: [
      {
        protocol: "HTTPS",
        port: 443,
        listenerAttributes: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({
          key,
          value,
        })),
      },
    ],
  };
}

interface DnsNames {
  /** Apex of the stack's hosted zone, e.g. `platform.example.com`. */
  readonly domainName: string;
  readonly region: string;
}

/** `<app>.<region>.<domain>` belongs to this stack (external-dns); `<app>.<domain>` to DR failover. */
function regionalDomain(names: DnsNames): string {
  return `${names.region}.${names.domainName}`;
}

export function certificateNames(names: DnsNames): { domainName: string; sans: string[] } {
  return { domainName: `*.${names.domainName}`, sans: [`*.${regionalDomain(names)}`] };
}

interface IngressArgs extends DnsNames {
  /** The stack's ECR registry, whose pull-through cache serves every image. */
  readonly registryHost: string;
  readonly clusterName: string;
  readonly partition: string;
  readonly vpcId: pulumi.Input<string>;
  /** The VPC CIDR, where the EKS control plane's ENIs call webhooks from. */
  readonly vpcCidr: string;
  readonly hostedZoneId: string;
  readonly acmeEmail: string;
  /** Path Route 53 health checkers request on `<region>.<domain>` (disaster recovery). */
  readonly healthCheckPath: string;
  readonly rateLimits: RateLimits;
  readonly logsKeyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  readonly originLockdown?: OriginLockdown;
}

interface IngressResources {
  readonly certificateArn: pulumi.Output<string>;
  readonly webAcl: aws.wafv2.WebAcl;
  readonly ingressClassName: string;
  readonly loadBalancerController: k8s.helm.v3.Release;
  readonly externalDns: k8s.helm.v3.Release;
  readonly certManager: k8s.helm.v3.Release;
  readonly clusterIssuerName: string;
}

const CERT_MANAGER_WEBHOOK_PORT = 10250;
const CLUSTER_ISSUER = "letsencrypt";
const MONITORING_NAMESPACE = "monitoring";

export function createIngress(
  name: string,
  args: IngressArgs,
  parent: pulumi.Resource,
): IngressResources {
  const opts = { parent };
  const irsa = (role: string, namespace: string, serviceAccount: string, policy: string) =>
    serviceAccountRole(
      `${name}-${role}`,
      {
        oidcProviderArn: args.oidcProviderArn,
        oidcIssuerUrl: args.oidcProviderUrl,
        namespace,
        serviceAccount,
        policy,
      },
      opts,
    );

  // TLS at the ALB: one certificate for the regional and the failover names.
  const names = certificateNames(args);
  const validation = dnsValidatedCertificate(
    name,
    { names: [names.domainName, ...names.sans], hostedZoneId: args.hostedZoneId },
    opts,
  );

  const webAcl = new aws.wafv2.WebAcl(
    `${name}-web-acl`,
    {
      name: `${args.clusterName}-ingress`,
      description: `Rate limits and managed rules in front of ${args.clusterName}'s ALB`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: regionalWebAclRules(args),
      visibilityConfig: visibility(`${args.clusterName}-ingress`),
    },
    opts,
  );
  const wafLogs = new aws.cloudwatch.LogGroup(
    `${name}-waf-logs`,
    {
      // WAF only delivers to log groups whose name starts with aws-waf-logs-.
      name: `aws-waf-logs-${args.clusterName}`,
      retentionInDays: args.logRetentionDays,
      kmsKeyId: args.logsKeyArn,
    },
    opts,
  );
  new aws.wafv2.WebAclLoggingConfiguration(
    `${name}-waf-logging`,
    {
      resourceArn: webAcl.arn,
      logDestinationConfigs: [wafLogs.arn],
      redactedFields: [
        { singleHeader: { name: "authorization" } },
        { singleHeader: { name: "cookie" } },
        // The origin header's value is a secret: never in the logs.
        { singleHeader: { name: ORIGIN_VERIFY_HEADER } },
      ],
    },
    opts,
  );

  const lbcRole = irsa(
    "load-balancer-controller",
    "kube-system",
    "aws-load-balancer-controller",
    JSON.stringify(awsLoadBalancerControllerPolicy()),
  );
  const loadBalancerController = pinnedRelease(
    "aws-load-balancer-controller",
    {
      chart: CHARTS.awsLoadBalancerController,
      namespace: "kube-system",
      values: loadBalancerControllerValues({
        registryHost: args.registryHost,
        clusterName: args.clusterName,
        region: args.region,
        vpcId: args.vpcId,
        roleArn: lbcRole.arn,
      }),
    },
    opts,
  );
  const classParams = new k8s.apiextensions.CustomResource(
    `${name}-ingress-class-params`,
    {
      apiVersion: "elbv2.k8s.aws/v1beta1",
      kind: "IngressClassParams",
      metadata: { name: INGRESS_CLASS },
      spec: ingressClassParamsSpec({
        certificateArn: validation.certificateArn,
        webAclArn: webAcl.arn,
        groupName: args.clusterName,
        lockdown: args.originLockdown,
      }),
    },
    { ...opts, dependsOn: [loadBalancerController] },
  );
  const ingressClass = new k8s.networking.v1.IngressClass(
    `${name}-ingress-class`,
    {
      metadata: { name: INGRESS_CLASS },
      spec: {
        controller: "ingress.k8s.aws/alb",
        parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: INGRESS_CLASS },
      },
    },
    { ...opts, dependsOn: [classParams] },
  );
  // The region's own name answers the DR health check at the ALB itself (see regionalEndpointIngress).
  new k8s.networking.v1.Ingress(
    `${name}-regional-endpoint`,
    regionalEndpointIngress(regionalDomain(args), args.healthCheckPath),
    { ...opts, dependsOn: [ingressClass] },
  );

  const zone = args.hostedZoneId;
  const externalDnsNamespace = new RestrictedNamespace("external-dns", {}, opts);
  const externalDnsRole = irsa(
    "external-dns",
    "external-dns",
    "external-dns",
    JSON.stringify(externalDnsPolicy(args.partition, zone)),
  );
  const externalDns = pinnedRelease(
    "external-dns",
    {
      chart: CHARTS.externalDns,
      namespace: externalDnsNamespace.name,
      values: externalDnsValues({
        registryHost: args.registryHost,
        roleArn: externalDnsRole.arn,
        region: args.region,
        hostedZoneId: zone,
        domainFilters: [regionalDomain(args)],
        txtOwnerId: args.clusterName,
      }),
    },
    { ...opts, dependsOn: [externalDnsNamespace] },
  );
  addonNetworkPolicy(
    `${name}-external-dns-traffic`,
    "external-dns",
    {
      namespace: externalDnsNamespace.name,
      podSelector: {},
      ingress: [{ ports: [7979], namespaces: [MONITORING_NAMESPACE] }],
      egress: [HTTPS_ANYWHERE],
    },
    { ...opts, dependsOn: [externalDnsNamespace] },
  );

  const certManagerNamespace = new RestrictedNamespace("cert-manager", {}, opts);
  const certManagerRole = irsa(
    "cert-manager",
    "cert-manager",
    "cert-manager",
    JSON.stringify(certManagerDns01Policy(args.partition, zone)),
  );
  const certManager = pinnedRelease(
    "cert-manager",
    {
      chart: CHARTS.certManager,
      namespace: certManagerNamespace.name,
      values: certManagerValues({
        registryHost: args.registryHost,
        roleArn: certManagerRole.arn,
        webhookPort: CERT_MANAGER_WEBHOOK_PORT,
      }),
    },
    { ...opts, dependsOn: [certManagerNamespace] },
  );
  const nsOpts = { ...opts, dependsOn: [certManagerNamespace] };
  addonNetworkPolicy(
    `${name}-cert-manager-egress`,
    "cert-manager-egress",
    { namespace: certManagerNamespace.name, podSelector: {}, egress: [HTTPS_ANYWHERE] },
    nsOpts,
  );
  addonNetworkPolicy(
    `${name}-cert-manager-webhook`,
    "cert-manager-webhook-from-api-server",
    {
      namespace: certManagerNamespace.name,
      podSelector: { "app.kubernetes.io/component": "webhook" },
      ingress: [{ ports: [CERT_MANAGER_WEBHOOK_PORT], cidrs: [args.vpcCidr] }],
    },
    nsOpts,
  );
  addonNetworkPolicy(
    `${name}-cert-manager-metrics`,
    "cert-manager-metrics",
    {
      namespace: certManagerNamespace.name,
      podSelector: { "app.kubernetes.io/component": "controller" },
      ingress: [{ ports: [9402], namespaces: [MONITORING_NAMESPACE] }],
    },
    nsOpts,
  );
  new k8s.apiextensions.CustomResource(
    `${name}-cluster-issuer`,
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: CLUSTER_ISSUER },
      spec: clusterIssuerSpec({
        email: args.acmeEmail,
        region: args.region,
        hostedZoneId: zone,
        domainName: args.domainName,
      }),
    },
    { ...opts, dependsOn: [certManager] },
  );

  return {
    certificateArn: validation.certificateArn,
    webAcl,
    ingressClassName: INGRESS_CLASS,
    loadBalancerController,
    externalDns,
    certManager,
    clusterIssuerName: CLUSTER_ISSUER,
  };
}

/**
 * An Ingress on the shared ALB for the region's own name (`<region>.<domain>`, the target of the DR
 * failover record and its Route 53 health check): the health path answers 200 from the ALB itself
 * through a fixed-response action, so the name resolves (external-dns) and the check measures the
 * region's edge (DNS, TLS, WAF, ALB). It is ordered last in the group: a team that routes the same
 * host and path to an aggregate health service takes precedence.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/guide/ingress/annotations.md#actions
 */
export function regionalEndpointIngress(host: string, healthCheckPath: string) {
  return {
    metadata: {
      name: "regional-endpoint",
      namespace: "kube-system",
      annotations: {
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
        "alb.ingress.kubernetes.io/group.order": "1000",
        "alb.ingress.kubernetes.io/actions.edge-health": JSON.stringify({
          type: "fixed-response",
          fixedResponseConfig: { contentType: "text/plain", statusCode: "200", messageBody: "ok" },
        }),
      },
    },
    spec: {
      ingressClassName: INGRESS_CLASS,
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: healthCheckPath,
                pathType: "Exact",
                backend: { service: { name: "edge-health", port: { name: "use-annotation" } } },
              },
            ],
          },
        },
      ],
    },
  };
}

interface ClusterIssuerArgs {
  readonly email: string;
  readonly region: string;
  readonly hostedZoneId: string;
  readonly domainName: string;
}

/** Let's Encrypt production, DNS-01 through Route 53 with cert-manager's ambient IRSA credentials. */
export function clusterIssuerSpec(args: ClusterIssuerArgs) {
  return {
    acme: {
      server: "https://acme-v02.api.letsencrypt.org/directory",
      email: args.email,
      privateKeySecretRef: { name: `${CLUSTER_ISSUER}-account-key` },
      solvers: [
        {
          selector: { dnsZones: [args.domainName] },
          dns01: { route53: { region: args.region, hostedZoneID: args.hostedZoneId } },
        },
      ],
    },
  };
}
