/** Violating and passing cases of the deletion safety policies. */
import { type Case, passes, violates } from "../test/case";
import { change, withOptions } from "../test/builders";
import { happy } from "../test/fixtures";

export const cases: Case[] = [
  passes("kms-key-deletion-window", "30 days", happy.kmsKey()),
  violates("kms-key-deletion-window", "7 days", change(happy.kmsKey(), "deletionWindowInDays", 7)),
  passes("stateful-resources-protected", "protected database", happy.rdsInstance()),
  passes("stateful-resources-protected", "protected PVC", happy.persistentVolumeClaim()),
  violates(
    "stateful-resources-protected",
    "unprotected bucket",
    withOptions(happy.bucket(), { protect: false }),
  ),
  violates(
    "stateful-resources-protected",
    "unprotected KMS key",
    withOptions(happy.kmsKey(), { protect: false }),
  ),
];
