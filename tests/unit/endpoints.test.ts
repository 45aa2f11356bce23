import { expect } from "chai";
import { admits, endpointPolicy, EndpointUse } from "../../components/network/endpoints";

const ACCOUNT = "111122223333";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:multicloud-dev/database/app-AbC123";
const use: EndpointUse = { service: "secretsmanager", by: "migrations", actions: ["secretsmanager:GetSecretValue"], resources: [SECRET] };

describe("VPC endpoint policies (pure)", () => {
  it("admits exactly what the areas use, for this account's principals", () => {
    const policy = endpointPolicy("secretsmanager", [use], ACCOUNT);
    expect(JSON.parse(policy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{ Sid: "migrationsUses", Effect: "Allow", Principal: "*", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET], Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } }],
    });
    expect(admits(policy, "secretsmanager:GetSecretValue", SECRET, ACCOUNT)).to.equal(true);
    expect(admits(policy, "secretsmanager:PutSecretValue", SECRET, ACCOUNT)).to.equal(false);
    expect(admits(policy, "secretsmanager:GetSecretValue", `${SECRET}x`, ACCOUNT)).to.equal(false);
    expect(admits(policy, "secretsmanager:GetSecretValue", SECRET, "999999999999")).to.equal(false);
  });

  it("gives an unused gateway endpoint this account's resources only, and refuses an unused interface endpoint", () => {
    const s3 = JSON.parse(endpointPolicy("s3", [use], ACCOUNT)) as { Statement: Array<{ Condition: unknown; Action: string[] }> };
    expect(s3.Statement).to.have.length(1);
    expect(s3.Statement[0].Action).to.deep.equal(["s3:*"]);
    expect(s3.Statement[0].Condition).to.deep.equal({ StringEquals: { "aws:PrincipalAccount": ACCOUNT, "aws:ResourceAccount": ACCOUNT } });
    expect(() => endpointPolicy("secretsmanager", [], ACCOUNT)).to.throw("nothing uses the secretsmanager interface endpoint; remove it from INTERFACE_ENDPOINT_SERVICES");
  });

  it("refuses a use with another service's action or a wildcard", () => {
    expect(() => endpointPolicy("secretsmanager", [{ ...use, actions: ["kms:Decrypt"] }], ACCOUNT)).to.throw("migrations lists kms:Decrypt for the secretsmanager endpoint; only secretsmanager: actions go through it");
    expect(() => endpointPolicy("secretsmanager", [{ ...use, resources: ["*"] }], ACCOUNT)).to.throw("migrations: endpoint uses name exact actions and resources");
    expect(() => endpointPolicy("secretsmanager", [{ ...use, actions: ["secretsmanager:Get*"] }], ACCOUNT)).to.throw("endpoint uses name exact actions and resources");
  });

  it("matches IAM wildcards in a policy's actions and resources", () => {
    const policy = JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:Get*"], Resource: ["arn:aws:s3:::bucket/?/*"] }] });
    expect(admits(policy, "s3:GetObject", "arn:aws:s3:::bucket/a/b/c", ACCOUNT)).to.equal(true);
    expect(admits(policy, "s3:PutObject", "arn:aws:s3:::bucket/a/b", ACCOUNT)).to.equal(false);
    expect(admits(policy, "s3:GetObject", "arn:aws:s3:::bucket/ab/c", ACCOUNT)).to.equal(false);
  });
});
