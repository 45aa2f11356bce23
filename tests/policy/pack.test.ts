import { LAMBDA_RUNTIME } from "../../components/shared/functionBundle";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as oci from "@pulumi/oci";
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { docWithTable, packConfig, packConfigPath, POLICY_DOC } from "../../offline/policyConfig";
import { deployRunner, environmentOf, stackNames } from "../../offline/stacks";
import { runStack } from "../support/stacks";
import { AWS, K8S, OCI } from "../../policy/types";
import { REPO_ROOT } from "../../offline/stacks";

type PulumiClass = { __pulumiType: string };

describe("policy pack files", () => {
  it("matches type tokens that are exactly the SDK classes' own", () => {
    const sdk: Record<string, object> = {
      [AWS.s3Bucket]: aws.s3.Bucket,
      [AWS.s3Encryption]: aws.s3.BucketServerSideEncryptionConfiguration,
      [AWS.s3PublicAccessBlock]: aws.s3.BucketPublicAccessBlock,
      [AWS.s3Versioning]: aws.s3.BucketVersioning,
      [AWS.dynamoTable]: aws.dynamodb.Table,
      [AWS.kinesisStream]: aws.kinesis.Stream,
      [AWS.sqsQueue]: aws.sqs.Queue,
      [AWS.snsTopic]: aws.sns.Topic,
      [AWS.metricAlarm]: aws.cloudwatch.MetricAlarm,
      [AWS.kmsKey]: aws.kms.Key,
      [AWS.mskCluster]: aws.msk.Cluster,
      [AWS.lambdaFunction]: aws.lambda.Function,
      [AWS.eventSourceMapping]: aws.lambda.EventSourceMapping,
      [AWS.iamRole]: aws.iam.Role,
      [AWS.iamAccessKey]: aws.iam.AccessKey,
      [AWS.iamRolePolicy]: aws.iam.RolePolicy,
      [AWS.iamPolicy]: aws.iam.Policy,
      [AWS.eksCluster]: aws.eks.Cluster,
      [AWS.sagemakerEndpointConfig]: aws.sagemaker.EndpointConfiguration,
      [AWS.secret]: aws.secretsmanager.Secret,
      [AWS.securityGroup]: aws.ec2.SecurityGroup,
      [AWS.securityGroupRule]: aws.ec2.SecurityGroupRule,
      [AWS.securityGroupIngressRule]: aws.vpc.SecurityGroupIngressRule,
      [AWS.loadBalancer]: aws.lb.LoadBalancer,
      [AWS.vpnConnection]: aws.ec2.VpnConnection,
      [AWS.vpc]: aws.ec2.Vpc,
      [AWS.flowLog]: aws.ec2.FlowLog,
      [AWS.logGroup]: aws.cloudwatch.LogGroup,
      [AWS.budget]: aws.budgets.Budget,
      [AWS.rdsInstance]: aws.rds.Instance,
      [AWS.rdsCluster]: aws.rds.Cluster,
      [OCI.tagNamespace]: oci.identity.TagNamespace,
      [OCI.tag]: oci.identity.Tag,
      [AWS.grafanaWorkspace]: aws.grafana.Workspace,
      [AWS.grafanaApiKey]: aws.grafana.WorkspaceApiKey,
      [AWS.grafanaServiceAccountToken]: aws.grafana.WorkspaceServiceAccountToken,
      [OCI.autonomousDatabase]: oci.database.AutonomousDatabase,
      [OCI.bucket]: oci.objectstorage.Bucket,
      [OCI.streamPool]: oci.streaming.StreamPool,
      [OCI.securityList]: oci.core.SecurityList,
      [OCI.defaultSecurityList]: oci.core.DefaultSecurityList,
      [OCI.nsgRule]: oci.core.NetworkSecurityGroupSecurityRule,
      [OCI.functionsApplication]: oci.functions.Application,
      [OCI.subnet]: oci.core.Subnet,
      [OCI.budget]: oci.budget.Budget,
      [OCI.budgetRule]: oci.budget.Rule,
      [OCI.drgAttachment]: oci.core.DrgAttachment,
      [OCI.drgAttachmentManagement]: oci.core.DrgAttachmentManagement,
      [OCI.drgRouteTable]: oci.core.DrgRouteTable,
      [OCI.ipsec]: oci.core.Ipsec,
      [OCI.ipsecTunnel]: oci.core.IpsecConnectionTunnelManagement,
      [OCI.virtualCircuit]: oci.core.VirtualCircuit,
      [OCI.log]: oci.logging.Log,
      [OCI.apiGateway]: oci.apigateway.Gateway,
      [OCI.monitoringAlarm]: oci.monitoring.Alarm,
      [OCI.apiDeployment]: oci.apigateway.Deployment,
      [AWS.snsTopicPolicy]: aws.sns.TopicPolicy,
      [AWS.vpcEndpointPolicy]: aws.ec2.VpcEndpointPolicy,
      [AWS.mskConfiguration]: aws.msk.Configuration,
      [AWS.stateMachine]: aws.sfn.StateMachine,
      [AWS.eksNodeGroup]: aws.eks.NodeGroup,
      [AWS.launchTemplate]: aws.ec2.LaunchTemplate,
      [AWS.ecrRepository]: aws.ecr.Repository,
      [K8S.deployment]: k8s.apps.v1.Deployment,
      [K8S.statefulSet]: k8s.apps.v1.StatefulSet,
      [K8S.daemonSet]: k8s.apps.v1.DaemonSet,
      [K8S.job]: k8s.batch.v1.Job,
      [K8S.namespace]: k8s.core.v1.Namespace,
      [K8S.service]: k8s.core.v1.Service,
    };
    const tokens = [...Object.values(AWS), ...Object.values(K8S), ...Object.values(OCI)];
    expect(Object.keys(sdk).sort()).to.deep.equal([...tokens].sort());
    // __pulumiType is private in the typings but is what isType() compares at run time.
    for (const token of tokens) expect((sdk[token] as PulumiClass).__pulumiType, token).to.equal(token);
  });

  it("has per-stack pack config files generated from the policies and the declared calls (npm run policy:generate)", async () => {
    expect(stackNames()).to.deep.equal(["dev", "org", "prod"]);
    for (const stack of stackNames())
      expect(readFileSync(packConfigPath(stack), "utf8"), `policy/config/${stack}.json is stale`).to.equal(
        packConfig(stack, environmentOf(stack), (await runStack(stack)).access),
      );
    const prod = JSON.parse(packConfig("prod")) as Record<string, { enforcementLevel: string }>;
    const dev = JSON.parse(packConfig("dev")) as Record<string, { enforcementLevel: string }>;
    expect([dev["aws-s3-versioning"].enforcementLevel, prod["aws-s3-versioning"].enforcementLevel]).to.deep.equal([
      "advisory",
      "mandatory",
    ]);
    expect([dev["prod-state-protected"].enforcementLevel, prod["prod-state-protected"].enforcementLevel]).to.deep.equal(
      ["disabled", "mandatory"],
    );
  });

  it("levels follow the environment a stack file names, not the stack's name", () => {
    // A stack named "live" whose file says environment: prod gets prod's levels; "prod" named but dev is dev.
    expect(packConfig("live", "prod")).to.equal(packConfig("prod"));
    expect(packConfig("prod", "dev")).to.equal(packConfig("dev"));
    expect(packConfig("staging", "staging")).to.equal(packConfig("dev"));
    const org = JSON.parse(packConfig("org")) as Record<string, { enforcementLevel: string }>;
    expect(org["prod-state-protected"].enforcementLevel).to.equal("mandatory");
  });

  it("has the docs/policies.md table generated from the code", () => {
    const doc = readFileSync(POLICY_DOC, "utf8");
    expect(doc, "docs/policies.md policy table is stale: npm run policy:generate").to.equal(docWithTable(doc));
    expect(doc).to.contain("| policy | cloud | dev (dev) | org (org) | prod (prod) |");
    expect(doc).to.contain("| `aws-dynamodb-pitr` | aws | advisory | mandatory | mandatory |");
  });

  it("has what `pulumi preview --policy-pack policy` needs", () => {
    expect(parse(readFileSync(path.join(REPO_ROOT, "policy/PulumiPolicy.yaml"), "utf8"))).to.deep.include({
      runtime: "nodejs",
    });
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "policy/package.json"), "utf8")) as {
      main: string;
      dependencies: Record<string, string>;
    };
    const root = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(existsSync(path.join(REPO_ROOT, "policy", pkg.main))).to.equal(true);
    for (const [name, version] of Object.entries(pkg.dependencies)) {
      expect(root.dependencies[name] ?? root.devDependencies[name], `${name} pinned the same at the root`).to.equal(
        version,
      );
    }
  });
});

