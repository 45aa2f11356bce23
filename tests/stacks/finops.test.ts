/**
 * This environment's budgets on the dev and prod plans: AWS filtered by the stack's cost centre
 * AND environment, OCI on the stack's compartment (created in the root compartment), each alerting
 * at 70 % and 90 % of actual and 100 % of forecast spend to the FinOps list (and, on AWS, the
 * alarm topic, whose key and topic policies admit AWS Budgets).
 */
import { expect } from "chai";
import { awsBudgetFilter } from "../../components/finops/budgets";
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
