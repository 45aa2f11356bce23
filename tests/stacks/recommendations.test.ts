/**
 * The recommendation engine on the real dev and prod plans: one image run as two functions (the
 * consumer fed by Connector Hub from the user-events stream, the API), the API Gateway private in
 * the functions subnet and open on 443 to the AWS private subnets only, every route behind the
 * configured JWT with the subject passed as the user header, its logs on, the settings applied
 * through the migration function with the database allowed to read the model's bucket only.
 */
import { expect } from "chai";
import { embeddingModelBucket } from "../../components/config/recommendations";
import { connectorPolicyStatements } from "../../components/streaming/functionImage";
import {
  gatewayCallers,
  gatewaySpecification,
  RATE_LIMIT_PER_CLIENT,
  RECOMMEND_PATH_PREFIX,
} from "../../components/streaming/recommendationGateway";
import { recommendFunctionConfig, recommendImageTag } from "../../components/streaming/recommendationFunctions";
import { RECOMMEND_API } from "../../functions/oci/recommend/contract";
import { RunResult, runProgram } from "../../offline/engine";
import { loadStackConfig, withConfigValue } from "../../offline/stacks";
import { named, ofType, runStack } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- registered inputs read field by field

const AUTH = {
  issuer: "https://idp.example.com/",
  audiences: ["api://recs"],
  jwksUri: "https://idp.example.com/keys",
  catalogScope: "catalog:write",
};

describe("recommendation engine decisions (pure)", () => {
  it("checks a JWT on every route, passes the token's subject as the user, and needs the catalogue scope to change items", () => {
    const spec = gatewaySpecification(
      { ...AUTH, readScope: "recommendations:read" },
      "ocid1.fnfunc.oc1.fra.api",
    ) as Json;
    expect(spec.requestPolicies.authentication).to.deep.equal({
      type: "JWT_AUTHENTICATION",
      tokenHeader: "Authorization",
      tokenAuthScheme: "Bearer",
      isAnonymousAccessAllowed: false,
      issuers: ["https://idp.example.com/"],
      audiences: ["api://recs"],
      maxClockSkewInSeconds: 60,
      publicKeys: { type: "REMOTE_JWKS", uri: "https://idp.example.com/keys", maxCacheDurationInHours: 1 },
    });
    expect(spec.requestPolicies.rateLimiting).to.deep.equal({
      rateKey: "CLIENT_IP",
      rateInRequestsPerSecond: RATE_LIMIT_PER_CLIENT,
    });
    const [get, put] = spec.routes as Json[];
    expect([get.path, get.methods, get.backend]).to.deep.equal([
      RECOMMEND_API.recommendationsPath,
      ["GET"],
      { type: "ORACLE_FUNCTIONS_BACKEND", functionId: "ocid1.fnfunc.oc1.fra.api" },
    ]);
    expect(get.requestPolicies.authorization).to.deep.equal({
      type: "ANY_OF",
      allowedScopes: ["recommendations:read"],
    });
    // The caller cannot choose whose recommendations it gets: the gateway overwrites the header with the subject.
    expect(get.requestPolicies.headerTransformations.setHeaders.items).to.deep.equal([
      { name: "X-Rec-User", values: ["${request.auth[sub]}"], ifExists: "OVERWRITE" },
    ]);
    expect([put.path, put.methods, put.requestPolicies]).to.deep.equal([
      RECOMMEND_API.itemsPath,
      ["PUT"],
      { authorization: { type: "ANY_OF", allowedScopes: ["catalog:write"] } },
    ]);
    // Without a read scope, any valid token reads.
    expect((gatewaySpecification(AUTH, "f").routes as Json[])[0].requestPolicies.authorization).to.deep.equal({
      type: "AUTHENTICATION_ONLY",
    });
  });

  it("admits the AWS private subnets to a private gateway and only the listed callers to a public one", () => {
    expect(gatewayCallers({ access: "private" }, ["10.10.0.0/20", "10.10.16.0/20"])).to.deep.equal([
      "10.10.0.0/20",
      "10.10.16.0/20",
    ]);
    expect(
      gatewayCallers({ access: "public", publicSubnetId: "ocid1.subnet.oc1.fra.p", allowedCidrs: ["203.0.113.0/24"] }, [
        "10.10.0.0/20",
      ]),
    ).to.deep.equal(["203.0.113.0/24"]);
  });

  it("tells the two functions of the one image apart by their configuration", () => {
    const sql = { deadlineMs: 800, scorer: { kind: "sql" as const } };
    expect(recommendFunctionConfig("interactions", "ocid1.vaultsecret.oc1.fra.s", sql)).to.deep.equal({
      RECOMMEND_ROLE: "interactions",
      RECOMMEND_DB_SECRET_OCID: "ocid1.vaultsecret.oc1.fra.s",
      RECOMMEND_POOL_SIZE: "2",
    });
    expect(recommendFunctionConfig("api", "ocid1.vaultsecret.oc1.fra.s", sql)).to.deep.equal({
      RECOMMEND_ROLE: "api",
      RECOMMEND_DB_SECRET_OCID: "ocid1.vaultsecret.oc1.fra.s",
      RECOMMEND_POOL_SIZE: "4",
      RECOMMEND_DEADLINE_MS: "800",
    });
    const md = "ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaaaamd";
    expect(
      recommendFunctionConfig("api", "s", { deadlineMs: 800, scorer: { kind: "dataScience", modelDeploymentId: md } }),
    ).to.deep.include({
      RECOMMEND_SCORER_URL: `https://modeldeployment.eu-frankfurt-1.oci.customer-oci.com/${md}/predict`,
    });
    expect(
      recommendFunctionConfig("interactions", "s", {
        deadlineMs: 800,
        scorer: { kind: "dataScience", modelDeploymentId: md },
      }),
    ).to.not.have.property("RECOMMEND_SCORER_URL");
    expect(
      embeddingModelBucket("https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/ns/b/models-b/o/dir/m.onnx"),
    ).to.equal("models-b");
  });
});

