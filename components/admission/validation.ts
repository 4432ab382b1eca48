/**
 * Checks of the admission settings, shared by the component (paths like `args.signing.publicKey`)
 * and the stack config loader (paths like `platform:imageSigningPublicKey`): one rule, one message.
 */
import { Problems } from "@platform/core";
import { PROTECTED_NAMESPACES } from "./policies";

export type AdmissionField =
  "publicKey" | "keylessIssuer" | "keylessSubject" | "admissionReplicas" | "applicationNamespaces";
/** Maps a setting's name to the path a message names. */
export type AdmissionPath = (field: AdmissionField) => string;

export interface AdmissionSettings {
  readonly publicKey?: string;
  readonly keylessIssuer?: string;
  readonly keylessSubject?: string;
  readonly admissionReplicas: number;
  readonly applicationNamespaces: readonly string[];
}

/** One PEM block of a public key (PKIX, as `cosign generate-key-pair` and `cosign public-key` write). */
const PEM_PUBLIC_KEY =
  /^-----BEGIN PUBLIC KEY-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n)+-----END PUBLIC KEY-----\r?\n?$/;

export function isPemPublicKey(value: string): boolean {
  return PEM_PUBLIC_KEY.test(value.trim() + "\n");
}

/** Fewer than three replicas leave a zone outage with a single webhook pod, failing closed. */
export const ADMISSION_REPLICAS = { min: 3, max: 10 } as const;

export function checkAdmission(
  problems: Problems,
  settings: AdmissionSettings,
  path: AdmissionPath,
): void {
  if (settings.publicKey !== undefined) {
    problems.check(
      isPemPublicKey(settings.publicKey),
      path("publicKey"),
      settings.publicKey,
      'be one PEM public key ("-----BEGIN PUBLIC KEY-----" ... "-----END PUBLIC KEY-----"), as `cosign public-key --key awskms:///<arn>` prints it',
    );
  }
  const { keylessIssuer: issuer, keylessSubject: subject } = settings;
  if ((issuer === undefined) !== (subject === undefined)) {
    problems.add(
      issuer === undefined ? path("keylessIssuer") : path("keylessSubject"),
      undefined,
      `be set together with ${issuer === undefined ? path("keylessSubject") : path("keylessIssuer")} (keyless signing names both the OIDC issuer and the signer's identity)`,
    );
  }
  if (issuer !== undefined) {
    problems.check(
      /^https:\/\/[^\s/]+(\/\S*)?$/.test(issuer),
      path("keylessIssuer"),
      issuer,
      'be the OIDC issuer URL, e.g. "https://token.actions.githubusercontent.com"',
    );
  }
  if (subject !== undefined) {
    problems.check(
      isAnchoredPattern(subject),
      path("keylessSubject"),
      subject,
      "be a regular expression of the signers' identity (certificate subject) anchored with ^ and $, without spaces, e.g. ^https://github\\.com/acme/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main$ (unanchored, a pattern also matches identities that merely contain it)",
    );
  }
  problems.integerInRange(
    path("admissionReplicas"),
    settings.admissionReplicas,
    ADMISSION_REPLICAS.min,
    ADMISSION_REPLICAS.max,
  );
  const protectedOnes = settings.applicationNamespaces.filter((ns) =>
    PROTECTED_NAMESPACES.includes(ns),
  );
  problems.check(
    protectedOnes.length === 0,
    path("applicationNamespaces"),
    protectedOnes,
    `not include ${PROTECTED_NAMESPACES.join(" or ")}: the admission policies must never gate the control plane's add-ons or Kyverno itself`,
  );
}

/** A regular expression that compiles and must match a whole subject (`^...$`), without spaces. */
export function isAnchoredPattern(pattern: string): boolean {
  if (!pattern.startsWith("^") || !pattern.endsWith("$") || /\s/.test(pattern)) return false;
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
