/**
 * Kyverno's own alert: with its admission controller down, the application namespaces accept no
 * new or changed pod (their policies fail closed), so a rollout, a scale-up or a failover stalls.
 * That pages. The platform namespaces fail open and keep working.
 */
import { KYVERNO_NAMESPACE } from "./policies";
import { ADMISSION_METRICS_JOB } from "./values";

/** The runbook section of docs/components/admission.md that the alert links to. */
export const ADMISSION_RUNBOOK = "docs/components/admission.md#when-kyverno-is-down";

const UP = `up{namespace="${KYVERNO_NAMESPACE}",job="${ADMISSION_METRICS_JOB}"}`;

/** The PrometheusRule (monitoring.coreos.com/v1) of the admission controller. */
export function admissionPrometheusRule() {
  return {
    apiVersion: "monitoring.coreos.com/v1" as const,
    kind: "PrometheusRule" as const,
    // Prometheus selects every PrometheusRule (observability's ruleSelectorNilUsesHelmValues: false).
    metadata: {
      name: "kyverno-admission",
      namespace: KYVERNO_NAMESPACE,
      labels: { "platform/rules": "kyverno-admission" },
    },
    spec: {
      groups: [
        {
          name: "admission",
          rules: [
            {
              alert: "KyvernoAdmissionUnavailable",
              // No replica answering its scrape, or none scraped at all (absent: the Service or
              // every pod is gone).
              expr: `sum(${UP}) == 0 or absent(${UP})`,
              for: "5m",
              labels: { severity: "critical" },
              annotations: {
                summary:
                  "Kyverno's admission controller is down: application pods cannot be admitted",
                description:
                  "Every admission controller replica has failed its scrape for 5 minutes. The application namespaces' policies fail closed, so no pod there can be created or changed (rollouts, scale-ups, failover); the platform namespaces fail open.",
                runbook_url: ADMISSION_RUNBOOK,
              },
            },
          ],
        },
      ],
    },
  };
}