describe("CI workflow (.github/workflows/pulumi.yml)", () => {
  const workflow = parse(readFileSync(path.join(REPO_ROOT, ".github/workflows/pulumi.yml"), "utf8")) as {
    on: Record<string, unknown>;
    jobs: Record<
      string,
      {
        needs?: string[];
        environment?: string;
        if?: string;
        "runs-on": string;
        strategy?: { matrix: { include: string } };
        steps: Array<{ uses?: string; run?: string; with?: Record<string, string> }>;
      }
    >;
  };
  const action = parse(readFileSync(path.join(REPO_ROOT, ".github/actions/pulumi-stack/action.yml"), "utf8")) as {
    inputs: Record<string, unknown>;
    runs: { steps: Array<{ uses?: string; run?: string; with?: Record<string, string> }> };
  };
  const stackSteps = (job: string) =>
    workflow.jobs[job].steps.filter((s) => s.uses === "./.github/actions/pulumi-stack");

  it("runs the tests, previews every stack with the policy pack on pull requests", () => {
    expect(Object.keys(workflow.on)).to.deep.equal(["pull_request", "push"]);
    expect(workflow.jobs.test.steps.some((s) => s.run === "bash .ci/run")).to.equal(true);
    expect(existsSync(path.join(REPO_ROOT, ".ci/run"))).to.equal(true);
    const preview = workflow.jobs.preview;
    expect(preview.needs).to.deep.equal(["test", "stacks"]);
    expect(preview.strategy?.matrix.include).to.equal("${{ fromJSON(needs.stacks.outputs.runners) }}");
    expect(stackSteps("preview")[0].with).to.deep.include({ command: "preview", stack: "${{ matrix.stack }}" });
    // The matrix is the one stack lister's output (the plan and policy:generate use it too).
    const listing = workflow.jobs.stacks.steps.find((s) => s.run?.includes("npm run --silent stacks"));
    expect(listing?.run).to.equal(
      'echo "stacks=$(npm run --silent stacks)" >> "$GITHUB_OUTPUT"\necho "runners=$(npm run --silent stacks -- --runners)" >> "$GITHUB_OUTPUT"\n',
    );
    expect(workflow.jobs.stacks.steps.some((s) => s.run === "npm ci")).to.equal(true);
  });

  it("previews and deploys each stack on the runner that reaches its Kubernetes API", () => {
    expect(workflow.jobs.preview["runs-on"]).to.equal("${{ matrix.runner }}");
    expect(deployRunner("org")).to.equal("ubuntu-latest");
    for (const stack of ["dev", "prod"]) {
      expect(deployRunner(stack)).to.equal(`multicloud-deploy-${stack}`);
      expect(workflow.jobs[`up-${stack}`]["runs-on"], `up-${stack}`).to.equal(deployRunner(stack));
    }
    expect(workflow.jobs["up-org"]["runs-on"]).to.equal(deployRunner("org"));
    // The deploy action checks for docker buildx (image build) and the AWS CLI (Kubernetes token) first.
    const checks = action.runs.steps.map((s) => s.run ?? "").join("\n");
    expect(checks).to.contain("docker buildx version");
    expect(checks).to.contain("aws --version");
  });

  it("targets Node 22 LTS everywhere and tests on the Node 20 floor too", () => {
    const setups = (steps: Array<{ uses?: string; with?: Record<string, string> }>) =>
      steps.filter((s) => s.uses?.startsWith("actions/setup-node@")).map((s) => String(s.with?.["node-version"]));
    expect((workflow.jobs.test.strategy?.matrix as unknown as { node: number[] }).node).to.deep.equal([22, 20]);
    expect(setups(workflow.jobs.test.steps)).to.deep.equal(["${{ matrix.node }}"]);
    const mutation = parse(readFileSync(path.join(REPO_ROOT, ".github/workflows/mutation.yml"), "utf8")) as {
      jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }>;
    };
    const others = [
      ...Object.entries(workflow.jobs)
        .filter(([name]) => name !== "test")
        .flatMap(([, job]) => setups(job.steps)),
      ...setups(action.runs.steps),
      ...Object.values(mutation.jobs).flatMap((job) => setups(job.steps)),
    ];
    expect(others.length).to.be.greaterThan(1);
    expect(new Set(others)).to.deep.equal(new Set(["22"]));
    // package.json accepts both, and the Lambda runtime is a supported Node 22 one.
    expect(
      (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines
        .node,
    ).to.equal(">=20.19 <21 || >=22");
    expect(LAMBDA_RUNTIME).to.equal("nodejs22.x");
  });

  it("deploys the org stack, then dev, then prod behind the production environment, naming stacks that exist", () => {
    expect(workflow.jobs["up-org"].needs).to.deep.equal(["test"]);
    expect(workflow.jobs["up-dev"].needs).to.deep.equal(["up-org"]);
    expect(workflow.jobs["up-prod"].needs).to.deep.equal(["up-dev"]);
    expect(workflow.jobs["up-prod"].environment).to.equal("production");
    expect(workflow.jobs["up-org"].environment).to.equal("production");
    for (const [job, stack] of [
      ["up-org", "org"],
      ["up-dev", "dev"],
      ["up-prod", "prod"],
    ]) {
      expect(stackSteps(job)[0].with).to.deep.include({ command: "up", stack });
      expect(existsSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml`).to.equal(true);
      expect(existsSync(packConfigPath(stack)), `policy/config/${stack}.json`).to.equal(true);
    }
  });

  it("runs the official Pulumi action with the pack and the stack's pack config, and every input it passes is declared", () => {
    const pulumiStep = action.runs.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumiStep?.with).to.deep.include({
      policyPacks: "policy",
      policyPackConfigs: "policy/config/${{ inputs.stack }}.json",
    });
    expect(existsSync(path.join(REPO_ROOT, "policy/PulumiPolicy.yaml"))).to.equal(true);
    expect(action.runs.steps.some((s) => s.run?.includes("oci-config.sh"))).to.equal(true);
    expect(existsSync(path.join(REPO_ROOT, ".github/actions/pulumi-stack/oci-config.sh"))).to.equal(true);
    for (const job of ["preview", "up-org", "up-dev", "up-prod"]) {
      for (const input of Object.keys(stackSteps(job)[0].with ?? {}))
        expect(action.inputs, `${job} passes ${input}`).to.have.property(input);
    }
  });
});
