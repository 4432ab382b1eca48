import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CHECKOV_SOURCES,
  collectCheckovChecks,
  compareCheckIds,
  controlPlaneComponentsIn,
  parseGraphCheck,
  parsePythonChecks,
} from "./checkov";
import { FILES, renderReadme } from "./generate";
import { parseModule, type ModuleLoader, type PythonModule } from "./python-source";
import { directoryTree } from "./source-tree";
import {
  buildCheckovTable,
  buildTrivyTable,
  coverage,
  misclaims,
  parsePolicyClaims,
  type PolicyClaim,
  type CheckovTable,
  type ResourceTypes,
  type TrivyTable,
} from "./tables";
import { parseTrivyCheck, terraformTypesOfExamples, TRIVY_SOURCES } from "./trivy";

// Samples below are excerpts of the pinned releases' files (Checkov 3.3.13, trivy-checks v2.2.0),
// trimmed to what the readers use.

const STAR_ACTION = `
class IAMStarActionPolicyDocument(BaseResourceCheck):
    def __init__(self) -> None:
        name = 'Ensure no IAM policies documents allow "*" as a statement\\'s actions'
        id = "CKV_AWS_63"
        supported_resources = (
            "aws_iam_role_policy",
            "aws_iam_user_policy",
            "aws_iam_group_policy",
            "aws_iam_policy",
            "aws_ssoadmin_permission_set_inline_policy",
        )
        categories = (CheckCategories.IAM,)
        super().__init__(name=name, id=id, categories=categories, supported_resources=supported_resources)

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        try:
            policy_block = None
            if "policy" in conf.keys():
                policy_block = extract_policy_dict(conf["policy"][0])
        except Exception:  # nosec
            pass
        return CheckResult.PASSED


check = IAMStarActionPolicyDocument()
`;

const CLOUDSPLAINING_BASE = `
class BaseTerraformCloudsplainingResourceIAMCheck(BaseResourceCheck, BaseTerraformCloudsplainingIAMScanner, ABC):
    def __init__(self, name: str, id: str) -> None:
        supported_resources = (
            "aws_iam_role_policy",
            "aws_iam_user_policy",
            "aws_iam_group_policy",
            "aws_iam_policy",
            "aws_ssoadmin_permission_set_inline_policy",
        )
        super().__init__(name=name, id=id, categories=(CheckCategories.IAM,), supported_resources=supported_resources)
`;

const PRIVILEGE_ESCALATION = `
from checkov.terraform.checks.resource.base_cloudsplaining_resource_iam_check import \\
    BaseTerraformCloudsplainingResourceIAMCheck


class ResourceCloudSplainingPrivilegeEscalation(BaseTerraformCloudsplainingResourceIAMCheck):
    def __init__(self) -> None:
        name = "Ensure IAM policies does not allow privilege escalation"
        id = "CKV_AWS_286"
        super().__init__(name=name, id=id)


check = ResourceCloudSplainingPrivilegeEscalation()
`;

const SG_INGRESS_BASE = `
class AbsSecurityGroupUnrestrictedIngress(BaseResourceCheck):
    def __init__(self, check_id: str, port: int) -> None:
        name = f"Ensure no security groups allow ingress from 0.0.0.0:0 to port {port}"
        supported_resources = ('aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule')
        categories = (CheckCategories.NETWORKING,)
        super().__init__(name=name, id=check_id, categories=categories, supported_resources=supported_resources)
        self.port = port
`;

const SG_INGRESS_ALL = `
from checkov.terraform.checks.resource.aws.AbsSecurityGroupUnrestrictedIngress import\\
    AbsSecurityGroupUnrestrictedIngress


class SecurityGroupUnrestrictedIngressAll(AbsSecurityGroupUnrestrictedIngress):
    def __init__(self):
        super().__init__(check_id="CKV_AWS_277", port=-1)


check = SecurityGroupUnrestrictedIngressAll()
`;

