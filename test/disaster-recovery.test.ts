/**
 * Disaster recovery of both committed stacks under the recording mock engine: replication,
 * schedules and retention, vault locks, health checks and records, the drill, and the whole stack
 * through the compiled policy pack (no data store left uncovered, no mandatory violation in DR).
 */
import * as assert from "assert";
import { promqlSyntaxErrors } from "@platform/observability/rules";
import { readStackFile } from "../stacks/stack-files";
import { toAnalyzerResources } from "../tools/analyzer";
import { RecordedResource } from "../tools/mock-engine";
import { readPolicyConfig } from "../tools/preview/policy";
import {
  named,
  ofType,
  PACK_DIR,
  packSession,
  policyResults,
  resultsOn,
  runStack,
  StackRun,
} from "../tools/testing";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Props = Record<string, any>;
const inputs = (r: RecordedResource) => r.inputs as Props;
const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
const DR = "platform:disaster-recovery:DisasterRecovery$";
const inDr = (r: RecordedResource) => r.urn.includes(DR);
const drOf = (run: StackRun, type: string) => ofType(run, type).filter(inDr);

const STACKS = {
  "prod-us-west-2": {
    region: "us-west-2",
    peer: "us-east-1",
    record: "us.platform.example.com",
    standby: "prod-us-east-1",
    standbyVpc: "10.30.0.0/16",
  },
  "prod-eu-west-1": {
    region: "eu-west-1",
    peer: "eu-central-1",
    record: "eu.platform.example.com",
    standby: "prod-eu-central-1",
    standbyVpc: "10.40.0.0/16",
  },
} as const;

function providerRegion(run: StackRun, r: RecordedResource): string {
  const urn = r.provider!.replace(/::[^:]*$/, "");
  return inputs(run.resources.find((p) => p.urn === urn)!).region;
}

