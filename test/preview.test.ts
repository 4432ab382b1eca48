/**
 * The offline preview end to end: each case runs `node tools/preview/cli.js` as a child process,
 * as `npm run preview` does, and checks its exit code and output.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DOC as ARCHITECTURE_DOC, diagramsInDoc } from "../tools/preview/architecture-doc";
import { renderDiagram } from "../tools/preview/diagram";
import { checkFlowchart } from "../tools/preview/mermaid-check";
import { TEST_TODAY } from "../tools/testing";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "tools", "preview", "cli.js");
const FIXTURES = path.join("test", "fixtures");
const FIXTURE_PACK = path.join(FIXTURES, "policy-pack");
const VIOLATION = [
  "--config-file",
  path.join(FIXTURES, "Pulumi.violation.yaml"),
  "--program",
  path.join(FIXTURES, "violation-program.ts"),
  "--policy-pack",
  FIXTURE_PACK,
];
/** The ciphertext of the fixture's `secure:` value, and the text the placeholder starts with. */
const CIPHERTEXT = "FIXTURECIPHERTEXT";
const PLACEHOLDER = "[secret placeholder for";

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function preview(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function json<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

interface Resource {
  urn: string;
  type: string;
  name: string;
  provider: string | null;
  custom: boolean;
  protect: boolean;
  inputs: Record<string, unknown>;
  unknownInputs: string[];
}
interface Violation {
  policy: string;
  level: string;
  urn: string;
  message: string;
}
interface Report {
  stack: string;
  messages: { severity: string; message: string }[];
  region: string;
  mode: string;
  resources: Resource[];
  policies: {
    pack: string;
    evaluated: { name: string; level: string }[];
    violations: Violation[];
    notRun: { policy: string; urn: string; reason: string }[];
  };
  cost: unknown;
  deployTime: { seconds: number; criticalPath: { urn: string; type: string; seconds: number }[] };
  diagram?: string;
  comparison?: {
    diff: {
      create: number;
      update: number;
      replace: number;
      delete: number;
      protectedAtRisk: string[];
      changes: {
        urn: string;
        kind: string;
        protect: boolean;
        properties: { path: string; before: string; after: string }[];
      }[];
    };
    updateTime: { seconds: number };
  };
  timings: { programMs: number; policyMs: number; totalMs: number };
}

function ofType(report: Report, type: string): Resource[] {
  return report.resources.filter((r) => r.type === type);
}

function mandatory(report: Report): string {
  return report.policies.violations
    .filter((v) => v.level === "mandatory")
    .map((v) => `${v.policy} on ${v.urn}: ${v.message}`)
    .join("\n");
}

function assertNoSecret(run: CliRun): void {
  for (const text of [run.stdout, run.stderr]) {
    assert.ok(!text.includes(CIPHERTEXT), "a secure: ciphertext was printed");
  }
}

describe("offline preview: committed stacks", function () {
  this.timeout(300_000);
  let all: CliRun;
  let reports: Report[];

  before(async () => {
    all = await preview(["--all", "--json", "--today", TEST_TODAY]);
    reports = json<{ stacks: Report[] }>(all).stacks ?? [];
  });

  it("previews every Pulumi.<stack>.yaml, primaries before their standbys, and exits 0 (no mandatory violation)", () => {
    assert.deepStrictEqual(
      reports.map((r) => r.stack),
      ["prod-eu-west-1", "prod-us-west-2", "prod-eu-central-1", "prod-us-east-1"],
    );
    const problems = reports
      .map((r) => mandatory(r))
      .filter(Boolean)
      .join("\n");
    assert.strictEqual(all.code, 0, `mandatory violations:\n${problems}\n${all.stderr}`);
  });

  for (const stack of ["prod-eu-west-1", "prod-us-west-2"]) {
    it(`${stack}: lists the network and cluster a region must have`, () => {
      const report = reports.find((r) => r.stack === stack) as Report;
      assert.ok(report, `no report for ${stack}`);
      assert.strictEqual(report.region, stack.replace(/^prod-/, ""));
      // The region's own network (the DR peer region has an isolated VPC of its own).
      const regional = (type: string) =>
        ofType(report, type).filter((r) => r.provider?.endsWith(`::aws-${report.region}`));
      assert.strictEqual(regional("aws:ec2/vpc:Vpc").length, 1);
      assert.strictEqual(regional("aws:ec2/natGateway:NatGateway").length, 3);
      assert.strictEqual(ofType(report, "eks:index:Cluster").length, 1);
      assert.deepStrictEqual(
        ofType(report, "aws:eks/nodeGroup:NodeGroup")
          .map((r) => r.name)
          .sort(),
        ["cluster-system", "cluster-workloads"],
      );
      const addons = ofType(report, "aws:eks/addon:Addon").map((r) => r.inputs.addonName);
      for (const addon of [
        "vpc-cni",
        "coredns",
        "kube-proxy",
        "aws-ebs-csi-driver",
        "eks-pod-identity-agent",
      ]) {
        assert.ok(addons.includes(addon), `add-on ${addon} missing (have ${addons.join(", ")})`);
      }
      // Every AWS resource names the stack's explicit regional provider.
      for (const r of report.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
        assert.match(r.provider ?? "", /::pulumi:providers:aws::aws-[a-z]+-[a-z]+-\d$/, r.urn);
      }
      for (const key of ofType(report, "aws:kms/key:Key")) assert.strictEqual(key.protect, true);
      assert.ok(report.policies.evaluated.length > 0, "no policy evaluated");
      assert.strictEqual(report.cost === null || typeof report.cost === "object", true);
    });
  }

  for (const stack of ["prod-us-west-2", "prod-eu-west-1"]) {
    it(`${stack}: estimates a first deploy, its critical path running through the slow resources`, () => {
      const report = reports.find((r) => r.stack === stack) as Report;
      const path = report.deployTime.criticalPath;
      assert.ok(path.length > 0, "no critical path");
      // The path ends when the deploy does, and holds at least one resource of 10 minutes or more
      // (an EKS cluster, an RDS instance, a node group or a replication group).
      const slow = path.filter((s) => s.seconds >= 600).map((s) => s.type);
      assert.ok(slow.length > 0, JSON.stringify(path));
      assert.ok(report.deployTime.seconds >= path.reduce((n, s) => n + s.seconds, 0) - 1);
    });
  }

  it("docs/architecture.md shows each stack's diagram as the program draws it today", () => {
    const documented = diagramsInDoc(fs.readFileSync(ARCHITECTURE_DOC, "utf8"));
    assert.deepStrictEqual([...documented.keys()].sort(), reports.map((r) => r.stack).sort());
    for (const report of reports) {
      const current = renderDiagram(report.resources as never, { region: report.region });
      assert.strictEqual(
        documented.get(report.stack),
        current,
        `the diagram of ${report.stack} changed: run npm run docs:architecture`,
      );
      assert.deepStrictEqual(checkFlowchart(current), []);
    }
  });

  it("--diagram prints Mermaid that parses, with the platform's components and both regions", async () => {
    const run = await preview(["--stack", "prod-us-west-2", "--diagram", "--today", TEST_TODAY]);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(run.stdout, /\nDeploy time \(estimate of a first `pulumi up`\): \d/);
    const diagram = /```mermaid\n([\s\S]*?)\n```/.exec(run.stdout)?.[1] ?? "";
    assert.deepStrictEqual(checkFlowchart(diagram), []);
    for (const node of [
      "cluster_us_west_2",
      "data_us_west_2",
      "observability_us_west_2",
      "dr_us_west_2",
      "dr_us_east_1",
      "cost_controls_us_west_2",
    ]) {
      assert.match(diagram, new RegExp(`\\n\\s+${node}\\["`), `${node} missing`);
    }
    assert.match(diagram, /subgraph region_us_west_2\["us-west-2 \(this stack's region\)"\]/);
    assert.match(diagram, /subgraph region_us_east_1\["us-east-1 \(peer region\)"\]/);
    assert.match(diagram, /data_us_west_2 -\.->\|"RDS backup replication"\| dr_us_east_1/);
    assert.match(diagram, /users -->\|"HTTPS"\|/);
  });

  it("gives the same resources for a stack run alone as for it run second in --all", async () => {
    // --all runs the stacks one after another in one process: the runtime's global state must
    // not leak from the first stack into the second.
    const alone = json<Report>(
      await preview(["--stack", "prod-us-west-2", "--json", "--today", TEST_TODAY]),
    );
    const second = reports.find((r) => r.stack === "prod-us-west-2") as Report;
    assert.strictEqual(reports.indexOf(second), 1);
    assert.deepStrictEqual(alone.resources, second.resources);
    assert.deepStrictEqual(alone.policies.violations, second.policies.violations);
  });

  it("prints the tree by component, the policy summary, the cost line and timings", async () => {
    const run = await preview(["--stack", "prod-us-west-2", "--today", TEST_TODAY]);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.match(run.stdout, /^Stack prod-us-west-2 \(us-west-2, account \d{12}\): \d+ resources/);
    assert.match(run.stdout, /\n {4}network {2}platform:cluster:Network {2}\(\d+ resources\)\n/);
    assert.match(run.stdout, /\n +3 aws:ec2\/natGateway:NatGateway\n/);
    assert.match(run.stdout, /\n +1 eks:index:Cluster {2}\[remote component\]\n/);
    assert.match(run.stdout, /\nPolicies: \S+@\S+: \d+ policies, \d+ mandatory and \d+ advisory/);
    assert.match(run.stdout, /\nCost: /);
    assert.match(
      run.stdout,
      /\nTimings: loading [\d.]+ s, program [\d.]+ s, policies [\d.]+ s, total/,
    );
  });

  it("--first-deploy sends cloud-computed values to the pack as unknowns and marks them", async () => {
    const run = await preview([
      "--stack",
      "prod-us-west-2",
      "--first-deploy",
      "--json",
      "--today",
      TEST_TODAY,
    ]);
    const report = json<Report>(run);
    assert.strictEqual(report.mode, "first-deploy");
    assert.notStrictEqual(run.code, 2, run.stderr);
    const subnet = ofType(report, "aws:ec2/subnet:Subnet")[0];
    assert.ok(subnet.unknownInputs.includes("vpcId"), JSON.stringify(subnet.unknownInputs));
    assert.strictEqual(subnet.inputs.vpcId, "(known after deploy)");
  });
});

describe("offline preview: failures, violations and secrets", function () {
  this.timeout(180_000);

  it("exits 2 on a broken config file and names every bad key, without a stack trace", async () => {
    const run = await preview([
      "--config-file",
      path.join(FIXTURES, "Pulumi.broken.yaml"),
      "--policy-pack",
      FIXTURE_PACK,
      "--today",
      TEST_TODAY,
    ]);
    assert.strictEqual(run.code, 2, run.stdout + run.stderr);
    assert.strictEqual(run.stdout, "");
    assert.match(run.stderr, /aws:region must be an AWS region .*\(got "us-west-9"\)/);
    assert.match(
      run.stderr,
      /platform:vpcCidrr must be a known key: did you mean platform:vpcCidr\?/,
    );
    assert.match(run.stderr, /platform:owner must be set/);
    assert.match(run.stderr, /Pulumi\.broken\.yaml/);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
  });

  it("exits 2 on an unexpected program error and says where it was thrown", async () => {
    const run = await preview([
      "--config-file",
      path.join(FIXTURES, "Pulumi.violation.yaml"),
      "--program",
      path.join(FIXTURES, "failing-program.ts"),
      "--policy-pack",
      FIXTURE_PACK,
    ]);
    assert.strictEqual(run.code, 2);
    assert.match(run.stderr, /the program failed: component broken cannot be built/);
    assert.match(run.stderr, /in: test\/fixtures\/failing-program\.ts \(Broken\)/);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
  });

  it("exits 2 on a bad policy config and names the policy and the key", async () => {
    const run = await preview([
      ...VIOLATION,
      "--policy-config",
      path.join(FIXTURES, "policy-config-bad.json"),
    ]);
    assert.strictEqual(run.code, 2);
    assert.match(run.stderr, /no-such-policy must name a policy of the pack/);
    assert.match(run.stderr, /fixture-no-world-ssh\.enforcementLevel must be one of/);
  });

  it("exits 2 on an unknown stack and lists the stacks there are", async () => {
    const run = await preview(["--stack", "prod-mars-1", "--policy-pack", FIXTURE_PACK]);
    assert.strictEqual(run.code, 2);
    assert.match(
      run.stderr,
      /^error: no stack config file \S+Pulumi\.prod-mars-1\.yaml \(stacks: prod-eu-central-1, prod-eu-west-1, prod-us-east-1, prod-us-west-2\)\n$/,
    );
  });

  it("exits 2 with the usage on a bad command line", async () => {
    const run = await preview(["--stack"]);
    assert.strictEqual(run.code, 2);
    assert.match(run.stderr, /--stack needs a value/);
    assert.match(run.stderr, /Usage: npm run preview/);
  });

  it("exits 1 on a mandatory violation and reports it in the JSON", async () => {
    const run = await preview([...VIOLATION, "--json"]);
    const report = json<Report>(run);
    assert.strictEqual(run.code, 1, run.stderr);
    const ssh = report.policies.violations.filter((v) => v.policy === "fixture-no-world-ssh");
    assert.deepStrictEqual(ssh, [
      {
        policy: "fixture-no-world-ssh",
        level: "mandatory",
        severity: "",
        urn: "urn:pulumi:violation::platform::aws:ec2/securityGroup:SecurityGroup::bastion",
        message: "Security group must not open port 22 to 0.0.0.0/0; use SSM Session Manager.",
      },
    ]);
    assert.deepStrictEqual(report.policies.notRun, []);
    // What the program logs is part of the report, never loose on stdout.
    assert.deepStrictEqual(report.messages, [
      { severity: "warning", message: "the bastion's SSH port is open to the world" },
    ]);
    assert.deepStrictEqual(
      report.policies.evaluated.map((p) => p.name),
      ["fixture-no-world-ssh", "fixture-subnet-vpc-id", "fixture-stack-has-vpc"],
    );
    // The secret reaches the program as a placeholder and is printed as [secret], never in clear.
    const parameter = ofType(report, "aws:ssm/parameter:Parameter")[0];
    assert.strictEqual(parameter.inputs.value, "[secret]");
    assert.strictEqual(parameter.protect, true);
    assertNoSecret(run);
    assert.ok(!run.stdout.includes(PLACEHOLDER), "a secret placeholder was printed in clear");
  });

  it("--first-deploy lists the policies that could not run on unknown values", async () => {
    const run = await preview([...VIOLATION, "--first-deploy", "--json"]);
    const report = json<Report>(run);
    assert.strictEqual(run.code, 1, run.stderr);
    assert.deepStrictEqual(report.policies.notRun, [
      {
        policy: "fixture-subnet-vpc-id",
        urn: "urn:pulumi:violation::platform::aws:ec2/subnet:Subnet::subnet",
        reason: "string value at .vpcId can't be known during preview",
      },
    ]);
    const subnet = ofType(report, "aws:ec2/subnet:Subnet")[0];
    assert.deepStrictEqual(subnet.unknownInputs, ["vpcId"]);
    assert.strictEqual(subnet.inputs.vpcId, "(known after deploy)");
    assertNoSecret(run);

    const text = await preview([...VIOLATION, "--first-deploy"]);
    assert.match(
      text.stdout,
      /Could not run during preview[^\n]*\n {4}fixture-subnet-vpc-id: subnet\n/,
    );
  });

  it("--markdown prints a pull-request comment with every violation", async () => {
    const run = await preview([...VIOLATION, "--markdown"]);
    assert.strictEqual(run.code, 1);
    assert.match(run.stdout, /^### :x: Offline preview of `violation` \(us-west-2\)/);
    assert.match(
      run.stdout,
      /\| mandatory \| `fixture-no-world-ssh` \| `bastion \(aws:ec2\/securityGroup:SecurityGroup\)` \| Security group must not open port 22/,
    );
    assertNoSecret(run);
    assert.ok(!run.stdout.includes(PLACEHOLDER));
  });

  it("flags a secret config value that reaches a plaintext input, and still never prints the secret", async () => {
    const run = await preview([
      "--config-file",
      path.join(FIXTURES, "Pulumi.leak.yaml"),
      "--program",
      path.join(FIXTURES, "violation-program.ts"),
      "--policy-pack",
      FIXTURE_PACK,
      "--json",
    ]);
    const report = json<Report>(run);
    assert.strictEqual(run.code, 1);
    const leaks = report.policies.violations.filter(
      (v) => v.policy === "preview-secret-in-plaintext",
    );
    assert.strictEqual(leaks.length, 1);
    assert.strictEqual(
      leaks[0].urn,
      "urn:pulumi:leak::platform::aws:ssm/parameter:Parameter::api-token",
    );
    assert.match(leaks[0].message, /fixture:apiToken .* input description holds it in plaintext/);
    assertNoSecret(run);
  });

  describe("--compare against two copies of the program", () => {
    const original = fs.readFileSync(path.join(ROOT, FIXTURES, "violation-program.ts"), "utf8");
    const AUDIT_BUCKET =
      '  new aws.s3.Bucket("audit-logs", { bucket: "audit-logs" }, { provider, protect: true });\n';
    const withBucket = original.replace("  return {", `${AUDIT_BUCKET}  return {`);
    // Copies live under node_modules/.cache, so they resolve the project's packages.
    const dir = path.join(ROOT, "node_modules", ".cache", "preview-compare-test");
    let baseFile = "";
    const copy = (name: string, text: string) => {
      const file = path.join(dir, `${name}.ts`);
      fs.writeFileSync(file, text);
      return file;
    };
    const run = (program: string, format: string[], compare?: string) =>
      preview([
        "--config-file",
        path.join(FIXTURES, "Pulumi.violation.yaml"),
        "--program",
        program,
        "--policy-pack",
        FIXTURE_PACK,
        ...format,
        ...(compare ? ["--compare", compare] : []),
      ]);

    before(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const base = await run(copy("base", withBucket), ["--json"]);
      baseFile = path.join(dir, "base.json");
      fs.writeFileSync(baseFile, JSON.stringify(json<Report>(base)));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("one changed input of one resource is exactly one update with that path", async () => {
      const changed = withBucket.replace(
        '{ cidrBlock: "10.99.0.0/16" }',
        '{ cidrBlock: "10.99.0.0/16", enableDnsHostnames: true }',
      );
      assert.notStrictEqual(changed, withBucket);
      const report = json<Report>(await run(copy("update", changed), ["--json"], baseFile));
      const diff = report.comparison!.diff;
      assert.deepStrictEqual(
        diff.changes.map((c) => [c.kind, c.urn, c.properties]),
        [
          [
            "update",
            "urn:pulumi:violation::platform::aws:ec2/vpc:Vpc::vpc",
            [{ path: "enableDnsHostnames", before: "nothing", after: "true", replaces: false }],
          ],
        ],
      );
      assert.deepStrictEqual([diff.create, diff.update, diff.replace, diff.delete], [0, 1, 0, 0]);
    });

    it("removing a protected bucket is a protected delete, called out first and in red", async () => {
      const program = copy("removed", original);
      const report = json<Report>(await run(program, ["--json"], baseFile));
      const bucket = "urn:pulumi:violation::platform::aws:s3/bucket:Bucket::audit-logs";
      assert.deepStrictEqual(report.comparison!.diff.protectedAtRisk, [bucket]);
      assert.deepStrictEqual(
        report.comparison!.diff.changes.map((c) => [c.kind, c.urn, c.protect]),
        [["delete", bucket, true]],
      );
      const markdown = (await run(program, ["--markdown"], baseFile)).stdout;
      const caution = markdown.indexOf("> [!CAUTION]");
      assert.ok(caution > 0 && caution < markdown.indexOf("| Resources |"), markdown);
      assert.match(
        markdown,
        /> Protected resource would be deleted: audit-logs \(aws:s3\/bucket:Bucket\)/,
      );
      assert.match(
        markdown,
        /```diff\n- delete {2}audit-logs \(aws:s3\/bucket:Bucket\) {2}\[PROTECTED\]/,
      );
    });

    it("adding a resource is one create", async () => {
      const added = withBucket.replace(
        "  return {",
        '  new aws.sqs.Queue("jobs", { sqsManagedSseEnabled: true }, { provider });\n  return {',
      );
      const report = json<Report>(await run(copy("added", added), ["--json"], baseFile));
      const diff = report.comparison!.diff;
      assert.deepStrictEqual(
        diff.changes.map((c) => [c.kind, c.urn]),
        [["create", "urn:pulumi:violation::platform::aws:sqs/queue:Queue::jobs"]],
      );
      assert.ok(report.comparison!.updateTime.seconds > 0);
    });
  });
});

describe("offline preview: malformed stack configs", function () {
  const MARKER = "pl41ntext-MARKER";
  const BASE = fs.readFileSync(path.join(ROOT, "Pulumi.prod-us-west-2.yaml"), "utf8");
  /** Sets a key of the committed stack file (replacing its value, list items included). */
  const set = (key: string, value: string) => (text: string) => {
    const existing = new RegExp(`^  ${key}:.*\\n(    - .*\\n)*`, "m");
    const line = `  ${key}: ${value}\n`;
    return existing.test(text)
      ? text.replace(existing, line)
      : text.replace("config:\n", `config:\n${line}`);
  };
  // [case, mutation of the stack file, a fragment the message must contain (the key, at least)]
  const cases: [string, (text: string) => string, string][] = [
    [
      "an instance type EC2 does not have",
      set("platform:systemInstanceTypes", "[bogus.huge]"),
      "platform:systemInstanceTypes must contain EC2 instance types that exist",
    ],
    [
      "a PostgreSQL class RDS does not have",
      set("platform:postgresInstanceClass", "db.bogus.large"),
      "platform:postgresInstanceClass must be an RDS for PostgreSQL instance class",
    ],
    [
      "a cache node type ElastiCache does not have",
      set("platform:cacheNodeType", "cache.bogus.large"),
      "platform:cacheNodeType must be an ElastiCache node type",
    ],
    [
      "a plaintext secret under a misspelt secret key",
      set("platform:alertSmtpPasword", MARKER),
      "platform:alertSmtpPasword must be a known key",
    ],
    [
      "a plaintext secret under a secret key",
      set("platform:alertSmtpPassword", MARKER),
      "platform:alertSmtpPassword must be stored encrypted",
    ],
    [
      "a huge integer",
      set("platform:prometheusRetentionDays", "100000000000000000000000"),
      '(got "100000000000000000000000")',
    ],
    ["a 5,400-character value", set("platform:costCenter", "x".repeat(5400)), "(5402 characters)"],
    ["a YAML syntax error", set("platform:vpcCidr", "[10.0.0.0/16"), "left open is on line"],
    [
      "a region that does not exist",
      set("aws:region", "us-west-9"),
      'aws:region must be an AWS region such as "us-west-2" (got "us-west-9")',
    ],
    [
      "a string where a number belongs",
      set("platform:prometheusReplicas", "two"),
      "platform:prometheusReplicas must be a whole number",
    ],
    [
      "a list where a string belongs",
      set("platform:drRegion", "[us-east-1]"),
      "platform:drRegion must",
    ],
    ["a malformed CIDR", set("platform:vpcCidr", "10.10.0.0/33"), "platform:vpcCidr must"],
    [
      "a time zone that does not exist",
      set("platform:offHoursTimeZone", "Mars/Base"),
      "platform:offHoursTimeZone must be an IANA time zone",
    ],
  ];
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "malformed-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  cases.forEach(([name, mutate, expected], i) => {
    it(`exits 2 on ${name}, naming the key, with no stack trace and no secret`, async () => {
      const file = path.join(dir, `Pulumi.case-${i}.yaml`);
      fs.writeFileSync(file, mutate(BASE));
      const run = await preview([
        "--stack",
        "prod-us-west-2",
        "--config-file",
        file,
        "--policy-pack",
        FIXTURE_PACK,
        "--today",
        TEST_TODAY,
      ]);
      const output = run.stdout + run.stderr;
      assert.strictEqual(run.code, 2, output);
      assert.ok(output.includes(expected), `expected "${expected}" in:\n${output}`);
      assert.doesNotMatch(output, /^\s+at /m);
      assert.ok(!output.includes(MARKER), output);
    });
  });
});
