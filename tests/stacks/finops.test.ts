/**
 * This environment's budgets on the dev and prod plans: AWS filtered by the stack's cost centre
 * AND environment, OCI on the stack's compartment (created in the root compartment), each alerting
 * at 70 % and 90 % of actual and 100 % of forecast spend to the FinOps list (and, on AWS, the
 * alarm topic, whose key and topic policies admit AWS Budgets).
 */
import { expect } from "chai";
import { awsBudgetFilter } from "../../components/finops/budgets";
import { nodeScheduleActions } from "../../components/finops/afterHours";
import { adbScheduledOperations } from "../../components/shared/schedules";
import { anomalyThreshold } from "../../components/finops/costAnomalyAlerts";
import { costCenterBudgetTarget } from "../../components/finops/costCenterBudgets";
import { RunResult, runProgram } from "../../offline/engine";
import { loadStackConfig, withConfigValue } from "../../offline/stacks";
import { named, ofType, runStack, runWithConfigChange } from "../support/stacks";

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
    const budget = () =>
      JSON.parse(config()["multicloud:budget"]) as {
        awsMonthlyLimit: number;
        ociMonthlyLimit: number;
        alertEmails: string[];
        currency?: string;
      };

    it("budgets AWS spend of this cost centre and environment, alerting the FinOps list and the alarm topic at 70/90 % actual and 100 % forecast", () => {
      const aws = named(run, "aws:budgets/budget:Budget", "budgets-aws").inputs as Json;
      const topic = ofType(run, "aws:sns/topic:Topic").find((t) => t.name === "alarms-topic")!;
      expect(aws).to.deep.include({
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: budget().awsMonthlyLimit.toFixed(2),
        limitUnit: budget().currency ?? "USD",
      });
      expect(aws.filterExpression).to.deep.equal(awsBudgetFilter(config()["multicloud:costCenter"], stack));
      expect(
        aws.notifications.map((n: Json) => [n.notificationType, n.threshold, n.thresholdType, n.comparisonOperator]),
      ).to.deep.equal([
        ["ACTUAL", 70, "PERCENTAGE", "GREATER_THAN"],
        ["ACTUAL", 90, "PERCENTAGE", "GREATER_THAN"],
        ["FORECASTED", 100, "PERCENTAGE", "GREATER_THAN"],
      ]);
      for (const n of aws.notifications as Json[])
        expect([n.subscriberEmailAddresses, n.subscriberSnsTopicArns]).to.deep.equal([
          budget().alertEmails,
          [topic.state.arn],
        ]);
      const topicPolicy = JSON.parse(
        String(
          ofType(run, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs.arn === topic.state.arn)!.inputs.policy,
        ),
      );
      expect(topicPolicy.Statement.map((s: Json) => s.Principal.Service)).to.include("budgets.amazonaws.com");
    });

    it("budgets OCI spend of this compartment from the root compartment, with alert rules e-mailing the FinOps list", () => {
      const oci = named(run, "oci:Budget/budget:Budget", "budgets-oci");
      // The tenancy, as the stack has it from the org stack (the dynamic groups live in its root compartment too).
      const tenancy = ofType(run, "oci:Identity/dynamicGroup:DynamicGroup")[0].inputs.compartmentId;
      const compartment = JSON.parse(config()["multicloud:oci"]).compartmentId;
      expect(oci.inputs).to.deep.include({
        amount: budget().ociMonthlyLimit,
        resetPeriod: "MONTHLY",
        targetType: "COMPARTMENT",
        targets: [compartment],
        compartmentId: tenancy,
      });
      const rules = ofType(run, "oci:Budget/rule:Rule").filter((r) => r.inputs.budgetId === oci.id);
      expect(
        rules.map((r) => [r.inputs.type, r.inputs.threshold, r.inputs.thresholdType, r.inputs.recipients]),
      ).to.deep.equal([
        ["ACTUAL", 70, "PERCENTAGE", budget().alertEmails.join(",")],
        ["ACTUAL", 90, "PERCENTAGE", budget().alertEmails.join(",")],
        ["FORECAST", 100, "PERCENTAGE", budget().alertEmails.join(",")],
      ]);
    });
  });
}

