/**
 * Ordering rules (offline/orderingRules.ts): the stacks create nothing before what the cloud checks
 * at create time, and each rule fails a run that breaks it.
 */
import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { runProgram } from "../../offline/engine";
import { dependencyClosure, ORDERING_RULES, orderingProblems } from "../../offline/orderingRules";
import { runStack } from "../support/stacks";

const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaafixturefixturefixturefixture";
const awsp = () => new aws.Provider("aws", { region: "eu-west-1" });
const ocip = () => new oci.Provider("oci", { region: "eu-frankfurt-1" });

async function errorOf(program: () => Promise<unknown>): Promise<string> {
  const run = await runProgram({ stack: "fixture", config: {}, program, stackOutputs: {} });
  return run.error?.message ?? "";
}

const topicPolicy = (topicArn: pulumi.Output<string>, provider: aws.Provider) =>
  new aws.sns.TopicPolicy(
    "alerts-policy",
    {
      arn: topicArn,
      policy: topicArn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "budgets.amazonaws.com" }, Action: "sns:Publish", Resource: arn },
          ],
        }),
      ),
    },
    { provider },
  );

describe("ordering rules (offline/orderingRules.ts)", () => {
  it("name their source, one rule per type", () => {
    for (const rule of ORDERING_RULES)
      expect(rule.source, rule.type).to.match(/^https:\/\/(docs\.|kubernetes\.io\/docs\/)/);
    expect(new Set(ORDERING_RULES.map((r) => r.type)).size).to.equal(ORDERING_RULES.length);
  });

  for (const stack of ["dev", "prod", "org"])
    it(`the ${stack} stack creates nothing too early`, async () => {
      const run = await runStack(stack);
      expect(run.error?.message).to.equal(undefined);
      expect(orderingProblems(run.resources, run.access.calls)).to.deep.equal([]);
    });

  it("a budget notifying a topic must wait for the topic's policy", async () => {
    const budget = (wait: boolean) => async () => {
      const provider = awsp();
      const topic = new aws.sns.Topic("alerts", {}, { provider });
      const policy = topicPolicy(topic.arn, provider);
      new aws.budgets.Budget(
        "monthly",
        {
          budgetType: "COST",
          limitAmount: "100",
          limitUnit: "USD",
          timeUnit: "MONTHLY",
          notifications: [
            {
              comparisonOperator: "GREATER_THAN",
              threshold: 80,
              thresholdType: "PERCENTAGE",
              notificationType: "ACTUAL",
              subscriberSnsTopicArns: [topic.arn],
            },
          ],
        },
        { provider, dependsOn: wait ? [policy] : [] },
      );
    };
    expect(await errorOf(budget(false))).to.contain(
      'aws:budgets/budget:Budget "monthly" does not wait for the policy of topic alerts (the service checks it when the subscriber is added) (A budget notifying an SNS topic is created after the topic\'s policy lets budgets.amazonaws.com publish; https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html)',
    );
    expect(await errorOf(budget(true))).to.equal("");
  });

  it("an anomaly subscription to a topic must wait for the topic's policy", async () => {
    const subscription = (wait: boolean) => async () => {
      const provider = awsp();
      const topic = new aws.sns.Topic("alerts", {}, { provider });
      const policy = topicPolicy(topic.arn, provider);
      const monitor = new aws.costexplorer.AnomalyMonitor(
        "services",
        { monitorType: "DIMENSIONAL", monitorDimension: "SERVICE" },
        { provider },
      );
      new aws.costexplorer.AnomalySubscription(
        "alerts",
        {
          frequency: "IMMEDIATE",
          monitorArnLists: [monitor.arn],
          subscribers: [{ type: "SNS", address: topic.arn }],
          thresholdExpression: {
            dimension: {
              key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
              matchOptions: ["GREATER_THAN_OR_EQUAL"],
              values: ["100"],
            },
          },
        },
        { provider, dependsOn: wait ? [policy] : [] },
      );
    };
    expect(await errorOf(subscription(false))).to.match(
      /AnomalySubscription "alerts" does not wait for the policy of topic alerts/,
    );
    expect(await errorOf(subscription(true))).to.equal("");
  });

  it("a Functions application waits for faas' network policy, and a function (through it or directly) for faas' image policy", async () => {
    const functions = (wait: boolean) => async () => {
      const provider = ocip();
      const policy = new oci.identity.Policy(
        "faas",
        {
          compartmentId: COMPARTMENT,
          description: "d",
          statements: [
            `Allow service faas to use virtual-network-family in compartment id ${COMPARTMENT}`,
            `Allow service faas to read repos in compartment id ${COMPARTMENT}`,
          ],
        },
        { provider },
      );
      const app = new oci.functions.Application(
        "app",
        { compartmentId: COMPARTMENT, displayName: "app", subnetIds: ["ocid1.subnet.oc1..s"], shape: "GENERIC_X86" },
        { provider, dependsOn: wait ? [policy] : [] },
      );
      new oci.functions.Function(
        "fn",
        { applicationId: app.id, displayName: "fn", image: "fra.ocir.io/ns/r:1", memoryInMbs: "256" },
        { provider },
      );
    };
    const early = await errorOf(functions(false));
    expect(early).to.contain(
      'oci:Functions/application:Application "app" does not wait for a policy with `Allow service faas to use virtual-network-family`',
    );
    expect(early).to.contain(
      'oci:Functions/function:Function "fn" does not wait for a policy with `Allow service faas to read repos`',
    );
    expect(await errorOf(functions(true))).to.equal("");
  });

  it("an OCIR push waits for its repository and the pusher's group membership", async () => {
    const run = await runStack("dev");
    const image = run.resources.find((r) => r.type === "docker-build:index:Image" && r.name === "anomaly-image");
    if (!image) throw new Error("no anomaly image in dev");
    const closure = dependencyClosure(image, run.resources);
    const sibling = (type: string) => run.resources.find((r) => r.parent === image.parent && r.type === type);
    expect(closure.has(String(sibling("oci:Artifacts/containerRepository:ContainerRepository")?.urn))).to.equal(true);
    expect(closure.has(String(sibling("oci:Identity/userGroupMembership:UserGroupMembership")?.urn))).to.equal(true);
    // Without those edges the rule names both.
    const cut = run.resources.map((r) => (r === image ? { ...r, dependencies: [], propertyDependencies: {} } : r));
    expect(orderingProblems(cut).filter((p) => p.includes('"anomaly-image"'))).to.deep.equal([
      'docker-build:index:Image "anomaly-image" does not wait for its repository (An image pushed to OCIR is built after its repository exists and its pusher is in the group the push policy names; https://docs.oracle.com/en-us/iaas/Content/Registry/Tasks/registrypushingimagesusingthedockercli.htm)',
      'docker-build:index:Image "anomaly-image" does not wait for the pusher\'s group membership (An image pushed to OCIR is built after its repository exists and its pusher is in the group the push policy names; https://docs.oracle.com/en-us/iaas/Content/Registry/Tasks/registrypushingimagesusingthedockercli.htm)',
    ]);
  });

  it("an invocation waits for what its function's declared calls need, and across the link for a gate", async () => {
    const run = await runStack("dev");
    const invocation = run.resources.find(
      (r) => r.type === "aws:lambda/invocation:Invocation" && r.name === "migrations-run",
    );
    if (!invocation) throw new Error("no migrations-run in dev");
    expect(orderingProblems(run.resources, run.access.calls)).to.deep.equal([]);
    // With no edges every need is named, from the access declarations (secrets, endpoints) and the network.
    const cut = run.resources.map((r) => (r === invocation ? { ...r, dependencies: [], propertyDependencies: {} } : r));
    const missing = orderingProblems(cut, run.access.calls)
      .filter((p) => p.includes('"migrations-run"'))
      .map((p) => p.replace(/^.* does not wait for (.*?) \(An invocation runs after .*$/, "$1"));
    expect(missing).to.include.members([
      "its function migrations-handler-function",
      "the logs endpoint's policy endpoint-policies-logs",
      "its role's policy migrations-handler-policy",
      "database-access-admin, a target of its declared calls",
      "its egress rule migrations-to-oracle",
      "its egress rule migrations-to-endpoints",
      "the network ACL aws-network-private-acl of its subnets",
      "the secretsmanager endpoint aws-network-secretsmanager",
      "the secretsmanager endpoint's policy endpoint-policies-secretsmanager",
      "a link-readiness gate (its egress reaches OCI across the interconnect)",
    ]);
    // Without declared calls the rule still asks for the network, never for a secret it cannot know of.
    const blind = orderingProblems(cut, []).filter((p) => p.includes('"migrations-run"'));
    expect(blind.some((p) => p.includes("database-access-admin"))).to.equal(false);
    expect(blind.some((p) => p.includes("migrations-to-oracle"))).to.equal(true);
  });

  it("an add-on or association waits for its role's policies; a namespaced Kubernetes object for its namespace", async () => {
    const run = await runStack("dev");
    const cut = (name: string) =>
      orderingProblems(
        run.resources.map((r) =>
          r.name === name && !r.type.startsWith("aws:iam/") ? { ...r, dependencies: [], propertyDependencies: {} } : r,
        ),
        run.access.calls,
      )
        .filter((p) => p.includes(`"${name}"`))
        .map((p) => p.replace(/ \(.*$/, ""));
    expect(cut("eks-vpc-cni")).to.deep.equal([
      'aws:eks/addon:Addon "eks-vpc-cni" does not wait for the policy eks-vpc-cni-AmazonEKS_CNI_Policy of role eks-vpc-cni',
    ]);
    expect(cut("orders-pods")).to.deep.equal([
      'aws:eks/podIdentityAssociation:PodIdentityAssociation "orders-pods" does not wait for the policy orders-pods of role orders-pods',
    ]);
    expect(cut("service-metrics-scraper-role")).to.deep.equal([
      'kubernetes:rbac.authorization.k8s.io/v1:Role "service-metrics-scraper-role" does not wait for its namespace orders',
    ]);
  });
});
