import { expect } from "chai";
import { alarmKeyAccess, alarmTopicPolicy } from "../../components/ops/alarmTopic";
import { keyPolicy } from "../../components/shared/kms";
import * as pulumi from "@pulumi/pulumi";
import { deliveryErrorsSpec, functionErrorsSpec } from "../../components/monitoring/pipelineAlarms";
import { alarmArgs, failureRateAlarmArgs } from "../../components/shared/alarms";
import { ociAlarmQuery } from "../../components/shared/ociAlarms";
import { syncLogFilterPattern, syncLogMetricNamespace } from "../../components/sync/orderSync";
import { matchesJsonFilter } from "../support/logFilter";

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

  it("alarms on a failure rate by metric math: failed / (failed + succeeded), 0 when neither, no data not breaching", () => {
    const spec = {
      description: "d",
      namespace: "multicloud/OrderSync/multicloud-dev",
      failedMetric: "WriteFailures",
      succeededMetric: "BatchesWritten",
      threshold: 0.25,
      evaluationPeriods: 3,
    };
    expect(failureRateAlarmArgs(spec, topic)).to.deep.equal({
      alarmDescription: "d",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 0.25,
      evaluationPeriods: 3,
      treatMissingData: "notBreaching",
      metricQueries: [
        {
          id: "failed",
          metric: { namespace: spec.namespace, metricName: "WriteFailures", period: 300, stat: "Sum" },
          returnData: false,
        },
        {
          id: "succeeded",
          metric: { namespace: spec.namespace, metricName: "BatchesWritten", period: 300, stat: "Sum" },
          returnData: false,
        },
        {
          id: "rate",
          expression: "IF(failed + succeeded > 0, failed / (failed + succeeded), 0)",
          label: "share failed",
          returnData: true,
        },
      ],
      alarmActions: [topic],
      okActions: [topic],
    });
    for (const threshold of [0, -0.1, 1.01, Number.NaN])
      expect(() => failureRateAlarmArgs({ ...spec, threshold }, topic), String(threshold)).to.throw(
        `failure-rate threshold ${threshold} is not a share in (0, 1]`,
      );
    expect(failureRateAlarmArgs({ ...spec, threshold: 1 }, topic).threshold).to.equal(1);
  });

  it("selects the sync container's lines of one event, as the observability add-on's Fluent Bit ships them", () => {
    const line = { level: 30, event: "batch.failed", partition: 0, attempt: 2, message: "ORA-03113" };
    const shipped = (event: object, namespace = "orders", container = "sync") => ({
      log: JSON.stringify(event),
      log_processed: event,
      stream: "stdout",
      kubernetes: { namespace_name: namespace, container_name: container, pod_name: "orders-sync-7d9f-abcde" },
    });
    const failed = syncLogFilterPattern("batch.failed");
    expect(failed).to.equal(
      '{ ($.kubernetes.namespace_name = "orders") && ($.kubernetes.container_name = "sync") && ($.log_processed.event = "batch.failed") }',
    );
    expect(matchesJsonFilter(failed, shipped(line))).to.equal(true);
    expect(matchesJsonFilter(failed, shipped({ ...line, event: "batch.written" }))).to.equal(false);
    expect(matchesJsonFilter(failed, shipped(line, "default"))).to.equal(false);
    expect(matchesJsonFilter(failed, shipped(line, "orders", "api"))).to.equal(false);
    // A line that is not JSON has no log_processed: never counted.
    expect(matchesJsonFilter(failed, { log: "batch.failed", kubernetes: shipped(line).kubernetes })).to.equal(false);
    expect(() => matchesJsonFilter('{ $.a != "b" }', {})).to.throw("unsupported clause");
    expect(() => matchesJsonFilter("batch.failed", {})).to.throw("not a JSON filter pattern");
    expect(syncLogMetricNamespace("multicloud-prod")).to.equal("multicloud/OrderSync/multicloud-prod");
  });

  it("writes OCI alarm queries on a resource id or on named dimensions", () => {
    expect(ociAlarmQuery("CpuUtilization", "5m", "ocid1.x", "mean", ">", 80)).to.equal(
      'CpuUtilization[5m]{resourceId = "ocid1.x"}.mean() > 80',
    );
    expect(
      ociAlarmQuery("FunctionResponseCount", "5m", { resourceId: "ocid1.fn", responseType: "Error" }, "sum", ">", 0),
    ).to.equal('FunctionResponseCount[5m]{resourceId = "ocid1.fn", responseType = "Error"}.sum() > 0');
  });

  it("alarms on an OCI function's failed invocations and a connector's failed deliveries, any in 5 minutes", async () => {
    const resolved = (q: pulumi.Input<string>) => new Promise<string>((r) => pulumi.output(q).apply(r));
    const fn = functionErrorsSpec("multicloud-dev", "anomaly", "ocid1.fnfunc.oc1.fra.a");
    expect({ ...fn, query: await resolved(fn.query) }).to.deep.include({
      displayName: "multicloud-dev-anomaly-errors",
      namespace: "oci_faas",
      query: 'FunctionResponseCount[5m]{resourceId = "ocid1.fnfunc.oc1.fra.a", responseType = "Error"}.sum() > 0',
      severity: "CRITICAL",
      pendingDuration: "PT5M",
    });
    expect(fn.body).to.match(/^multicloud-dev: the anomaly function's invocations fail/);
    const connector = deliveryErrorsSpec("multicloud-dev", "anomaly", "ocid1.serviceconnector.oc1.fra.c");
    expect({ ...connector, query: await resolved(connector.query) }).to.deep.include({
      displayName: "multicloud-dev-anomaly-delivery",
      namespace: "oci_service_connector_hub",
      query: 'ErrorsAtTarget[5m]{connectorId = "ocid1.serviceconnector.oc1.fra.c"}.sum() > 0',
      severity: "CRITICAL",
      pendingDuration: "PT5M",
    });
    expect(connector.body).to.match(/^multicloud-dev: Connector Hub cannot deliver the anomaly stream/);
  });
});
