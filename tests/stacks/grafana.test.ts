/**
 * Managed Grafana on the dev and prod plans: SAML from the org stack's IdP with admins and editors
 * by IdP group, a workspace role that reads CloudWatch and queries only the stack's Managed
 * Prometheus workspace, an OCI user that can hold API keys only and read metrics only, its key in
 * Secrets Manager, and the provisioning invocation — whose request the function itself accepts,
 * naming the datasources the dashboard uses. Rotation: a new generation is a new key pair, API
 * key, secret version and provisioning run.
 */
import { expect } from "chai";
import { createHash, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { GRAFANA_DATASOURCES } from "../../functions/aws/grafana/contract";
import { parseOciKeySecret, parseProvisionRequest } from "../../functions/aws/grafana/provision";
import { RunResult } from "../../offline/engine";
import { isSecretWrapper } from "../../offline/secrets";
import { loadStackConfig, REPO_ROOT } from "../../offline/stacks";
import { named, ofType, runStack, runWithConfigChange } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- registered inputs read field by field

const orgFederation = () =>
  JSON.parse(loadStackConfig("org").config["multicloud:federation"]) as {
    idpMetadata: { file: string };
    groupAttribute: string;
    mappings: { group: string; grafana?: string }[];
  };

for (const stack of ["dev", "prod"] as const) {
  describe(`Managed Grafana (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const workspace = () => named(run, "aws:grafana/workspace:Workspace", "grafana-workspace");

    it("signs people in through the org's IdP: the same metadata, admins and editors by the mapped groups", () => {
      const ws = workspace();
      expect(ws.inputs).to.deep.include({
        authenticationProviders: ["SAML"],
        permissionType: "CUSTOMER_MANAGED",
        accountAccessType: "CURRENT_ACCOUNT",
        name: `multicloud-${stack}-grafana`,
      });
      expect(JSON.parse(String(ws.inputs.configuration))).to.deep.include({ plugins: { pluginAdminEnabled: true } });
      expect(ws.protect, "production keeps the workspace (people's own dashboards live there)").to.equal(
        stack === "prod",
      );
      const saml = named(run, "aws:grafana/workspaceSamlConfiguration:WorkspaceSamlConfiguration", "grafana-saml")
        .inputs as Json;
      const federation = orgFederation();
      expect(saml.workspaceId).to.equal(ws.id);
      expect(saml.idpMetadataXml).to.equal(readFileSync(path.join(REPO_ROOT, federation.idpMetadata.file), "utf8"));
      expect(saml).to.deep.include({
        roleAssertion: federation.groupAttribute,
        groupsAssertion: federation.groupAttribute,
        loginValidityDuration: 480,
      });
      expect(saml.adminRoleValues).to.deep.equal(
        federation.mappings.filter((m) => m.grafana === "admin").map((m) => m.group),
      );
      expect(saml.editorRoleValues).to.deep.equal(
        federation.mappings.filter((m) => m.grafana === "editor").map((m) => m.group),
      );
      expect(saml.adminRoleValues).to.deep.equal(["platform-admins"]);
    });

    it("reads with a role Grafana alone assumes: CloudWatch reads, and queries on this stack's Prometheus workspace only", () => {
      const role = byName("aws:iam/role:Role", "grafana-role");
      expect(role.inputs.arn ?? role.state.arn).to.equal(workspace().inputs.roleArn);
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
      expect(trust.Statement).to.have.length(1);
      expect(trust.Statement[0]).to.deep.include({
        Effect: "Allow",
        Principal: { Service: "grafana.amazonaws.com" },
        Action: "sts:AssumeRole",
      });
      expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).to.match(/^\d{12}$/);
      const policy = JSON.parse(
        String(named(run, "aws:iam/rolePolicy:RolePolicy", "grafana-role-policy").inputs.policy),
      );
      const amp = named(run, "aws:amp/workspace:Workspace", "service-metrics-workspace");
      const query = policy.Statement.find((s: Json) => s.Sid === "QueryPrometheus");
      expect(query.Resource).to.equal(amp.state.arn);
      expect(
        query.Action.every((a: string) => /^aps:(Query|Get)/.test(a)),
        "no remote write",
      ).to.equal(true);
      const reads = policy.Statement.find((s: Json) => s.Sid === "ReadCloudWatchMetrics");
      expect(
        reads.Action.filter((a: string) => !/^(cloudwatch:(Describe|Get|List)|ec2:Describe|tag:Get)/.test(a)),
      ).to.deep.equal([]);
    });

    it("gives OCI a user that can hold API keys only, in a group that reads metrics in this compartment only", () => {
      const user = named(run, "oci:Identity/user:User", "grafana-oci-user");
      const capabilities = named(
        run,
        "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement",
        "grafana-oci-user-capabilities",
      ).inputs;
      expect(capabilities).to.deep.equal({
        userId: user.id,
        canUseApiKeys: true,
        canUseAuthTokens: false,
        canUseConsolePassword: false,
        canUseCustomerSecretKeys: false,
        canUseSmtpCredentials: false,
      });
      const group = named(run, "oci:Identity/group:Group", "grafana-oci-group");
      expect(
        named(run, "oci:Identity/userGroupMembership:UserGroupMembership", "grafana-oci-membership").inputs,
      ).to.deep.include({ userId: user.id, groupId: group.id });
      const compartmentId = JSON.parse(JSON.stringify(loadStackConfig(stack).config))["multicloud:oci"]
        ? (JSON.parse(loadStackConfig(stack).config["multicloud:oci"]) as { compartmentId: string }).compartmentId
        : "";
      expect(named(run, "oci:Identity/policy:Policy", "grafana-oci-policy").inputs.statements).to.deep.equal([
        `Allow group ${group.inputs.name} to read metrics in compartment id ${compartmentId}`,
        `Allow group ${group.inputs.name} to inspect compartments in tenancy`,
      ]);
    });

    it("registers the generated public key with OCI and keeps the private key, the user and the fingerprint in Secrets Manager", () => {
      const key = named(run, "tls:index/privateKey:PrivateKey", "grafana-oci-key-g1");
      expect(key.inputs).to.deep.include({ algorithm: "RSA", rsaBits: 2048 });
      const apiKey = named(run, "oci:Identity/apiKey:ApiKey", "grafana-oci-api-key-g1");
      expect(apiKey.inputs.keyValue).to.equal(key.state.publicKeyPem);
      const der = createPublicKey(String(key.state.publicKeyPem)).export({ type: "spki", format: "der" });
      expect(apiKey.state.fingerprint).to.equal(createHash("md5").update(der).digest("hex").match(/../g)!.join(":"));
      const secret = named(run, "aws:secretsmanager/secret:Secret", "grafana-oci-key");
      expect(secret.inputs.kmsKeyId).to.equal(
        named(run, "aws:secretsmanager/secret:Secret", "database-access-app").inputs.kmsKeyId,
      );
      const version = named(run, "aws:secretsmanager/secretVersion:SecretVersion", "grafana-oci-key-value");
      expect(version.secretInputPaths).to.include("secretString");
      const stored = parseOciKeySecret(String(version.inputs.secretString));
      expect(isSecretWrapper(key.state.privateKeyPem), "the private key stays secret in the state").to.equal(true);
      const privateKeyPem = (key.state.privateKeyPem as { value: string }).value;
      expect(stored).to.deep.equal({
        tenancyOcid: stored.tenancyOcid,
        userOcid: named(run, "oci:Identity/user:User", "grafana-oci-user").id,
        fingerprint: apiKey.state.fingerprint,
        privateKeyPem,
      });
      expect(stored.tenancyOcid).to.match(/^ocid1\.tenancy\./);
    });

    it("invokes the provisioning function with a request it accepts, naming the stack's workspace, Prometheus, secret and dashboard", () => {
      const invocation = named(run, "aws:lambda/invocation:Invocation", "grafana-provision-run");
      const fn = named(run, "aws:lambda/function:Function", "grafana-provision-function");
      expect(invocation.inputs.functionName).to.equal(fn.state.name ?? fn.inputs.name);
      const request = parseProvisionRequest(JSON.parse(String(invocation.inputs.input)));
      const serviceAccount = named(
        run,
        "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount",
        "grafana-provisioner",
      );
      expect(serviceAccount.inputs.grafanaRole).to.equal("ADMIN");
      expect(request).to.deep.include({
        workspaceId: workspace().id,
        endpoint: workspace().state.endpoint,
        serviceAccountId: serviceAccount.state.serviceAccountId,
        prometheusUrl: named(run, "aws:amp/workspace:Workspace", "service-metrics-workspace").state.prometheusEndpoint,
        ociKeySecretArn: named(run, "aws:secretsmanager/secret:Secret", "grafana-oci-key").state.arn,
        awsRegion: JSON.parse(loadStackConfig(stack).config["multicloud:aws"]).region,
      });
      expect(request.dashboards.map((d) => d.json)).to.deep.equal([(run.outputs.monitoring as Json).overviewDashboard]);
      // Every datasource a panel names is one the function provisions.
      const used = new Set(
        (JSON.parse(request.dashboards[0].json).panels as Json[])
          .filter((p) => p.type !== "row")
          .map((p) => p.datasource.uid as string),
      );
      expect([...used].sort()).to.deep.equal(
        Object.values(GRAFANA_DATASOURCES)
          .map((d) => d.uid)
          .sort(),
      );
      expect((invocation.inputs.triggers as Json).key).to.equal(
        named(run, "aws:secretsmanager/secretVersion:SecretVersion", "grafana-oci-key-value").state.versionId,
      );
    });

    it("lets the function make and delete tokens of this workspace and read its one secret, nothing more", () => {
      const policy = JSON.parse(
        String(named(run, "aws:iam/rolePolicy:RolePolicy", "grafana-provision-policy").inputs.policy),
      ) as { Statement: Json[] };
      const grants = policy.Statement.map((s) => [s.Action, s.Resource]);
      expect(grants).to.deep.include([
        ["grafana:CreateWorkspaceServiceAccountToken", "grafana:DeleteWorkspaceServiceAccountToken"],
        [workspace().state.arn],
      ]);
      expect(grants).to.deep.include([
        ["secretsmanager:GetSecretValue"],
        [named(run, "aws:secretsmanager/secret:Secret", "grafana-oci-key").state.arn],
      ]);
      expect(
        ofType(run, "aws:grafana/workspaceApiKey:WorkspaceApiKey").concat(
          ofType(run, "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken"),
        ),
        "no stored Grafana key",
      ).to.deep.equal([]);
    });

    it("admits only the VPC's Grafana workspace endpoint and the configured public ranges", () => {
      const endpoint = named(run, "aws:ec2/vpcEndpoint:VpcEndpoint", "aws-network-grafana-workspace");
      expect(endpoint.inputs).to.deep.include({
        serviceName: "com.amazonaws.eu-west-1.grafana-workspace",
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
      });
      const users = named(run, "aws:ec2/managedPrefixList:ManagedPrefixList", "grafana-users");
      expect((users.inputs.entries as Json[]).map((e) => e.cidr)).to.deep.equal(
        JSON.parse(loadStackConfig(stack).config["multicloud:monitoring"]).grafana.userCidrs,
      );
      expect(workspace().inputs.networkAccessControl).to.deep.equal({
        vpceIds: [endpoint.id],
        prefixListIds: [users.id],
      });
      // No endpoint policy on the workspace endpoint: its callers are Grafana's, not IAM principals.
      expect(
        ofType(run, "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy").map((p) => p.inputs.vpcEndpointId),
      ).to.not.include(endpoint.id);
    });

    it("runs the provisioning function in the private subnets, 443 to the endpoints only, Grafana's API endpoint admitting its token calls on this workspace", () => {
      const fn = named(run, "aws:lambda/function:Function", "grafana-provision-function").inputs as Json;
      const privateSubnets = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.includes("private"))
        .map((s) => s.id);
      expect(fn.vpcConfig.subnetIds).to.deep.equal(privateSubnets);
      const sg = named(run, "aws:ec2/securityGroup:SecurityGroup", "grafana-provision-sg");
      expect(fn.vpcConfig.securityGroupIds).to.deep.equal([sg.id]);
      const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
        (r) => r.inputs.securityGroupId === sg.id,
      );
      expect(egress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId])).to.deep.equal(
        [[443, 443, named(run, "aws:ec2/securityGroup:SecurityGroup", "aws-network-endpoints-sg").id]],
      );
      const apiPolicy = JSON.parse(
        String(
          named(run, "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", "endpoint-policies-monitoring-grafana").inputs
            .policy,
        ),
      ) as { Statement: Json[] };
      expect(apiPolicy.Statement.map((st) => [st.Action, st.Resource])).to.deep.equal([
        [
          ["grafana:CreateWorkspaceServiceAccountToken", "grafana:DeleteWorkspaceServiceAccountToken"],
          [workspace().state.arn],
        ],
      ]);
      // The run waits for its path: the egress rule and both sets of endpoint policies.
      const run_ = named(run, "aws:lambda/invocation:Invocation", "grafana-provision-run");
      expect(run_.dependencies).to.include.members([
        egress[0].urn,
        named(run, "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", "endpoint-policies-monitoring-grafana").urn,
      ]);
    });

    const byName = (type: string, name: string) => named(run, type, name);
  });
}

describe("Managed Grafana: rotating the OCI key (dev, ociKeyGeneration 1 → 2)", () => {
  it("makes a new key pair and API key, writes a new secret version and so runs the provisioning again", async () => {
    const before = await runStack("dev");
    const after = await runWithConfigChange("dev", "multicloud:monitoring", ["grafana", "ociKeyGeneration"], 2);
    if (after.error) throw after.error;
    const grafanaOnly = (names: string[]) => names.filter((n) => n.startsWith("grafana-"));
    expect(grafanaOnly(ofType(after, "tls:index/privateKey:PrivateKey").map((k) => k.name))).to.deep.equal([
      "grafana-oci-key-g2",
    ]);
    expect(grafanaOnly(ofType(after, "oci:Identity/apiKey:ApiKey").map((k) => k.name))).to.deep.equal([
      "grafana-oci-api-key-g2",
    ]);
    const fingerprint = (run: RunResult) =>
      named(run, "oci:Identity/apiKey:ApiKey", run === before ? "grafana-oci-api-key-g1" : "grafana-oci-api-key-g2")
        .state.fingerprint;
    expect(fingerprint(after)).to.match(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(fingerprint(after)).not.to.equal(fingerprint(before));
    const trigger = (run: RunResult) =>
      named(run, "aws:lambda/invocation:Invocation", "grafana-provision-run").inputs.triggers as Json;
    expect(trigger(after).key).not.to.equal(trigger(before).key);
    expect(trigger(after).request, "the request itself names no key").to.equal(trigger(before).request);
    // The secret (and its ARN, which the function reads) stays; only its value changes.
    expect(named(after, "aws:secretsmanager/secret:Secret", "grafana-oci-key").state.arn).to.equal(
      named(before, "aws:secretsmanager/secret:Secret", "grafana-oci-key").state.arn,
    );
  });
});