const NACL_BASE = `
class AbsNACLUnrestrictedIngress(BaseResourceCheck):
    def __init__(self, check_id, port):
        name = "Ensure no NACL allow ingress from 0.0.0.0:0 to port %d" % port
        supported_resources = ['aws_network_acl', 'aws_network_acl_rule']
        categories = [CheckCategories.NETWORKING]
        super().__init__(name=name, id=check_id, categories=categories, supported_resources=supported_resources)
`;

const NACL_20 = `
from checkov.terraform.checks.resource.aws.AbsNACLUnrestrictedIngress import AbsNACLUnrestrictedIngress


class NACLUnrestrictedIngress20(AbsNACLUnrestrictedIngress):
    def __init__(self):
        super().__init__(check_id="CKV_AWS_230", port=20)


check = NACLUnrestrictedIngress20()
`;

const K8S_CONTAINER_BASE = `
class BaseK8sContainerCheck(BaseK8Check):
    TEMPLATE_ENTITIES = (
        "Deployment",
        "DeploymentConfig",
        "DaemonSet",
        "Job",
        "ReplicaSet",
        "ReplicationController",
        "StatefulSet",
    )
    SUPPORTED_ENTITIES = (
        "CronJob",
        "Pod",
        "PodTemplate",
    ) + TEMPLATE_ENTITIES

    def __init__(
        self,
        name: str,
        id: str,
        categories: Optional[List[CheckCategories]] = None,
        supported_entities: Optional["Iterable[str]"] = None,
        supported_container_types: Optional["Iterable[str]"] = None,
        guideline: Optional[str] = None,
    ) -> None:
        categories = categories or [CheckCategories.KUBERNETES]
        supported_entities = supported_entities or BaseK8sContainerCheck.SUPPORTED_ENTITIES

        super().__init__(
            name=name,
            id=id,
            categories=categories,
            supported_entities=supported_entities,
            guideline=guideline,
        )
`;

const LIVENESS_PROBE = `
from checkov.kubernetes.checks.resource.base_container_check import BaseK8sContainerCheck


class LivenessProbe(BaseK8sContainerCheck):
    def __init__(self) -> None:
        name = "Liveness Probe Should be Configured"
        id = "CKV_K8S_8"
        # Location: container .livenessProbe
        # Don't check Job/CronJob
        supported_entities = [
            entity for entity in BaseK8sContainerCheck.SUPPORTED_ENTITIES if entity not in ("CronJob", "Job")
        ]
        # initContainers do not need Liveness Probes...
        supported_container_types = ["containers"]
        super().__init__(
            name=name, id=id, supported_entities=supported_entities, supported_container_types=supported_container_types
        )


check = LivenessProbe()
`;

const API_SERVER_ANONYMOUS_AUTH = `
from checkov.kubernetes.checks.resource.base_container_check import BaseK8sContainerCheck


class ApiServerAnonymousAuth(BaseK8sContainerCheck):
    def __init__(self) -> None:
        id = "CKV_K8S_68"
        name = "Ensure that the --anonymous-auth argument is set to false"
        super().__init__(name=name, id=id)

    def scan_container_conf(self, metadata: Dict[str, Any], conf: Dict[str, Any]) -> CheckResult:
        self.evaluated_container_keys = ["command"]
        if conf.get("command") is not None:
            if "kube-apiserver" in conf["command"]:
                if "--anonymous-auth=true" in conf["command"] or "--anonymous-auth=false" not in conf["command"]:
                    return CheckResult.FAILED

        return CheckResult.PASSED


check = ApiServerAnonymousAuth()
`;

const S3_BUCKET_LOGGING = `metadata:
  name: "Ensure the S3 bucket has access logging enabled"
  category: "LOGGING"
  id: "CKV_AWS_18"
definition:
  or:
    - cond_type: attribute
      resource_types:
        - aws_s3_bucket
      attribute: logging
      operator: exists
    - and:
      - cond_type: filter
        attribute: resource_type
        operator: within
        value:
          - aws_s3_bucket
      - cond_type: connection
        resource_types:
          - aws_s3_bucket
        connected_resource_types:
          - aws_s3_bucket_logging
        operator: exists
`;

