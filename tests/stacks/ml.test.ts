import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { INFERENCE_TIMEOUTS } from "../../functions/aws/inference/contract";
import { modelSources } from "../../components/ml/modelEndpoint";
import {
  buildBundle,
  buildFunctionBundle,
  bundleFunction,
  bundleSource,
  MAX_BUNDLE_BYTES,
  REPO_ROOT,
} from "../../components/shared/functionBundle";
import { grantsPolicy } from "../../components/shared/nodeFunction";
import { accountIdFor, RecordedResource, RunResult } from "../../offline/engine";
import { byId, named, ofType, runStack } from "../support/stacks";

interface Statement {
  Action: string[];
  Resource: string[];
}
const statementsOf = (policy: RecordedResource) =>
  (JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] }).Statement;

for (const stack of ["dev", "prod"] as const) {
  describe(`ML pipeline on the offline engine (${stack})`, () => {
    let run: RunResult;
    const prod = stack === "prod";
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const key = () => named(run, "aws:kms/key:Key", "features-key");

    it("encrypts the stream, table and failure queue with the rotating pipeline key", () => {
      expect(key().inputs.enableKeyRotation).to.equal(true);
      const stream = named(run, "aws:kinesis/stream:Stream", "features-events");
      expect(stream.inputs).to.deep.include({ encryptionType: "KMS", kmsKeyId: key().state.arn });
      expect(stream.inputs.streamModeDetails).to.deep.equal({ streamMode: prod ? "ON_DEMAND" : "PROVISIONED" });
      expect(stream.inputs.shardCount).to.equal(prod ? undefined : 1);
      const table = named(run, "aws:dynamodb/table:Table", "features-features");
      expect(table.inputs).to.deep.include({
        billingMode: "PAY_PER_REQUEST",
        hashKey: "userId",
        deletionProtectionEnabled: prod,
      });
      expect(table.inputs.pointInTimeRecovery).to.deep.equal({ enabled: true });
      expect(table.inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: key().state.arn });
      expect(table.protect).to.equal(prod);
      expect(named(run, "aws:sqs/queue:Queue", "features-failures").inputs.kmsMasterKeyId).to.equal(key().state.arn);
      expect(
        named(run, "aws:sagemaker/endpointConfiguration:EndpointConfiguration", "model-config").inputs.kmsKeyArn,
      ).to.equal(key().state.arn);
    });

    it("maps the stream with partial batch failures, bisect, bounded retries and age, and the failure queue", () => {
      const esm = named(run, "aws:lambda/eventSourceMapping:EventSourceMapping", "features-mapping");
      expect(esm.inputs).to.deep.include({
        eventSourceArn: named(run, "aws:kinesis/stream:Stream", "features-events").state.arn,
        functionName: named(run, "aws:lambda/function:Function", "features-handler-function").state.arn,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 3,
        maximumRecordAgeInSeconds: 3600,
        parallelizationFactor: prod ? 4 : 1,
        batchSize: 100,
      });
      expect(esm.inputs.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
      expect(esm.inputs.destinationConfig).to.deep.equal({
        onFailure: { destinationArn: named(run, "aws:sqs/queue:Queue", "features-failures").state.arn },
      });
    });

    it("scopes every function role to the exact ARNs of its own stream, table, queue, key, endpoint and log group", () => {
      const arnOf = (type: string, name: string) => String(named(run, type, name).state.arn);
      const features = statementsOf(named(run, "aws:iam/rolePolicy:RolePolicy", "features-handler-policy"));
      expect(features.map((s) => [s.Action.join(","), s.Resource])).to.deep.equal([
        [
          "logs:CreateLogStream,logs:PutLogEvents",
          [`${arnOf("aws:cloudwatch/logGroup:LogGroup", "features-handler-logs")}:*`],
        ],
        // Shared-throughput polling only: no enhanced fan-out consumer, so no SubscribeToShard.
        [
          "kinesis:DescribeStream,kinesis:DescribeStreamSummary,kinesis:GetRecords,kinesis:GetShardIterator,kinesis:ListShards",
          [arnOf("aws:kinesis/stream:Stream", "features-events")],
        ],
        [
          "dynamodb:PutItem,dynamodb:GetItem,dynamodb:BatchGetItem",
          [arnOf("aws:dynamodb/table:Table", "features-features")],
        ],
        ["sqs:SendMessage", [arnOf("aws:sqs/queue:Queue", "features-failures")]],
        // Encrypted stream to read, encrypted queue and table to write.
        ["kms:Decrypt,kms:GenerateDataKey", [arnOf("aws:kms/key:Key", "features-key")]],
      ]);
      const inference = statementsOf(named(run, "aws:iam/rolePolicy:RolePolicy", "inference-handler-policy"));
      expect(inference.map((s) => [s.Action.join(","), s.Resource])).to.deep.equal([
        [
          "logs:CreateLogStream,logs:PutLogEvents",
          [`${arnOf("aws:cloudwatch/logGroup:LogGroup", "inference-handler-logs")}:*`],
        ],
        ["dynamodb:GetItem", [arnOf("aws:dynamodb/table:Table", "features-features")]],
        ["kms:Decrypt", [arnOf("aws:kms/key:Key", "features-key")]],
        ["sagemaker:InvokeEndpoint", [arnOf("aws:sagemaker/endpoint:Endpoint", "model-endpoint")]],
      ]);
      // Only the one action AWS offers no resource-level permission for may use "*".
      const model = statementsOf(named(run, "aws:iam/rolePolicy:RolePolicy", "model-policy"));
      expect(model.filter((s) => s.Resource.includes("*")).map((s) => s.Action)).to.deep.equal([
        ["ecr:GetAuthorizationToken"],
      ]);
      expect(model[0]).to.deep.include({
        Resource: ["arn:aws:s3:::multicloud-" + stack + "-models-eu-west-1/features/model-2026-11-01.tar.gz"],
      });
      for (const policy of ofType(run, "aws:iam/rolePolicy:RolePolicy")) {
        for (const s of statementsOf(policy))
          expect(
            s.Action.some((a) => a.includes("*")),
            `${policy.name} ${s.Action.join(",")}`,
          ).to.equal(false);
      }
    });

    it("runs Node 22 on arm64 with JSON logs kept for the configured retention, and nests the deadlines", () => {
      for (const name of ["features-handler", "inference-handler"]) {
        const fn = named(run, "aws:lambda/function:Function", `${name}-function`);
        expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", handler: "index.handler" });
        expect(fn.inputs.architectures).to.deep.equal(["arm64"]);
        const logs = named(run, "aws:cloudwatch/logGroup:LogGroup", `${name}-logs`);
        expect(fn.inputs.loggingConfig).to.deep.include({ logFormat: "JSON", logGroup: logs.state.name });
        expect(logs.inputs.retentionInDays).to.equal(prod ? 365 : 30);
      }
      const inference = named(run, "aws:lambda/function:Function", "inference-handler-function");
      const integration = named(run, "aws:apigatewayv2/integration:Integration", "inference-integration");
      const modelMs = Number(
        (inference.inputs.environment as { variables: Record<string, string> }).variables.MODEL_TIMEOUT_MS,
      );
      expect(modelMs).to.equal(INFERENCE_TIMEOUTS.modelMs);
      expect(modelMs).to.be.lessThan(Number(inference.inputs.timeout) * 1000);
      expect(Number(inference.inputs.timeout) * 1000).to.be.lessThan(Number(integration.inputs.timeoutMilliseconds));
      expect(Number(integration.inputs.timeoutMilliseconds)).to.be.at.most(30_000);
    });

    it("serves POST /predict behind IAM auth with throttling and access logs, invoking only through this API", () => {
      const route = named(run, "aws:apigatewayv2/route:Route", "inference-predict");
      expect(route.inputs).to.deep.include({ routeKey: "POST /predict", authorizationType: "AWS_IAM" });
      const stage = named(run, "aws:apigatewayv2/stage:Stage", "inference-stage");
      expect(stage.inputs.defaultRouteSettings).to.deep.include({ throttlingBurstLimit: 100, throttlingRateLimit: 50 });
      expect((stage.inputs.accessLogSettings as Record<string, unknown>).destinationArn).to.equal(
        named(run, "aws:cloudwatch/logGroup:LogGroup", "inference-access").state.arn,
      );
      const permission = named(run, "aws:lambda/permission:Permission", "inference-invoke");
      expect(permission.inputs.sourceArn).to.equal(
        `${String(named(run, "aws:apigatewayv2/api:Api", "inference-api").state.executionArn)}/*/*`,
      );
    });

    it("alarms on iterator age, failure-queue depth, function errors and throttles, too-late events, and endpoint 5xx, each notifying the alarm topic", () => {
      // The ML pipeline's alarms (the sync area has its own).
      const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
        (a) =>
          !a.name.startsWith("orders-sync-") &&
          !a.name.startsWith("orders-batch-") &&
          !a.name.startsWith("link-") &&
          !a.name.startsWith("cost-intelligence-"),
      );
      expect(
        alarms.map((a) => `${a.name} ${String(a.inputs.namespace)}/${String(a.inputs.metricName)}`).sort(),
      ).to.deep.equal([
        "features-errors AWS/Lambda/Errors",
        "features-failure-queue AWS/SQS/ApproximateNumberOfMessagesVisible",
        "features-iterator-age AWS/Lambda/IteratorAge",
        "features-throttles AWS/Lambda/Throttles",
        "features-too-late-events multicloud/features/TooLateEvents",
        "inference-errors AWS/Lambda/Errors",
        "model-5xx AWS/SageMaker/Invocation5XXErrors",
      ]);
      const topicArn = named(run, "aws:sns/topic:Topic", "alarms-topic").state.arn;
      for (const a of alarms)
        expect([a.name, a.inputs.alarmActions, a.inputs.okActions]).to.deep.equal([a.name, [topicArn], [topicArn]]);
      // The function publishes TooLateEvents with its own name as the service dimension.
      const handler = named(run, "aws:lambda/function:Function", "features-handler-function");
      expect(
        named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "features-too-late-events").inputs.dimensions,
      ).to.deep.equal({ service: handler.state.name });
      expect((handler.inputs.environment as { variables: Record<string, string> }).variables).to.deep.include({
        FEATURE_ALLOWED_LATENESS_MS: String(15 * 60_000),
      });
      expect(named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "features-iterator-age").inputs).to.deep.include({
        threshold: 300_000,
        period: 60,
        evaluationPeriods: 5,
        statistic: "Maximum",
      });
    });

    it("sends alarms to a topic encrypted with its own key that only this account's CloudWatch may publish to, e-mailing each configured address", () => {
      const topic = named(run, "aws:sns/topic:Topic", "alarms-topic");
      const topicKey = named(run, "aws:kms/key:Key", "alarms-key");
      expect(topic.inputs).to.deep.include({ name: `multicloud-${stack}-alarms`, kmsMasterKeyId: topicKey.state.arn });
      expect(topicKey.inputs.enableKeyRotation).to.equal(true);
      const keyStatements = (
        JSON.parse(String(topicKey.inputs.policy)) as {
          Statement: Array<{ Sid: string; Principal: unknown; Action: unknown }>;
        }
      ).Statement;
      expect(keyStatements.find((st) => st.Sid === "CloudWatchAlarmsPublish")).to.deep.include({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      });
      const accountId = String(topic.state.arn).split(":")[4];
      expect(accountId).to.match(/^[0-9]{12}$/);
      const topicPolicy = named(run, "aws:sns/topicPolicy:TopicPolicy", "alarms-policy");
      expect(topicPolicy.inputs.arn).to.equal(topic.state.arn);
      const publish = (
        JSON.parse(String(topicPolicy.inputs.policy)) as { Statement: Array<{ Resource: string; Condition: unknown }> }
      ).Statement[0];
      expect(publish.Resource).to.equal(topic.state.arn);
      expect(publish.Condition).to.deep.equal({
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${accountId}:alarm:*` },
      });
      const subscriptions = ofType(run, "aws:sns/topicSubscription:TopicSubscription").filter(
        (s) => s.inputs.topic === topic.state.arn,
      );
      expect(
        subscriptions.map((sub) => [sub.inputs.topic, sub.inputs.protocol, sub.inputs.endpoint]),
      ).to.have.deep.members(
        (prod ? ["platform-oncall@example.com", "sre-escalation@example.com"] : ["platform-oncall@example.com"]).map(
          (email) => [topic.state.arn, "email", email],
        ),
      );
    });

    it(prod ? "autoscales the endpoint on invocations per instance" : "does not autoscale the dev endpoint", () => {
      // The endpoint's scaling target (MSK storage has its own).
      const targets = ofType(run, "aws:appautoscaling/target:Target").filter(
        (t) => t.inputs.serviceNamespace === "sagemaker",
      );
      if (!prod) {
        expect(targets).to.deep.equal([]);
        return;
      }
      expect(targets[0].inputs).to.deep.include({
        serviceNamespace: "sagemaker",
        scalableDimension: "sagemaker:variant:DesiredInstanceCount",
        minCapacity: 2,
        maxCapacity: 6,
        resourceId: "endpoint/multicloud-prod-feature-model/variant/primary",
      });
      const policy = named(run, "aws:appautoscaling/policy:Policy", "model-invocations");
      expect(policy.inputs.targetTrackingScalingPolicyConfiguration).to.deep.include({
        targetValue: 1000,
        predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
      });
      expect(named(run, "aws:sagemaker/model:Model", "model-model").inputs.enableNetworkIsolation).to.equal(true);
      expect(
        byId(run, named(run, "aws:sagemaker/endpoint:Endpoint", "model-endpoint").inputs.endpointConfigName).name,
      ).to.equal("model-config");
    });

    it(
      prod
        ? "reserves the configured concurrency per function, the feature one covering shards × parallelization"
        : "reserves no concurrency in dev (a low-quota account cannot)",
      () => {
        const reserved = ["features-handler-function", "inference-handler-function", "migrations-handler-function"].map(
          (name) => named(run, "aws:lambda/function:Function", name).inputs.reservedConcurrentExecutions,
        );
        expect(reserved).to.deep.equal(prod ? [20, 50, undefined] : [undefined, undefined, undefined]);
      },
    );

    it("lets SageMaker assume the model role only on behalf of this stack's account", () => {
      const trust = JSON.parse(String(named(run, "aws:iam/role:Role", "model-role").inputs.assumeRolePolicy)) as {
        Statement: unknown[];
      };
      expect(trust.Statement).to.deep.equal([
        {
          Effect: "Allow",
          Principal: { Service: "sagemaker.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": accountIdFor(stack) } },
        },
      ]);
    });

    it("bundles every handler to at most 1 MB and reports the sizes in the stack outputs", () => {
      const bundles = (run.outputs.ml as { bundles: Record<string, { bytes: number; sha256: string }> }).bundles;
      expect(Object.keys(bundles)).to.deep.equal(["features", "inference"]);
      for (const b of Object.values(bundles)) {
        expect(b.bytes).to.be.greaterThan(10_000).and.at.most(MAX_BUNDLE_BYTES);
        expect(b.sha256).to.match(/^[0-9a-f]{64}$/);
      }
    });
  });
}

describe("function bundling", () => {
  it("is deterministic: two fresh builds by the project's bundler give the same bytes; an added file changes the hash", () => {
    const [fresh, again] = [
      buildBundle("functions/aws/features/handler.ts"),
      buildBundle("functions/aws/features/handler.ts"),
    ];
    expect(fresh.source === again.source, "two esbuild runs").to.equal(true);
    expect(fresh.inputs)
      .to.have.property("functions/aws/features/handler.ts")
      .that.matches(/^[0-9a-f]{64}$/);
    const [first, second] = [
      buildFunctionBundle("functions/aws/features/handler.ts"),
      buildFunctionBundle("functions/aws/features/handler.ts"),
    ];
    expect(first).to.not.equal(second);
    expect(
      second.source === first.source && second.sha256 === first.sha256 && first.source === fresh.source,
      "cached = fresh",
    ).to.equal(true);
    expect(first.sha256).to.equal(createHash("sha256").update(first.source).digest("hex"));
    expect(
      buildFunctionBundle("functions/aws/features/handler.ts", { "sql/V001.sql": "SELECT 1 FROM dual;" }).sha256,
    ).to.not.equal(first.sha256);
    expect(bundleFunction("functions/aws/features/handler.ts"), "cached per process").to.equal(
      bundleFunction("functions/aws/features/handler.ts"),
    );
  });

  it("takes a bundle from the disk cache only while every file it was built from is unchanged", () => {
    // A throwaway entry inside the repository (esbuild works from the repository root) importing a second file.
    const dir = mkdtempSync(path.join(REPO_ROOT, "node_modules", ".cache", "bundle-test-"));
    try {
      const rel = (f: string) => path.relative(REPO_ROOT, path.join(dir, f));
      writeFileSync(path.join(dir, "dep.ts"), "export const word = 'first';\n");
      writeFileSync(path.join(dir, "entry.ts"), "import { word } from './dep';\nexport const handler = () => word;\n");
      const first = bundleSource(rel("entry.ts"));
      expect(first).to.contain('"first"');
      expect(bundleSource(rel("entry.ts")), "a hit is the same text").to.equal(first);
      writeFileSync(path.join(dir, "dep.ts"), "export const word = 'second';\n");
      const second = bundleSource(rel("entry.ts"));
      expect(second, "an imported file changed: rebuilt").to.contain('"second"').and.not.contain('"first"');
      expect(second).to.equal(buildBundle(rel("entry.ts")).source);
      // A file added beside the import that esbuild now resolves first (.tsx before .ts), every
      // file it read before unchanged: the folder's listing changed, so the entry is rebuilt.
      writeFileSync(path.join(dir, "dep.tsx"), "export const word = 'third';\n");
      expect(bundleSource(rel("entry.ts")), "an import now resolves elsewhere").to.contain('"third"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an entry that does not build, naming it", () => {
    expect(() => buildFunctionBundle("functions/aws/no-such/handler.ts")).to.throw(/no-such\/handler\.ts/);
  });
});

describe("IAM helpers", () => {
  it("refuses wildcard actions and unexplained '*' resources", () => {
    expect(() => grantsPolicy([{ actions: ["s3:*"], resources: ["arn:aws:s3:::b/*"] }])).to.throw(
      "wildcard action in s3:*",
    );
    expect(() => grantsPolicy([{ actions: ["ec2:DescribeNetworkInterfaces"], resources: ["*"] }])).to.throw(
      '"*" resource for ec2:DescribeNetworkInterfaces needs a wildcardReason',
    );
    expect(
      JSON.parse(grantsPolicy([{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:1:q"] }])).Statement,
    ).to.deep.equal([
      { Sid: "Grant0", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["arn:aws:sqs:eu-west-1:1:q"] },
    ]);
  });

  it("derives the model role's exact sources from the image and model URLs", () => {
    expect(
      modelSources(
        "763104351884.dkr.ecr.eu-west-1.amazonaws.com/sklearn-inference:1.2-1-cpu-py3",
        "s3://models/a/b/model.tar.gz",
      ),
    ).to.deep.equal({
      repositoryArn: "arn:aws:ecr:eu-west-1:763104351884:repository/sklearn-inference",
      modelObjectArn: "arn:aws:s3:::models/a/b/model.tar.gz",
    });
  });
});
