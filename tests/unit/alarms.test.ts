import { expect } from "chai";
import { alarmKeyAccess, alarmTopicPolicy } from "../../components/ops/alarmTopic";
import { keyPolicy } from "../../components/shared/kms";
import { alarmArgs } from "../../components/shared/alarms";

describe("alarm decisions (pure)", () => {
  const topic = "arn:aws:sns:eu-west-1:111122223333:multicloud-dev-alarms";

  it("fires on any occurrence over five minutes by default, notifies on alarm and recovery, and treats no data as fine", () => {
    const args = alarmArgs(
      {
        description: "d",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: "f" },
        statistic: "Sum",
      },
      topic,
    );
    expect(args).to.deep.equal({
      alarmDescription: "d",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: "f" },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [topic],
      okActions: [topic],
    });
  });

  it("keeps a spec's own threshold, period and evaluation periods", () => {
    const args = alarmArgs(
      {
        description: "d",
        namespace: "AWS/Lambda",
        metricName: "IteratorAge",
        dimensions: {},
        statistic: "Maximum",
        threshold: 300_000,
        periodSeconds: 60,
        evaluationPeriods: 5,
      },
      topic,
    );
    expect([args.threshold, args.period, args.evaluationPeriods]).to.deep.equal([300_000, 60, 5]);
  });

  it("lets CloudWatch, AWS Budgets and Cost Anomaly Detection use the topic key only for this account", () => {
    const ctx = { accountId: "111122223333", partition: "aws", region: "eu-west-1" };
    const policy = JSON.parse(keyPolicy(ctx, alarmKeyAccess(ctx, ["arn:aws:iam::111122223333:role/admin"]))) as {
      Statement: Array<Record<string, unknown>>;
    };
    expect(policy.Statement.map((s) => s.Sid)).to.deep.equal([
      "KeyAdministration",
      "KeyUseThroughServices",
      "CloudWatchAlarmsPublish",
      "BudgetsPublish",
      "CostAnomalyDetectionPublish",
    ]);
    expect(
      (policy.Statement[1].Condition as Record<string, Record<string, unknown>>).StringEquals["kms:ViaService"],
    ).to.deep.equal(["sns.eu-west-1.amazonaws.com"]);
    expect(policy.Statement[2]).to.deep.equal({
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
    expect(policy.Statement[3]).to.deep.include({
      Principal: { Service: "budgets.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
    expect(policy.Statement[4]).to.deep.include({
      Principal: { Service: "costalerts.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
  });

  it("lets only this account's alarms in this region, its budgets and its anomaly subscriptions publish to the topic", () => {
    const statement = (
      JSON.parse(alarmTopicPolicy(topic, "111122223333", "eu-west-1", "aws")) as {
        Statement: Array<Record<string, unknown>>;
      }
    ).Statement;
    expect(statement).to.have.length(3);
    expect(statement[2]).to.deep.include({
      Action: "sns:Publish",
      Resource: topic,
      Principal: { Service: "costalerts.amazonaws.com" },
    });
    expect(statement[2].Condition).to.deep.equal({
      StringEquals: { "aws:SourceAccount": "111122223333" },
      ArnLike: { "aws:SourceArn": "arn:aws:ce::111122223333:anomalysubscription/*" },
    });
    expect(statement[1]).to.deep.include({
      Action: "sns:Publish",
      Resource: topic,
      Principal: { Service: "budgets.amazonaws.com" },
    });
    expect(statement[1].Condition).to.deep.equal({
      StringEquals: { "aws:SourceAccount": "111122223333" },
      ArnLike: { "aws:SourceArn": "arn:aws:budgets::111122223333:budget/*" },
    });
    expect(statement[0]).to.deep.include({
      Action: "sns:Publish",
      Resource: topic,
      Principal: { Service: "cloudwatch.amazonaws.com" },
    });
    expect(statement[0].Condition).to.deep.equal({
      StringEquals: { "aws:SourceAccount": "111122223333" },
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:*" },
    });
  });
});
