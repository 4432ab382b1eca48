import * as assert from "assert";
import { Problems } from "@platform/core";
import { creationRolePolicy, lifecyclePolicy, registryPolicy, repositoryPolicy } from "./documents";
import { checkRegistry, checkRepositoryNames, RegistrySettings } from "./validation";

const NODES = ["arn:aws:iam::111122223333:role/nodes"];
const KEY = "arn:aws:kms:us-west-2:111122223333:key/abc";

describe("registry documents", () => {
  it("expires untagged images after N days, then keeps the last N tagged releases", () => {
    const { rules } = JSON.parse(lifecyclePolicy({ keepReleases: 30, untaggedExpiryDays: 7 }));
    assert.deepStrictEqual(
      rules.map((r: { rulePriority: number; selection: Record<string, unknown> }) => [
        r.rulePriority,
        r.selection.tagStatus,
        r.selection.countType,
        r.selection.countNumber,
      ]),
      [
        [1, "untagged", "sinceImagePushed", 7],
        [2, "any", "imageCountMoreThan", 30],
      ],
    );
  });

  it("lets only the named roles pull from a repository", () => {
    const [statement] = repositoryPolicy(NODES).Statement;
    assert.deepStrictEqual(statement.Principal, { AWS: NODES });
    assert.deepStrictEqual(statement.Action, [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
    ]);
  });

  it("scopes cache filling to the cache prefixes", () => {
    const [statement] = registryPolicy("111122223333", "us-west-2", NODES, ["quay"]).Statement;
    assert.deepStrictEqual(statement.Resource, [
      "arn:aws:ecr:us-west-2:111122223333:repository/quay/*",
    ]);
  });

  it("scopes the creation role to the template prefixes and the registry key", () => {
    const [ecr, kms] = creationRolePolicy(
      "111122223333",
      "us-west-2",
      ["k8s", "platform"],
      KEY,
    ).Statement;
    assert.deepStrictEqual(ecr.Resource, [
      "arn:aws:ecr:us-west-2:111122223333:repository/k8s/*",
      "arn:aws:ecr:us-west-2:111122223333:repository/platform/*",
    ]);
    assert.strictEqual(kms.Resource, KEY);
  });
});

describe("registry validation", () => {
  const good: RegistrySettings = {
    repositoryPrefix: "platform",
    repositories: ["payments", "apps/api"],
    keepReleases: 30,
    untaggedExpiryDays: 7,
  };
  const problemsOf = (change: Partial<RegistrySettings>) => {
    const problems = new Problems();
    checkRegistry(problems, { ...good, ...change }, (f) => `args.${f}`);
    return problems.list.map((p) => `${p.path}: ${String(p.received)}`);
  };
  const cases: [string, Partial<RegistrySettings>, string[]][] = [
    ["valid settings", {}, []],
    [
      "an upper-case repository",
      { repositories: ["Payments"] },
      ["args.repositories[0]: Payments"],
    ],
    ["a duplicate repository", { repositories: ["a", "a"] }, ["args.repositories: a"]],
    [
      "a cache prefix as own prefix",
      { repositoryPrefix: "docker-hub" },
      ["args.repositoryPrefix: docker-hub"],
    ],
    [
      "the mirror prefix as own prefix",
      { repositoryPrefix: "mirror" },
      ["args.repositoryPrefix: mirror"],
    ],
    ["no release kept", { keepReleases: 0 }, ["args.keepReleases: 0"]],
    ["untagged kept for two years", { untaggedExpiryDays: 730 }, ["args.untaggedExpiryDays: 730"]],
  ];
  for (const [what, change, expected] of cases)
    it(`${expected.length ? "rejects" : "accepts"} ${what}`, () =>
      assert.deepStrictEqual(problemsOf(change), expected));
});

describe("mirror repository names", () => {
  const problemsOf = (names: string[]) => {
    const problems = new Problems();
    checkRepositoryNames(problems, names, "args.mirroredRepositories");
    return problems.list.map((p) => `${p.path}: ${String(p.received)}`);
  };
  it("accepts upstream repository paths", () =>
    assert.deepStrictEqual(problemsOf(["nvidia/k8s/dcgm-exporter"]), []));
  it("rejects a name ECR refuses and a repeated one", () =>
    assert.deepStrictEqual(problemsOf(["nvcr.io/Nvidia", "a", "a"]), [
      "args.mirroredRepositories[0]: nvcr.io/Nvidia",
      "args.mirroredRepositories: a",
    ]));
});
