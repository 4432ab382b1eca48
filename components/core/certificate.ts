import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsValidatedCertificateArgs {
  /** The certificate's names: the first is its domain name, the rest its alternative names. */
  readonly names: readonly [string, ...string[]];
  /** Route 53 zone that holds the validation records. */
  readonly hostedZoneId: pulumi.Input<string>;
}

/**
 * An ACM certificate (ECDSA P-256, certificate transparency logged) validated through Route 53,
 * one validation record per name. ACM asks for one record per name and account, so the
 * certificates of the same names in the peer stack and at the edge validate through the same
 * records: they overwrite rather than conflict, and are retained so that destroying one stack does
 * not break another's renewals. Returns the validation, whose `certificateArn` is usable only once
 * the certificate is issued.
 */
export function dnsValidatedCertificate(
  name: string,
  args: DnsValidatedCertificateArgs,
  opts: pulumi.CustomResourceOptions,
  recordOpts: pulumi.CustomResourceOptions = opts,
): aws.acm.CertificateValidation {
  const [domainName, ...subjectAlternativeNames] = args.names;
  const certificate = new aws.acm.Certificate(
    `${name}-certificate`,
    {
      domainName,
      subjectAlternativeNames,
      validationMethod: "DNS",
      keyAlgorithm: "EC_prime256v1",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
    },
    opts,
  );
  const records = args.names.map((_, i) => {
    const option = certificate.domainValidationOptions.apply((o) => o[i]);
    return new aws.route53.Record(
      `${name}-certificate-validation-${i}`,
      {
        zoneId: args.hostedZoneId,
        name: option.apply((o) => o.resourceRecordName!),
        type: option.apply((o) => o.resourceRecordType!),
        records: [option.apply((o) => o.resourceRecordValue!)],
        ttl: 300,
        allowOverwrite: true,
      },
      { ...recordOpts, retainOnDelete: true },
    );
  });
  return new aws.acm.CertificateValidation(
    `${name}-certificate-validation`,
    { certificateArn: certificate.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
    opts,
  );
}