const EFS_ADDED_BACKUP = `metadata:
  name: "Ensure that Elastic File System (Amazon EFS) file systems are added in the backup plans of AWS Backup"
  id: "CKV2_AWS_18"
  category: "BACKUP_AND_RECOVERY"
definition:
  and:
    - cond_type: connection
      resource_types:
        - aws_backup_selection
      connected_resource_types:
        - aws_efs_file_system
        - aws_backup_plan
      operator: exists
    - cond_type: filter
      attribute: resource_type
      value:
        - aws_efs_file_system
      operator: within`;

const BLOCK_PUBLIC_ACLS_REGO = `# METADATA
# title: S3 Access block should block public ACL
# description: |
#   S3 buckets should block public ACLs on buckets and any objects they contain. By blocking, PUTs with fail if the object has any public ACL a.
# scope: package
# schemas:
#   - input: schema["cloud"]
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
# custom:
#   id: AWS-0086
#   long_id: aws-s3-block-public-acls
#   aliases:
#     - AVD-AWS-0086
#     - block-public-acls
#     - aws-s3-block-public-acls
#   provider: aws
#   service: s3
#   severity: HIGH
#   recommended_action: Enable blocking any PUT calls with a public ACL specified
#   input:
#     selector:
#       - type: cloud
#         subtypes:
#           - service: s3
#             provider: aws
#   examples: checks/cloud/aws/s3/block_public_acls.yaml
package builtin.aws.s3.aws0086

import rego.v1
`;

const BLOCK_PUBLIC_ACLS_EXAMPLES = `cloudformation:
  good:
    - |-
      Resources:
        GoodExample:
          Type: AWS::S3::Bucket
terraform:
  links:
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block#block_public_acls
  good:
    - |-
      resource "aws_s3_bucket" "good_example" {
        bucket = "mybucket"
      }

      resource "aws_s3_bucket_public_access_block" "good_example" {
        bucket            = aws_s3_bucket.good_example.id
        block_public_acls = true
      }
  bad:
    - |-
      resource "aws_s3_bucket" "bad_example" {
        bucket = "mybucket"
      }
`;

const CPU_NOT_LIMITED_REGO = `# METADATA
# title: "CPU not limited"
# description: "Enforcing CPU limits prevents DoS via resource exhaustion."
# scope: package
# custom:
#   id: KSV-0011
#   long_id: kubernetes-limit-cpu
#   aliases:
#     - AVD-KSV-0011
#     - KSV011
#   severity: LOW
#   input:
#     selector:
#     - type: kubernetes
#       subtypes:
#         - kind: pod
#         - kind: deployment
#         - kind: cronjob
package builtin.kubernetes.KSV011
`;

const NO_POLICY_WILDCARDS_REGO = `# METADATA
# title: IAM policy should avoid use of wildcards and instead apply the principle of least privilege
# scope: package
# custom:
#   id: AWS-0057
#   aliases:
#     - AVD-AWS-0057
#   provider: aws
#   service: iam
#   severity: HIGH
#   deprecated: true
#   input:
#     selector:
#       - type: cloud
#         subtypes:
#           - service: iam
#             provider: aws
package builtin.aws.iam.aws0057
`;

/** A loader over in-memory modules, keyed by dotted module name. */
function loaderOf(modules: Record<string, string>): ModuleLoader {
  const parsed = new Map<string, PythonModule>(
    Object.entries(modules).map(([name, src]) => [name, parseModule(src)]),
  );
  return (name) => parsed.get(name);
}

const NO_MODULES = loaderOf({});