for (const stack of ["dev", "prod"] as const) {
  describe(`recommendation engine (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const settings = () => JSON.parse(loadStackConfig(stack).config["multicloud:recommendations"]);
    const subnet = (tier: string) => ofType(run, "oci:Core/subnet:Subnet").find((s) => s.name.endsWith(tier))!;

    it("runs one image by digest as the consumer and the API, each sized from config, with the functions' Vault secret", () => {
      const image = named(run, "docker-build:index:Image", "recommend-image");
      expect(image.inputs).to.deep.include({
        context: { location: "functions" },
        dockerfile: { location: "functions/oci/recommend/Dockerfile" },
        push: true,
      });
      const secret = named(run, "oci:Vault/secret:Secret", "functions-db-secret").id;
      const { consumer, api } = settings();
      for (const [role, sizing] of [
        ["interactions", consumer],
        ["api", api],
      ] as const) {
        const fn = named(run, "oci:Functions/function:Function", `recommend-${role}`).inputs as Json;
        expect(fn).to.deep.include({
          applicationId: named(run, "oci:Functions/application:Application", "oci-functions-app").id,
          imageDigest: image.state.digest,
          memoryInMbs: String(sizing.memoryMb),
          timeoutInSeconds: sizing.timeoutSeconds,
        });
        expect(fn.image).to.match(new RegExp(`/multicloud-${stack}/recommendations:${recommendImageTag()}$`));
        expect(fn.config).to.deep.equal(
          recommendFunctionConfig(role, String(secret), { deadlineMs: api.deadlineMs, scorer: settings().scorer }),
        );
      }
      expect(
        named(run, "oci:Artifacts/containerRepository:ContainerRepository", "recommend-repository").inputs,
      ).to.deep.include({ displayName: `multicloud-${stack}/recommendations`, isImmutable: true, isPublic: false });
    });

    it("delivers the user-events stream to the consumer in batches from config, with a policy for that stream only", () => {
      const connector = named(run, "oci:Sch/connector:Connector", "recommend-connector").inputs as Json;
      const stream = ofType(run, "oci:Streaming/stream:Stream").find((s) => s.inputs.name === "user-events")!;
      const { consumer } = settings();
      expect(connector.source).to.deep.equal({
        kind: "streaming",
        streamId: stream.id,
        cursor: { kind: "TRIM_HORIZON" },
      });
      expect(connector.target).to.deep.equal({
        kind: "functions",
        functionId: named(run, "oci:Functions/function:Function", "recommend-interactions").id,
        batchSizeInNum: consumer.batchSize,
        batchTimeInSec: consumer.batchSeconds,
      });
      expect(named(run, "oci:Identity/policy:Policy", "recommend-connector-policy").inputs.statements).to.deep.equal(
        connectorPolicyStatements(String(connector.compartmentId), String(stream.id)),
      );
    });

    it("puts the API Gateway on a private endpoint in the functions subnet, reachable on 443 from the AWS private subnets only", () => {
      const gateway = named(run, "oci:ApiGateway/gateway:Gateway", "recommend-api-gateway");
      const nsg = named(run, "oci:Core/networkSecurityGroup:NetworkSecurityGroup", "recommend-api-nsg");
      expect(gateway.inputs).to.deep.include({
        endpointType: "PRIVATE",
        subnetId: subnet("functions").id,
        networkSecurityGroupIds: [nsg.id],
      });
      const awsPrivate = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.includes("private"))
        .map((s) => s.inputs.cidrBlock);
      const rules = ofType(run, "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule").filter(
        (r) => r.inputs.networkSecurityGroupId === nsg.id,
      );
      expect(
        rules
          .filter((r) => r.inputs.direction === "INGRESS")
          .map((r) => [r.inputs.source, (r.inputs.tcpOptions as Json).destinationPortRange]),
      ).to.deep.equal(awsPrivate.map((c) => [c, { min: 443, max: 443 }]));
      expect(
        rules
          .filter((r) => r.inputs.direction === "EGRESS")
          .map((r) => [r.inputs.destination, (r.inputs.tcpOptions as Json).destinationPortRange]),
      ).to.deep.equal([["0.0.0.0/0", { min: 443, max: 443 }]]);
    });

    it("deploys the API under its path prefix with the configured JWT on every route, its access and execution logs on, and gateways allowed to invoke", () => {
      const deployment = named(run, "oci:ApiGateway/deployment:Deployment", "recommend-api-deployment");
      const api = named(run, "oci:Functions/function:Function", "recommend-api");
      expect(deployment.inputs).to.deep.include({
        gatewayId: named(run, "oci:ApiGateway/gateway:Gateway", "recommend-api-gateway").id,
        pathPrefix: RECOMMEND_PATH_PREFIX,
      });
      expect(deployment.inputs.specification).to.deep.equal(gatewaySpecification(settings().auth, String(api.id)));
      expect(String(run.outputs.recommendations && (run.outputs.recommendations as Json).apiEndpoint)).to.match(
        new RegExp(
          `^https://[0-9a-f]+\\.apigateway\\.eu-frankfurt-1\\.oci\\.customer-oci\\.com${RECOMMEND_PATH_PREFIX.replace(/\//g, "\\/")}$`,
        ),
      );
      const logs = ofType(run, "oci:Logging/log:Log").filter(
        (l) => (l.inputs.configuration as Json).source.resource === deployment.id,
      );
      expect(
        logs.map((l) => [
          (l.inputs.configuration as Json).source.service,
          (l.inputs.configuration as Json).source.category,
          l.inputs.isEnabled,
        ]),
      ).to.deep.equal([
        ["apigateway", "access", true],
        ["apigateway", "execution", true],
      ]);
      const compartment = String(deployment.inputs.compartmentId);
      expect(named(run, "oci:Identity/policy:Policy", "recommend-api-invoke-policy").inputs.statements).to.deep.equal([
        `Allow any-user to use functions-family in compartment id ${compartment} where all {request.principal.type = 'ApiGateway', request.resource.compartment.id = '${compartment}'}`,
      ]);
      expect(deployment.dependencies).to.include(
        named(run, "oci:Identity/policy:Policy", "recommend-api-invoke-policy").urn,
      );
    });

    it("applies history, refresh and the embedding model through the migration function, the database reading the model's bucket only", () => {
      const invocation = named(run, "aws:lambda/invocation:Invocation", "recommend-settings-apply");
      const migrations = named(run, "aws:lambda/invocation:Invocation", "migrations-run");
      const { historyDays, refreshMinutes, embeddingModelUri } = settings();
      expect(invocation.inputs.functionName).to.equal(migrations.inputs.functionName);
      expect(JSON.parse(String(invocation.inputs.input))).to.deep.equal({
        setChecksum: JSON.parse(String(migrations.inputs.input)).setChecksum,
        recommendationSettings: { historyDays, refreshMinutes, modelUri: embeddingModelUri },
      });
      const policy = named(run, "oci:Identity/policy:Policy", "recommend-settings-model-policy");
      expect(invocation.dependencies).to.include.members([migrations.urn, policy.urn]);
      const group = named(run, "oci:Identity/dynamicGroup:DynamicGroup", "anomaly-settings-database-group").inputs.name;
      expect(policy.inputs.statements).to.deep.equal([
        `Allow dynamic-group ${String(group)} to read objects in compartment id ${String(policy.inputs.compartmentId)} where target.bucket.name = '${embeddingModelBucket(embeddingModelUri)}'`,
      ]);
    });
  });
}