describe("cost-allocation tags (org stack)", () => {
  it("activates cost_center, environment and owner when the org stack's config says so, and nothing otherwise (the committed default: off)", async () => {
    const { config, secretKeys } = loadStackConfig("org");
    const on = await runProgram({
      stack: "org",
      config: withConfigValue(config, "multicloud:aws.activateCostAllocationTags", true),
      secretKeys,
    });
    if (on.error) throw on.error;
    expect(
      ofType(on, "aws:costexplorer/costAllocationTag:CostAllocationTag").map((t) => [t.inputs.tagKey, t.inputs.status]),
    ).to.deep.equal([
      ["cost_center", "Active"],
      ["environment", "Active"],
      ["owner", "Active"],
    ]);
    const off = await runProgram({ stack: "org", config, secretKeys });
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
    expect([
      tag("cost_center").isCostTracking,
      tag("environment").isCostTracking,
      tag("owner").isCostTracking,
    ]).to.deep.equal([true, true, false]);
    expect(tag("environment").validator).to.equal(undefined);
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: every taggable OCI resource carries the defined tags with the stack's values`, async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const config = loadStackConfig(stack).config;
      const environment = config["multicloud:environment"];
      const expected = {
        "multicloud.cost_center": config["multicloud:costCenter"],
        "multicloud.environment": environment,
        "multicloud.owner": config["multicloud:owner"],
      };
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
        {
          compartmentId: compartment,
          tagDefinitionId: tagId("cost_center"),
          value: config["multicloud:costCenter"],
          isRequired: false,
        },
        {
          compartmentId: compartment,
          tagDefinitionId: tagId("environment"),
          value: config["multicloud:environment"],
          isRequired: false,
        },
        {
          compartmentId: compartment,
          tagDefinitionId: tagId("owner"),
          value: config["multicloud:owner"],
          isRequired: false,
        },
      ]);
    });
  }

  it("refuses an environment whose cost centre the org's tag does not accept, naming both keys", async () => {
    const { config, secretKeys } = loadStackConfig("dev");
    const run = await runProgram({
      stack: "dev",
      config: withConfigValue(config, "multicloud:costCenter", "CC-9999-UNKNOWN"),
      secretKeys,
    });
    expect(run.error?.message).to.contain(
      "multicloud:costCenter CC-9999-UNKNOWN is not one of the org stack's multicloud:costCenters (CC-4410-PLATFORM, CC-4420-DATA, CC-4430-COMMERCE)",
    );
  });
});