describe("scanner-checks: Checkov's Python checks", () => {
  it("reads id, name and a literal tuple of resource types, with escaped quotes in the name", () => {
    const [check] = parsePythonChecks(STAR_ACTION, "IAMStarActionPolicyDocument.py", NO_MODULES);
    assert.deepStrictEqual(check, {
      id: "CKV_AWS_63",
      name: `Ensure no IAM policies documents allow "*" as a statement's actions`,
      kind: "resource",
      supportedResources: [
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_policy",
        "aws_ssoadmin_permission_set_inline_policy",
      ],
      reportedResources: [
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_policy",
        "aws_ssoadmin_permission_set_inline_policy",
      ],
      connectedResources: [],
      controlPlaneComponents: [],
      file: "IAMStarActionPolicyDocument.py",
    });
  });

  it("inherits the resource types of a base class in another module, found through the import", () => {
    const load = loaderOf({
      "checkov.terraform.checks.resource.base_cloudsplaining_resource_iam_check":
        CLOUDSPLAINING_BASE,
    });
    const [check] = parsePythonChecks(PRIVILEGE_ESCALATION, "IAMPrivilegeEscalation.py", load);
    assert.strictEqual(check.id, "CKV_AWS_286");
    assert.strictEqual(check.name, "Ensure IAM policies does not allow privilege escalation");
    assert.ok(check.supportedResources.includes("aws_iam_role_policy"));
    assert.strictEqual(check.supportedResources.length, 5);
  });

  it("binds the subclass's keyword arguments in the base's f-string and %-formatted names", () => {
    const load = loaderOf({
      "checkov.terraform.checks.resource.aws.AbsSecurityGroupUnrestrictedIngress": SG_INGRESS_BASE,
      "checkov.terraform.checks.resource.aws.AbsNACLUnrestrictedIngress": NACL_BASE,
    });
    const [all] = parsePythonChecks(SG_INGRESS_ALL, "SecurityGroupUnrestrictedIngressAny.py", load);
    assert.strictEqual(all.id, "CKV_AWS_277");
    assert.strictEqual(
      all.name,
      "Ensure no security groups allow ingress from 0.0.0.0:0 to port -1",
    );
    assert.deepStrictEqual(all.supportedResources, [
      "aws_security_group",
      "aws_security_group_rule",
      "aws_vpc_security_group_ingress_rule",
    ]);
    const [nacl] = parsePythonChecks(NACL_20, "NetworkACLUnrestrictedIngress20.py", load);
    assert.strictEqual(nacl.name, "Ensure no NACL allow ingress from 0.0.0.0:0 to port 20");
    assert.deepStrictEqual(nacl.supportedResources, ["aws_network_acl", "aws_network_acl_rule"]);
  });

  it("evaluates a filtering list comprehension over a base class's concatenated constants", () => {
    const load = loaderOf({
      "checkov.kubernetes.checks.resource.base_container_check": K8S_CONTAINER_BASE,
    });
    const [probe] = parsePythonChecks(
      LIVENESS_PROBE,
      "checkov/kubernetes/x/LivenessProbe.py",
      load,
    );
    assert.deepStrictEqual(probe.supportedResources, [
      "Pod",
      "PodTemplate",
      "Deployment",
      "DeploymentConfig",
      "DaemonSet",
      "ReplicaSet",
      "ReplicationController",
      "StatefulSet",
    ]);
    assert.deepStrictEqual(probe.controlPlaneComponents, []);
  });

  it("gives a check that passes no kinds the base's default, and marks control-plane checks", () => {
    const load = loaderOf({
      "checkov.kubernetes.checks.resource.base_container_check": K8S_CONTAINER_BASE,
    });
    const file = "checkov/kubernetes/checks/resource/k8s/ApiServerAnonymousAuth.py";
    const [check] = parsePythonChecks(API_SERVER_ANONYMOUS_AUTH, file, load);
    assert.strictEqual(check.supportedResources.length, 10);
    assert.ok(check.supportedResources.includes("CronJob"));
    assert.deepStrictEqual(check.controlPlaneComponents, ["kube-apiserver"]);
    assert.deepStrictEqual(
      controlPlaneComponentsIn(`if conf.get("metadata", {}).get("name") == 'etcd':`),
      ["etcd"],
    );
  });

  it("skips abstract bases (no literal id) and fails on resource types it cannot evaluate", () => {
    assert.deepStrictEqual(
      parsePythonChecks(NACL_BASE, "AbsNACLUnrestrictedIngress.py", NO_MODULES),
      [],
    );
    const computed = `
class Computed(BaseResourceCheck):
    def __init__(self):
        name = "Ensure something"
        id = "CKV_AWS_9999"
        supported_resources = resource_types_of("aws")
        super().__init__(name=name, id=id, categories=[], supported_resources=supported_resources)
`;
    assert.throws(
      () => parsePythonChecks(computed, "Computed.py", NO_MODULES),
      /class Computed binds supported_resources.*cannot evaluate/,
    );
  });
});

