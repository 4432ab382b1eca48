/** Admission verification with Kyverno: the engine and the platform's image policies. */
export { Admission, ADMISSION_DEFAULTS } from "./admission";
export type { AdmissionArgs, AdmissionMonitoring, ImageSigning, KeylessSigner } from "./args";
export { ADMISSION_RUNBOOK, admissionPrometheusRule } from "./alerts";
export { signatureReaderPolicy } from "./documents";
export {
  imagePolicies,
  imageRules,
  imageValidatingRule,
  KYVERNO_NAMESPACE,
  POD_CONTROLLERS,
  PROTECTED_NAMESPACES,
  RULES_BY_SCOPE,
  scopeSelector,
  signaturePolicy,
} from "./policies";
export type { ImageRuleName, PolicyScope, PolicySettings, SignatureSettings } from "./policies";
export { ADMISSION_REPLICAS, checkAdmission, isPemPublicKey } from "./validation";
export type { AdmissionField, AdmissionPath, AdmissionSettings } from "./validation";
export {
  ADMISSION_METRICS_JOB,
  ADMISSION_SERVICE_ACCOUNT,
  KYVERNO_RELEASE,
  kyvernoValues,
} from "./values";
