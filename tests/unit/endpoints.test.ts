import { expect } from "chai";
import { admits, endpointPolicy, EndpointUse } from "../../components/network/endpoints";

const ACCOUNT = "111122223333";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:multicloud-dev/database/app-AbC123";
const use: EndpointUse = {
  service: "secretsmanager",
  by: "migrations",
  actions: ["secretsmanager:GetSecretValue"],
  resources: [SECRET],
};

describe("VPC endpoint policies (pure)", () => {
  it("admits exactly what the areas use, for this account's principals", () => {
    const policy = endpointPolicy("secretsmanager", [use], ACCOUNT);
    expect(JSON.parse(policy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "migrationsUses",
          Effect: "Allow",
          Principal: "*",
          Action: ["secretsmanager:GetSecretValue"],
          Resource: [SECRET],
          Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
        },
      ],
    });
    expect(admits(policy, "secretsmanager:GetSecretValue", SECRET, ACCOUNT)).to.equal(true);
    expect(admits(policy, "secretsmanager:PutSecretValue", SECRET, ACCOUNT)).to.equal(false);
    expect(admits(policy, "secretsmanager:GetSecretValue", `${SECRET}x`, ACCOUNT)).to.equal(false);
    expect(admits(policy, "secretsmanager:GetSecretValue", SECRET, "999999999999")).to.equal(false);
  });

  it("gives an unused gateway endpoint this account's resources only, and refuses an unused interface endpoint", () => {
    const s3 = JSON.parse(endpointPolicy("s3", [use], ACCOUNT)) as {
      Statement: Array<{ Condition: unknown; Action: string[] }>;
    };
    expect(s3.Statement).to.have.length(1);
    expect(s3.Statement[0].Action).to.deep.equal(["s3:*"]);
    expect(s3.Statement).to.deep.equal([
      {
        Sid: "ThisAccountOnly",
        Effect: "Allow",
        Principal: "*",
        Action: ["s3:*"],
        Resource: ["*"],
        Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT, "aws:ResourceAccount": ACCOUNT } },
      },
    ]);
    expect(
      (JSON.parse(endpointPolicy("dynamodb", [], ACCOUNT)) as { Statement: Array<{ Action: string[] }> }).Statement[0]
        .Action,
    ).to.deep.equal(["dynamodb:*"]);
    // Every use is a statement of its own, named after its user.
    const two = JSON.parse(
      endpointPolicy(
        "secretsmanager",
        [use, { ...use, by: "secret-rotation", actions: ["secretsmanager:PutSecretValue"] }],
        ACCOUNT,
      ),
    ) as { Statement: Array<{ Sid: string; Action: string[] }> };
    expect(two.Statement.map((st) => [st.Sid, st.Action])).to.deep.equal([
      ["migrationsUses", ["secretsmanager:GetSecretValue"]],
      ["secretrotationUses", ["secretsmanager:PutSecretValue"]],
    ]);
    expect(() => endpointPolicy("secretsmanager", [], ACCOUNT)).to.throw(
      "nothing uses the secretsmanager interface endpoint; remove it from INTERFACE_ENDPOINT_SERVICES",
    );
  });

  it("refuses a use with another service's action or a wildcard", () => {
    expect(() => endpointPolicy("secretsmanager", [{ ...use, actions: ["kms:Decrypt"] }], ACCOUNT)).to.throw(
      "migrations lists kms:Decrypt for the secretsmanager endpoint; only secretsmanager: actions go through it",
    );
    expect(() => endpointPolicy("secretsmanager", [{ ...use, resources: ["*"] }], ACCOUNT)).to.throw(
      "migrations: endpoint uses name exact actions and resources",
    );
    expect(() =>
      endpointPolicy(
        "secretsmanager",
        [{ ...use, actions: ["secretsmanager:GetSecretValue", "secretsmanager:Get*"] }],
        ACCOUNT,
      ),
    ).to.throw("migrations: endpoint uses name exact actions and resources");
    expect(() =>
      endpointPolicy(
        "secretsmanager",
        [{ ...use, actions: ["secretsmanager:GetSecretValue", "kms:Decrypt", "sts:GetCallerIdentity"] }],
        ACCOUNT,
      ),
    ).to.throw(
      "migrations lists kms:Decrypt, sts:GetCallerIdentity for the secretsmanager endpoint; only secretsmanager: actions go through it",
    );
    // Another service's uses are not this endpoint's.
    expect(() => endpointPolicy("secretsmanager", [{ ...use, service: "s3" }], ACCOUNT)).to.throw(
      "nothing uses the secretsmanager interface endpoint",
    );
  });

  it("matches IAM wildcards in a policy's actions and resources", () => {
    const policy = JSON.stringify({
      Statement: [{ Effect: "Allow", Action: ["s3:Get*"], Resource: ["arn:aws:s3:::bucket/?/*"] }],
    });
    expect(admits(policy, "s3:GetObject", "arn:aws:s3:::bucket/a/b/c", ACCOUNT)).to.equal(true);
    expect(admits(policy, "s3:PutObject", "arn:aws:s3:::bucket/a/b", ACCOUNT)).to.equal(false);
    expect(admits(policy, "s3:GetObject", "arn:aws:s3:::bucket/ab/c", ACCOUNT)).to.equal(false);
    // Any one statement admitting is enough, and it must admit both the action and the resource; Deny statements admit nothing.
    const several = JSON.stringify({
      Statement: [
        { Effect: "Deny", Action: ["s3:*"], Resource: ["*"] },
        {
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:GetObject"],
          Resource: ["arn:aws:s3:::other/*", "arn:aws:s3:::bucket/*"],
        },
        {
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: ["arn:aws:s3:::bucket"],
          Condition: { StringEquals: { "aws:PrincipalAccount": "999999999999" } },
        },
      ],
    });
    expect(admits(several, "s3:GetObject", "arn:aws:s3:::bucket/k", ACCOUNT)).to.equal(true);
    expect(admits(several, "s3:DeleteObject", "arn:aws:s3:::bucket/k", ACCOUNT)).to.equal(false);
    expect(admits(several, "s3:ListBucket", "arn:aws:s3:::bucket", ACCOUNT)).to.equal(false);
    expect(admits(several, "s3:ListBucket", "arn:aws:s3:::bucket", "999999999999")).to.equal(true);
    // A statement without a principal-account condition admits any account's principals.
    expect(
      admits(
        JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["*"] }] }),
        "sqs:SendMessage",
        "arn:aws:sqs:eu-west-1:1:q",
        "123",
      ),
    ).to.equal(true);
    expect(
      admits(
        JSON.stringify({
          Statement: [
            {
              Effect: "Allow",
              Action: ["sqs:SendMessage"],
              Resource: ["*"],
              Condition: { StringLike: { "aws:PrincipalArn": "x" } },
            },
          ],
        }),
        "sqs:SendMessage",
        "q",
        "123",
      ),
    ).to.equal(true);
  });
});
