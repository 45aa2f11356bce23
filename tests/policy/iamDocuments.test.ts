import { expect } from "chai";
import { adminEquivalentGrants, iamReferenceProblems, patternsIntersect, statementsOf } from "../../policy/iamDocuments";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("IAM documents against the service authorization reference (pure)", () => {
  it("reads statements from JSON text, objects and single statements; nothing from what is not a document", () => {
    expect(statementsOf(doc({ Sid: "A" }))).to.deep.equal([{ Sid: "A" }]);
    expect(statementsOf({ Statement: { Sid: "B" } })).to.deep.equal([{ Sid: "B" }]);
    expect(statementsOf({})).to.deep.equal([]);
    expect([statementsOf("not json"), statementsOf(undefined), statementsOf(3)]).to.deep.equal([undefined, undefined, undefined]);
  });

  it("decides whether two ARN patterns can name the same resource", () => {
    const stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
    expect(patternsIntersect("arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f:*", stream)).to.equal(true);
    expect(patternsIntersect("arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f", stream)).to.equal(false);
    expect(patternsIntersect("arn:aws:s3:::bucket/?", "arn:${Partition}:s3:::${BucketName}/${ObjectName}")).to.equal(true);
    expect(patternsIntersect("abc", "abc")).to.equal(true);
    expect(patternsIntersect("abc", "abd")).to.equal(false);
    expect(patternsIntersect("ab", "abc")).to.equal(false);
    expect(patternsIntersect("a*", "*b")).to.equal(true);
    expect(patternsIntersect("a*c", "b*")).to.equal(false);
  });

  it("names every unknown action, unknown condition key, wrong resource type and Resource-* action given an ARN", async () => {
    const problems = await iamReferenceProblems(
      doc(
        { Sid: "A", Effect: "Allow", Action: ["kinesis:GetRecord", "nosuch:Thing", "s3:Bogus*", "kms:Decrypt"], Resource: ["arn:aws:kms:eu-west-1:1:key/k"] },
        { Sid: "B", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "arn:aws:iam::1:role/r", Condition: { StringEquals: { "kms:NoSuchKey": "x", "aws:SourceAccount": "1" } } },
        { Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:sqs:eu-west-1:1:q" },
        { Effect: "Allow", Action: "badformat", Resource: "*" },
        { Effect: "Deny", NotAction: "iam:*", Resource: "arn:aws:s3:::b" },
      ),
    );
    expect(problems).to.deep.equal([
      "statement A: kinesis:GetRecord is not an action of kinesis",
      "statement A: nosuch:Thing: nosuch is not an AWS service prefix",
      "statement A: s3:Bogus* matches no s3 action",
      'statement B: sts:GetCallerIdentity supports only Resource "*", not arn:aws:iam::1:role/r',
      "statement B: condition key kms:NoSuchKey does not exist",
      "statement #3: dynamodb:GetItem does not act on arn:aws:sqs:eu-west-1:1:q; it acts on table",
      "statement #4: badformat is not service:action",
    ]);
    expect(await iamReferenceProblems(doc({ Effect: "Allow", Action: ["*", "s3:Get*"], Resource: "*" }))).to.deep.equal([]);
    expect(await iamReferenceProblems("not json")).to.deep.equal([]);
  });

  it("finds admin-equivalent grants: PassRole or iam:* on *, kms:* to anyone but a root", () => {
    expect(
      adminEquivalentGrants(
        doc(
          { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
          { Sid: "Iam", Effect: "Allow", Action: ["iam:*"], Resource: ["*"] },
          { Sid: "Narrow", Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x" },
          { Sid: "Deny", Effect: "Deny", Action: "iam:*", Resource: "*" },
          { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" },
          { Sid: "Acct", Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "kms:*", Resource: "*" },
          { Sid: "Role", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/app"] }, Action: "KMS:*", Resource: "*" },
          { Effect: "Allow", Action: "kms:*", Resource: "arn:aws:kms:eu-west-1:1:key/k" },
        ),
      ),
    ).to.deep.equal([
      "statement Pass allows iam:PassRole on *",
      "statement Iam allows iam:* on *",
      "statement Role allows kms:* to arn:aws:iam::111122223333:role/app",
      "statement #8 allows kms:* to (the policy's holder)",
    ]);
  });
});