describe("recommendation engine with the Data Science scorer and a public gateway (dev, config changed)", () => {
  let run: RunResult;
  const md = "ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaaaamodel";
  const publicSubnet = "ocid1.subnet.oc1.eu-frankfurt-1.aaaapublicsubnet";
  before(async () => {
    const { config, secretKeys } = loadStackConfig("dev");
    let changed = withConfigValue(config, "multicloud:recommendations.scorer", {
      kind: "dataScience",
      modelDeploymentId: md,
    });
    changed = withConfigValue(changed, "multicloud:recommendations.gateway", {
      access: "public",
      publicSubnetId: publicSubnet,
      allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
    });
    run = await runProgram({ stack: "dev", config: changed, secretKeys });
    if (run.error) throw run.error;
  });

  it("gives the API the predict URL and the functions' resource principal the predict permission only", () => {
    const api = named(run, "oci:Functions/function:Function", "recommend-api").inputs as Json;
    expect(api.config.RECOMMEND_SCORER_URL).to.equal(
      `https://modeldeployment.eu-frankfurt-1.oci.customer-oci.com/${md}/predict`,
    );
    const group = named(run, "oci:Identity/dynamicGroup:DynamicGroup", "oci-functions-functions-group").inputs.name;
    const policy = named(run, "oci:Identity/policy:Policy", "recommend-scorer-policy");
    expect(policy.inputs.statements).to.deep.equal([
      `Allow dynamic-group ${String(group)} to {DATA_SCIENCE_MODEL_DEPLOYMENT_PREDICT} in compartment id ${String(policy.inputs.compartmentId)}`,
    ]);
  });

  it("puts a public gateway in the given subnet, open on 443 to the listed callers only", () => {
    const gateway = named(run, "oci:ApiGateway/gateway:Gateway", "recommend-api-gateway");
    expect(gateway.inputs).to.deep.include({ endpointType: "PUBLIC", subnetId: publicSubnet });
    const nsg = named(run, "oci:Core/networkSecurityGroup:NetworkSecurityGroup", "recommend-api-nsg");
    const ingress = ofType(run, "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule").filter(
      (r) => r.inputs.networkSecurityGroupId === nsg.id && r.inputs.direction === "INGRESS",
    );
    expect(ingress.map((r) => r.inputs.source)).to.deep.equal(["203.0.113.0/24", "198.51.100.0/24"]);
  });
});