describe("scanner-checks: Checkov's graph checks", () => {
  it("lists a connection's target apart from the types whose attributes the check reads", () => {
    const check = parseGraphCheck(S3_BUCKET_LOGGING, "S3BucketLogging.yaml");
    assert.strictEqual(check.id, "CKV_AWS_18");
    assert.strictEqual(check.name, "Ensure the S3 bucket has access logging enabled");
    assert.strictEqual(check.kind, "graph");
    assert.deepStrictEqual(check.supportedResources, ["aws_s3_bucket"]);
    assert.deepStrictEqual(check.reportedResources, ["aws_s3_bucket"]);
    assert.deepStrictEqual(check.connectedResources, ["aws_s3_bucket_logging"]);
  });

  it("reports on the types its filter selects", () => {
    const check = parseGraphCheck(EFS_ADDED_BACKUP, "EFSAddedBackup.yaml");
    assert.deepStrictEqual(check.supportedResources, ["aws_backup_selection"]);
    assert.deepStrictEqual(check.reportedResources, ["aws_efs_file_system"]);
    assert.deepStrictEqual(check.connectedResources, ["aws_backup_plan"]);
  });

  it("rejects a file without metadata id and name", () => {
    assert.throws(
      () => parseGraphCheck("definition: {}\n", "Broken.yaml"),
      /Broken.yaml: graph check/,
    );
  });
});

describe("scanner-checks: a Checkov source tree", () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "checkov-"));
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    for (const s of CHECKOV_SOURCES) fs.mkdirSync(path.join(root, s.dir), { recursive: true });
    write(
      "checkov/terraform/checks/resource/base_cloudsplaining_resource_iam_check.py",
      CLOUDSPLAINING_BASE,
    );
    write("checkov/terraform/checks/resource/aws/IAMPrivilegeEscalation.py", PRIVILEGE_ESCALATION);
    write("checkov/terraform/checks/resource/aws/IAMStarActionPolicyDocument.py", STAR_ACTION);
    write("checkov/terraform/checks/resource/aws/__init__.py", "");
    write("checkov/terraform/checks/graph_checks/aws/S3BucketLogging.yaml", S3_BUCKET_LOGGING);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("collects every check of the source directories, sorted by id", () => {
    const checks = collectCheckovChecks(directoryTree(root));
    assert.deepStrictEqual(
      checks.map((c) => [c.id, c.file]),
      [
        ["CKV_AWS_18", "checkov/terraform/checks/graph_checks/aws/S3BucketLogging.yaml"],
        ["CKV_AWS_63", "checkov/terraform/checks/resource/aws/IAMStarActionPolicyDocument.py"],
        ["CKV_AWS_286", "checkov/terraform/checks/resource/aws/IAMPrivilegeEscalation.py"],
      ],
    );
  });

  it("fails when two files define the same check id", () => {
    fs.writeFileSync(
      path.join(root, "checkov/terraform/checks/resource/aws/Copy.py"),
      STAR_ACTION.replace("IAMStarActionPolicyDocument", "Copy"),
    );
    assert.throws(() => collectCheckovChecks(directoryTree(root)), /CKV_AWS_63 is defined in both/);
  });

  it("orders ids by number within a family, CKV_ families before CKV2_", () => {
    const ids = ["CKV2_AWS_1", "CKV_AWS_100", "CKV_AWS_9", "CKV_K8S_2", "CKV2_K8S_1"];
    assert.deepStrictEqual([...ids].sort(compareCheckIds), [
      "CKV_AWS_9",
      "CKV_AWS_100",
      "CKV_K8S_2",
      "CKV2_AWS_1",
      "CKV2_K8S_1",
    ]);
  });
});

