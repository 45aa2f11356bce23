/**
 * The evaluator against AWS's documented evaluation rules and examples (links in policy/iamEvaluate.ts):
 * each case is one documented rule, with the documents AWS's pages use reduced to ours.
 */
import { expect } from "chai";
import { AwsRequest, Caller, evaluateRequest, statementApplies, wildcardMatch } from "../../policy/iamEvaluate";

const ACCOUNT = "111122223333";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/worker`;
const role: Caller = { kind: "role", arn: ROLE, accountId: ACCOUNT };
const BUCKET_OBJECT = "arn:aws:s3:::reports/2026/a.csv";
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const req = (
  action: string,
  resource: string,
  context: AwsRequest["context"] = {},
  caller: Caller = role,
): AwsRequest => ({
  caller,
  action,
  resource,
  context,
});

describe("AWS request evaluation (policy/iamEvaluate.ts)", () => {
  describe("evaluation logic within one account", () => {
    it("allows by an identity statement alone, and names it", () => {
      const d = evaluateRequest(req("s3:GetObject", BUCKET_OBJECT), {
        identity: [doc({ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" })],
      });
      expect(d).to.deep.equal({ allowed: true, by: "identity Read" });
    });

    it("denies by default: no statement for the action", () => {
      const d = evaluateRequest(req("s3:PutObject", BUCKET_OBJECT), {
        identity: [doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" })],
      });
      expect(d).to.deep.equal({
        allowed: false,
        reason: `no identity statement allows s3:PutObject on ${BUCKET_OBJECT}`,
      });
    });

    it("allows by a resource policy that names the role itself, with no identity statement", () => {
      const d = evaluateRequest(req("sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:q"), {
        identity: [],
        resource: doc({
          Sid: "Send",
          Effect: "Allow",
          Principal: { AWS: ROLE },
          Action: "sqs:SendMessage",
          Resource: "*",
        }),
      });
      expect(d).to.deep.equal({ allowed: true, by: "resource policy Send" });
    });

    it("does not allow by a resource policy that names only the account: it delegates to IAM", () => {
      const d = evaluateRequest(req("sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:q"), {
        identity: [],
        resource: doc({
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: "sqs:*",
          Resource: "*",
        }),
      });
      expect(d.allowed).to.equal(false);
    });

    it("an explicit Deny in any policy wins over every Allow", () => {
      const d = evaluateRequest(req("s3:GetObject", BUCKET_OBJECT), {
        identity: [doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })],
        resource: doc({
          Sid: "NoReads",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::reports/*",
        }),
      });
      expect(d).to.deep.equal({
        allowed: false,
        reason: `explicit Deny (statement NoReads) for s3:GetObject on ${BUCKET_OBJECT}`,
      });
    });

    it("NotAction and NotResource apply to everything they do not list", () => {
      const s = { Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::secret/*" };
      expect(statementApplies(s, req("s3:GetObject", BUCKET_OBJECT))).to.equal(true);
      expect(statementApplies(s, req("iam:PassRole", BUCKET_OBJECT))).to.equal(false);
      expect(statementApplies(s, req("s3:GetObject", "arn:aws:s3:::secret/x"))).to.equal(false);
    });

    it("matches actions case-insensitively and ARNs case-sensitively", () => {
      expect(wildcardMatch("SNS:publish", "sns:Publish", true)).to.equal(true);
      expect(wildcardMatch("arn:aws:s3:::Reports/*", BUCKET_OBJECT)).to.equal(false);
      expect(wildcardMatch("kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext", true)).to.equal(true);
      expect(wildcardMatch("arn:aws:s3:::reports/202?/*", BUCKET_OBJECT)).to.equal(true);
    });
  });

  describe("KMS key policies", () => {
    const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234`;
    const delegating = doc({
      Sid: "KeyUseThroughServices",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": ["sns.eu-west-1.amazonaws.com"] } },
    });
    const viaSns = { "kms:CallerAccount": ACCOUNT, "kms:ViaService": "sns.eu-west-1.amazonaws.com" };

    it("a key policy that delegates to the account still needs the caller's identity statement (the batch workflow's bug)", () => {
      const d = evaluateRequest(req("kms:GenerateDataKey", KEY, viaSns), {
        identity: [doc({ Effect: "Allow", Action: "sns:Publish", Resource: "*" })],
        resource: delegating,
        resourcePolicyRequired: true,
      });
      expect(d).to.deep.equal({
        allowed: false,
        reason: `the key policy delegates kms:GenerateDataKey to IAM (statement KeyUseThroughServices) but no identity statement allows kms:GenerateDataKey on ${KEY}`,
      });
    });

    it("with the identity statement, through the named service, it is allowed", () => {
      const d = evaluateRequest(req("kms:GenerateDataKey", KEY, viaSns), {
        identity: [doc({ Sid: "UseKey", Effect: "Allow", Action: "kms:GenerateDataKey*", Resource: KEY })],
        resource: delegating,
        resourcePolicyRequired: true,
      });
      expect(d).to.deep.equal({
        allowed: true,
        by: "key policy KeyUseThroughServices (delegated to IAM) + identity UseKey",
      });
    });

    it("not through the named service (kms:ViaService differs), the same grant is refused", () => {
      const d = evaluateRequest(
        req("kms:GenerateDataKey", KEY, { ...viaSns, "kms:ViaService": "sqs.eu-west-1.amazonaws.com" }),
        {
          identity: [doc({ Effect: "Allow", Action: "kms:*", Resource: "*" })],
          resource: delegating,
          resourcePolicyRequired: true,
        },
      );
      expect(d.allowed).to.equal(false);
    });

    it("an identity policy alone never suffices for a key", () => {
      const d = evaluateRequest(req("kms:Decrypt", KEY, viaSns), {
        identity: [doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: KEY })],
        resource: doc({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:role/admin" },
          Action: "kms:*",
          Resource: "*",
        }),
        resourcePolicyRequired: true,
      });
      expect(d).to.deep.equal({
        allowed: false,
        reason: `the key policy allows no kms:Decrypt on ${KEY} for this caller`,
      });
    });

    it("a key policy naming a service principal allows it alone, under its conditions", () => {
      const cloudwatch: Caller = { kind: "service", service: "cloudwatch.amazonaws.com", accountId: ACCOUNT };
      const policies = {
        identity: [],
        resource: doc({
          Sid: "Alarms",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        }),
        resourcePolicyRequired: true,
      };
      expect(
        evaluateRequest(req("kms:Decrypt", KEY, { "aws:SourceAccount": ACCOUNT }, cloudwatch), policies).allowed,
      ).to.equal(true);
      expect(
        evaluateRequest(req("kms:Decrypt", KEY, { "aws:SourceAccount": "444455556666" }, cloudwatch), policies).allowed,
      ).to.equal(false);
    });
  });

  describe("VPC endpoint policies", () => {
    const endpoint = {
      id: "vpce-0abc",
      policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" }),
    };
    const identity = [doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })];

    it("must allow as well: a request the endpoint policy does not cover is refused", () => {
      expect(evaluateRequest(req("s3:GetObject", BUCKET_OBJECT), { identity, endpoint }).allowed).to.equal(true);
      expect(evaluateRequest(req("s3:GetObject", "arn:aws:s3:::other/a"), { identity, endpoint })).to.deep.equal({
        allowed: false,
        reason: "the VPC endpoint vpce-0abc policy allows no s3:GetObject on arn:aws:s3:::other/a",
      });
    });

    it("a resource policy may require the endpoint by aws:SourceVpce", () => {
      const resource = doc({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0abc" } },
      });
      expect(
        evaluateRequest(req("s3:GetObject", BUCKET_OBJECT, { "aws:SourceVpce": "vpce-0abc" }), { identity, resource })
          .allowed,
      ).to.equal(true);
      // Not through the endpoint, the key is absent: a negated operator then holds, so the Deny applies.
      expect(evaluateRequest(req("s3:GetObject", BUCKET_OBJECT), { identity, resource }).allowed).to.equal(false);
    });
  });

  describe("condition operators", () => {
    const holds = (Condition: object, context: AwsRequest["context"]) =>
      statementApplies(
        { Effect: "Allow", Action: "*", Resource: "*", Condition } as never,
        req("s3:GetObject", BUCKET_OBJECT, context),
      );

    it("a missing key makes a positive operator false and a negated one true", () => {
      expect(holds({ StringEquals: { "aws:SourceAccount": ACCOUNT } }, {})).to.equal(false);
      expect(holds({ StringNotEquals: { "aws:SourceAccount": ACCOUNT } }, {})).to.equal(true);
      expect(holds({ StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } }, {})).to.equal(true);
      expect(holds({ StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } }, { "aws:SourceAccount": "1" })).to.equal(
        false,
      );
    });

    it("Null tests presence; keys compare case-insensitively; values within a key are ORed, keys ANDed", () => {
      expect(holds({ Null: { "aws:SourceVpce": "true" } }, {})).to.equal(true);
      expect(holds({ Null: { "aws:SourceVpce": "false" } }, { "AWS:SOURCEVPCE": "vpce-1" })).to.equal(true);
      expect(
        holds({ StringEquals: { "aws:SourceAccount": ["1", ACCOUNT] } }, { "aws:SourceAccount": ACCOUNT }),
      ).to.equal(true);
      expect(
        holds(
          { StringEquals: { "aws:SourceAccount": ACCOUNT, "aws:SourceVpce": "v" } },
          { "aws:SourceAccount": ACCOUNT },
        ),
      ).to.equal(false);
    });

    it("ArnLike with wildcards; ForAnyValue and ForAllValues over multi-valued keys", () => {
      expect(
        holds(
          { ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:*:111122223333:alarm:*" } },
          { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:x" },
        ),
      ).to.equal(true);
      expect(
        holds({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["a", "b"] } }, { "aws:TagKeys": ["c", "b"] }),
      ).to.equal(true);
      expect(
        holds({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } }, { "aws:TagKeys": ["c", "b"] }),
      ).to.equal(false);
      expect(holds({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] } }, {})).to.equal(true);
      expect(holds({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["a"] } }, {})).to.equal(false);
    });

    it("refuses an operator it does not implement instead of guessing", () => {
      expect(() => holds({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { "aws:SourceIp": "10.0.0.1" })).to.throw(
        "condition operator IpAddress is not evaluated here",
      );
    });
  });
});
