/** Building blocks every component shares. */
// One validation-error style: every problem at once, naming the key, the value and what is allowed.
export { Problems, quoteValue, ValidationError } from "./validation";
export type { Problem } from "./validation";
export { platformTags } from "./tags";
export type { PlatformTags, PlatformTagValues } from "./tags";
export { CHARTS } from "./charts";
export { dnsValidatedCertificate } from "./certificate";
export type { DnsValidatedCertificateArgs } from "./certificate";
export {
  chartImage,
  IMAGES,
  imageReference,
  imageRepository,
  imagesFrom,
  MIRROR_PREFIX,
  mirroredImages,
  registryHost,
  repositoryImage,
} from "./images";
export type { CachedImagePin, ImagePin, MirroredImagePin, UpstreamName } from "./images";
export type { ChartPin } from "./charts";
export { pinnedRelease } from "./helm";
export type { PinnedReleaseArgs } from "./helm";
export { serviceAccountRole } from "./irsa";
export type { ServiceAccountRoleArgs } from "./irsa";
export { encryptionKey, KEY_USER_ACTIONS } from "./kms";
export type { EncryptionKeyArgs } from "./kms";
export {
  accessLogBucket,
  accessLogDeliveryStatement,
  bucketPolicyDocument,
  secureBucket,
} from "./bucket";
export type { AccessLogBucketArgs, SecureBucket, SecureBucketArgs } from "./bucket";
export { policyDocument } from "./policy-document";
export type { PolicyDocument, PolicyStatement } from "./policy-document";