describe("scanner-checks: Trivy's checks", () => {
  it("reads the AVD id, service and the Terraform types of the examples", () => {
    const check = parseTrivyCheck(
      BLOCK_PUBLIC_ACLS_REGO,
      "block_public_acls.rego",
      BLOCK_PUBLIC_ACLS_EXAMPLES,
    );
    assert.deepStrictEqual(check, {
      avdId: "AVD-AWS-0086",
      id: "AWS-0086",
      title: "S3 Access block should block public ACL",
      provider: "aws",
      service: "s3",
      deprecated: false,
      terraformTypes: ["aws_s3_bucket", "aws_s3_bucket_public_access_block"],
      kinds: [],
      kindsFrom: "none",
      file: "block_public_acls.rego",
    });
    assert.deepStrictEqual(
      terraformTypesOfExamples(
        'terraform:\n  bad:\n    - \'data "aws_iam_policy_document" "x" {}\'\n',
      ),
      [],
    );
  });

  it("reads Kubernetes kinds from the input selector, and the deprecated flag", () => {
    const cpu = parseTrivyCheck(CPU_NOT_LIMITED_REGO, "CPU_not_limited.rego", undefined);
    assert.deepStrictEqual(
      [cpu?.avdId, cpu?.service, cpu?.kinds, cpu?.kindsFrom],
      ["AVD-KSV-0011", "kubernetes", ["pod", "deployment", "cronjob"], "selector"],
    );
    const wildcards = parseTrivyCheck(
      NO_POLICY_WILDCARDS_REGO,
      "no_policy_wildcards.rego",
      undefined,
    );
    assert.strictEqual(wildcards?.deprecated, true);
    assert.strictEqual(
      parseTrivyCheck("package lib.kubernetes\n", "kubernetes.rego", undefined),
      undefined,
    );
  });
});

