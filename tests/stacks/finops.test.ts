/**
 * This environment's budgets on the dev and prod plans: AWS filtered by the stack's cost centre
 * AND environment, OCI on the stack's compartment (created in the root compartment), each alerting
 * at 70 % and 90 % of actual and 100 % of forecast spend to the FinOps list (and, on AWS, the
 * alarm topic, whose key and topic policies admit AWS Budgets).
 */
import { expect } from "chai";
import { awsBudgetFilter } from "../../components/finops/budgets";
import { anomalyThreshold } from "../../components/finops/costAnomalyAlerts";
import { RunResult, runProgram } from "../../offline/engine";
import { loadStackConfig, withConfigValue } from "../../offline/stacks";
import { named, ofType, runStack } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- registered inputs read field by field

describe("budget decisions (pure)", () => {
  it("filters the AWS budget by cost centre and environment together", () => {
    expect(awsBudgetFilter("CC-1", "dev")).to.deep.equal({
      ands: [
        { tags: { key: "cost_center", values: ["CC-1"], matchOptions: ["EQUALS"] } },
        { tags: { key: "environment", values: ["dev"], matchOptions: ["EQUALS"] } },
      ],
    });
  });
});

for (const stack of ["dev", "prod"] as const) {
  describe(`budgets (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const config = () => loadStackConfig(stack).config;
    const budget = () => JSON.parse(config()["multicloud:budget"]) as { awsMonthlyLimit: number; ociMonthlyLimit: number; alertEmails: string[]; currency?: string };

    it("budgets AWS spend of this cost centre and environment, alerting the FinOps list and the alarm topic at 70/90 % actual and 100 % forecast", () => {
      const aws = named(run, "aws:budgets/budget:Budget", "budgets-aws").inputs as Json;
      const topic = ofType(run, "aws:sns/topic:Topic").find((t) => t.name === "alarms-topic")!;
      expect(aws).to.deep.include({ budgetType: "COST", timeUnit: "MONTHLY", limitAmount: budget().awsMonthlyLimit.toFixed(2), limitUnit: budget().currency ?? "USD" });
      expect(aws.filterExpression).to.deep.equal(awsBudgetFilter(config()["multicloud:costCenter"], stack));
      expect(aws.notifications.map((n: Json) => [n.notificationType, n.threshold, n.thresholdType, n.comparisonOperator])).to.deep.equal([
        ["ACTUAL", 70, "PERCENTAGE", "GREATER_THAN"],
        ["ACTUAL", 90, "PERCENTAGE", "GREATER_THAN"],
        ["FORECASTED", 100, "PERCENTAGE", "GREATER_THAN"],
      ]);
      for (const n of aws.notifications as Json[]) expect([n.subscriberEmailAddresses, n.subscriberSnsTopicArns]).to.deep.equal([budget().alertEmails, [topic.state.arn]]);
      const topicPolicy = JSON.parse(String(ofType(run, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs.arn === topic.state.arn)!.inputs.policy));
      expect(topicPolicy.Statement.map((s: Json) => s.Principal.Service)).to.include("budgets.amazonaws.com");
    });

    it("budgets OCI spend of this compartment from the root compartment, with alert rules e-mailing the FinOps list", () => {
      const oci = named(run, "oci:Budget/budget:Budget", "budgets-oci");
      // The tenancy, as the stack has it from the org stack (the dynamic groups live in its root compartment too).
      const tenancy = ofType(run, "oci:Identity/dynamicGroup:DynamicGroup")[0].inputs.compartmentId;
      const compartment = JSON.parse(config()["multicloud:oci"]).compartmentId;
      expect(oci.inputs).to.deep.include({ amount: budget().ociMonthlyLimit, resetPeriod: "MONTHLY", targetType: "COMPARTMENT", targets: [compartment], compartmentId: tenancy });
      const rules = ofType(run, "oci:Budget/rule:Rule").filter((r) => r.inputs.budgetId === oci.id);
      expect(rules.map((r) => [r.inputs.type, r.inputs.threshold, r.inputs.thresholdType, r.inputs.recipients])).to.deep.equal([
        ["ACTUAL", 70, "PERCENTAGE", budget().alertEmails.join(",")],
        ["ACTUAL", 90, "PERCENTAGE", budget().alertEmails.join(",")],
        ["FORECAST", 100, "PERCENTAGE", budget().alertEmails.join(",")],
      ]);
    });
  });
}

describe("cost-allocation tags (org stack)", () => {
  it("activates cost_center, environment and owner when the org stack's config says so, and nothing otherwise", async () => {
    const { config, secretKeys } = loadStackConfig("org");
    const on = await runProgram({ stack: "org", config, secretKeys });
    if (on.error) throw on.error;
    expect(ofType(on, "aws:costexplorer/costAllocationTag:CostAllocationTag").map((t) => [t.inputs.tagKey, t.inputs.status])).to.deep.equal([
      ["cost_center", "Active"],
      ["environment", "Active"],
      ["owner", "Active"],
    ]);
    const off = await runProgram({ stack: "org", config: withConfigValue(config, "multicloud:aws.activateCostAllocationTags", false), secretKeys });
    if (off.error) throw off.error;
    expect(ofType(off, "aws:costexplorer/costAllocationTag:CostAllocationTag")).to.deep.equal([]);
  });
});

describe("OCI defined cost tags (org namespace, every stack's resources, compartment defaults)", () => {
  const orgConfig = () => loadStackConfig("org").config;
  const allowedCodes = () => JSON.parse(orgConfig()["multicloud:costCenters"]) as string[];

  it("org: cost_center takes only the configured codes; cost_center and environment are cost-tracking", async () => {
    const org = await runStack("org");
    if (org.error) throw org.error;
    const tag = (name: string) => named(org, "oci:Identity/tag:Tag", `cost-tags-${name}`).inputs as Json;
    expect(tag("cost_center").validator).to.deep.equal({ validatorType: "ENUM", values: allowedCodes() });
    expect(allowedCodes()).to.include(orgConfig()["multicloud:costCenter"]);
    expect([tag("cost_center").isCostTracking, tag("environment").isCostTracking, tag("owner").isCostTracking]).to.deep.equal([true, true, false]);
    expect(tag("environment").validator).to.equal(undefined);
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: every taggable OCI resource carries the defined tags with the stack's values`, async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const config = loadStackConfig(stack).config;
      const environment = config["multicloud:environment"];
      const expected = { "multicloud.cost_center": config["multicloud:costCenter"], "multicloud.environment": environment, "multicloud.owner": config["multicloud:owner"] };
      const taggable = run.resources.filter((r) => r.type.startsWith("oci:") && r.inputs.freeformTags !== undefined);
      expect(taggable.length, "the stack has taggable OCI resources").to.be.greaterThan(40);
      for (const r of taggable) expect(r.inputs.definedTags, `${r.type} ${r.name}`).to.deep.equal(expected);
    });
  }

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: the compartment's tag defaults give anything created in it the stack's cost centre, environment and owner`, async () => {
      const run = await runStack(stack);
      const org = await runStack("org");
      const config = loadStackConfig(stack).config;
      const compartment = JSON.parse(config["multicloud:oci"]).compartmentId;
      const defaults = ofType(run, "oci:Identity/tagDefault:TagDefault").map((d) => d.inputs as Json);
      const tagId = (name: string) => named(org, "oci:Identity/tag:Tag", `cost-tags-${name}`).id;
      expect(defaults).to.deep.equal([
        { compartmentId: compartment, tagDefinitionId: tagId("cost_center"), value: config["multicloud:costCenter"], isRequired: false },
        { compartmentId: compartment, tagDefinitionId: tagId("environment"), value: config["multicloud:environment"], isRequired: false },
        { compartmentId: compartment, tagDefinitionId: tagId("owner"), value: config["multicloud:owner"], isRequired: false },
      ]);
    });
  }

  it("refuses an environment whose cost centre the org's tag does not accept, naming both keys", async () => {
    const { config, secretKeys } = loadStackConfig("dev");
    const run = await runProgram({ stack: "dev", config: withConfigValue(config, "multicloud:costCenter", "CC-9999-UNKNOWN"), secretKeys });
    expect(run.error?.message).to.contain("multicloud:costCenter CC-9999-UNKNOWN is not one of the org stack's multicloud:costCenters (CC-4410-PLATFORM, CC-4420-DATA, CC-4430-COMMERCE)");
  });
});

describe("AWS Cost Anomaly Detection (monitors in the org stack, pages per environment)", () => {
  it("org: one monitor by AWS service and one by the cost_center tag with the org's codes, exported for the environments", async () => {
    const org = await runStack("org");
    if (org.error) throw org.error;
    const services = named(org, "aws:costexplorer/anomalyMonitor:AnomalyMonitor", "cost-anomalies-services");
    const costCenters = named(org, "aws:costexplorer/anomalyMonitor:AnomalyMonitor", "cost-anomalies-cost-centers");
    expect(services.inputs).to.deep.include({ monitorType: "DIMENSIONAL", monitorDimension: "SERVICE", name: "multicloud-org-services" });
    expect(costCenters.inputs.monitorType).to.equal("CUSTOM");
    const codes = JSON.parse(loadStackConfig("org").config["multicloud:costCenters"]) as string[];
    expect(JSON.parse(String(costCenters.inputs.monitorSpecification))).to.deep.equal({ Tags: { Key: "cost_center", Values: codes, MatchOptions: ["EQUALS"] } });
    expect(org.outputs.costAnomalyMonitorArns).to.deep.equal([services.state.arn, costCenters.state.arn]);
    expect(String(services.state.arn)).to.match(/^arn:aws:ce::\d{12}:anomalymonitor\/[0-9a-f-]{36}$/);
  });

  it("org: reuses the account's existing services monitor instead of creating a second (AWS allows one)", async () => {
    const { config, secretKeys } = loadStackConfig("org");
    const existing = "arn:aws:ce::414910048482:anomalymonitor/0c6e2a4f-3b1d-4e5f-8a6b-7c8d9e0f1a2b";
    const run = await runProgram({ stack: "org", config: withConfigValue(config, "multicloud:aws.existingServiceMonitorArn", existing), secretKeys });
    if (run.error) throw run.error;
    expect(ofType(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor").map((m) => m.name)).to.deep.equal(["cost-anomalies-cost-centers"]);
    expect((run.outputs.costAnomalyMonitorArns as string[])[0]).to.equal(existing);
  });

  it("prod pages its alarm topic immediately on anomalies above both thresholds; dev does not subscribe", async () => {
    const prod = await runStack("prod");
    const org = await runStack("org");
    const subscription = named(prod, "aws:costexplorer/anomalySubscription:AnomalySubscription", "cost-anomaly-alerts-subscription").inputs as Json;
    const topic = ofType(prod, "aws:sns/topic:Topic").find((t) => t.name === "alarms-topic")!;
    const settings = JSON.parse(loadStackConfig("prod").config["multicloud:budget"]).anomalyAlerts as { minImpact: number; minImpactPercent: number };
    expect(subscription).to.deep.include({ frequency: "IMMEDIATE", name: "multicloud-prod-cost-anomalies" });
    expect(subscription.subscribers).to.deep.equal([{ type: "SNS", address: topic.state.arn }]);
    expect(subscription.monitorArnLists).to.deep.equal(org.outputs.costAnomalyMonitorArns);
    expect(subscription.thresholdExpression).to.deep.equal(anomalyThreshold(settings));
    expect(anomalyThreshold({ minImpact: 200, minImpactPercent: 20 })).to.deep.equal({
      ands: [
        { dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: ["200"] } },
        { dimension: { key: "ANOMALY_TOTAL_IMPACT_PERCENTAGE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: ["20"] } },
      ],
    });
    // The topic admits Cost Anomaly Detection for this account's subscriptions only.
    const policy = JSON.parse(String(named(prod, "aws:sns/topicPolicy:TopicPolicy", "alarms-policy").inputs.policy));
    const statement = policy.Statement.find((s: Json) => s.Sid === "CostAnomalyDetectionPublish");
    expect(statement.Principal).to.deep.equal({ Service: "costalerts.amazonaws.com" });
    expect(statement.Condition.ArnLike["aws:SourceArn"]).to.match(/^arn:aws:ce::\d{12}:anomalysubscription\/\*$/);
    const dev = await runStack("dev");
    expect(ofType(dev, "aws:costexplorer/anomalySubscription:AnomalySubscription")).to.deep.equal([]);
  });
});
