/**
 * The cross-cloud link probe on the dev and prod plans: a function in the private subnets whose
 * security group reaches only the database listener, run every minute by EventBridge Scheduler
 * through a role that may invoke it and nothing else, configured with the database's host and
 * config's timeout; an alarm on ProbeFailed for config's minutes in a row that also fires when the
 * probe stops reporting, notifying the stack's alarm topic.
 */
import { expect } from "chai";
import { PROBE_METRICS } from "../../functions/aws/probe/contract";
import { RunResult } from "../../offline/engine";
import { loadStackConfig } from "../../offline/stacks";
import { named, ofType, runStack } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- registered inputs read field by field

for (const stack of ["dev", "prod"] as const) {
  describe(`cross-cloud link probe (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const probe = () =>
      JSON.parse(loadStackConfig(stack).config["multicloud:monitoring"]).probe as {
        timeoutMs: number;
        failuresToAlarm: number;
      };

    it("runs in the private subnets, reaching only the database listener, with the database's host and config's timeout", () => {
      const fn = named(run, "aws:lambda/function:Function", "link-probe-function-function").inputs as Json;
      const privateSubnets = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.includes("private"))
        .map((s) => s.id);
      expect(fn.vpcConfig.subnetIds).to.deep.equal(privateSubnets);
      const sg = named(run, "aws:ec2/securityGroup:SecurityGroup", "link-probe-function-sg");
      expect(fn.vpcConfig.securityGroupIds).to.deep.equal([sg.id]);
      const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
        (r) => r.inputs.securityGroupId === sg.id,
      );
      const database = ofType(run, "oci:Core/subnet:Subnet").find((s) => s.name.endsWith("database"))!;
      expect(egress.find((r) => r.inputs.fromPort === 1522)?.inputs).to.deep.include({
        toPort: 1522,
        cidrIpv4: database.inputs.cidrBlock,
      });
      const host = ofType(run, "oci:Database/autonomousDatabase:AutonomousDatabase").find(
        (d) => d.inputs.dbWorkload === "OLTP",
      )!.state.privateEndpoint;
      expect(fn.environment.variables).to.deep.include({
        PROBE_HOST: host,
        PROBE_PORT: "1522",
        PROBE_TIMEOUT_MS: String(probe().timeoutMs),
        PROBE_STACK: `multicloud-${stack}`,
      });
    });

    it("is run every minute by a schedule whose role may invoke the probe and nothing else", () => {
      const schedule = named(run, "aws:scheduler/schedule:Schedule", "link-probe-schedule").inputs as Json;
      const fn = named(run, "aws:lambda/function:Function", "link-probe-function-function");
      expect(schedule).to.deep.include({ scheduleExpression: "rate(1 minute)", state: "ENABLED" });
      expect(schedule.target.arn).to.equal(fn.state.arn);
      const policy = JSON.parse(
        String(named(run, "aws:iam/rolePolicy:RolePolicy", "link-probe-schedule-policy").inputs.policy),
      );
      expect(policy.Statement).to.deep.equal([
        { Sid: "InvokeProbe", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [fn.state.arn] },
      ]);
    });

    it("alarms after config's failed minutes in a row, and when the probe stops reporting", () => {
      const alarm = named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "link-probe-alarm-failing").inputs as Json;
      const topic = ofType(run, "aws:sns/topic:Topic").find((t) => t.name === "alarms-topic")!;
      expect(alarm).to.deep.include({
        namespace: PROBE_METRICS.namespace,
        metricName: "ProbeFailed",
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: probe().failuresToAlarm,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "breaching",
      });
      expect(alarm.dimensions).to.deep.equal({ Stack: `multicloud-${stack}`, Target: PROBE_METRICS.target });
      expect([alarm.alarmActions, alarm.okActions]).to.deep.equal([[topic.state.arn], [topic.state.arn]]);
    });
  });
}

for (const stack of ["dev", "prod"] as const) {
  describe(`alarms on both clouds (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const config = () => loadStackConfig(stack).config;
    const alarms = () =>
      JSON.parse(config()["multicloud:monitoring"]).alarms as {
        linkDownMinutes: number;
        databaseCpuPercent: number;
        databaseStoragePercent: number;
      };

    it("watches the paired tunnels only, on AWS by outside address and on OCI by tunnel OCID, after linkDownMinutes", () => {
      const tunnels = (run.outputs.interconnect as Json).tunnels as Json[];
      const paired = tunnels.filter((t) => t.paired);
      expect(paired.length).to.equal(tunnels.length / 2);
      const awsAlarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
        (a) => a.inputs.namespace === "AWS/VPN",
      );
      expect(awsAlarms.map((a) => (a.inputs.dimensions as Json).TunnelIpAddress).sort()).to.deep.equal(
        paired.map((t) => t.awsOutsideIp).sort(),
      );
      for (const a of awsAlarms) {
        expect(a.inputs).to.deep.include({
          metricName: "TunnelState",
          statistic: "Maximum",
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          period: 300,
          evaluationPeriods: alarms().linkDownMinutes / 5,
        });
      }
      const ociAlarms = ofType(run, "oci:Monitoring/alarm:Alarm").filter((a) => a.inputs.namespace === "oci_vpn");
      expect(ociAlarms.map((a) => a.inputs.query).sort()).to.deep.equal(
        paired.map((t) => `TunnelState[1m]{resourceId = "${t.ociTunnelId}"}.max() < 1`).sort(),
      );
      for (const a of ociAlarms)
        expect(a.inputs).to.deep.include({
          severity: "CRITICAL",
          pendingDuration: `PT${alarms().linkDownMinutes}M`,
          isEnabled: true,
        });
    });

    it(stack === "prod" ? "watches Direct Connect and FastConnect" : "has no private circuit to watch", () => {
      const dx = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/DX");
      const fc = ofType(run, "oci:Monitoring/alarm:Alarm").filter((a) => a.inputs.namespace === "oci_fastconnect");
      if (stack === "dev") {
        expect([dx.length, fc.length]).to.deep.equal([0, 0]);
        return;
      }
      const circuit = ofType(run, "oci:Core/virtualCircuit:VirtualCircuit")[0];
      const connection = (run.outputs.interconnect as Json).fastConnect.connectionId;
      expect(
        dx.map((a) => [(a.inputs.dimensions as Json).ConnectionId, a.inputs.metricName, a.inputs.comparisonOperator]),
      ).to.deep.equal([[connection, "ConnectionState", "LessThanThreshold"]]);
      expect(fc.map((a) => a.inputs.query)).to.deep.equal([
        `ConnectionState[1m]{resourceId = "${circuit.id}"}.min() < 1`,
      ]);
    });

    it("watches every Autonomous Database's CPU and storage against config's thresholds", () => {
      const databases = ofType(run, "oci:Database/autonomousDatabase:AutonomousDatabase");
      const adb = ofType(run, "oci:Monitoring/alarm:Alarm").filter(
        (a) => a.inputs.namespace === "oci_autonomous_database",
      );
      const expected = databases.flatMap((d) => [
        `CpuUtilization[5m]{resourceId = "${d.id}"}.mean() > ${alarms().databaseCpuPercent}`,
        `StorageUtilization[5m]{resourceId = "${d.id}"}.max() > ${alarms().databaseStoragePercent}`,
      ]);
      expect(adb.map((a) => a.inputs.query).sort()).to.deep.equal(expected.sort());
    });

    it("watches every OCI function's failed invocations and every connector's failed deliveries", () => {
      const functions = ofType(run, "oci:Functions/function:Function");
      const connectors = ofType(run, "oci:Sch/connector:Connector");
      expect(functions.length).to.equal(3);
      expect(connectors.length).to.equal(2);
      const pipeline = ofType(run, "oci:Monitoring/alarm:Alarm").filter((a) =>
        ["oci_faas", "oci_service_connector_hub"].includes(String(a.inputs.namespace)),
      );
      expect(pipeline.map((a) => a.inputs.query).sort()).to.deep.equal(
        [
          ...functions.map(
            (f) => `FunctionResponseCount[5m]{resourceId = "${f.id}", responseType = "Error"}.sum() > 0`,
          ),
          ...connectors.map((c) => `ErrorsAtTarget[5m]{connectorId = "${c.id}"}.sum() > 0`),
        ].sort(),
      );
      for (const a of pipeline)
        expect(a.inputs, a.name).to.deep.include({ severity: "CRITICAL", pendingDuration: "PT5M", isEnabled: true });
      const ids = (run.outputs.monitoring as Json).pipelineAlarmIds as Record<string, string>;
      expect(Object.keys(ids).sort()).to.deep.equal(
        [
          "anomaly-errors",
          "recommend-api-errors",
          "recommend-consumer-errors",
          "anomaly-delivery",
          "recommend-interactions-delivery",
        ].sort(),
      );
      expect(Object.values(ids).sort()).to.deep.equal(pipeline.map((a) => a.id).sort());
    });

    it("sends every OCI alarm to the OCI alarm topic, which e-mails the AWS alarm addresses", () => {
      const topic = named(run, "oci:Ons/notificationTopic:NotificationTopic", "oci-alarms-topic");
      for (const a of ofType(run, "oci:Monitoring/alarm:Alarm"))
        expect(a.inputs.destinations, a.name).to.deep.equal([topic.id]);
      const emails = JSON.parse(config()["multicloud:aws"]).alarmEmails;
      expect(
        ofType(run, "oci:Ons/subscription:Subscription")
          .filter((s) => s.inputs.topicId === topic.id)
          .map((s) => s.inputs.endpoint),
      ).to.deep.equal(emails);
    });
  });
}