describe("scanner-checks: tables and claims", () => {
  const resourceTypes: ResourceTypes = {
    pulumiAws: {},
    types: {
      "aws:iam/rolePolicy:RolePolicy": {
        terraformType: "aws_iam_role_policy",
        mapping: "bridge-metadata",
        origin: "stacks",
      },
      "aws:s3/bucket:Bucket": {
        terraformType: "aws_s3_bucket",
        mapping: "alias",
        aliasOf: "aws:s3/bucketV2:BucketV2",
        origin: "stacks",
      },
      "aws:s3/bucketLogging:BucketLogging": {
        terraformType: "aws_s3_bucket_logging",
        mapping: "alias",
        aliasOf: "aws:s3/bucketLoggingV2:BucketLoggingV2",
        origin: "stacks",
      },
      "kubernetes:helm.sh/v3:Release": { noScannerType: "a Helm release", origin: "stacks" },
    },
  };
  const pin = { repository: "r", version: "1", commit: "c".repeat(40), directories: ["d"] };
  const load = loaderOf({
    "checkov.terraform.checks.resource.base_cloudsplaining_resource_iam_check": CLOUDSPLAINING_BASE,
  });
  const checks = [
    ...parsePythonChecks(STAR_ACTION, "checkov/terraform/checks/resource/aws/A.py", NO_MODULES),
    ...parsePythonChecks(PRIVILEGE_ESCALATION, "checkov/terraform/checks/resource/aws/B.py", load),
    parseGraphCheck(S3_BUCKET_LOGGING, "checkov/terraform/checks/graph_checks/aws/C.yaml"),
  ];

  it("lists each type's checks, a connection's target apart, and no checks for a type without one", () => {
    const table = buildCheckovTable(checks, resourceTypes, pin);
    assert.deepStrictEqual(
      table.types["aws:iam/rolePolicy:RolePolicy"].checks.map((c) => c.id),
      ["CKV_AWS_63", "CKV_AWS_286"],
    );
    assert.deepStrictEqual(
      table.types["aws:s3/bucket:Bucket"].checks.map((c) => c.id),
      ["CKV_AWS_18"],
    );
    assert.deepStrictEqual(table.types["aws:s3/bucketLogging:BucketLogging"].checks, []);
    assert.deepStrictEqual(
      table.types["aws:s3/bucketLogging:BucketLogging"].connectedChecks.map((c) => c.id),
      ["CKV_AWS_18"],
    );
    assert.deepStrictEqual(table.types["kubernetes:helm.sh/v3:Release"], {
      noScannerType: "a Helm release",
      checks: [],
      controlPlaneChecks: [],
      connectedChecks: [],
    });
    assert.deepStrictEqual(Object.keys(table.checks).sort(), [
      "CKV_AWS_18",
      "CKV_AWS_286",
      "CKV_AWS_63",
    ]);
  });

  it("reads the claims of docs/policies.md's table and finds the unclaimed ids per type", () => {
    const markdown = [
      "| Policy | Domain | Checks | Resource types | Controls | Default level | Config (default) |",
      "|---|---|---|---|---|---|---|",
      "| `iam-role-policy-no-sensitive-wildcards` | iam | resource | `aws:iam/rolePolicy:RolePolicy` | CKV_AWS_63, CKV_AWS_286, CKV_AWS_289, AVD-AWS-0057 | mandatory | - |",
      "| `allowed-regions` | resources | resource | every AWS resource, `pulumi:providers:aws` | - | mandatory | - |",
      "",
    ].join("\n");
    const claims = parsePolicyClaims(markdown, () => []);
    assert.deepStrictEqual(claims[0], {
      policy: "iam-role-policy-no-sensitive-wildcards",
      scope: "resource",
      types: ["aws:iam/rolePolicy:RolePolicy"],
      controls: ["CKV_AWS_63", "CKV_AWS_286", "CKV_AWS_289", "AVD-AWS-0057"],
    });
    assert.deepStrictEqual(claims[1].types, ["pulumi:providers:aws", "aws:*"]);
    const rows = coverage(buildCheckovTable(checks, resourceTypes, pin), claims);
    const rolePolicy = rows.find((r) => r.token === "aws:iam/rolePolicy:RolePolicy");
    assert.deepStrictEqual(
      [rolePolicy?.claimed, rolePolicy?.unclaimed],
      [["CKV_AWS_63", "CKV_AWS_286"], []],
    );
    const bucket = rows.find((r) => r.token === "aws:s3/bucket:Bucket");
    assert.deepStrictEqual([bucket?.claimed, bucket?.unclaimed], [[], ["CKV_AWS_18"]]);
  });

  it("finds a resource policy's claim of a check that does not read the claimed type", () => {
    const table = buildCheckovTable(checks, resourceTypes, pin);
    const claims: PolicyClaim[] = [
      {
        policy: "bucket-policy",
        scope: "resource",
        types: ["aws:s3/bucket:Bucket", "aws:s3/bucketLogging:BucketLogging"],
        controls: ["CKV_AWS_18", "AVD-AWS-0089"],
      },
      {
        policy: "stack-policy",
        scope: "stack",
        types: ["aws:iam/rolePolicy:RolePolicy"],
        controls: ["CKV_AWS_18"],
      },
    ];
    assert.deepStrictEqual(misclaims(table, claims), [
      {
        policy: "bucket-policy",
        token: "aws:s3/bucketLogging:BucketLogging",
        id: "CKV_AWS_18",
        checkovTypes: ["aws_s3_bucket"],
      },
    ]);
  });

  it("matches Trivy ids claimed without the AVD- prefix, and Kubernetes kinds case-insensitively", () => {
    const cpu = parseTrivyCheck(
      CPU_NOT_LIMITED_REGO,
      "checks/kubernetes/CPU_not_limited.rego",
      undefined,
    );
    const table = buildTrivyTable(
      cpu ? [cpu] : [],
      {
        pulumiAws: {},
        types: {
          "kubernetes:apps/v1:Deployment": { kubernetesKind: "Deployment", origin: "stacks" },
        },
      },
      pin,
    );
    assert.deepStrictEqual(
      table.types["kubernetes:apps/v1:Deployment"].checks.map((c) => c.avdId),
      ["AVD-KSV-0011"],
    );
    const claims = [
      {
        policy: "p",
        scope: "resource",
        types: ["kubernetes:apps/v1:Deployment"],
        controls: ["KSV-0011"],
      },
    ];
    assert.deepStrictEqual(coverage(table, claims)[0].claimed, ["AVD-KSV-0011"]);
  });
});

