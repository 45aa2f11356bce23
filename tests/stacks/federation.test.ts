/**
 * The federation on the real org plan (the AWS SAML provider and roles, the identity domain's IdP
 * and groups) and on the environments (each grants the org stack's groups their rights in its
 * compartment); the trust policy, the read-only guard and the OCI statements as pure decisions.
 */
import { expect } from "chai";
import { AWS_SAML_AUDIENCE, readOnlyGuardPolicy, samlTrustPolicy } from "../../components/federation/awsSamlFederation";
import { federatedAccessStatements } from "../../components/federation/federatedAccess";
import { domainGroupName } from "../../components/federation/ociSamlFederation";
import { RunResult } from "../../offline/engine";
import { loadStackConfig, REPO_ROOT } from "../../offline/stacks";
import { named, ofType, runStack } from "../support/stacks";
import { readFileSync } from "node:fs";
import path from "node:path";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- registered inputs read field by field

describe("federation decisions (pure)", () => {
  it("trusts only the provider's assertions for the AWS sign-in audience, and lets the IdP tag the session", () => {
    expect(JSON.parse(samlTrustPolicy("arn:aws:iam::111122223333:saml-provider/idp"))).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "FederatedFromCompanyIdp",
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::111122223333:saml-provider/idp" },
          Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
          Condition: { StringEquals: { "SAML:aud": AWS_SAML_AUDIENCE } },
        },
      ],
    });
    expect(JSON.parse(readOnlyGuardPolicy(["secretsmanager:GetSecretValue"])).Statement).to.deep.equal([
      { Sid: "NoSecretValuesNoDecryption", Effect: "Deny", Action: ["secretsmanager:GetSecretValue"], Resource: "*" },
    ]);
  });

  it("grants each OCI group its rights in one compartment, readers no secret contents, and names domain groups", () => {
    const statements = federatedAccessStatements(
      "Default",
      { administrators: "mc-admins", networkAdmins: "mc-network-admins", readers: "mc-readers" },
      "ocid1.compartment.oc1..c",
      { namespace: "multicloud", costCenter: "CC-1" },
    );
    expect(statements).to.deep.equal([
      // The break-glass administrators are not held to the tag; everyone else changes only what carries the stack's cost centre.
      "Allow group 'Default'/'mc-admins' to manage all-resources in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-network-admins' to read virtual-network-family in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-network-admins' to manage virtual-network-family in compartment id ocid1.compartment.oc1..c where any {request.resource.tag.multicloud.cost_center = 'CC-1', target.resource.tag.multicloud.cost_center = 'CC-1'}",
      "Allow group 'Default'/'mc-network-admins' to inspect all-resources in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-readers' to inspect all-resources in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-readers' to read virtual-network-family in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-readers' to read autonomous-database-family in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-readers' to read functions-family in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-readers' to read metrics in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-readers' to read alarms in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-readers' to read log-groups in compartment id ocid1.compartment.oc1..c",
      "Allow group 'Default'/'mc-readers' to read log-content in compartment id ocid1.compartment.oc1..c",
    ]);
    expect(
      statements.some(
        (s) => /secret|objects|all-resources in/.test(s) && /read all-resources|secret-family|objects/.test(s),
      ),
    ).to.equal(false);
    expect(domainGroupName("multicloud-org", "databaseAdmins")).to.equal("multicloud-org-database-admins");
  });
});