describe("AWS Cost Anomaly Detection (monitors in the org stack, pages per environment)", () => {
  it("org: one monitor by AWS service and one by the cost_center tag with the org's codes, exported for the environments", async () => {
    const org = await runStack("org");
    if (org.error) throw org.error;
    const services = named(org, "aws:costexplorer/anomalyMonitor:AnomalyMonitor", "cost-anomalies-services");
    const costCenters = named(org, "aws:costexplorer/anomalyMonitor:AnomalyMonitor", "cost-anomalies-cost-centers");
    expect(services.inputs).to.deep.include({
      monitorType: "DIMENSIONAL",
      monitorDimension: "SERVICE",
      name: "multicloud-org-services",
    });
    expect(costCenters.inputs.monitorType).to.equal("CUSTOM");
    const codes = JSON.parse(loadStackConfig("org").config["multicloud:costCenters"]) as string[];
    expect(JSON.parse(String(costCenters.inputs.monitorSpecification))).to.deep.equal({
      Tags: { Key: "cost_center", Values: codes, MatchOptions: ["EQUALS"] },
    });
    expect(org.outputs.costAnomalyMonitorArns).to.deep.equal([services.state.arn, costCenters.state.arn]);
    expect(String(services.state.arn)).to.match(/^arn:aws:ce::\d{12}:anomalymonitor\/[0-9a-f-]{36}$/);
  });

  it("org: reuses the account's existing services monitor instead of creating a second (AWS allows one)", async () => {
    const { config, secretKeys } = loadStackConfig("org");
    const existing = "arn:aws:ce::414910048482:anomalymonitor/0c6e2a4f-3b1d-4e5f-8a6b-7c8d9e0f1a2b";
    const run = await runProgram({
      stack: "org",
      config: withConfigValue(config, "multicloud:aws.existingServiceMonitorArn", existing),
      secretKeys,
    });
    if (run.error) throw run.error;
    expect(ofType(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor").map((m) => m.name)).to.deep.equal([
      "cost-anomalies-cost-centers",
    ]);
    expect((run.outputs.costAnomalyMonitorArns as string[])[0]).to.equal(existing);
  });

  it("prod pages its alarm topic immediately on anomalies above both thresholds; dev does not subscribe", async () => {
    const prod = await runStack("prod");
    const org = await runStack("org");
    const subscription = named(
      prod,
      "aws:costexplorer/anomalySubscription:AnomalySubscription",
      "cost-anomaly-alerts-subscription",
    ).inputs as Json;
    const topic = ofType(prod, "aws:sns/topic:Topic").find((t) => t.name === "alarms-topic")!;
    const settings = JSON.parse(loadStackConfig("prod").config["multicloud:budget"]).anomalyAlerts as {
      minImpact: number;
      minImpactPercent: number;
    };
    expect(subscription).to.deep.include({ frequency: "IMMEDIATE", name: "multicloud-prod-cost-anomalies" });
    expect(subscription.subscribers).to.deep.equal([{ type: "SNS", address: topic.state.arn }]);
    expect(subscription.monitorArnLists).to.deep.equal(org.outputs.costAnomalyMonitorArns);
    expect(subscription.thresholdExpression).to.deep.equal(anomalyThreshold(settings));
    expect(anomalyThreshold({ minImpact: 200, minImpactPercent: 20 })).to.deep.equal({
      ands: [
        {
          dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: ["200"] },
        },
        {
          dimension: {
            key: "ANOMALY_TOTAL_IMPACT_PERCENTAGE",
            matchOptions: ["GREATER_THAN_OR_EQUAL"],
            values: ["20"],
          },
        },
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

for (const stack of ["dev", "prod"] as const) {
  describe(`the daily cost report (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const budget = () =>
      JSON.parse(loadStackConfig(stack).config["multicloud:budget"]) as {
        currency?: string;
        awsMonthlyLimit: number;
        ociMonthlyLimit: number;
        alertEmails: string[];
        report: { hourUtc: number; historyDays: number; anomalyDays: number; ociCurrency: string };
      };

    it("runs daily at config's hour (UTC) with the scheduled time as its day, through a role that may invoke it only", () => {
      const schedule = named(run, "aws:scheduler/schedule:Schedule", "cost-intelligence-schedule").inputs as Json;
      const fn = named(run, "aws:lambda/function:Function", "cost-intelligence-job-function");
      expect(schedule).to.deep.include({
        scheduleExpression: `cron(0 ${budget().report.hourUtc} * * ? *)`,
        scheduleExpressionTimezone: "UTC",
        state: "ENABLED",
      });
      expect(schedule.target.arn).to.equal(fn.state.arn);
      expect(JSON.parse(schedule.target.input)).to.deep.equal({ scheduledTime: "<aws.scheduler.scheduled-time>" });
      const policy = JSON.parse(
        String(named(run, "aws:iam/rolePolicy:RolePolicy", "cost-intelligence-schedule-policy").inputs.policy),
      );
      expect(policy.Statement).to.deep.equal([
        { Sid: "InvokeCostReport", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [fn.state.arn] },
      ]);
    });

    it("gives the job the bucket, the key's secret, the Usage API of the stack's region, the org namespace and both budgets", () => {
      const env = (named(run, "aws:lambda/function:Function", "cost-intelligence-job-function").inputs as Json)
        .environment.variables;
      const bucket = named(run, "aws:s3/bucket:Bucket", "cost-intelligence-data");
      const secret = named(run, "aws:secretsmanager/secret:Secret", "cost-intelligence-oci-key");
      const oci = JSON.parse(loadStackConfig(stack).config["multicloud:oci"]) as { region: string };
      expect(env).to.deep.include({
        COSTS_BUCKET: bucket.inputs.bucket,
        COSTS_OCI_KEY_SECRET_ARN: secret.state.arn,
        COSTS_OCI_USAGE_ENDPOINT: `https://usageapi.${oci.region}.oci.oraclecloud.com`,
        COSTS_OCI_TAG_NAMESPACE: "multicloud",
        COSTS_STACK: `multicloud-${stack}`,
        COSTS_HISTORY_DAYS: String(budget().report.historyDays),
        COSTS_ANOMALY_DAYS: String(budget().report.anomalyDays),
      });
      expect(JSON.parse(env.COSTS_BUDGETS)).to.deep.equal({
        aws: { limit: budget().awsMonthlyLimit, currency: budget().currency ?? "USD" },
        oci: { limit: budget().ociMonthlyLimit, currency: budget().report.ociCurrency },
      });
      expect(String(bucket.inputs.bucket)).to.match(new RegExp(`^multicloud-${stack}-costs-\\d{12}$`));
      // The inventory names the plan's own endpoint, node group and databases.
      const ml = JSON.parse(loadStackConfig(stack).config["multicloud:ml"]).sagemaker as {
        instanceType: string;
        instanceCount: number;
      };
      const eks = JSON.parse(loadStackConfig(stack).config["multicloud:eks"]).nodes as {
        instanceTypes: string[];
        desiredSize: number;
      };
      const databases = ofType(run, "oci:Database/autonomousDatabase:AutonomousDatabase");
      const inventory = JSON.parse(env.COSTS_INVENTORY) as Json[];
      expect(inventory.filter((i) => i.kind === "autonomousDatabase")).to.have.deep.members(
        databases.map((d) => ({
          kind: "autonomousDatabase",
          id: d.id,
          label: d.inputs.displayName,
          ecpus: d.inputs.computeCount,
        })),
      );
      expect(inventory.filter((i) => i.kind !== "autonomousDatabase")).to.deep.equal([
        {
          kind: "sagemakerEndpoint",
          id: named(run, "aws:sagemaker/endpoint:Endpoint", "model-endpoint").inputs.name,
          instanceType: ml.instanceType,
          instanceCount: ml.instanceCount,
        },
        {
          kind: "eksNodes",
          id: (named(run, "aws:eks/nodeGroup:NodeGroup", "eks-nodes").state.resources as Json[])[0].autoscalingGroups[0]
            .name,
          instanceType: eks.instanceTypes[0],
          nodes: eks.desiredSize,
        },
      ]);
      expect(env).to.deep.include({ COSTS_REMEDIATION: "dryRun", COSTS_PRODUCTION: String(stack === "prod") });
    });

    it("lets the job read costs, write only its prefixes, publish only its topic and read only its secret", () => {
      const policy = JSON.parse(
        String(named(run, "aws:iam/rolePolicy:RolePolicy", "cost-intelligence-job-policy").inputs.policy),
      ) as { Statement: Json[] };
      const grants = new Map(policy.Statement.map((s) => [s.Action.join(","), s.Resource]));
      const bucket = named(run, "aws:s3/bucket:Bucket", "cost-intelligence-data").state.arn;
      expect(grants.get("ce:GetCostAndUsage,ce:GetCostAndUsageWithResources")).to.deep.equal(["*"]);
      expect(grants.get("autoscaling:DescribeAutoScalingGroups")).to.deep.equal(["*"]);
      expect(grants.get("s3:GetObject,s3:PutObject")).to.deep.equal([`${bucket}/costs/*`, `${bucket}/reports/*`]);
      expect(grants.get("sns:Publish")).to.deep.equal([
        named(run, "aws:sns/topic:Topic", "cost-intelligence-topic").state.arn,
      ]);
      expect(grants.get("secretsmanager:GetSecretValue")).to.deep.equal([
        named(run, "aws:secretsmanager/secret:Secret", "cost-intelligence-oci-key").state.arn,
      ]);
    });

    it("mails the FinOps list through an encrypted topic of its own, and the OCI user reads usage only", () => {
      const topic = named(run, "aws:sns/topic:Topic", "cost-intelligence-topic");
      expect(topic.inputs.kmsMasterKeyId).to.equal(
        named(run, "aws:kms/key:Key", "cost-intelligence-topic-key").state.arn,
      );
      const subscribed = ofType(run, "aws:sns/topicSubscription:TopicSubscription")
        .filter((s) => s.inputs.topic === topic.state.arn)
        .map((s) => s.inputs.endpoint);
      expect(subscribed.sort()).to.deep.equal([...budget().alertEmails].sort());
      const group = named(run, "oci:Identity/group:Group", "cost-intelligence-oci-group");
      const compartment = (JSON.parse(loadStackConfig(stack).config["multicloud:oci"]) as { compartmentId: string })
        .compartmentId;
      expect(named(run, "oci:Identity/policy:Policy", "cost-intelligence-oci-policy").inputs.statements).to.deep.equal([
        `Allow group ${group.inputs.name} to read usage-report in tenancy`,
        `Allow group ${group.inputs.name} to read metrics in compartment id ${compartment}`,
      ]);
      expect(
        named(
          run,
          "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement",
          "cost-intelligence-oci-user-capabilities",
        ).inputs,
      ).to.deep.include({
        canUseApiKeys: true,
        canUseConsolePassword: false,
        canUseAuthTokens: false,
        canUseCustomerSecretKeys: false,
      });
      const alarm = named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "cost-intelligence-alarm-failed")
        .inputs as Json;
      expect(alarm).to.deep.include({ namespace: "AWS/Lambda", metricName: "Errors" });
    });
  });
}