for (const stack of ["dev", "prod"] as const) {
  describe(`order services' Prometheus metrics (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });

    it("keeps them in a Managed Prometheus workspace under its own key, usable only through the service", () => {
      const workspace = named(run, "aws:amp/workspace:Workspace", "service-metrics-workspace");
      const key = named(run, "aws:kms/key:Key", "service-metrics-key");
      expect(workspace.inputs.kmsKeyArn).to.equal(key.state.arn);
      const use = (JSON.parse(String(key.inputs.policy)).Statement as Json[]).find(
        (s) => s.Condition?.StringEquals?.["kms:ViaService"],
      );
      expect(use?.Condition.StringEquals["kms:ViaService"]).to.deep.equal(["aps.eu-west-1.amazonaws.com"]);
      expect(workspace.protect).to.equal(stack === "prod");
    });

    it("scrapes the two order services' pods only, from the private subnets, reaching the cluster on the services' admin port only", () => {
      const scraper = named(run, "aws:amp/scraper:Scraper", "service-metrics-scraper").inputs as Json;
      const cluster = ofType(run, "aws:eks/cluster:Cluster")[0];
      const privateSubnets = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.includes("private"))
        .map((s) => s.id);
      expect(scraper.source.eks.clusterArn).to.equal(cluster.state.arn);
      expect(scraper.source.eks.subnetIds).to.deep.equal(privateSubnets);
      expect(scraper.destination.amp.workspaceArn).to.equal(
        named(run, "aws:amp/workspace:Workspace", "service-metrics-workspace").state.arn,
      );
      const config = JSON.parse(String(scraper.scrapeConfiguration));
      expect(
        config.scrape_configs.map((c: Json) => [
          c.job_name,
          c.kubernetes_sd_configs[0].namespaces.names,
          c.metrics_path,
        ]),
      ).to.deep.equal([
        ["orders-api", ["orders"], "/metrics"],
        ["orders-sync", ["orders"], "/metrics"],
      ]);
      const sg = named(run, "aws:ec2/securityGroup:SecurityGroup", "service-metrics-scraper-sg");
      const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
        (r) => r.inputs.securityGroupId === sg.id,
      );
      const clusterSg = (cluster.state.vpcConfig as Json).clusterSecurityGroupId;
      expect(egress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId])).to.deep.equal(
        [[9102, 9102, clusterSg]],
      );
      const ingress = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
        (r) => r.inputs.referencedSecurityGroupId === sg.id,
      );
      expect(ingress.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([
        [clusterSg, 9102, 9102],
      ]);
    });

    it("maps the scraper's role to a user that may only list and watch pods in the orders namespace", () => {
      const scraper = named(run, "aws:amp/scraper:Scraper", "service-metrics-scraper");
      const entry = named(run, "aws:eks/accessEntry:AccessEntry", "service-metrics-scraper-access").inputs as Json;
      expect(entry.principalArn).to.equal(String(scraper.state.roleArn).replace(/:role\/.*\/([^/]+)$/, ":role/$1"));
      expect(entry.principalArn).to.not.contain("aws-service-role/");
      expect(entry).to.deep.include({ userName: "aps-collector-user", type: "STANDARD" });
      const role = named(run, "kubernetes:rbac.authorization.k8s.io/v1:Role", "service-metrics-scraper-role")
        .inputs as Json;
      expect([role.metadata.namespace, role.rules]).to.deep.equal([
        "orders",
        [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
      ]);
      const binding = named(
        run,
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        "service-metrics-scraper-binding",
      ).inputs as Json;
      expect(binding.subjects).to.deep.equal([
        { kind: "User", name: "aps-collector-user", apiGroup: "rbac.authorization.k8s.io" },
      ]);
    });
  });
}
