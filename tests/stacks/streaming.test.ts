/**
 * The OCI streaming plumbing on the real dev and prod plans: the stream pool only on its private
 * endpoint (reachable from the functions' subnet and Connector Hub's reverse connection endpoints),
 * no automatic topics, its data under its own Vault key that only the Streaming service uses;
 * the streams from config; the alert topic and its e-mail subscriptions.
 */
import { expect } from "chai";
import { anomalyImageTag, connectorPolicyStatements } from "../../components/streaming/anomalyFunction";
import { ociFunctionImageTag, sharedOrderModules } from "../../components/streaming/functionImage";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../offline/stacks";
import {
  functionsEgress,
  faasPolicyStatements,
  functionsPolicyStatements,
} from "../../components/streaming/functionsApplication";
import { streamPoolIngress } from "../../components/streaming/ociStreaming";
import { RunResult } from "../../offline/engine";
import { unwrapSecrets } from "../../offline/secrets";
import { loadStackConfig } from "../../offline/stacks";
import { named, ofType, runStack } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- registered inputs read field by field

describe("OCI streaming decisions (pure)", () => {
  it("admits Connector Hub to one stream and to invoking functions, for this compartment's connectors only", () => {
    expect(connectorPolicyStatements("ocid1.compartment.oc1..c", "ocid1.stream.oc1.fra.s")).to.deep.equal([
      "Allow any-user to {STREAM_READ, STREAM_CONSUME} in compartment id ocid1.compartment.oc1..c where all {request.principal.type = 'serviceconnector', request.principal.compartment.id = 'ocid1.compartment.oc1..c', target.stream.id = 'ocid1.stream.oc1.fra.s'}",
      "Allow any-user to use fn-function in compartment id ocid1.compartment.oc1..c where all {request.principal.type = 'serviceconnector', request.principal.compartment.id = 'ocid1.compartment.oc1..c'}",
      "Allow any-user to use fn-invocation in compartment id ocid1.compartment.oc1..c where all {request.principal.type = 'serviceconnector', request.principal.compartment.id = 'ocid1.compartment.oc1..c'}",
    ]);
  });

  it("tags the image by what its build copies: the same sources the same tag, any copied file changed a new one", () => {
    expect(anomalyImageTag()).to.match(/^src-[0-9a-f]{24}$/);
    for (const folder of ["anomaly", "recommend"]) {
      // A copy of functions/ to change files in.
      const root = mkdtempSync(path.join(tmpdir(), "fn-image-"));
      cpSync(path.join(REPO_ROOT, "functions", "oci"), path.join(root, "oci"), { recursive: true });
      cpSync(path.join(REPO_ROOT, "functions", "aws", "orders"), path.join(root, "aws", "orders"), { recursive: true });
      const base = ociFunctionImageTag(folder, root);
      expect(ociFunctionImageTag(folder, root), "the same sources").to.equal(base);
      const copied = sharedOrderModules(readFileSync(path.join(root, "oci", folder, "Dockerfile"), "utf8"));
      expect(copied).to.deep.equal(["oracleErrors.ts", "oracleTime.ts", "tableContracts.ts"]);
      const touch = (file: string) => appendFileSync(file, "\n// changed\n");
      for (const file of [
        ...copied.map((f) => path.join(root, "aws", "orders", f)),
        path.join(root, "oci", "common", "rejects.ts"),
        path.join(root, "oci", folder, "Dockerfile"),
      ]) {
        const before = ociFunctionImageTag(folder, root);
        touch(file);
        expect(ociFunctionImageTag(folder, root), `${folder}: ${path.relative(root, file)}`).to.not.equal(before);
      }
      // A file of the order service the image does not copy changes nothing.
      const before = ociFunctionImageTag(folder, root);
      touch(path.join(root, "aws", "orders", "app.ts"));
      expect(ociFunctionImageTag(folder, root)).to.equal(before);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("lets the functions read only the secrets named, by OCID", () => {
    expect(
      functionsPolicyStatements({
        dynamicGroup: "fn",
        compartmentId: "ocid1.compartment.oc1..c",
        secretIds: ["ocid1.vaultsecret.oc1.fra.s"],
      }),
    ).to.deep.equal([
      "Allow dynamic-group fn to read secret-bundles in compartment id ocid1.compartment.oc1..c where target.secret.id = 'ocid1.vaultsecret.oc1.fra.s'",
    ]);
    // The Functions service's rights are a policy of their own, which the application waits for (not for the secret).
    expect(faasPolicyStatements("ocid1.compartment.oc1..c")).to.deep.equal([
      "Allow service faas to use virtual-network-family in compartment id ocid1.compartment.oc1..c",
      "Allow service faas to read repos in compartment id ocid1.compartment.oc1..c",
    ]);
  });

  it("admits the functions' subnet on Kafka and HTTPS, and the pool's own subnet (Connector Hub's endpoints), nothing else", () => {
    expect(streamPoolIngress("10.20.1.0/24", "10.20.2.0/24").map((r) => [r.source, r.port])).to.deep.equal([
      ["10.20.1.0/24", 9092],
      ["10.20.1.0/24", 443],
      ["10.20.2.0/24", 443],
      ["10.20.2.0/24", 9092],
    ]);
  });
});

for (const stack of ["dev", "prod"] as const) {
  describe(`OCI streaming (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const settings = () => JSON.parse(loadStackConfig(stack).config["multicloud:streaming"]);
    const subnet = (tier: string) => ofType(run, "oci:Core/subnet:Subnet").find((s) => s.name.endsWith(tier))!;

    it("puts the pool on a private endpoint in the streaming subnet behind its own NSG, with no automatic topics", () => {
      const pool = named(run, "oci:Streaming/streamPool:StreamPool", "oci-streaming-pool");
      const nsg = named(run, "oci:Core/networkSecurityGroup:NetworkSecurityGroup", "oci-streaming-pool-nsg");
      expect(pool.inputs.privateEndpointSettings).to.deep.equal({ subnetId: subnet("streaming").id, nsgIds: [nsg.id] });
      expect((pool.inputs.kafkaSettings as Json).autoCreateTopicsEnable).to.equal(false);
      const rules = ofType(run, "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule").filter(
        (r) => r.inputs.networkSecurityGroupId === nsg.id,
      );
      expect(
        rules.map((r) => [r.inputs.direction, r.inputs.source, (r.inputs.tcpOptions as Json).destinationPortRange.min]),
      ).to.deep.equal(
        streamPoolIngress(
          String(subnet("functions").inputs.cidrBlock),
          String(subnet("streaming").inputs.cidrBlock),
        ).map((r) => ["INGRESS", r.source, r.port]),
      );
    });

    it("encrypts the pool with its own Vault key (HSM in prod, software in dev), which only the Streaming service may use; prod keeps vault and key", () => {
      const pool = named(run, "oci:Streaming/streamPool:StreamPool", "oci-streaming-pool");
      const key = named(run, "oci:Kms/key:Key", "oci-streaming-key");
      const vault = named(run, "oci:Kms/vault:Vault", "oci-streaming-vault");
      expect(pool.inputs.customEncryptionKey).to.deep.equal({ kmsKeyId: key.id });
      expect(key.inputs).to.deep.include({
        managementEndpoint: vault.state.managementEndpoint,
        keyShape: { algorithm: "AES", length: 32 },
        protectionMode: stack === "prod" ? "HSM" : "SOFTWARE",
      });
      expect(named(run, "oci:Identity/policy:Policy", "oci-streaming-key-policy").inputs.statements).to.deep.equal([
        `Allow service streaming to use keys in compartment id ${String(pool.inputs.compartmentId)} where target.key.id = '${key.id}'`,
      ]);
      expect([vault.protect, vault.retainOnDelete, key.protect, key.retainOnDelete, pool.protect]).to.deep.equal(
        stack === "prod" ? [true, true, true, true, true] : [false, false, false, false, false],
      );
    });

    it("keeps the OCI functions' database credential (MC_FN, its own login) in the streaming vault under its key, secret in the inputs and in no output", () => {
      const secret = named(run, "oci:Vault/secret:Secret", "functions-db-secret");
      expect(secret.inputs).to.deep.include({
        vaultId: named(run, "oci:Kms/vault:Vault", "oci-streaming-vault").id,
        keyId: named(run, "oci:Kms/key:Key", "oci-streaming-key").id,
      });
      expect(secret.secretInputPaths).to.include("secretContent");
      const document = JSON.parse(
        Buffer.from(String((secret.inputs.secretContent as Json).content), "base64").toString("utf8"),
      );
      expect(document).to.deep.include({
        username: "MC_FN",
        schema: "MC_APP",
        dsn: (run.outputs.database as Json).dsn,
      });
      const password = unwrapSecrets(
        named(run, "random:index/randomPassword:RandomPassword", "database-functions-password").state.result,
      ).value;
      expect(document.password).to.equal(password);
      expect(JSON.stringify(run.outputs)).to.not.contain(String(password));
      expect((run.outputs.streaming as Json).functionsDbSecretId).to.equal(secret.id);
    });

    it("runs the functions application in the functions subnet behind an NSG reaching only the listener, the pool and HTTPS, with invocation logs on", () => {
      const app = named(run, "oci:Functions/application:Application", "oci-functions-app");
      const nsg = named(run, "oci:Core/networkSecurityGroup:NetworkSecurityGroup", "oci-functions-nsg");
      expect(app.inputs).to.deep.include({ subnetIds: [subnet("functions").id], networkSecurityGroupIds: [nsg.id] });
      const egress = ofType(run, "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule").filter(
        (r) => r.inputs.networkSecurityGroupId === nsg.id,
      );
      expect(
        egress.map((r) => [
          r.inputs.direction,
          r.inputs.destination,
          (r.inputs.tcpOptions as Json).destinationPortRange.min,
        ]),
      ).to.deep.equal(
        functionsEgress(String(subnet("database").inputs.cidrBlock), String(subnet("streaming").inputs.cidrBlock)).map(
          (r) => ["EGRESS", r.destination, r.port],
        ),
      );
      const log = named(run, "oci:Logging/log:Log", "oci-functions-invoke-log");
      expect((log.inputs.configuration as Json).source).to.deep.include({
        service: "functions",
        category: "invoke",
        resource: app.id,
      });
      // Kept as long as the VCN's flow logs (multicloud:oci.flowLogRetentionDays).
      expect(log.inputs.retentionDuration).to.equal(
        named(run, "oci:Logging/log:Log", "oci-network-functions-flow-log").inputs.retentionDuration,
      );
    });

    it("lets the compartment's functions read exactly their database secret, and the Functions service use the network and pull images", () => {
      const group = named(run, "oci:Identity/dynamicGroup:DynamicGroup", "oci-functions-functions-group")
        .inputs as Json;
      const compartment = String(
        named(run, "oci:Functions/application:Application", "oci-functions-app").inputs.compartmentId,
      );
      expect(group.matchingRule).to.equal(`ALL {resource.type = 'fnfunc', resource.compartment.id = '${compartment}'}`);
      expect(named(run, "oci:Identity/policy:Policy", "oci-functions-policy").inputs.statements).to.deep.equal(
        functionsPolicyStatements({
          dynamicGroup: group.name,
          compartmentId: compartment,
          secretIds: [String(named(run, "oci:Vault/secret:Secret", "functions-db-secret").id)],
        }),
      );
    });

    it("deploys the anomaly function by digest from its immutable private repository, pushed by a user that can push there only", () => {
      const fn = named(run, "oci:Functions/function:Function", "anomaly-function").inputs as Json;
      const image = named(run, "docker-build:index:Image", "anomaly-image");
      const { anomalyFunction } = settings();
      expect(fn).to.deep.include({
        applicationId: named(run, "oci:Functions/application:Application", "oci-functions-app").id,
        imageDigest: image.state.digest,
        memoryInMbs: String(anomalyFunction.memoryMb),
        timeoutInSeconds: anomalyFunction.timeoutSeconds,
      });
      expect(fn.image).to.equal(
        `eu-frankfurt-1.ocir.io/${String(fn.image).split("/")[1]}/multicloud-${stack}/anomaly-features:${anomalyImageTag()}`,
      );
      expect(fn.config).to.deep.equal({
        ANOMALY_DB_SECRET_OCID: named(run, "oci:Vault/secret:Secret", "functions-db-secret").id,
        ANOMALY_POOL_SIZE: "2",
      });
      expect(
        named(run, "oci:Artifacts/containerRepository:ContainerRepository", "anomaly-repository").inputs,
      ).to.deep.include({ displayName: `multicloud-${stack}/anomaly-features`, isImmutable: true, isPublic: false });
      expect(image.inputs).to.deep.include({
        context: { location: "functions" },
        dockerfile: { location: "functions/oci/anomaly/Dockerfile" },
        push: true,
      });
      // The registry password is the push user's auth token, secret; the user can use nothing but auth tokens.
      const token = named(run, "oci:Identity/authToken:AuthToken", "anomaly-push-token");
      expect(image.secretInputPaths.some((p) => p.startsWith("registries"))).to.equal(true);
      expect((image.inputs.registries as Json[])[0].password).to.equal(token.state.token);
      expect(JSON.stringify(run.outputs)).to.not.contain(String(token.state.token));
      expect(
        named(run, "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement", "anomaly-pusher-capabilities")
          .inputs,
      ).to.deep.include({
        canUseAuthTokens: true,
        canUseApiKeys: false,
        canUseConsolePassword: false,
        canUseCustomerSecretKeys: false,
      });
      const group = named(run, "oci:Identity/group:Group", "anomaly-push-group").inputs.name;
      expect(named(run, "oci:Identity/policy:Policy", "anomaly-push-policy").inputs.statements).to.deep.equal([
        `Allow group ${String(group)} to manage repos in compartment id ${String(fn.compartmentId ?? named(run, "oci:Functions/application:Application", "oci-functions-app").inputs.compartmentId)} where target.repo.name = 'multicloud-${stack}/anomaly-features'`,
      ]);
    });

    it("delivers the anomaly stream to the function in batches from config, with a policy for this compartment's connectors only", () => {
      const connector = named(run, "oci:Sch/connector:Connector", "anomaly-connector").inputs as Json;
      const stream = ofType(run, "oci:Streaming/stream:Stream").find((s) => s.inputs.name === "anomaly-events")!;
      const { anomalyFunction } = settings();
      expect(connector.source).to.deep.equal({
        kind: "streaming",
        streamId: stream.id,
        cursor: { kind: "TRIM_HORIZON" },
      });
      expect(connector.target).to.deep.equal({
        kind: "functions",
        functionId: named(run, "oci:Functions/function:Function", "anomaly-function").id,
        batchSizeInNum: anomalyFunction.batchSize,
        batchTimeInSec: anomalyFunction.batchSeconds,
      });
      expect(named(run, "oci:Identity/policy:Policy", "anomaly-connector-policy").inputs.statements).to.deep.equal(
        connectorPolicyStatements(String(connector.compartmentId), String(stream.id)),
      );
    });

    it("writes the detector's settings and the alert topic into the database through the migration function, and lets the database publish (only publish) to the compartment's topics", () => {
      const invocation = named(run, "aws:lambda/invocation:Invocation", "anomaly-settings-apply");
      const topic = named(run, "oci:Ons/notificationTopic:NotificationTopic", "oci-streaming-alerts");
      const migrations = named(run, "aws:lambda/invocation:Invocation", "migrations-run");
      expect(invocation.inputs.functionName).to.equal(migrations.inputs.functionName);
      const { anomalyDetection } = settings();
      expect(JSON.parse(String(invocation.inputs.input))).to.deep.equal({
        setChecksum: JSON.parse(String(migrations.inputs.input)).setChecksum,
        anomalySettings: { ...anomalyDetection, topicOcid: topic.id, topicRegion: "eu-frankfurt-1" },
      });
      expect(invocation.dependencies).to.include(migrations.urn);
      const database = ofType(run, "oci:Database/autonomousDatabase:AutonomousDatabase").find(
        (d) => d.inputs.dbWorkload === "OLTP",
      )!;
      const group = named(run, "oci:Identity/dynamicGroup:DynamicGroup", "anomaly-settings-database-group")
        .inputs as Json;
      expect(group.matchingRule).to.equal(`ALL {resource.type = 'autonomousdatabase', resource.id = '${database.id}'}`);
      expect(named(run, "oci:Identity/policy:Policy", "anomaly-settings-topic-policy").inputs.statements).to.deep.equal(
        [
          `Allow dynamic-group ${String(group.name)} to use ons-topics in compartment id ${String(topic.inputs.compartmentId)} where request.permission = 'ONS_TOPIC_PUBLISH'`,
        ],
      );
    });

    it("creates the streams from config in the pool, and the alert topic with an e-mail subscription per address", () => {
      const pool = named(run, "oci:Streaming/streamPool:StreamPool", "oci-streaming-pool");
      const streams = ofType(run, "oci:Streaming/stream:Stream").map((s) => [
        s.inputs.name,
        s.inputs.partitions,
        s.inputs.retentionInHours,
        s.inputs.streamPoolId,
      ]);
      const { anomalyEvents, userEvents } = settings().streams;
      expect(streams).to.deep.equal([
        ["anomaly-events", anomalyEvents.partitions, anomalyEvents.retentionHours, pool.id],
        ["user-events", userEvents.partitions, userEvents.retentionHours, pool.id],
      ]);
      const topic = named(run, "oci:Ons/notificationTopic:NotificationTopic", "oci-streaming-alerts");
      expect(
        ofType(run, "oci:Ons/subscription:Subscription")
          .filter((s) => s.inputs.topicId === topic.id)
          .map((s) => [s.inputs.topicId, s.inputs.protocol, s.inputs.endpoint]),
      ).to.deep.equal(settings().alertEmails.map((e: string) => [topic.id, "EMAIL", e]));
    });
  });
}