describe("scanner-checks: the committed tables", () => {
  const resourceTypes = JSON.parse(fs.readFileSync(FILES.resourceTypes, "utf8")) as ResourceTypes;
  const checkov = JSON.parse(fs.readFileSync(FILES.checkov, "utf8")) as CheckovTable;
  const trivy = JSON.parse(fs.readFileSync(FILES.trivy, "utf8")) as TrivyTable;
  const awsRoot = path.dirname(require.resolve("@pulumi/aws/package.json"));

  it("map every AWS token to a resource of the installed @pulumi/aws, renamed ones through their alias", () => {
    for (const [token, entry] of Object.entries(resourceTypes.types)) {
      if (!token.startsWith("aws:")) continue;
      assert.ok("terraformType" in entry, `${token} has no terraformType`);
      assert.match(entry.terraformType, /^aws_[a-z0-9_]+$/, token);
      const [module, name] = token.split(":")[1].split("/");
      const js = fs.readFileSync(path.join(awsRoot, module, `${name}.js`), "utf8");
      assert.ok(
        js.includes(`__pulumiType = '${token}'`),
        `${token} is not a resource of @pulumi/aws`,
      );
      const aliases = [...js.matchAll(/aliases: \[([^\]]*)\]/g)].flatMap((m) =>
        [...m[1].matchAll(/type: "([^"]+)"/g)].map((a) => a[1]),
      );
      if (entry.mapping === "alias") {
        assert.ok(
          aliases.includes(entry.aliasOf as string),
          `${token} does not alias ${entry.aliasOf}`,
        );
      } else {
        assert.deepStrictEqual(aliases, [], `${token} was renamed; its mapping must be "alias"`);
      }
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(awsRoot, "package.json"), "utf8")) as {
      version: string;
    };
    assert.strictEqual(pkg.version, "7.48.0");
  });

  it("give each Kubernetes token its kind, and say why a type has no scanner type", () => {
    for (const [token, entry] of Object.entries(resourceTypes.types)) {
      if ("kubernetesKind" in entry)
        assert.strictEqual(entry.kubernetesKind, token.split(":")[2], token);
      if ("noScannerType" in entry) assert.ok(entry.noScannerType.length > 20, token);
    }
    assert.ok("noScannerType" in resourceTypes.types["kubernetes:helm.sh/v3:Release"]);
    assert.ok("noScannerType" in resourceTypes.types["eks:index:Cluster"]);
  });

  it("cover exactly the types of resource-types.json, pinned to a tag and a commit", () => {
    for (const table of [checkov, trivy]) {
      assert.deepStrictEqual(
        Object.keys(table.types).sort(),
        Object.keys(resourceTypes.types).sort(),
      );
      assert.match(table.commit, /^[0-9a-f]{40}$/);
      assert.ok(table.version.length > 0);
    }
    assert.deepStrictEqual(
      checkov.generatedFrom,
      CHECKOV_SOURCES.map((s) => s.dir),
    );
    assert.deepStrictEqual(
      trivy.generatedFrom,
      TRIVY_SOURCES.map((s) => s.dir),
    );
  });

  it("list under each type only checks whose catalog entry supports that type", () => {
    for (const [token, row] of Object.entries(checkov.types)) {
      const key = row.terraformType ?? row.kubernetesKind;
      for (const ref of [...row.checks, ...row.controlPlaneChecks, ...row.connectedChecks]) {
        const check = checkov.checks[ref.id];
        assert.ok(check, `${token}: ${ref.id} is not in the catalog`);
        assert.strictEqual(check.name, ref.name);
        const types = [
          ...check.supportedResources,
          ...(check.reportedResources ?? []),
          ...(check.connectedResources ?? []),
        ];
        assert.ok(key && types.includes(key), `${token}: ${ref.id} does not support ${key}`);
        assert.ok(
          CHECKOV_SOURCES.some((s) => check.file.startsWith(`${s.dir}/`)),
          check.file,
        );
      }
    }
  });

  it("have a README whose generated part is current (regenerate: generate.ts --readme-only)", () => {
    assert.strictEqual(fs.readFileSync(FILES.readme, "utf8"), renderReadme());
  });
});