for (const [stack, expected] of Object.entries(STACKS)) {
  describe(`disaster recovery of ${stack}`, function () {
    let run: StackRun;
    before(async function () {
      this.timeout(120_000);
      run = await runStack({ stack });
    });

    it("keeps every copy in the peer region and, for the EU stack, inside the EU", () => {
      const peerTypes = [
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        "aws:backup/restoreTestingPlan:RestoreTestingPlan",
      ];
      for (const type of peerTypes) {
        const found = drOf(run, type);
        assert.ok(found.length > 0, type);
        for (const r of found) assert.strictEqual(providerRegion(run, r), expected.peer, r.urn);
      }
      const replicas = drOf(run, "aws:s3/bucket:Bucket").filter((b) => b.name.endsWith("-replica"));
      assert.strictEqual(replicas.length, 4);
      for (const r of replicas) assert.strictEqual(providerRegion(run, r), expected.peer);
      const regions = new Set(drOf(run, "aws:s3/bucket:Bucket").map((r) => providerRegion(run, r)));
      assert.deepStrictEqual([...regions].sort(), [expected.peer, expected.region].sort());
      if (stack === "prod-eu-west-1") {
        // Only the edge's global objects (certificate, CLOUDFRONT web ACL, log delivery) may sit in
        // us-east-1 (test/edge.test.ts); everything disaster recovery keeps stays in the EU.
        const used = new Set(
          run.resources
            .filter((r) => r.type.startsWith("aws:") && inDr(r))
            .map((r) => providerRegion(run, r)),
        );
        assert.ok(
          [...used].every((region) => region.startsWith("eu-") && region !== "eu-west-2"),
          [...used].join(", "),
        );
      }
    });

    it("replicates Velero's and the data tier's buckets with RTC, metrics, delete markers and the peer key", () => {
      const peerKey = named(run, "dr-peer-key");
      assert.strictEqual(providerRegion(run, peerKey), expected.peer);
      assert.strictEqual(inputs(peerKey).enableKeyRotation, true);
      assert.strictEqual(peerKey.options.protect, true);
      assert.strictEqual(
        inputs(named(run, "dr-peer-key-alias")).name,
        `alias/platform-dr-${expected.region}-copies`,
      );
      const configs = drOf(run, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
      assert.deepStrictEqual(configs.map((c) => c.name).sort(), [
        "dr-access-logs-replication",
        "dr-assets-replication",
        "dr-backups-replication",
        "dr-velero-replication",
      ]);
      const account = "123456789012";
      assert.strictEqual(
        inputs(named(run, "dr-assets-replication")).bucket,
        `platform-${stack}-assets-${account}`,
      );
      for (const c of configs) {
        assert.strictEqual(providerRegion(run, c), expected.region);
        const [rule] = inputs(c).rules;
        assert.strictEqual(inputs(c).rules.length, 1);
        assert.strictEqual(rule.status, "Enabled");
        assert.deepStrictEqual(rule.filter, {});
        assert.deepStrictEqual(rule.deleteMarkerReplication, { status: "Enabled" });
        assert.deepStrictEqual(rule.sourceSelectionCriteria.sseKmsEncryptedObjects, {
          status: "Enabled",
        });
        assert.deepStrictEqual(rule.destination.replicationTime, {
          status: "Enabled",
          time: { minutes: 15 },
        });
        assert.deepStrictEqual(rule.destination.metrics, {
          status: "Enabled",
          eventThreshold: { minutes: 15 },
        });
        assert.match(
          rule.destination.encryptionConfiguration.replicaKmsKeyId,
          new RegExp(`^arn:aws:kms:${expected.peer}:`),
        );
        // The destination is this source's own replica bucket.
        const role = c.name.replace(/^dr-/, "").replace(/-replication$/, "");
        const replica = named(run, `dr-${role}-replica`);
        assert.ok(c.propertyDependencies.rules.includes(replica.urn), c.name);
        assert.strictEqual(replica.options.protect, true);
      }
    });

    it("gives replica buckets the source's protections: versioning, SSE-KMS with the peer key, public access block, TLS-only policy", () => {
      for (const role of ["velero", "assets", "backups", "access-logs"]) {
        const bucket = named(run, `dr-${role}-replica`);
        const companion = (suffix: string) => named(run, `dr-${role}-replica-${suffix}`);
        assert.deepStrictEqual(inputs(companion("versioning")).versioningConfiguration, {
          status: "Enabled",
        });
        const sse = inputs(companion("encryption")).rules[0];
        assert.strictEqual(sse.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.match(
          sse.applyServerSideEncryptionByDefault.kmsMasterKeyId,
          new RegExp(`^arn:aws:kms:${expected.peer}:`),
        );
        const pab = inputs(companion("public-access"));
        for (const flag of [
          "blockPublicAcls",
          "blockPublicPolicy",
          "ignorePublicAcls",
          "restrictPublicBuckets",
        ])
          assert.strictEqual(pab[flag], true, flag);
        const statement = json(inputs(companion("policy")).policy).Statement[0];
        assert.strictEqual(statement.Effect, "Deny");
        assert.deepStrictEqual(statement.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.strictEqual(inputs(bucket).forceDestroy, false);
      }
    });

    it("logs every request to Velero's bucket and to the replicas into an access-log bucket of their own region", () => {
      const peerLogs = named(run, "dr-peer-access-logs");
      assert.strictEqual(providerRegion(run, peerLogs), expected.peer);
      assert.deepStrictEqual(
        inputs(named(run, "dr-peer-access-logs-encryption")).rules[0]
          .applyServerSideEncryptionByDefault,
        { sseAlgorithm: "AES256" },
        "S3 log delivery supports SSE-S3 only",
      );
      const grant = json(inputs(named(run, "dr-peer-access-logs-policy")).policy).Statement[1];
      assert.deepStrictEqual(grant.Principal, { Service: "logging.s3.amazonaws.com" });
      assert.deepStrictEqual(grant.Condition, {
        StringEquals: { "aws:SourceAccount": "123456789012" },
      });
      for (const role of ["velero", "assets", "backups", "access-logs"]) {
        const logging = named(run, `dr-${role}-replica-access-logs`);
        assert.strictEqual(providerRegion(run, logging), expected.peer, logging.urn);
        assert.deepStrictEqual(logging.propertyDependencies.bucket, [
          named(run, `dr-${role}-replica`).urn,
        ]);
        assert.deepStrictEqual(logging.propertyDependencies.targetBucket, [peerLogs.urn]);
      }
      const velero = named(run, "dr-velero-access-logs");
      assert.strictEqual(providerRegion(run, velero), expected.region);
      assert.strictEqual(inputs(velero).targetBucket, `platform-${stack}-access-logs-123456789012`);
      assert.strictEqual(
        drOf(run, "aws:s3/bucketLogging:BucketLogging").filter((l) =>
          l.name.startsWith("dr-peer-access-logs"),
        ).length,
        0,
        "the access-log bucket logs nowhere",
      );
    });

    it("locks Velero's bucket and its replica with Object Lock in compliance mode for the daily retention", () => {
      for (const name of ["dr-velero", "dr-velero-replica"]) {
        const bucket = drOf(run, "aws:s3/bucket:Bucket").find((b) => b.name === name)!;
        assert.strictEqual(inputs(bucket).objectLockEnabled, true, name);
        const lock = inputs(named(run, `${name}-object-lock`));
        assert.strictEqual(lock.objectLockEnabled, "Enabled");
        assert.deepStrictEqual(lock.rule.defaultRetention, { mode: "COMPLIANCE", days: 14 });
      }
      for (const role of ["assets", "backups", "access-logs"]) {
        const bucket = drOf(run, "aws:s3/bucket:Bucket").find(
          (b) => b.name === `dr-${role}-replica`,
        )!;
        assert.strictEqual(inputs(bucket).objectLockEnabled, false);
      }
    });

    it("grants the replication role only replication actions on these buckets and keys", () => {
      const policy = json(inputs(named(run, "dr-replication-policy")).policy);
      const actions = policy.Statement.flatMap((s: Props) => [s.Action].flat());
      assert.ok(
        actions.every((a: string) =>
          /^(s3:(Get|List|Replicate)|kms:(Decrypt|Encrypt|GenerateDataKey)$)/.test(a),
        ),
        actions.join(),
      );
      for (const s of policy.Statement) {
        for (const resource of [s.Resource].flat()) assert.notStrictEqual(resource, "*");
        if (String(s.Sid).startsWith("EncryptReplica"))
          assert.strictEqual(
            s.Condition.StringEquals["kms:ViaService"],
            `s3.${expected.peer}.amazonaws.com`,
          );
      }
      // The access-log bucket is SSE-S3: no decrypt statement for it (three KMS sources of four).
      assert.strictEqual(
        policy.Statement.filter((s: Props) => String(s.Sid).startsWith("DecryptSource")).length,
        3,
      );
      const trust = json(inputs(named(run, "dr-replication-role")).assumeRolePolicy).Statement[0];
      assert.deepStrictEqual(trust.Principal, { Service: "s3.amazonaws.com" });
      assert.deepStrictEqual(trust.Condition, {
        StringEquals: { "aws:SourceAccount": "123456789012" },
      });
    });

    it("schedules Velero hourly (2 days), daily, weekly and monthly with 14-day, 8-week and 12-month TTLs and data movement", () => {
      const schedules = drOf(run, "kubernetes:velero.io/v1:Schedule");
      const byName = Object.fromEntries(schedules.map((s) => [inputs(s).metadata.name, inputs(s)]));
      assert.deepStrictEqual(Object.keys(byName).sort(), ["daily", "hourly", "monthly", "weekly"]);
      const expectedTiers = {
        hourly: ["15 * * * *", "48h0m0s"],
        daily: ["0 3 * * *", "336h0m0s"],
        weekly: ["0 4 * * 0", "1344h0m0s"],
        monthly: ["0 5 1 * *", "8760h0m0s"],
      };
      for (const [name, [cron, ttl]] of Object.entries(expectedTiers)) {
        const s = byName[name];
        assert.strictEqual(s.apiVersion, "velero.io/v1");
        assert.strictEqual(s.metadata.namespace, "velero");
        assert.strictEqual(s.spec.schedule, cron);
        assert.strictEqual(s.spec.template.ttl, ttl);
        assert.strictEqual(s.spec.template.snapshotMoveData, true);
        assert.deepStrictEqual(s.spec.template.includedNamespaces, ["*"]);
        assert.ok(s.spec.template.excludedNamespaces.includes("dr-drill-scratch"));
      }
    });

    it("installs the pinned Velero chart with IRSA, no static credentials and CSI data movement", () => {
      const [release] = drOf(run, "kubernetes:helm.sh/v3:Release");
      assert.strictEqual(inputs(release).chart, "velero");
      assert.strictEqual(inputs(release).version, "12.1.0");
      assert.strictEqual(
        inputs(release).repositoryOpts.repo,
        "https://vmware-tanzu.github.io/helm-charts",
      );
      // Its ServiceMonitor and PodMonitor need the Prometheus Operator's CRDs first.
      const operator = ofType(run, "kubernetes:helm.sh/v3:Release").find(
        (r) => inputs(r).chart === "kube-prometheus-stack",
      )!;
      assert.ok(release.dependencies.includes(operator.urn));
      const values = inputs(release).values;
      assert.strictEqual(values.credentials.useSecret, false);
      assert.match(
        values.serviceAccount.server.annotations["eks.amazonaws.com/role-arn"],
        /^arn:aws:iam::123456789012:role\//,
      );
      assert.strictEqual(values.configuration.defaultSnapshotMoveData, true);
      assert.strictEqual(values.configuration.features, "EnableCSI");
      assert.strictEqual(values.nodeAgent.disableHostPath, true);
      assert.strictEqual(values.snapshotsEnabled, false);
      const [bsl] = values.configuration.backupStorageLocation;
      assert.match(bsl.bucket, /^dr-velero-[0-9a-f]{7}$/);
      assert.strictEqual(bsl.config.region, expected.region);
      assert.strictEqual(bsl.config.serverSideEncryption, "aws:kms");
      for (const image of [values.image.tag, values.initContainers[0].image])
        assert.ok(!/latest/.test(image), image);
      for (const sc of [
        values.containerSecurityContext,
        values.nodeAgent.containerSecurityContext,
      ]) {
        assert.strictEqual(sc.runAsNonRoot, true);
        assert.strictEqual(sc.readOnlyRootFilesystem, true);
        assert.strictEqual(sc.allowPrivilegeEscalation, false);
        assert.deepStrictEqual(sc.capabilities.drop, ["ALL"]);
      }
      const veleroPolicy = json(inputs(named(run, "dr-velero-irsa-policy")).policy);
      const actions = veleroPolicy.Statement.flatMap((s: Props) => s.Action);
      assert.ok(
        !actions.some((a: string) => a.startsWith("ec2:")),
        "CSI snapshots: Velero needs no EC2 action",
      );
      for (const s of veleroPolicy.Statement) assert.notStrictEqual(s.Resource, "*");
      const trust = json(inputs(named(run, "dr-velero-irsa")).assumeRolePolicy).Statement[0];
      assert.deepStrictEqual(Object.values(trust.Condition.StringEquals).sort(), [
        "sts.amazonaws.com",
        "system:serviceaccount:velero:velero",
      ]);
      const namespace = ofType(run, "kubernetes:core/v1:Namespace").find(
        (n) => n.name === "velero",
      )!;
      assert.strictEqual(
        inputs(namespace).metadata.labels["pod-security.kubernetes.io/enforce"],
        "baseline",
      );
      assert.strictEqual(
        inputs(namespace).metadata.labels["pod-security.kubernetes.io/warn"],
        "restricted",
      );
    });

    it("leaves the promotable replica to its standby, in the standby's VPC, encrypted with the peer key", async function () {
      this.timeout(300_000);
      assert.strictEqual(drOf(run, "aws:rds/instance:Instance").length, 0);
      assert.strictEqual(drOf(run, "aws:ec2/vpc:Vpc").length, 0);
      const primary = named(run, "data-postgres");
      assert.strictEqual(inputs(primary).tags["platform:backup"], "true");
      const standby = await runStack({ stack: expected.standby });
      const replica = named(standby, "dr-standby-postgres-replica");
      const r = inputs(replica);
      assert.strictEqual(
        r.replicateSourceDb,
        `arn:aws:rds:${expected.region}:123456789012:db:platform-${stack}-postgres`,
      );
      assert.strictEqual(r.identifier, `platform-${stack}-postgres-dr`);
      assert.strictEqual(r.storageEncrypted, true);
      assert.strictEqual(r.kmsKeyId, (run.outputs.disasterRecovery as Props).peerKeyArn);
      assert.match(r.kmsKeyId, new RegExp(`^arn:aws:kms:${expected.peer}:`));
      assert.strictEqual(r.instanceClass, inputs(primary).instanceClass);
      assert.strictEqual(r.publiclyAccessible, false);
      assert.strictEqual(r.deletionProtection, true);
      // RDS takes no backups of, and refuses a final snapshot of, a PostgreSQL read replica.
      assert.strictEqual(r.backupRetentionPeriod, undefined);
      assert.strictEqual(r.skipFinalSnapshot, true);
      assert.strictEqual(replica.options.protect, true);
      for (const type of ["postgresql", "upgrade"]) {
        const group = named(standby, `dr-standby-postgres-replica-${type}-logs`);
        assert.strictEqual(
          inputs(group).name,
          `/aws/rds/instance/platform-${stack}-postgres-dr/${type}`,
        );
        assert.ok(replica.dependencies.includes(group.urn));
      }
      const subnetGroup = named(standby, "dr-standby-db-subnets");
      assert.strictEqual(inputs(subnetGroup).name, `platform-${expected.standby}-replicas`);
      assert.ok(replica.propertyDependencies.dbSubnetGroupName.includes(subnetGroup.urn));
      const isolated = standby.resources
        .filter((x) => x.name.startsWith("network-isolated-") && x.type === "aws:ec2/subnet:Subnet")
        .map((x) => x.urn);
      assert.deepStrictEqual(
        [...subnetGroup.propertyDependencies.subnetIds].sort(),
        [...isolated].sort(),
      );
      const sg = inputs(named(standby, "dr-standby-db-sg"));
      assert.deepStrictEqual(
        sg.ingress.map((i: Props) => [i.fromPort, i.cidrBlocks]),
        [[5432, [expected.standbyVpc]]],
      );
      assert.deepStrictEqual(sg.egress, []);
    });

    it("replicates the shared EFS file system into the peer region with the peer key", () => {
      const [replication] = drOf(run, "aws:efs/replicationConfiguration:ReplicationConfiguration");
      assert.strictEqual(inputs(replication).sourceFileSystemId, named(run, "data-files").id);
      assert.strictEqual(inputs(replication).destination.region, expected.peer);
      assert.strictEqual(
        inputs(replication).destination.kmsKeyId,
        (run.outputs.disasterRecovery as Props).peerKeyArn,
      );
    });

    it("replicates RDS automated backups to the peer region with the peer key", () => {
      const [b] = drOf(
        run,
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
      );
      assert.strictEqual(
        inputs(b).sourceDbInstanceArn,
        `arn:aws:rds:${expected.region}:123456789012:db:platform-${stack}-postgres`,
      );
      assert.strictEqual(inputs(b).retentionPeriod, 14);
      assert.match(inputs(b).kmsKeyId, new RegExp(`^arn:aws:kms:${expected.peer}:`));
      assert.strictEqual(b.options.protect, true);
    });

    it("backs up tagged resources daily, weekly and monthly, copying each into the locked peer vault", () => {
      const [plan] = drOf(run, "aws:backup/plan:Plan");
      const peerVault = named(run, "dr-backup-peer-vault");
      assert.strictEqual(providerRegion(run, peerVault), expected.peer);
      assert.match(inputs(peerVault).kmsKeyArn, new RegExp(`^arn:aws:kms:${expected.peer}:`));
      const rules = inputs(plan).rules;
      assert.deepStrictEqual(
        rules.map((r: Props) => [r.ruleName, r.schedule, r.lifecycle.deleteAfter]),
        [
          ["daily", "cron(0 4 ? * * *)", 14],
          ["weekly", "cron(0 5 ? * SUN *)", 56],
          ["monthly", "cron(0 6 1 * ? *)", 365],
        ],
      );
      for (const rule of rules) {
        assert.strictEqual(rule.copyActions.length, 1);
        assert.match(
          rule.copyActions[0].destinationVaultArn,
          new RegExp(`^arn:aws:backup:${expected.peer}:`),
        );
        assert.strictEqual(rule.copyActions[0].lifecycle.deleteAfter, rule.lifecycle.deleteAfter);
      }
      const [selection] = drOf(run, "aws:backup/selection:Selection");
      assert.deepStrictEqual(inputs(selection).selectionTags, [
        { type: "STRINGEQUALS", key: "platform:backup", value: "true" },
      ]);
      assert.strictEqual(inputs(selection).resources, undefined);
      const managed = drOf(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.name.startsWith("dr-backup-role-managed"))
        .map((a) => inputs(a).policyArn);
      assert.ok(
        managed.includes(
          "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        ),
      );
      assert.ok(
        managed.includes(
          "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        ),
      );
    });

    it("tests every week that the newest RDS copy in the peer vault restores, into the standby's VPC", () => {
      const [plan] = drOf(run, "aws:backup/restoreTestingPlan:RestoreTestingPlan");
      assert.strictEqual(providerRegion(run, plan), expected.peer);
      assert.match(inputs(plan).name, /^[A-Za-z0-9_]{1,50}$/);
      const selection = inputs(plan).recoveryPointSelection;
      assert.strictEqual(selection.algorithm, "LATEST_WITHIN_WINDOW");
      assert.strictEqual(selection.includeVaults.length, 1);
      assert.match(selection.includeVaults[0], new RegExp(`^arn:aws:backup:${expected.peer}:`));
      assert.ok(
        plan.propertyDependencies.recoveryPointSelection.includes(
          named(run, "dr-backup-peer-vault").urn,
        ),
      );
      const [rds] = drOf(run, "aws:backup/restoreTestingSelection:RestoreTestingSelection");
      assert.strictEqual(inputs(rds).protectedResourceType, "RDS");
      assert.strictEqual(inputs(rds).validationWindowHours, 1);
      assert.strictEqual(
        inputs(rds).restoreMetadataOverrides.dbsubnetgroupname,
        `platform-${expected.standby}-replicas`,
      );
      assert.strictEqual(providerRegion(run, rds), expected.peer);
    });

    it("locks both vaults: at least 7 days, at most the longest tier, compliance after 3 days", () => {
      const locks = drOf(run, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
      assert.deepStrictEqual(
        locks.map((l) => providerRegion(run, l)).sort(),
        [expected.peer, expected.region].sort(),
      );
      for (const lock of locks) {
        const l = inputs(lock);
        assert.deepStrictEqual(
          [l.minRetentionDays, l.maxRetentionDays, l.changeableForDays],
          [7, 365, 3],
        );
        assert.strictEqual(lock.options.protect, true);
      }
      for (const vault of drOf(run, "aws:backup/vault:Vault")) {
        assert.strictEqual(vault.options.protect, true);
        assert.strictEqual(inputs(vault).forceDestroy, false);
      }
    });

    it("health-checks the regional endpoint and fails the record over to the peer region", () => {
      const [check] = drOf(run, "aws:route53/healthCheck:HealthCheck");
      const c = inputs(check);
      assert.deepStrictEqual(
        [c.type, c.fqdn, c.port, c.resourcePath, c.requestInterval, c.failureThreshold],
        ["HTTPS", `${expected.region}.platform.example.com`, 443, "/healthz", 10, 3],
      );
      assert.ok(c.regions.length >= 3);
      const records = drOf(run, "aws:route53/record:Record").map(inputs);
      assert.strictEqual(records.length, 2);
      for (const r of records) {
        assert.strictEqual(r.zoneId, "Z0123456789ABCDEFGHIJ");
        assert.strictEqual(r.name, expected.record);
        assert.strictEqual(r.type, "CNAME");
        assert.strictEqual(r.ttl, 60);
      }
      const primary = records.find((r) => r.failoverRoutingPolicies[0].type === "PRIMARY")!;
      const secondary = records.find((r) => r.failoverRoutingPolicies[0].type === "SECONDARY")!;
      assert.deepStrictEqual(primary.records, [`${expected.region}.platform.example.com`]);
      assert.strictEqual(primary.healthCheckId, check.id);
      // The name the standby's external-dns publishes in the peer region.
      assert.deepStrictEqual(secondary.records, [`${expected.peer}.platform.example.com`]);
      assert.strictEqual(secondary.healthCheckId, undefined);
      assert.strictEqual(c.tags["platform:standby-stack"], expected.standby);
      assert.strictEqual(c.tags["platform:standby-region"], expected.peer);
    });

    it("runs a weekly restricted restore drill of the canary namespace and alerts after 8 days without success", () => {
      const [cron] = drOf(run, "kubernetes:batch/v1:CronJob");
      const spec = inputs(cron).spec;
      assert.strictEqual(spec.schedule, "0 6 * * 0");
      assert.strictEqual(spec.concurrencyPolicy, "Forbid");
      const pod = spec.jobTemplate.spec.template.spec;
      assert.strictEqual(pod.securityContext.runAsNonRoot, true);
      assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault");
      for (const c of [...pod.initContainers, ...pod.containers]) {
        assert.match(c.image, /:v\d+\.\d+\.\d+$/);
        assert.ok(c.resources.requests && c.resources.limits, c.name);
        assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
        assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false);
        assert.deepStrictEqual(c.securityContext.capabilities.drop, ["ALL"]);
      }
      assert.deepStrictEqual(pod.containers[0].args.slice(0, 2), ["restore", "create"]);
      assert.ok(pod.containers[0].args.includes("dr-canary:dr-drill-scratch"));
      // The canary holds a volume, so each drill also restores volume data through the data mover.
      const claim = named(run, "dr-canary-data");
      assert.strictEqual(inputs(claim).spec.storageClassName, "gp3-encrypted");
      assert.strictEqual(claim.options.protect, true);
      const canary = inputs(named(run, "dr-restore-canary")).spec.template.spec;
      assert.deepStrictEqual(canary.volumes[0].persistentVolumeClaim, { claimName: "canary-data" });
      assert.deepStrictEqual(canary.containers[0].readinessProbe.exec.command, [
        "test",
        "-s",
        "/data/marker",
      ]);
      const scratchRole = inputs(named(run, "dr-drill-scratch-role"));
      assert.deepStrictEqual(scratchRole.rules[0].resourceNames, ["dr-drill-scratch"]);

      const [rule] = drOf(run, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
      const alerts = inputs(rule).spec.groups.flatMap((g: Props) => g.rules);
      const stale = alerts.find((a: Props) => a.alert === "RestoreDrillStale");
      assert.match(
        stale.expr,
        /velero_restore_success_total\{namespace="velero",schedule="daily"\}\[8d\]/,
      );
      for (const a of alerts) assert.deepStrictEqual(promqlSyntaxErrors(a.expr), [], a.alert);
    });

    it("exports the DR posture: peer region, objectives and schedules", () => {
      const posture = run.outputs.disasterRecovery as Props;
      assert.strictEqual(posture.region, expected.region);
      assert.strictEqual(posture.peerRegion, expected.peer);
      assert.deepStrictEqual(posture.objectives, {
        databaseRpoMinutes: 5,
        objectStorageRpoMinutes: 15,
        clusterStateRpoHours: 1,
        rtoMinutes: 30,
      });
      assert.deepStrictEqual(
        posture.schedules.map((s: Props) => [s.name, s.retentionDays]),
        [
          ["daily", 14],
          ["weekly", 56],
          ["monthly", 365],
        ],
      );
      assert.strictEqual(posture.databases[0].replicaIdentifier, `platform-${stack}-postgres-dr`);
      assert.match(posture.awsBackup.peerVaultArn, new RegExp(`^arn:aws:backup:${expected.peer}:`));
      assert.match(
        posture.databases[0].automatedBackupsReplicationArn,
        new RegExp(`^arn:aws:rds:${expected.peer}:123456789012:auto-backup:ab-`),
      );
      assert.match(posture.failover.healthCheckId, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    });

    it("leaves no data store uncovered and raises no mandatory violation in DR (compiled policy pack)", async function () {
      this.timeout(180_000);
      const results = await policyResults(run, stack);
      const coverage = results.filter((r) => r.policy === "dr-stateful-resources-covered");
      assert.deepStrictEqual(
        coverage.map((r) => `${r.urn}: ${r.message}`),
        [],
      );
      const mandatory = results.filter((r) => r.level === "mandatory");
      const dr = run.resources.filter((r) => r.urn.includes(DR));
      assert.deepStrictEqual(resultsOn(mandatory, dr), []);
    });
  });
}

describe("disaster recovery with the backups-only opt-in", function () {
  it("replicates automated backups but builds no replica", async function () {
    this.timeout(120_000);
    const run = await runStack({
      stack: "prod-us-west-2",
      overrides: {
        "platform:environment": "staging",
        "platform:drDatabaseStrategy": "backups-only",
      },
    });
    assert.strictEqual(drOf(run, "aws:rds/instance:Instance").length, 0);
    assert.strictEqual(
      drOf(run, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")
        .length,
      1,
    );
    const posture = run.outputs.disasterRecovery as Props;
    assert.strictEqual(posture.databaseStrategy, "backups-only");
    assert.strictEqual(posture.databases[0].replicaIdentifier, undefined);
  });
});

describe("disaster recovery on a first preview (every computed output unknown)", function () {
  it("still finds every data store covered, by dependency rather than by value", async function () {
    this.timeout(180_000);
    const stack = "prod-us-west-2";
    const run = await runStack({ stack, firstDeploy: true });
    const resources = toAnalyzerResources(run.resources, stack, readStackFile(stack).config);
    const replication = resources.find((r) => r.name === "dr-assets-replication")!;
    assert.ok(replication.propertyDependencies?.rules?.length, "replica linked by dependency");
    const session = await packSession();
    await session.configure(readPolicyConfig(PACK_DIR, stack).config);
    try {
      const coverage = (await session.analyzeStack(resources)).filter(
        (r) => r.policy === "dr-stateful-resources-covered",
      );
      assert.deepStrictEqual(
        coverage.map((r) => r.message),
        [],
      );
    } finally {
      await session.configure({});
    }
  });
});