describe("after hours (non-production)", () => {
  it("schedules the database for working days and keeps it stopped at weekends", () => {
    expect(adbScheduledOperations({ startUtc: "07:00", stopUtc: "19:00" })).to.deep.equal([
      { dayOfWeek: { name: "MONDAY" }, scheduledStartTime: "07:00", scheduledStopTime: "19:00" },
      { dayOfWeek: { name: "TUESDAY" }, scheduledStartTime: "07:00", scheduledStopTime: "19:00" },
      { dayOfWeek: { name: "WEDNESDAY" }, scheduledStartTime: "07:00", scheduledStopTime: "19:00" },
      { dayOfWeek: { name: "THURSDAY" }, scheduledStartTime: "07:00", scheduledStopTime: "19:00" },
      { dayOfWeek: { name: "FRIDAY" }, scheduledStartTime: "07:00", scheduledStopTime: "19:00" },
      { dayOfWeek: { name: "SATURDAY" } },
      { dayOfWeek: { name: "SUNDAY" } },
    ]);
    expect(
      nodeScheduleActions({ startUtc: "06:30", stopUtc: "20:15" }, { minSize: 2, desiredSize: 3, maxSize: 5 }),
    ).to.deep.equal([
      { suffix: "stop", recurrence: "15 20 * * MON-FRI", minSize: 0, desiredCapacity: 0, maxSize: 0 },
      { suffix: "start", recurrence: "30 6 * * MON-FRI", minSize: 2, desiredCapacity: 3, maxSize: 5 },
    ]);
  });

  it("dev: the database's scheduled operations and the node group's Auto Scaling group to zero at 19:00 and back at 07:00; prod: neither", async () => {
    const dev = await runStack("dev");
    const hours = JSON.parse(loadStackConfig("dev").config["multicloud:budget"]).afterHours as {
      startUtc: string;
      stopUtc: string;
    };
    const atp = ofType(dev, "oci:Database/autonomousDatabase:AutonomousDatabase").find(
      (d) => d.inputs.dbWorkload === "OLTP",
    )!;
    expect(atp.inputs.scheduledOperations).to.deep.equal(adbScheduledOperations(hours));
    const asg = (named(dev, "aws:eks/nodeGroup:NodeGroup", "eks-nodes").state.resources as Json[])[0]
      .autoscalingGroups[0].name;
    const schedules = ofType(dev, "aws:autoscaling/schedule:Schedule").map((s) => s.inputs as Json);
    const nodes = JSON.parse(loadStackConfig("dev").config["multicloud:eks"]).nodes as {
      minSize: number;
      desiredSize: number;
      maxSize: number;
    };
    expect(
      schedules.map((s) => [s.autoscalingGroupName, s.recurrence, s.timeZone, s.minSize, s.desiredCapacity, s.maxSize]),
    ).to.have.deep.members([
      [asg, "0 19 * * MON-FRI", "Etc/UTC", 0, 0, 0],
      [asg, "0 7 * * MON-FRI", "Etc/UTC", nodes.minSize, nodes.desiredSize, nodes.maxSize],
    ]);
    const prod = await runStack("prod");
    expect(ofType(prod, "aws:autoscaling/schedule:Schedule")).to.deep.equal([]);
    expect(
      ofType(prod, "oci:Database/autonomousDatabase:AutonomousDatabase").every(
        (d) => d.inputs.scheduledOperations === undefined,
      ),
    ).to.equal(true);
  });
});

