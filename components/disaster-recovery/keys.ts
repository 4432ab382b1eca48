import { encryptionKey } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

interface RecoveryKeys {
  /** Velero's bucket and the AWS Backup vault in the stack's region. */
  readonly localKey: aws.kms.Key;
  /** Every copy in the peer region: replicas, the peer vault, replica buckets, flow logs. */
  readonly peerKey: aws.kms.Key;
}

/** Both keys are protected: losing one loses every copy encrypted with it. */
export function createRecoveryKeys(
  name: string,
  args: { readonly accountId: string; readonly region: string; readonly peerRegion: string },
  opts: {
    readonly local: pulumi.CustomResourceOptions;
    readonly peer: pulumi.CustomResourceOptions;
  },
): RecoveryKeys {
  const localKey = encryptionKey(
    `${name}-key`,
    {
      description: `Recovery data in ${args.region}: Velero's bucket and the AWS Backup vault`,
      accountId: args.accountId,
      region: args.region,
      alias: `platform-dr-${args.region}`,
    },
    { ...opts.local, protect: true },
  );
  const peerKey = encryptionKey(
    `${name}-peer-key`,
    {
      description: `Recovery copies of ${args.region} in ${args.peerRegion}: replicas, vault, buckets, flow logs`,
      accountId: args.accountId,
      region: args.peerRegion,
      logsService: true,
      // Named after the region it protects: one peer region may hold several regions' copies.
      alias: `platform-dr-${args.region}-copies`,
    },
    { ...opts.peer, protect: true },
  );
  return { localKey, peerKey };
}
