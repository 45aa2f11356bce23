/**
 * The batch path on the real dev and prod plans: the schedule starts the workflow with the
 * scheduled time; the workflow invokes the three functions it is built from, logs with execution
 * data to its own encrypted group and traces; the export and the load run in the VPC with groups
 * that reach the brokers and S3, or the listener and the endpoints; the buckets are private,
 * encrypted, versioned and expiring; the copy's OCI user can only use customer secret keys, its key
 * is kept secret in Secrets Manager; the database reads the bucket through its dynamic group only.
 */
import { expect } from "chai";
import { BATCH_ENV } from "../../functions/aws/batch/contract";
import {
  exportBucketName,
  exportKafkaGrants,
  ociBatchPolicyStatements,
  tlsOnlyBucketPolicy,
} from "../../components/sync/batchSync";
import { RunResult } from "../../offline/engine";
import { loadStackConfig } from "../../offline/stacks";
import { named, ofType, runStack } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- registered inputs read field by field

describe("batch path decisions (pure)", () => {
  it("lets the copy's group write, the database's dynamic group read, and Object Storage expire — the batch bucket only", () => {
    expect(
      ociBatchPolicyStatements({
        copyGroup: "g",
        databaseDynamicGroup: "d",
        compartmentId: "ocid1.compartment.oc1..c",
        bucket: "b",
        region: "eu-frankfurt-1",
      }),
    ).to.deep.equal([
      "Allow group g to manage objects in compartment id ocid1.compartment.oc1..c where target.bucket.name = 'b'",
      "Allow dynamic-group d to read objects in compartment id ocid1.compartment.oc1..c where target.bucket.name = 'b'",
      "Allow service objectstorage-eu-frankfurt-1 to manage object-family in compartment id ocid1.compartment.oc1..c where target.bucket.name = 'b'",
    ]);
  });

  it("names the export bucket by the prefix and the account (S3 names are global), refusing one over 63 characters", () => {
    expect(exportBucketName("multicloud-prod", "127590287683")).to.equal("multicloud-prod-orders-batch-127590287683");
    expect(() => exportBucketName("x".repeat(40), "127590287683")).to.throw(
      "is over 63 characters; shorten the stack's name prefix",
    );
  });

  it("denies plain HTTP to the export bucket for everyone", () => {
    expect(JSON.parse(tlsOnlyBucketPolicy("arn:aws:s3:::b")).Statement).to.deep.equal([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("lets the export connect, read the orders topic and use its own per-run groups, and write nothing", () => {
    const grants = exportKafkaGrants(
      "arn:aws:kafka:eu-west-1:111122223333:cluster/c/u-1",
      "arn:aws:kafka:eu-west-1:111122223333:topic/c/u-1/orders",
    );
    expect(grants.map((g) => g.actions)).to.deep.equal([
      ["kafka-cluster:Connect"],
      ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
      ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
    ]);
    expect(grants.flatMap((g) => g.actions).some((a) => a.includes("Write"))).to.equal(false);
  });
});

for (const stack of ["dev", "prod"] as const) {
  describe(`batch path (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const settings = () =>
      JSON.parse(loadStackConfig(stack).config["multicloud:sync"]).batch as { schedule: string; retentionDays: number };
    const fn = (suffix: string) => {
      const f = named(run, "aws:lambda/function:Function", `orders-batch-${suffix}-function`);
      return { ...f, inputs: f.inputs as Json };
    };
    const policyOf = (name: string) =>
      JSON.parse(String(named(run, "aws:iam/rolePolicy:RolePolicy", name).inputs.policy)).Statement as Json[];

    it("runs the day before at the configured time: the schedule starts the workflow with the scheduled time, retried, with a role that may start only it", () => {
      const schedule = named(run, "aws:scheduler/schedule:Schedule", "orders-batch-schedule").inputs as Json;
      const machine = named(run, "aws:sfn/stateMachine:StateMachine", "orders-batch-workflow");
      expect(schedule).to.deep.include({
        scheduleExpression: settings().schedule,
        scheduleExpressionTimezone: "UTC",
        state: "ENABLED",
        flexibleTimeWindow: { mode: "OFF" },
      });
      expect(schedule.target.arn).to.equal(machine.state.arn);
      expect(JSON.parse(schedule.target.input)).to.deep.equal({ scheduledTime: "<aws.scheduler.scheduled-time>" });
      expect(schedule.target.retryPolicy).to.deep.equal({ maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 });
      expect(policyOf("orders-batch-schedule-policy")).to.deep.equal([
        { Sid: "StartWorkflow", Effect: "Allow", Action: ["states:StartExecution"], Resource: [machine.state.arn] },
      ]);
    });

    it("creates the workflow after its role policy (Step Functions checks the log delivery rights at create time)", () => {
      const machine = named(run, "aws:sfn/stateMachine:StateMachine", "orders-batch-workflow");
      const policy = named(run, "aws:iam/rolePolicy:RolePolicy", "orders-batch-workflow-policy");
      expect(machine.dependencies).to.include(policy.urn);
    });

    it("builds the workflow from its three functions and the alarm topic, logs every execution with its data to an encrypted group, and traces", () => {
      const machine = named(run, "aws:sfn/stateMachine:StateMachine", "orders-batch-workflow").inputs as Json;
      const definition = JSON.parse(machine.definition);
      expect([
        definition.States.Export.Parameters.FunctionName,
        definition.States.Copy.Parameters.FunctionName,
        definition.States.Load.Parameters.FunctionName,
      ]).to.deep.equal([fn("export").state.arn, fn("copy").state.arn, fn("load").state.arn]);
      expect(definition.States.NotifyFailure.Parameters.TopicArn).to.equal(
        named(run, "aws:sns/topic:Topic", "alarms-topic").state.arn,
      );
      // Prod feeds its Lakehouse the same day; dev has none.
      expect(definition.States.Lakehouse?.Parameters.FunctionName).to.equal(
        stack === "prod" ? fn("lakehouse").state.arn : undefined,
      );
      const logs = named(run, "aws:cloudwatch/logGroup:LogGroup", "orders-batch-workflow-logs");
      expect(logs.inputs.kmsKeyId).to.equal(named(run, "aws:kms/key:Key", "orders-batch-workflow-logs").state.arn);
      expect(machine).to.deep.include({
        type: "STANDARD",
        loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: `${logs.state.arn}:*` },
        tracingConfiguration: { enabled: true },
      });
      const [invoke, notify] = policyOf("orders-batch-workflow-policy");
      expect(invoke).to.deep.include({
        Action: ["lambda:InvokeFunction"],
        Resource: [
          fn("export").state.arn,
          fn("copy").state.arn,
          fn("load").state.arn,
          ...(stack === "prod" ? [fn("lakehouse").state.arn] : []),
        ],
      });
      expect(notify).to.deep.include({ Action: ["sns:Publish"] });
    });

    it("alarms through the alarm topic on a failed, timed-out or aborted execution", () => {
      const machine = named(run, "aws:sfn/stateMachine:StateMachine", "orders-batch-workflow");
      const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
        (a) => (a.inputs.dimensions as Json)?.StateMachineArn === machine.state.arn,
      );
      expect(alarms.map((a) => a.inputs.metricName).sort()).to.deep.equal([
        "ExecutionsAborted",
        "ExecutionsFailed",
        "ExecutionsTimedOut",
      ]);
      for (const alarm of alarms)
        expect(alarm.inputs).to.deep.include({
          namespace: "AWS/States",
          statistic: "Sum",
          threshold: 0,
          alarmActions: [named(run, "aws:sns/topic:Topic", "alarms-topic").state.arn],
        });
    });

    it("keeps the exports in a private, SSE-KMS, versioned, TLS-only bucket that expires them; the export may write there only", () => {
      const bucket = named(run, "aws:s3/bucket:Bucket", "orders-batch-exports");
      const of = (type: string) => ofType(run, type).filter((r) => r.inputs.bucket === bucket.id);
      const key = named(run, "aws:kms/key:Key", "orders-batch-exports-key");
      expect(
        of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0].inputs.rules,
      ).to.deep.equal([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn },
          bucketKeyEnabled: true,
        },
      ]);
      expect(of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0].inputs).to.deep.include({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(of("aws:s3/bucketVersioning:BucketVersioning")[0].inputs.versioningConfiguration).to.deep.equal({
        status: "Enabled",
      });
      const [rule] = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0].inputs.rules as Json[];
      expect(rule).to.deep.include({
        status: "Enabled",
        expiration: { days: settings().retentionDays },
        noncurrentVersionExpiration: { noncurrentDays: 7 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      });
      expect(JSON.parse(String(of("aws:s3/bucketPolicy:BucketPolicy")[0].inputs.policy))).to.deep.equal(
        JSON.parse(tlsOnlyBucketPolicy(String(bucket.state.arn))),
      );
      // The bucket's key is usable only through S3.
      const use = (JSON.parse(String(key.inputs.policy)).Statement as Json[]).find(
        (s) => s.Condition?.StringEquals?.["kms:ViaService"],
      );
      expect(use?.Condition.StringEquals["kms:ViaService"]).to.deep.equal(["s3.eu-west-1.amazonaws.com"]);
      const exportGrants = policyOf("orders-batch-export-policy").filter((s) => String(s.Action[0]).startsWith("s3:"));
      expect(exportGrants.map((s) => [s.Action, s.Resource])).to.deep.equal([
        [["s3:PutObject"], [`${bucket.state.arn}/orders/*`]],
      ]);
    });

    it("keeps the OCI copy private, versioned and expiring, read by the database's resource principal and written by a user that can only use customer secret keys", () => {
      const bucket = named(run, "oci:ObjectStorage/bucket:Bucket", "orders-batch-oci-bucket").inputs as Json;
      expect(bucket).to.deep.include({
        name: `multicloud-${stack}-orders-batch`,
        accessType: "NoPublicAccess",
        versioning: "Enabled",
      });
      const lifecycle = named(
        run,
        "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy",
        "orders-batch-oci-lifecycle",
      ).inputs as Json;
      expect(lifecycle.rules.map((r: Json) => [r.target, r.action, r.timeAmount])).to.deep.equal([
        ["objects", "DELETE", String(settings().retentionDays)],
        ["previous-object-versions", "DELETE", "7"],
        ["multipart-uploads", "ABORT", "1"],
      ]);
      // The OLTP instance's resource principal reads the bucket, and in prod the Lakehouse's too; nothing else.
      const databases = ["OLTP", "LH"]
        .map(
          (w) =>
            ofType(run, "oci:Database/autonomousDatabase:AutonomousDatabase").find((d) => d.inputs.dbWorkload === w)
              ?.id,
        )
        .filter(Boolean);
      expect(databases).to.have.length(stack === "prod" ? 2 : 1);
      const dynamicGroup = named(run, "oci:Identity/dynamicGroup:DynamicGroup", "orders-batch-database-group")
        .inputs as Json;
      expect(dynamicGroup.matchingRule).to.equal(`ANY {${databases.map((id) => `resource.id = '${id}'`).join(", ")}}`);
      const policy = named(run, "oci:Identity/policy:Policy", "orders-batch-oci-policy").inputs as Json;
      expect(policy.statements).to.deep.equal(
        ociBatchPolicyStatements({
          copyGroup: `multicloud-${stack}-orders-batch-copy`,
          databaseDynamicGroup: `multicloud-${stack}-orders-database`,
          compartmentId: String(bucket.compartmentId),
          bucket: bucket.name,
          region: "eu-frankfurt-1",
        }),
      );
      const user = named(run, "oci:Identity/user:User", "orders-batch-copy-user");
      const capabilities = named(
        run,
        "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement",
        "orders-batch-copy-user-capabilities",
      ).inputs;
      expect(capabilities).to.deep.include({
        userId: user.id,
        canUseApiKeys: false,
        canUseAuthTokens: false,
        canUseConsolePassword: false,
        canUseCustomerSecretKeys: true,
        canUseSmtpCredentials: false,
      });
      // The customer secret key goes into Secrets Manager, secret in the inputs, nowhere in the outputs.
      const key = named(run, "oci:Identity/customerSecretKey:CustomerSecretKey", "orders-batch-copy-key");
      const version = named(run, "aws:secretsmanager/secretVersion:SecretVersion", "orders-batch-oci-key-value");
      expect(version.secretInputPaths).to.include("secretString");
      expect(JSON.parse(String(version.inputs.secretString))).to.deep.equal({
        accessKeyId: key.id,
        secretAccessKey: key.state.key,
      });
      expect(JSON.stringify(run.outputs)).to.not.contain(String(key.state.key));
      expect(named(run, "aws:secretsmanager/secret:Secret", "orders-batch-oci-key").inputs.kmsKeyId).to.equal(
        named(run, "aws:kms/key:Key", "database-access-key").state.arn,
      );
    });

    it("gives each function its settings and exactly its rights: the copy the OCI key, the load the loader's secret, after the migrations", () => {
      expect(Object.keys(fn("export").inputs.environment.variables).sort()).to.deep.equal(
        [BATCH_ENV.brokers, BATCH_ENV.exportBucket].sort(),
      );
      expect(fn("copy").inputs.environment.variables).to.deep.include({
        [BATCH_ENV.ociRegion]: "eu-frankfurt-1",
        [BATCH_ENV.ociKeySecretArn]: named(run, "aws:secretsmanager/secret:Secret", "orders-batch-oci-key").state.arn,
      });
      const loaderSecret = named(run, "aws:secretsmanager/secret:Secret", "database-access-loader").state.arn;
      expect(fn("load").inputs.environment.variables[BATCH_ENV.loaderSecretArn]).to.equal(loaderSecret);
      if (stack === "prod") {
        const lakehouseSecret = named(run, "aws:secretsmanager/secret:Secret", "database-access-warehouse-loader").state
          .arn;
        expect(fn("lakehouse").inputs.environment.variables).to.deep.include({
          [BATCH_ENV.loadInto]: "lakehouse",
          [BATCH_ENV.loaderSecretArn]: lakehouseSecret,
        });
        expect(
          policyOf("orders-batch-lakehouse-policy")
            .filter((s) => s.Action.includes("secretsmanager:GetSecretValue"))
            .flatMap((s) => s.Resource),
        ).to.deep.equal([lakehouseSecret]);
      }
      expect(fn("load").inputs.environment.variables[BATCH_ENV.loadInto]).to.equal("staging");
      const secretGrants = (name: string) =>
        policyOf(name)
          .filter((s) => s.Action.includes("secretsmanager:GetSecretValue"))
          .flatMap((s) => s.Resource);
      expect(secretGrants("orders-batch-load-policy")).to.deep.equal([loaderSecret]);
      expect(secretGrants("orders-batch-copy-policy")).to.deep.equal([
        named(run, "aws:secretsmanager/secret:Secret", "orders-batch-oci-key").state.arn,
      ]);
      expect(secretGrants("orders-batch-export-policy")).to.deep.equal([]);
      // The copy runs outside the VPC (OCI's public endpoint); the export and the load inside it.
      expect(fn("copy").inputs.vpcConfig).to.equal(undefined);
      const privateSubnets = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.startsWith("aws-network-private"))
        .map((s) => s.id);
      expect(fn("export").inputs.vpcConfig.subnetIds).to.deep.equal(privateSubnets);
      // The load's function exists only once the migrations (V012 makes its user) and the OCI policy are in place.
      const loadComponent = run.resources.find(
        (r) => r.type === "multicloud:shared:NodeFunction" && r.name === "orders-batch-load",
      );
      expect(loadComponent?.dependencies).to.include.members([
        named(run, "aws:lambda/invocation:Invocation", "migrations-run").urn,
        named(run, "oci:Identity/policy:Policy", "orders-batch-oci-policy").urn,
      ]);
    });

    it("lets the export reach only the brokers and S3, and the load only the listener and the endpoints", () => {
      const egress = (sgName: string) => {
        const sg = named(run, "aws:ec2/securityGroup:SecurityGroup", sgName);
        return ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
          .filter((r) => r.inputs.securityGroupId === sg.id)
          .map((r) => [
            r.inputs.fromPort,
            r.inputs.referencedSecurityGroupId ?? r.inputs.prefixListId ?? r.inputs.cidrIpv4,
          ]);
      };
      expect(egress("orders-batch-export-sg")).to.have.deep.members([
        [9098, named(run, "aws:ec2/securityGroup:SecurityGroup", "orders-kafka-brokers").id],
        [443, named(run, "aws:ec2/vpcEndpoint:VpcEndpoint", "aws-network-s3").state.prefixListId],
      ]);
      expect(egress("orders-batch-load-function-sg")).to.have.deep.members([
        [1522, named(run, "oci:Core/subnet:Subnet", "oci-network-database").inputs.cidrBlock],
        [443, named(run, "aws:ec2/securityGroup:SecurityGroup", "aws-network-endpoints-sg").id],
      ]);
    });
  });
}