describe("federation on the org plan", () => {
  let run: RunResult;
  before(async () => {
    run = await runStack("org");
    if (run.error) throw run.error;
  });
  const mappings = () =>
    JSON.parse(loadStackConfig("org").config["multicloud:federation"]).mappings as Array<{
      group: string;
      aws?: string;
      oci?: string;
    }>;

  it("registers the SAML provider from the committed metadata, and one role per mapped AWS role trusting only it", () => {
    const provider = named(run, "aws:iam/samlProvider:SamlProvider", "federation-aws-provider");
    expect(provider.inputs.samlMetadataDocument).to.equal(
      readFileSync(path.join(REPO_ROOT, "federation", "idp-metadata.xml"), "utf8"),
    );
    const roles = ofType(run, "aws:iam/role:Role");
    expect(roles.map((r) => [r.inputs.name, r.inputs.maxSessionDuration])).to.deep.equal([
      ["multicloud-org-saml-admin", 4 * 3600],
      ["multicloud-org-saml-read-only", 4 * 3600],
    ]);
    for (const role of roles)
      expect(role.inputs.assumeRolePolicy).to.equal(samlTrustPolicy(String(provider.state.arn)));
    const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => [
      a.inputs.role,
      String(a.inputs.policyArn).split("/").pop(),
    ]);
    expect(attached).to.deep.equal([
      ["multicloud-org-saml-admin", "AdministratorAccess"],
      ["multicloud-org-saml-read-only", "ReadOnlyAccess"],
    ]);
    const guard = named(run, "aws:iam/rolePolicy:RolePolicy", "federation-aws-readOnly-guard");
    expect(JSON.parse(String(guard.inputs.policy)).Statement[0].Action).to.include.members([
      "secretsmanager:GetSecretValue",
      "kms:Decrypt",
    ]);
    // What to paste into the IdP: each AWS-mapped group's Role claim.
    const claims = (run.outputs.federationSetup as Json).aws.roleClaimPerGroup as Record<string, string>;
    expect(Object.keys(claims).sort()).to.deep.equal(
      mappings()
        .filter((m) => m.aws)
        .map((m) => m.group)
        .sort(),
    );
    expect(claims["platform-admins"]).to.equal(`${String(roles[0].state.arn)},${String(provider.state.arn)}`);
    expect(ofType(run, "aws:iam/accessKey:AccessKey")).to.deep.equal([]);
  });

  it("registers a domain group per mapped OCI group and the IdP with JIT provisioning mapping exactly the configured groups", () => {
    const groups = ofType(run, "oci:Identity/domainsGroup:DomainsGroup");
    expect(groups.map((g) => g.inputs.displayName).sort()).to.deep.equal([
      "multicloud-org-administrators",
      "multicloud-org-database-admins",
      "multicloud-org-network-admins",
      "multicloud-org-readers",
    ]);
    const idp = named(run, "oci:Identity/domainsIdentityProvider:DomainsIdentityProvider", "federation-oci-idp")
      .inputs as Json;
    expect(idp).to.deep.include({
      type: "SAML",
      enabled: true,
      jitUserProvEnabled: true,
      jitUserProvGroupMappingMode: "explicit",
      jitUserProvGroupAssignmentMethod: "Overwrite",
      jitUserProvGroupSamlAttributeName: "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    });
    const byDisplay = new Map(groups.map((g) => [g.id, g.inputs.displayName]));
    expect(idp.jitUserProvGroupMappings.map((m: Json) => [m.idpGroup, byDisplay.get(m.value)])).to.deep.equal(
      mappings()
        .filter((m) => m.oci)
        .map((m) => [m.group, `multicloud-org-${m.oci!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`]),
    );
    expect((run.outputs.federation as Json).ociGroups).to.deep.equal({
      administrators: "multicloud-org-administrators",
      networkAdmins: "multicloud-org-network-admins",
      databaseAdmins: "multicloud-org-database-admins",
      readers: "multicloud-org-readers",
    });
  });
});

for (const stack of ["dev", "prod"] as const) {
  describe(`federated access in the ${stack} compartment`, () => {
    it("grants the org stack's groups their rights in this compartment only", async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const policy = named(run, "oci:Identity/policy:Policy", "federated-access-policy");
      const compartment = String(policy.inputs.compartmentId);
      expect(compartment).to.equal(JSON.parse(loadStackConfig(stack).config["multicloud:oci"]).compartmentId);
      expect(policy.inputs.statements).to.deep.equal(
        federatedAccessStatements(
          "Default",
          {
            administrators: "multicloud-org-administrators",
            networkAdmins: "multicloud-org-network-admins",
            databaseAdmins: "multicloud-org-database-admins",
            readers: "multicloud-org-readers",
          },
          compartment,
          {
            namespace: "multicloud",
            costCenter: loadStackConfig(stack).config["multicloud:costCenter"],
          },
        ),
      );
    });
  });
}
