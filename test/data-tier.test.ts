import * as assert from "assert";
import { displayValue, RecordedResource, SECRET_SIG, SIG_KEY } from "../tools/mock-engine";
import { named, ofType, runStack, StackRun } from "../tools/testing";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;
const inputs = (r: RecordedResource) => r.inputs as Wire;
const isWireSecret = (v: unknown) =>
  typeof v === "object" && v !== null && (v as Wire)[SIG_KEY] === SECRET_SIG;
const ACCOUNT = "123456789012";

const STACKS = {
  "prod-us-west-2": { region: "us-west-2", dbUsers: ["ledger", "web"] },
  "prod-eu-west-1": { region: "eu-west-1", dbUsers: ["ledger"] },
} as const;

for (const [stack, expected] of Object.entries(STACKS)) {
  const prefix = `platform-${stack}`;
  describe(`data tier of ${stack}`, function () {
    let run: StackRun;
    let children: RecordedResource[];
    const ofMine = (type: string) => children.filter((r) => r.type === type);
    const idOf = (name: string) => named(run, name).id!;
    const typed = (type: string, name: string) => {
      const found = ofMine(type).filter((r) => r.name === name);
      assert.strictEqual(found.length, 1, `${type} ${name}`);
      return found[0];
    };

    before(async () => {
      run = await runStack({ stack });
      const component = ofType(run, "platform:data:DataTier");
      assert.strictEqual(component.length, 1);
      children = run.resources.filter((r) => r.urn.includes("platform:data:DataTier$"));
    });

    const keyArn = () => {
      const key = named(run, "data-key");
      return `arn:aws:kms:${expected.region}:${ACCOUNT}:key/${key.id}`;
    };
    const isolatedSubnets = () => run.outputs.isolatedSubnetIds as string[];
    const nodeSecurityGroup = () => `sg-0${Buffer.from(prefix).toString("hex").slice(0, 16)}`; // the mocked EKS cluster security group

    it("creates every child under the component with the regional provider", () => {
      const counts: Record<string, number> = {};
      for (const r of children) counts[r.type] = (counts[r.type] ?? 0) + 1;
      const consumers = expected.dbUsers.length;
      assert.deepStrictEqual(
        {
          key: counts["aws:kms/key:Key"],
          instances: counts["aws:rds/instance:Instance"],
          proxies: counts["aws:rds/proxy:Proxy"],
          proxyTargets: counts["aws:rds/proxyTarget:ProxyTarget"],
          groups: counts["aws:elasticache/replicationGroup:ReplicationGroup"],
          buckets: counts["aws:s3/bucket:Bucket"],
          securityGroups: counts["aws:ec2/securityGroup:SecurityGroup"],
          logGroups: counts["aws:cloudwatch/logGroup:LogGroup"],
          roles: counts["aws:iam/role:Role"],
        },
        {
          key: 1,
          instances: 3,
          proxies: 1,
          proxyTargets: 1,
          groups: 1,
          buckets: 3,
          // PostgreSQL, the proxy, the cache, the EFS mount targets, the two rotation functions
          securityGroups: 6,
          // 2 per DB instance, the proxy's, 2 for the cache, the two rotation functions'
          logGroups: 3 * 2 + 1 + 2 + 2,
          // monitoring, proxy, the two rotation functions, one per consumer
          roles: 4 + consumers,
        },
      );
      const dataProvider = named(run, "data-key").provider!;
      assert.ok(dataProvider.includes(`aws-${expected.region}`));
      for (const r of children.filter((c) => c.custom)) {
        if (r.type.startsWith("aws:")) assert.strictEqual(r.provider, dataProvider, r.urn);
      }
    });

    it("runs a Multi-AZ, encrypted, IAM-authenticated, private PostgreSQL primary", () => {
      const primary = named(run, "data-postgres");
      const p = inputs(primary);
      assert.strictEqual(p.identifier, `${prefix}-postgres`);
      assert.strictEqual(p.engine, "postgres");
      assert.strictEqual(p.engineVersion, "18");
      assert.strictEqual(p.multiAz, true);
      assert.strictEqual(p.storageType, "gp3");
      assert.strictEqual(p.allocatedStorage, 100);
      assert.strictEqual(p.maxAllocatedStorage, 1000);
      assert.strictEqual(p.storageEncrypted, true);
      assert.strictEqual(p.kmsKeyId, keyArn());
      assert.strictEqual(p.manageMasterUserPassword, true);
      assert.strictEqual(p.masterUserSecretKmsKeyId, keyArn());
      assert.ok(!("password" in p) && !("passwordWo" in p), "no password in inputs or state");
      assert.strictEqual(p.iamDatabaseAuthenticationEnabled, true);
      assert.strictEqual(p.publiclyAccessible, false);
      assert.strictEqual(p.performanceInsightsEnabled, true);
      assert.strictEqual(p.performanceInsightsKmsKeyId, keyArn());
      assert.strictEqual(p.monitoringInterval, 15);
      assert.match(
        p.monitoringRoleArn,
        /^arn:aws:iam::123456789012:role\/data-postgres-monitoring/,
      );
      assert.deepStrictEqual(p.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
      assert.strictEqual(p.caCertIdentifier, "rds-ca-rsa2048-g1");
      assert.deepStrictEqual(p.vpcSecurityGroupIds, [idOf("data-postgres-sg")]);
      assert.strictEqual(p.dbSubnetGroupName, `${prefix}-postgres-isolated`);
      assert.deepStrictEqual(
        inputs(named(run, "data-postgres-subnets")).subnetIds,
        isolatedSubnets(),
      );
      assert.strictEqual(isolatedSubnets().length, 3);
    });

    it("keeps PostgreSQL data: 14-day backups, deletion protection, final snapshot, protect", () => {
      const p = inputs(named(run, "data-postgres"));
      assert.strictEqual(p.backupRetentionPeriod, 14);
      assert.strictEqual(p.deletionProtection, true);
      assert.strictEqual(p.skipFinalSnapshot, false);
      assert.strictEqual(p.finalSnapshotIdentifier, `${prefix}-postgres-final`);
      assert.strictEqual(p.deleteAutomatedBackups, false);
      assert.strictEqual(p.copyTagsToSnapshot, true);
      assert.strictEqual(named(run, "data-postgres").options.protect, true);
    });

    it("adds two protected, encrypted read replicas of the primary in the same region", () => {
      const replicas = ofMine("aws:rds/instance:Instance").filter(
        (r) => inputs(r).replicateSourceDb !== undefined,
      );
      assert.deepStrictEqual(
        replicas.map((r) => inputs(r).identifier),
        [`${prefix}-postgres-replica-1`, `${prefix}-postgres-replica-2`],
      );
      for (const r of replicas) {
        const i = inputs(r);
        assert.strictEqual(i.replicateSourceDb, `${prefix}-postgres`);
        assert.strictEqual(r.options.protect, true);
        assert.strictEqual(i.deletionProtection, true);
        // RDS cannot snapshot a replica on deletion; the primary's snapshots hold the data.
        assert.strictEqual(i.skipFinalSnapshot, true);
        assert.strictEqual(i.storageEncrypted, true);
        assert.strictEqual(i.kmsKeyId, keyArn());
        assert.strictEqual(i.iamDatabaseAuthenticationEnabled, true);
        assert.strictEqual(i.publiclyAccessible, false);
        assert.deepStrictEqual(i.vpcSecurityGroupIds, [idOf("data-postgres-sg")]);
        assert.ok(!("dbSubnetGroupName" in i), "a same-region replica inherits the isolated group");
      }
    });

    it("forces TLS and logs slow statements through the parameter group", () => {
      const group = inputs(named(run, "data-postgres-params"));
      assert.strictEqual(group.family, "postgres18");
      const params = Object.fromEntries((group.parameters as Wire[]).map((p) => [p.name, p.value]));
      assert.strictEqual(params["rds.force_ssl"], "1");
      assert.strictEqual(params["log_min_duration_statement"], "500");
      assert.strictEqual(
        inputs(named(run, "data-postgres")).parameterGroupName,
        idOf("data-postgres-params"),
      );
    });

    it("gives enhanced monitoring a role only RDS monitoring of this account assumes", () => {
      const role = inputs(typed("aws:iam/role:Role", "data-postgres-monitoring"));
      assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "monitoring.rds.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ]);
      const attachment = typed(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "data-postgres-monitoring",
      );
      assert.strictEqual(
        inputs(attachment).policyArn,
        "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
      );
    });

    it("fronts the primary with an RDS Proxy that requires TLS and end-to-end IAM auth", () => {
      const proxy = inputs(named(run, "data-proxy"));
      assert.strictEqual(proxy.name, `${prefix}-postgres-proxy`);
      assert.strictEqual(proxy.engineFamily, "POSTGRESQL");
      assert.strictEqual(proxy.requireTls, true);
      assert.strictEqual(proxy.defaultAuthScheme, "IAM_AUTH");
      assert.ok(!("auths" in proxy), "no stored credentials");
      assert.deepStrictEqual(proxy.vpcSubnetIds, isolatedSubnets());
      assert.deepStrictEqual(proxy.vpcSecurityGroupIds, [idOf("data-proxy-sg")]);
      assert.strictEqual(proxy.debugLogging, false);
      const target = inputs(named(run, "data-proxy-primary"));
      assert.strictEqual(target.dbInstanceIdentifier, `${prefix}-postgres`);
      assert.strictEqual(target.targetGroupName, "default");

      const role = inputs(typed("aws:iam/role:Role", "data-proxy-role"));
      assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement[0].Principal, {
        Service: "rds.amazonaws.com",
      });
      const policy = typed("aws:iam/rolePolicy:RolePolicy", "data-proxy-role");
      const statements = JSON.parse(inputs(policy).policy).Statement as Wire[];
      assert.strictEqual(statements.length, 1);
      assert.strictEqual(statements[0].Action, "rds-db:connect");
      assert.deepStrictEqual(
        statements[0].Resource.map((arn: string) => arn.split("/").pop()),
        [...expected.dbUsers].sort(),
      );
      for (const arn of statements[0].Resource as string[]) {
        assert.match(
          arn,
          new RegExp(`^arn:aws:rds-db:${expected.region}:${ACCOUNT}:dbuser:db-[A-Z0-9]+/`),
        );
      }
    });

    it("admits 5432 and 6379 only from the cluster's nodes (and the proxy), with no other rule", () => {
      const node = nodeSecurityGroup();
      const sg = {
        postgres: idOf("data-postgres-sg"),
        proxy: idOf("data-proxy-sg"),
        cache: idOf("data-cache-sg"),
        rotation: idOf("data-postgres-user-rotation-sg"),
        cacheRotation: idOf("data-cache-auth-rotation-sg"),
      };
      const describe = (r: RecordedResource) => {
        const i = inputs(r);
        if (
          [
            "data-postgres-user-rotation-to-secrets-manager",
            "data-cache-auth-rotation-to-aws-apis",
          ].includes(r.name)
        ) {
          // Secrets Manager's API through NAT: HTTPS out, no prefix list exists to narrow it.
          return `out ${i.securityGroupId} ${i.ipProtocol} ${i.fromPort}-${i.toPort} ${i.cidrIpv4}`;
        }
        assert.ok(!("cidrIpv4" in i) && !("cidrIpv6" in i) && !("prefixListId" in i), r.name);
        return `${r.type.endsWith("IngressRule") ? "in" : "out"} ${i.securityGroupId} ${i.ipProtocol} ${i.fromPort}-${i.toPort} ${i.referencedSecurityGroupId}`;
      };
      const rules = [
        ...ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        ...ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
      ]
        .filter((r) => Object.values(sg).includes(inputs(r).securityGroupId))
        .map(describe)
        .sort();
      assert.deepStrictEqual(
        rules,
        [
          `in ${sg.postgres} tcp 5432-5432 ${node}`,
          `in ${sg.postgres} tcp 5432-5432 ${sg.proxy}`,
          `in ${sg.proxy} tcp 5432-5432 ${node}`,
          `out ${sg.proxy} tcp 5432-5432 ${sg.postgres}`,
          `in ${sg.postgres} tcp 5432-5432 ${sg.rotation}`,
          `out ${sg.rotation} tcp 5432-5432 ${sg.postgres}`,
          `out ${sg.rotation} tcp 443-443 0.0.0.0/0`,
          `out ${sg.cacheRotation} tcp 443-443 0.0.0.0/0`,
          `in ${sg.cache} tcp 6379-6379 ${node}`,
        ].sort(),
      );
      assert.deepStrictEqual(
        ["data-postgres-sg", "data-proxy-sg", "data-cache-sg"].map(
          (name) => inputs(named(run, name)).tags.Name,
        ),
        [`${prefix}-postgres`, `${prefix}-postgres-proxy`, `${prefix}-cache`],
      );
      for (const name of ["data-postgres-sg", "data-proxy-sg", "data-cache-sg"]) {
        const group = inputs(named(run, name));
        assert.ok(
          !("ingress" in group) || group.ingress.length === 0,
          `${name} has inline ingress`,
        );
        assert.ok(!("egress" in group) || group.egress.length === 0, `${name} has inline egress`);
      }
    });

    it("runs Valkey in cluster mode, 3 shards x 2 replicas, encrypted, authenticated, failing over", () => {
      const group = named(run, "data-cache");
      const g = inputs(group);
      assert.strictEqual(group.options.protect, true);
      assert.strictEqual(g.replicationGroupId, `${prefix}-cache`);
      assert.strictEqual(g.engine, "valkey");
      assert.strictEqual(g.engineVersion, "8.2");
      assert.strictEqual(g.clusterMode, "enabled");
      assert.strictEqual(g.numNodeGroups, 3);
      assert.strictEqual(g.replicasPerNodeGroup, 2);
      assert.strictEqual(g.port, 6379);
      assert.strictEqual(g.atRestEncryptionEnabled, true);
      assert.strictEqual(g.kmsKeyId, keyArn());
      assert.strictEqual(g.transitEncryptionEnabled, true);
      assert.strictEqual(g.transitEncryptionMode, "required");
      assert.ok(isWireSecret(g.authToken), "the AUTH token reaches the engine only as a secret");
      assert.strictEqual(g.automaticFailoverEnabled, true);
      assert.strictEqual(g.multiAzEnabled, true);
      assert.strictEqual(g.snapshotRetentionLimit, 7);
      assert.strictEqual(g.finalSnapshotIdentifier, `${prefix}-cache-final`);
      assert.deepStrictEqual(g.securityGroupIds, [idOf("data-cache-sg")]);
      assert.deepStrictEqual(inputs(named(run, "data-cache-subnets")).subnetIds, isolatedSubnets());
      const params = inputs(named(run, "data-cache-params"));
      assert.strictEqual(params.family, "valkey8");
      assert.deepStrictEqual(params.parameters, [{ name: "cluster-enabled", value: "yes" }]);
      assert.deepStrictEqual(
        (g.logDeliveryConfigurations as Wire[]).map((c) => [c.logType, c.destination]),
        [
          ["slow-log", `/aws/elasticache/${prefix}-cache/slow-log`],
          ["engine-log", `/aws/elasticache/${prefix}-cache/engine-log`],
        ],
      );
    });

    it("rotates the AUTH token every 30 days with ROTATE, through a least-privilege function", () => {
      const group = named(run, "data-cache");
      assert.strictEqual(inputs(group).authTokenUpdateStrategy, "ROTATE");
      assert.deepStrictEqual(
        group.options.ignoreChanges,
        ["authToken"],
        "an up never reverts a rotation",
      );
      const version = typed(
        "aws:secretsmanager/secretVersion:SecretVersion",
        "data-cache-auth-token",
      );
      assert.deepStrictEqual(version.options.ignoreChanges, ["secretString", "versionStages"]);
      const secret = typed("aws:secretsmanager/secret:Secret", "data-cache-auth-token");
      const rotation = typed(
        "aws:secretsmanager/secretRotation:SecretRotation",
        "data-cache-auth-token",
      );
      assert.deepStrictEqual(rotation.propertyDependencies.secretId, [secret.urn]);
      assert.deepStrictEqual(inputs(rotation).rotationRules, { automaticallyAfterDays: 30 });
      const fn = typed("aws:lambda/function:Function", "data-cache-auth-rotation");
      assert.deepStrictEqual(rotation.propertyDependencies.rotationLambdaArn, [fn.urn]);
      const f = inputs(fn);
      assert.strictEqual(f.runtime, "nodejs22.x");
      assert.strictEqual(f.handler, "index.handler");
      assert.strictEqual(f.timeout, 900);
      assert.strictEqual(f.reservedConcurrentExecutions, 1);
      assert.deepStrictEqual(f.environment.variables, { REPLICATION_GROUP_ID: `${prefix}-cache` });
      assert.strictEqual(
        f.loggingConfig.logGroup,
        `/aws/lambda/${prefix}-cache-auth-token-rotation`,
      );
      const invoke = inputs(typed("aws:lambda/permission:Permission", "data-cache-auth-rotation"));
      assert.strictEqual(invoke.principal, "secretsmanager.amazonaws.com");
      assert.strictEqual(invoke.sourceAccount, ACCOUNT);
      const policy = JSON.parse(
        inputs(typed("aws:iam/rolePolicy:RolePolicy", "data-cache-auth-rotation")).policy,
      );
      const bySid = Object.fromEntries(policy.Statement.map((st: Wire) => [st.Sid, st]));
      assert.deepStrictEqual(Object.keys(bySid).sort(), [
        "ChangeTheReplicationGroupsToken",
        "RotateTheAuthTokenSecret",
        "UseTheDataKeyForThatSecretOnly",
        "WriteItsLogs",
      ]);
      assert.strictEqual(
        bySid.ChangeTheReplicationGroupsToken.Resource,
        `arn:aws:elasticache:${expected.region}:${ACCOUNT}:replicationgroup:${prefix}-cache`,
      );
      assert.strictEqual(bySid.UseTheDataKeyForThatSecretOnly.Resource, keyArn());
      assert.strictEqual(
        bySid.UseTheDataKeyForThatSecretOnly.Condition.StringEquals["kms:ViaService"],
        `secretsmanager.${expected.region}.amazonaws.com`,
      );
      for (const st of policy.Statement) {
        assert.ok(![st.Resource].flat().includes("*"), `${st.Sid} names its resources`);
      }
    });

    it("keeps Grafana's password user in an encrypted secret, rotated with alternating users in the VPC", () => {
      const userSecretArns = run.outputs.postgresUserSecretArns as Record<string, string>;
      const secret = typed("aws:secretsmanager/secret:Secret", "data-postgres-user-grafana");
      assert.strictEqual(inputs(secret).name, `${prefix}/postgres/users/grafana`);
      assert.strictEqual(inputs(secret).kmsKeyId, keyArn());
      assert.strictEqual(secret.options.protect, true);
      const version = typed(
        "aws:secretsmanager/secretVersion:SecretVersion",
        "data-postgres-user-grafana",
      );
      assert.deepStrictEqual(version.options.ignoreChanges, ["secretString", "versionStages"]);
      assert.ok(isWireSecret(inputs(version).secretString));
      const value = JSON.parse((inputs(version).secretString as Wire).value);
      assert.deepStrictEqual(
        [value.engine, value.port, value.dbname, value.username, value.password.length],
        ["postgres", 5432, "grafana", "grafana", 40],
      );
      assert.strictEqual(value.masterarn, run.outputs.postgresMasterSecretArn);
      assert.match(value.password, /^[A-Za-z0-9]{40}$/);
      const leaks = run.resources.filter((r) =>
        JSON.stringify(displayValue(r.inputs)).includes(value.password),
      );
      assert.deepStrictEqual(
        leaks.map((r) => r.urn),
        [],
      );

      const rotation = typed(
        "aws:secretsmanager/secretRotation:SecretRotation",
        "data-postgres-user-grafana",
      );
      assert.deepStrictEqual(rotation.propertyDependencies.secretId, [secret.urn]);
      assert.deepStrictEqual(inputs(rotation).rotationRules, { automaticallyAfterDays: 30 });
      const fn = typed("aws:lambda/function:Function", "data-postgres-user-rotation");
      assert.deepStrictEqual(rotation.propertyDependencies.rotationLambdaArn, [fn.urn]);
      const f = inputs(fn);
      assert.strictEqual(f.runtime, "nodejs22.x");
      assert.strictEqual(f.reservedConcurrentExecutions, 1);
      assert.deepStrictEqual(f.vpcConfig.securityGroupIds, [
        idOf("data-postgres-user-rotation-sg"),
      ]);
      assert.deepStrictEqual(f.vpcConfig.subnetIds, run.outputs.privateSubnetIds);
      assert.strictEqual(f.loggingConfig.logGroup, `/aws/lambda/${prefix}-postgres-user-rotation`);
      const invoke = inputs(
        typed("aws:lambda/permission:Permission", "data-postgres-user-grafana-rotation"),
      );
      assert.strictEqual(invoke.principal, "secretsmanager.amazonaws.com");
      assert.strictEqual(invoke.sourceArn, userSecretArns.grafana);
      assert.strictEqual(invoke.sourceAccount, ACCOUNT);

      const policy = JSON.parse(
        inputs(typed("aws:iam/rolePolicy:RolePolicy", "data-postgres-user-rotation")).policy,
      );
      const bySid = Object.fromEntries(policy.Statement.map((st: Wire) => [st.Sid, st]));
      assert.deepStrictEqual(bySid.RotateTheUsersSecrets.Resource, [userSecretArns.grafana]);
      assert.strictEqual(bySid.ReadTheMasterSecret.Resource, run.outputs.postgresMasterSecretArn);
      assert.deepStrictEqual(bySid.ReadTheMasterSecret.Action, "secretsmanager:GetSecretValue");
      assert.deepStrictEqual(
        bySid.UseTheDataKeyForThoseSecretsOnly.Condition.StringEquals[
          "kms:EncryptionContext:SecretARN"
        ],
        [userSecretArns.grafana, run.outputs.postgresMasterSecretArn],
      );
      for (const st of policy.Statement) {
        assert.ok(![st.Resource].flat().includes("*"), `${st.Sid} names its resources`);
      }
      const attachment = inputs(
        typed(
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
          "data-postgres-user-rotation-vpc",
        ),
      );
      assert.strictEqual(
        attachment.policyArn,
        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
      );
    });

    it("runs each rotation function in the VPC, traced, alone, logging JSON to its own encrypted group", () => {
      for (const id of ["data-cache-auth-rotation", "data-postgres-user-rotation"]) {
        const f = inputs(typed("aws:lambda/function:Function", id));
        assert.deepStrictEqual(f.tracingConfig, { mode: "Active" }, id);
        // Both in the private subnets, each behind its own security group.
        assert.deepStrictEqual(f.vpcConfig.subnetIds, run.outputs.privateSubnetIds, id);
        assert.deepStrictEqual(f.vpcConfig.securityGroupIds, [idOf(`${id}-sg`)], id);
        assert.strictEqual(f.reservedConcurrentExecutions, 1, id);
        assert.strictEqual(f.loggingConfig.logFormat, "JSON", id);
        const xray = inputs(
          typed("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${id}-xray`),
        );
        assert.strictEqual(xray.policyArn, "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
        assert.strictEqual(xray.role, inputs(typed("aws:iam/rolePolicy:RolePolicy", id)).role, id);
      }
    });

    it("keeps the AUTH token only in an encrypted secret, never in plaintext", () => {
      const secret = inputs(typed("aws:secretsmanager/secret:Secret", "data-cache-auth-token"));
      const version = typed(
        "aws:secretsmanager/secretVersion:SecretVersion",
        "data-cache-auth-token",
      );
      assert.strictEqual(secret.kmsKeyId, keyArn());
      assert.strictEqual(
        typed("aws:secretsmanager/secret:Secret", "data-cache-auth-token").options.protect,
        true,
      );
      assert.ok(isWireSecret(inputs(version).secretString));
      const token = (inputs(version).secretString as Wire).value as string;
      assert.strictEqual(token.length, 64);
      // With every secret masked, the token appears nowhere.
      const leaks = run.resources.filter((r) =>
        JSON.stringify(displayValue(r.inputs)).includes(token),
      );
      assert.deepStrictEqual(
        leaks.map((r) => r.urn),
        [],
      );
      assert.ok(!JSON.stringify(run.outputs).includes(token), "no stack output carries the token");
    });

    it("writes every log into a group with retention and the logs key", () => {
      for (const group of ofMine("aws:cloudwatch/logGroup:LogGroup")) {
        assert.strictEqual(inputs(group).retentionInDays, 365, group.name);
        assert.match(inputs(group).kmsKeyId, /^arn:aws:kms:/, group.name);
      }
      assert.deepStrictEqual(
        ofMine("aws:cloudwatch/logGroup:LogGroup")
          .map((g) => inputs(g).name)
          .filter((n: string) => n.startsWith("/aws/rds/instance/"))
          .sort(),
        [`${prefix}-postgres`, `${prefix}-postgres-replica-1`, `${prefix}-postgres-replica-2`]
          .flatMap((id) => [
            `/aws/rds/instance/${id}/postgresql`,
            `/aws/rds/instance/${id}/upgrade`,
          ])
          .sort(),
      );
    });

    it("protects three private, versioned, TLS-only buckets with lifecycle tiering and access logs", () => {
      const buckets = ofMine("aws:s3/bucket:Bucket");
      assert.deepStrictEqual(
        buckets.map((b) => inputs(b).bucket).sort(),
        ["access-logs", "assets", "backups"].map((role) => `${prefix}-${role}-${ACCOUNT}`),
      );
      const logBucket = `${prefix}-access-logs-${ACCOUNT}`;
      for (const bucket of buckets) {
        const role = bucket.name.replace("data-", "");
        const physical = inputs(bucket).bucket as string;
        const of = (type: string) => {
          // Configuration resources are named after their bucket: <bucket>-<part>.
          const found = ofMine(type).filter((r) => r.name.startsWith(`${bucket.name}-`));
          assert.strictEqual(found.length, 1, `${type} of ${bucket.name}`);
          return inputs(found[0]);
        };
        assert.strictEqual(bucket.options.protect, true);
        assert.ok(inputs(bucket).forceDestroy !== true);
        const block = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        for (const flag of [
          "blockPublicAcls",
          "blockPublicPolicy",
          "ignorePublicAcls",
          "restrictPublicBuckets",
        ])
          assert.strictEqual(block[flag], true, `${flag} of ${role}`);
        assert.strictEqual(
          of("aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule.objectOwnership,
          "BucketOwnerEnforced",
        );
        assert.strictEqual(
          of("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration.status,
          "Enabled",
        );
        const sse = of(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        ).rules[0];
        if (role === "access-logs") {
          // S3 server access log delivery supports only SSE-S3 on the destination bucket.
          assert.deepStrictEqual(sse.applyServerSideEncryptionByDefault, {
            sseAlgorithm: "AES256",
          });
        } else {
          assert.deepStrictEqual(sse.applyServerSideEncryptionByDefault, {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: keyArn(),
          });
          assert.strictEqual(sse.bucketKeyEnabled, true);
          const logging = of("aws:s3/bucketLogging:BucketLogging");
          assert.strictEqual(logging.targetBucket, logBucket);
          assert.strictEqual(logging.targetPrefix, `${role}/`);
        }
        const policy = JSON.parse(of("aws:s3/bucketPolicy:BucketPolicy").policy);
        assert.deepStrictEqual(policy.Statement[0], {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${physical}`, `arn:aws:s3:::${physical}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        const rule = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
          .rules[0];
        assert.deepStrictEqual(
          rule.transitions.map((t: Wire) => [t.days, t.storageClass]),
          [
            [30, "STANDARD_IA"],
            [90, "GLACIER"],
            [365, "DEEP_ARCHIVE"],
          ],
        );
        assert.strictEqual(rule.noncurrentVersionExpiration.noncurrentDays, 90);
        assert.strictEqual(rule.abortIncompleteMultipartUpload.daysAfterInitiation, 7);
      }
      assert.strictEqual(
        ofMine("aws:s3/bucketLogging:BucketLogging").length,
        2,
        "the log bucket does not log into itself",
      );
      const logArn = `arn:aws:s3:::${logBucket}`;
      const logPolicy = JSON.parse(
        inputs(typed("aws:s3/bucketPolicy:BucketPolicy", "data-access-logs-policy")).policy,
      );
      assert.deepStrictEqual(logPolicy.Statement[1], {
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${logArn}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      });
      // Velero's and the telemetry buckets, in the same region, log here too.
      const regionalTargets = ofType(run, "aws:s3/bucketLogging:BucketLogging")
        .filter((l) => /::(dr-velero|observability-(loki|tempo)-bucket)-access-logs$/.test(l.urn))
        .map((l) => inputs(l).targetBucket);
      assert.deepStrictEqual(regionalTargets, [logBucket, logBucket, logBucket]);
    });

    it("lets only labelled pods of consumer namespaces reach the isolated subnets on 5432 and 6379", () => {
      const policies = ofMine("kubernetes:networking.k8s.io/v1:NetworkPolicy");
      const namespaces = stack === "prod-us-west-2" ? ["apps", "payments"] : ["payments"];
      assert.deepStrictEqual(
        policies.map((p) => inputs(p).metadata.namespace),
        namespaces,
      );
      const cidrs = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((subnet) => subnet.urn.includes("platform:cluster:Network$"))
        .filter((subnet) => inputs(subnet).tags["platform:tier"] === "isolated")
        .map((subnet) => inputs(subnet).cidrBlock);
      assert.strictEqual(cidrs.length, 3);
      const namespaceUrn = (ns: string) =>
        ofType(run, "kubernetes:core/v1:Namespace").find((n) => inputs(n).metadata.name === ns)!
          .urn;
      for (const policy of policies) {
        const i = inputs(policy);
        assert.strictEqual(i.metadata.name, "allow-data-tier-egress");
        assert.deepStrictEqual(i.spec, {
          podSelector: { matchLabels: { "platform/data-tier-client": "true" } },
          policyTypes: ["Egress"],
          egress: [
            {
              to: cidrs.map((cidr) => ({ ipBlock: { cidr } })),
              ports: [
                { protocol: "TCP", port: 5432 },
                { protocol: "TCP", port: 6379 },
              ],
            },
          ],
        });
        assert.ok(policy.provider?.includes("cluster-k8s"), "the cluster's Kubernetes provider");
        assert.ok(
          policy.dependencies.includes(namespaceUrn(i.metadata.namespace)),
          "created after its namespace",
        );
      }
    });

    it("protects a rotating data key", () => {
      const key = named(run, "data-key");
      assert.strictEqual(key.options.protect, true);
      assert.strictEqual(inputs(key).enableKeyRotation, true);
      assert.strictEqual(inputs(key).deletionWindowInDays, 30);
    });

    it("gives each consumer an IRSA role scoped to its service account, DB user and prefix", () => {
      const roles = ofMine("aws:iam/role:Role").filter(
        (r) => r.name.startsWith("data-") && /-(apps|payments)-/.test(r.name),
      );
      assert.strictEqual(roles.length, expected.dbUsers.length);
      const ledger = named(run, "data-payments-ledger-api");
      const trust = JSON.parse(inputs(ledger).assumeRolePolicy).Statement[0];
      assert.strictEqual(trust.Action, "sts:AssumeRoleWithWebIdentity");
      const conditions = trust.Condition.StringEquals as Record<string, string>;
      assert.ok(
        Object.entries(conditions).some(
          ([k, v]) => k.endsWith(":sub") && v === "system:serviceaccount:payments:ledger-api",
        ),
      );
      const policy = JSON.parse(
        inputs(typed("aws:iam/rolePolicy:RolePolicy", "data-payments-ledger-api-policy")).policy,
      );
      const bySid = Object.fromEntries((policy.Statement as Wire[]).map((s) => [s.Sid, s]));
      assert.deepStrictEqual(Object.keys(bySid), [
        "ConnectAsOwnDatabaseUser",
        "ListOwnPrefix",
        "ReadWriteOwnPrefix",
        "UseBucketKeyThroughS3",
        "ReadCacheAuthToken",
        "DecryptCacheAuthTokenThroughSecretsManager",
      ]);
      const connect = bySid.ConnectAsOwnDatabaseUser.Resource as string[];
      assert.strictEqual(connect.length, 3, "the proxy and the two replicas");
      assert.match(
        connect[0],
        new RegExp(`^arn:aws:rds-db:${expected.region}:${ACCOUNT}:dbuser:prx-[0-9a-f]+/ledger$`),
      );
      assert.ok(connect.slice(1).every((arn) => /:dbuser:db-[A-Z0-9]+\/ledger$/.test(arn)));
      assert.strictEqual(
        bySid.ReadWriteOwnPrefix.Resource,
        `arn:aws:s3:::${prefix}-assets-${ACCOUNT}/ledger/*`,
      );
      assert.strictEqual(bySid.UseBucketKeyThroughS3.Resource, keyArn());
      assert.ok(!JSON.stringify(policy).includes('"*"'), "no wildcard grants");
    });

    it("shares files on an encrypted, TLS-only, backed-up EFS file system, mounted in every zone", () => {
      const fs = inputs(named(run, "data-files"));
      assert.strictEqual(fs.encrypted, true);
      assert.strictEqual(fs.kmsKeyId, keyArn());
      assert.strictEqual(fs.tags["platform:backup"], "true");
      assert.strictEqual(named(run, "data-files").options.protect, true);
      const mounts = ofType(run, "aws:efs/mountTarget:MountTarget").map(inputs);
      assert.strictEqual(mounts.length, 3);
      const sg = named(run, "data-efs-sg").id;
      assert.ok(mounts.every((m) => m.securityGroups[0] === sg));
      const nfs = inputs(named(run, "data-efs-from-client-0"));
      assert.deepStrictEqual(
        [nfs.fromPort, nfs.toPort, nfs.referencedSecurityGroupId],
        [2049, 2049, nodeSecurityGroup()],
      );
      const policy = JSON.parse(inputs(named(run, "data-files-policy")).policy);
      assert.deepStrictEqual(policy.Statement[0].Condition, {
        Bool: { "aws:SecureTransport": "false" },
      });
      const sc = inputs(named(run, "data-efs-shared"));
      assert.strictEqual(sc.provisioner, "efs.csi.aws.com");
      assert.strictEqual(sc.parameters.provisioningMode, "efs-ap");
      assert.strictEqual(sc.parameters.fileSystemId, named(run, "data-files").id);
      assert.strictEqual(run.outputs.sharedStorageClassName, "efs-shared");
    });

    it("exports what DR, observability and workloads need", () => {
      const o = run.outputs;
      assert.strictEqual(o.postgresPrimaryIdentifier, `${prefix}-postgres`);
      assert.strictEqual(
        o.postgresPrimaryArn,
        `arn:aws:rds:${expected.region}:${ACCOUNT}:db:${prefix}-postgres`,
      );
      assert.deepStrictEqual(o.postgresReplicaIdentifiers, [
        `${prefix}-postgres-replica-1`,
        `${prefix}-postgres-replica-2`,
      ]);
      assert.strictEqual(o.cacheReplicationGroupId, `${prefix}-cache`);
      assert.strictEqual((o.cacheMemberClusters as string[]).length, 9);
      assert.strictEqual(o.dataKeyArn, keyArn());
      assert.strictEqual(o.backupsBucketName, `${prefix}-backups-${ACCOUNT}`);
      assert.strictEqual(o.assetsBucketArn, `arn:aws:s3:::${prefix}-assets-${ACCOUNT}`);
      assert.match(String(o.postgresMasterSecretArn), /^arn:aws:secretsmanager:/);
      assert.match(String(o.cacheAuthTokenSecretArn), /^arn:aws:secretsmanager:/);
      assert.match(String(o.postgresProxyEndpoint), /\.proxy-/);
      assert.deepStrictEqual(
        Object.keys(o.dataConsumerRoleArns as object).sort(),
        stack === "prod-us-west-2" ? ["apps/web", "payments/ledger-api"] : ["payments/ledger-api"],
      );
    });
  });
}

describe("data tier without the proxy", () => {
  it("drops the proxy and lets consumers connect to the primary directly", async () => {
    const run = await runStack({
      stack: "prod-eu-west-1",
      overrides: { "platform:postgresProxy": "false", "platform:postgresReadReplicas": "0" },
    });
    assert.strictEqual(ofType(run, "aws:rds/proxy:Proxy").length, 0);
    assert.deepStrictEqual(
      ofType(run, "aws:rds/instance:Instance")
        .filter((r) => r.urn.includes("platform:data:DataTier$"))
        .map((r) => r.name),
      ["data-postgres"],
    );
    const rules = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.name.startsWith("data-"),
    );
    assert.deepStrictEqual(rules.map((r) => r.name).sort(), [
      "data-cache-from-client-0",
      "data-efs-from-client-0",
      "data-postgres-from-client-0",
      "data-postgres-from-user-rotation",
    ]);
    const policy = JSON.parse(inputs(named(run, "data-payments-ledger-api-policy")).policy);
    assert.deepStrictEqual(
      policy.Statement[0].Resource.map((arn: string) => arn.replace(/db-[A-Z0-9]+/, "db-ID")),
      [`arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:db-ID/ledger`],
    );
  });
});

describe("data tier on a first preview", () => {
  it("registers every resource while cloud-computed values are still unknown", async () => {
    const run = await runStack({ stack: "prod-us-west-2", firstDeploy: true });
    const mine = run.resources.filter((r) => r.urn.includes("platform:data:DataTier$"));
    const count = (type: string) => mine.filter((r) => r.type === type).length;
    assert.strictEqual(count("aws:rds/instance:Instance"), 3);
    assert.strictEqual(count("aws:elasticache/replicationGroup:ReplicationGroup"), 1);
    assert.strictEqual(
      count("aws:iam/rolePolicy:RolePolicy"),
      5,
      "proxy, two consumers and the two rotation functions",
    );
    const group = mine.find((r) => r.name === "data-cache")!;
    assert.ok(
      !JSON.stringify(displayValue(group.inputs)).match(/[0-9a-f]{64}/),
      "no token in plaintext",
    );
  });
});