describe("the daily cost report with remediation acting (dev, config changed to act)", () => {
  it("may set the node group's Auto Scaling group to zero and stop the stack's databases, and nothing else", async () => {
    const run = await runWithConfigChange("dev", "multicloud:budget", ["report", "remediation"], "act");
    if (run.error) throw run.error;
    const policy = JSON.parse(
      String(named(run, "aws:iam/rolePolicy:RolePolicy", "cost-intelligence-job-policy").inputs.policy),
    ) as { Statement: Json[] };
    const asg = (named(run, "aws:eks/nodeGroup:NodeGroup", "eks-nodes").state.resources as Json[])[0]
      .autoscalingGroups[0].name;
    expect(
      policy.Statement.find((st) => st.Action.includes("autoscaling:UpdateAutoScalingGroup"))!.Resource,
    ).to.deep.equal([
      `arn:aws:autoscaling:eu-west-1:${String(
        named(run, "aws:s3/bucket:Bucket", "cost-intelligence-data").inputs.bucket,
      )
        .split("-")
        .pop()}:autoScalingGroup:*:autoScalingGroupName/${asg}`,
    ]);
    const statements = named(run, "oci:Identity/policy:Policy", "cost-intelligence-oci-policy").inputs
      .statements as string[];
    expect(statements[2]).to.match(
      /^Allow group multicloud-dev-cost-report to use autonomous-databases in compartment id ocid1\.compartment\./,
    );
    const dryRun = await runStack("dev");
    const dryPolicy = JSON.parse(
      String(named(dryRun, "aws:iam/rolePolicy:RolePolicy", "cost-intelligence-job-policy").inputs.policy),
    ) as { Statement: Json[] };
    expect(
      dryPolicy.Statement.some((st) => st.Action.includes("autoscaling:UpdateAutoScalingGroup")),
      "dryRun cannot act",
    ).to.equal(false);
  });
});

