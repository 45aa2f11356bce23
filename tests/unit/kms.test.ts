import { expect } from "chai";
import { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS, keyPolicy, logGroupKeyStatement } from "../../components/shared/kms";

const ctx = { accountId: "111122223333", partition: "aws", region: "eu-west-1" };
const ADMINS = [
  "arn:aws:iam::111122223333:role/platform-key-admin",
  "arn:aws:iam::111122223333:role/platform-deployer",
];
type Statement = {
  Sid: string;
  Principal: Record<string, unknown>;
  Action: string[];
  Condition?: Record<string, Record<string, unknown>>;
};
const statements = (policy: string) => (JSON.parse(policy) as { Statement: Statement[] }).Statement;

describe("KMS key policies: administrators apart from users (pure)", () => {
  it("lets the listed roles administer but never encrypt or decrypt, and nobody holds kms:*", () => {
    const [admin, use] = statements(keyPolicy(ctx, { administratorArns: ADMINS, viaServices: ["secretsmanager"] }));
    expect(admin).to.deep.include({
      Sid: "KeyAdministration",
      Principal: { AWS: ADMINS },
      Action: [...KEY_ADMIN_ACTIONS],
    });
    for (const action of admin.Action)
      expect(action, action).to.not.match(/^kms:(\*|Encrypt|Decrypt|ReEncrypt|GenerateDataKey)/);
    expect(use.Action).to.deep.equal([...KEY_USE_ACTIONS]);
    expect([...admin.Action, ...use.Action]).to.not.include("kms:*");
  });

  it("lets this account's principals use the key only through the named services, in this region", () => {
    const use = statements(
      keyPolicy(ctx, { administratorArns: ADMINS, viaServices: ["kinesis", "dynamodb", "sqs"] }),
    )[1];
    expect(use).to.deep.include({ Sid: "KeyUseThroughServices", Principal: { AWS: "arn:aws:iam::111122223333:root" } });
    expect(use.Condition).to.deep.equal({
      StringEquals: {
        "kms:CallerAccount": "111122223333",
        "kms:ViaService": [
          "kinesis.eu-west-1.amazonaws.com",
          "dynamodb.eu-west-1.amazonaws.com",
          "sqs.eu-west-1.amazonaws.com",
        ],
      },
    });
  });

  it("has no user statement when only a service principal uses the key", () => {
    const policy = statements(
      keyPolicy(ctx, {
        administratorArns: ADMINS,
        serviceStatements: [logGroupKeyStatement(ctx, "/multicloud-dev/vpc-flow-logs")],
      }),
    );
    expect(policy.map((s) => s.Sid)).to.deep.equal(["KeyAdministration", "CloudWatchLogsUsesForThisLogGroup"]);
    expect(policy[1].Principal).to.deep.equal({ Service: "logs.eu-west-1.amazonaws.com" });
    // Exactly one log group, not any of the account's.
    expect(policy[1].Condition).to.deep.equal({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn":
          "arn:aws:logs:eu-west-1:111122223333:log-group:/multicloud-dev/vpc-flow-logs",
      },
    });
  });

  it("refuses a key without an administrator (it could never be managed again)", () => {
    expect(() => keyPolicy(ctx, { administratorArns: [] })).to.throw(
      "a customer-managed key needs at least one administrator role (multicloud:aws.keyAdministratorArns)",
    );
  });
});
