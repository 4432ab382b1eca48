/**
 * Admission verification (Kyverno): how the platform's own images are signed, and the admission
 * controller's replicas. The public key is config, not a secret: it is public, and holding it here
 * keeps admission independent of KMS in a failed region.
 */
import {
  ADMISSION_DEFAULTS,
  AdmissionField,
  AdmissionSettings,
  checkAdmission,
  ImageSigning,
} from "@platform/admission";
import { Problems } from "@platform/core";
import { ConfigSection, configKey } from "./schema";

export interface AdmissionConfig {
  readonly signing: ImageSigning;
  readonly admissionReplicas: number;
}

const FIELD_KEYS: Readonly<Record<AdmissionField, string>> = {
  publicKey: "imageSigningPublicKey",
  keylessIssuer: "imageSigningKeylessIssuer",
  keylessSubject: "imageSigningKeylessSubject",
  admissionReplicas: "admissionReplicas",
  applicationNamespaces: "applicationNamespaces",
};

/** An empty string is the documented "unset" of an optional plain key. */
function optional(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export const admission: ConfigSection<AdmissionConfig> = {
  keys: {
    imageSigningPublicKey: {
      type: "string",
      default: "",
      description:
        "PEM public key (-----BEGIN PUBLIC KEY-----) the platform's own images are cosign-signed with, e.g. `cosign public-key --key awskms:///<arn>`; empty: no key attestor.",
    },
    imageSigningKeylessIssuer: {
      type: "string",
      default: "",
      description:
        "OIDC issuer of keyless (Fulcio) signatures, e.g. https://token.actions.githubusercontent.com; set with imageSigningKeylessSubject, empty: no keyless attestor.",
    },
    imageSigningKeylessSubject: {
      type: "string",
      default: "",
      description:
        "Regular expression, anchored with ^ and $, of the identities (certificate subjects) CI signs as keyless, e.g. every repository's release workflow of an organisation; set with imageSigningKeylessIssuer.",
    },
    admissionReplicas: {
      type: "integer",
      default: ADMISSION_DEFAULTS.admissionReplicas,
      description:
        "Kyverno admission controller replicas, spread over the zones (3 to 10: the webhook fails closed for application namespaces).",
    },
  },
  build(values, problems: Problems): AdmissionConfig {
    const settings: AdmissionSettings = {
      publicKey: optional(values.imageSigningPublicKey),
      keylessIssuer: optional(values.imageSigningKeylessIssuer),
      keylessSubject: optional(values.imageSigningKeylessSubject),
      admissionReplicas: values.admissionReplicas as number,
      applicationNamespaces: values.applicationNamespaces as string[],
    };
    checkAdmission(problems, settings, (field) => configKey(FIELD_KEYS[field]));
    const { publicKey, keylessIssuer: issuer, keylessSubject: subject } = settings;
    return {
      signing: {
        ...(publicKey ? { publicKey } : {}),
        ...(issuer && subject ? { keyless: { issuer, subject } } : {}),
      },
      admissionReplicas: settings.admissionReplicas,
    };
  },
};