describe("budgets per cost centre (org stack)", () => {
  it("OCI: targets the cost_center tag's value tenancy-wide, AWS: filters by cost_center alone; 70/90/100 alerts, tagged, once the tag exists", async () => {
    const org = await runStack("org");
    if (org.error) throw org.error;
    const config = loadStackConfig("org").config;
    const wanted = JSON.parse(config["multicloud:costCenterBudgets"]) as {
      costCenter: string;
      ociMonthlyLimit: number;
      awsMonthlyLimit?: number;
      currency?: string;
      alertEmails: string[];
    }[];
    const budgets = ofType(org, "oci:Budget/budget:Budget");
    expect(
      budgets.map((b) => [b.inputs.targetType, b.inputs.targets, b.inputs.amount, b.inputs.compartmentId]),
    ).to.deep.equal(
      wanted.map((w) => [
        "TAG",
        [costCenterBudgetTarget("multicloud", w.costCenter)],
        w.ociMonthlyLimit,
        JSON.parse(config["multicloud:oci"]).tenancyId,
      ]),
    );
    const rules = ofType(org, "oci:Budget/rule:Rule").filter((r) => r.inputs.budgetId === budgets[0].id);
    expect(rules.map((r) => [r.inputs.type, r.inputs.threshold, r.inputs.recipients])).to.deep.equal([
      ["ACTUAL", 70, wanted[0].alertEmails.join(",")],
      ["ACTUAL", 90, wanted[0].alertEmails.join(",")],
      ["FORECAST", 100, wanted[0].alertEmails.join(",")],
    ]);
    const tagUrns = ofType(org, "oci:Identity/tag:Tag").map((t) => t.urn);
    expect(
      tagUrns.every((urn) => budgets[0].dependencies.includes(urn)),
      "the budget waits for the tag definitions",
    ).to.equal(true);
    const awsBudgets = ofType(org, "aws:budgets/budget:Budget");
    expect(
      awsBudgets.map((b) => [b.inputs.name, b.inputs.limitAmount, b.inputs.limitUnit, b.inputs.filterExpression]),
    ).to.deep.equal(
      wanted
        .filter((w) => w.awsMonthlyLimit !== undefined)
        .map((w) => [
          `multicloud-org-${w.costCenter}-monthly`,
          w.awsMonthlyLimit!.toFixed(2),
          w.currency ?? "USD",
          { tags: { key: "cost_center", values: [w.costCenter], matchOptions: ["EQUALS"] } },
        ]),
    );
    expect(awsBudgets.length, "the org stack's config gives one cost centre an AWS limit").to.equal(1);
    expect(
      (
        awsBudgets[0].inputs.notifications as {
          notificationType: string;
          threshold: number;
          subscriberEmailAddresses: string[];
        }[]
      ).map((n) => [n.notificationType, n.threshold, n.subscriberEmailAddresses]),
    ).to.deep.equal([
      ["ACTUAL", 70, wanted[0].alertEmails],
      ["ACTUAL", 90, wanted[0].alertEmails],
      ["FORECASTED", 100, wanted[0].alertEmails],
    ]);
    for (const r of [...budgets, ...rules])
      expect(r.inputs.definedTags).to.deep.equal({
        "multicloud.cost_center": config["multicloud:costCenter"],
        "multicloud.environment": "org",
        "multicloud.owner": config["multicloud:owner"],
      });
  });
});
