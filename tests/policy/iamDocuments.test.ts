import { expect } from "chai";
import {
  adminEquivalentGrants,
  iamReferenceProblems,
  patternsIntersect,
  statementsOf,
} from "../../policy/iamDocuments";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("IAM documents against the service authorization reference (pure)", () => {
  it("reads statements from JSON text, objects and single statements; nothing from what is not a document", () => {
    expect(statementsOf(doc({ Sid: "A" }))).to.deep.equal([{ Sid: "A" }]);
    expect(statementsOf({ Statement: { Sid: "B" } })).to.deep.equal([{ Sid: "B" }]);
    expect(statementsOf({})).to.deep.equal([]);
    expect([
      statementsOf("not json"),
      statementsOf(undefined),
      statementsOf(3),
      statementsOf(null),
      statementsOf("null"),
    ]).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
  });

  it("decides whether two ARN patterns can name the same resource", () => {
    const stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
    expect(patternsIntersect("arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f:*", stream)).to.equal(true);
    expect(patternsIntersect("arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f", stream)).to.equal(false);
    expect(patternsIntersect("arn:aws:s3:::bucket/?", "arn:${Partition}:s3:::${BucketName}/${ObjectName}")).to.equal(
      true,
    );
    expect(patternsIntersect("abc", "abc")).to.equal(true);
    expect(patternsIntersect("abc", "abd")).to.equal(false);
    expect(patternsIntersect("ab", "abc")).to.equal(false);
    expect(patternsIntersect("a*", "*b")).to.equal(true);
    expect(patternsIntersect("a*c", "b*")).to.equal(false);
    // Placeholders and wildcards match any text, the empty text included, on either side.
    expect(patternsIntersect("ab", "a${X}b")).to.equal(true);
    expect(patternsIntersect("a${X}", "ab*c")).to.equal(true);
    expect(patternsIntersect("abc", "a*")).to.equal(true);
    expect(patternsIntersect("*", "")).to.equal(true);
    expect(patternsIntersect("", "x")).to.equal(false);
    expect(patternsIntersect("x", "")).to.equal(false);
    expect(patternsIntersect("ab*", "a")).to.equal(false);
    expect(patternsIntersect("a", "ab*")).to.equal(false);
    // Long patterns that share prefixes (the memo must not confuse positions).
    expect(
      patternsIntersect(
        "arn:aws:kinesis:eu-west-1:111122223333:stream/events",
        "arn:${Partition}:kinesis:${Region}:${Account}:stream/${StreamName}",
      ),
    ).to.equal(true);
    expect(
      patternsIntersect(
        "arn:aws:kinesis:eu-west-1:111122223333:stream/events",
        "arn:${Partition}:kinesis:${Region}:${Account}:${StreamType}/${StreamName}/consumer/${ConsumerName}:${ConsumerCreationTimpstamp}",
      ),
    ).to.equal(false);
    expect(patternsIntersect("aaaaaaaaab", "a*a*a*c")).to.equal(false);
    expect(patternsIntersect("abababab", "*ba*ab")).to.equal(true);
  });

  it("names every unknown action, unknown condition key, wrong resource type and Resource-* action given an ARN", async () => {
    const problems = await iamReferenceProblems(
      doc(
        {
          Sid: "A",
          Effect: "Allow",
          Action: ["kinesis:GetRecord", "nosuch:Thing", "s3:Bogus*", "kms:Decrypt"],
          Resource: ["arn:aws:kms:eu-west-1:1:key/k"],
        },
        {
          Sid: "B",
          Effect: "Allow",
          Action: "sts:GetCallerIdentity",
          Resource: "arn:aws:iam::1:role/r",
          Condition: { StringEquals: { "kms:NoSuchKey": "x", "aws:SourceAccount": "1" } },
        },
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
    expect(await iamReferenceProblems(doc({ Effect: "Allow", Action: ["*", "s3:Get*"], Resource: "*" }))).to.deep.equal(
      [],
    );
    expect(await iamReferenceProblems("not json")).to.deep.equal([]);
    // A resource matching any one of the action's resource types is fine; NotAction grants are checked for names only.
    expect(
      await iamReferenceProblems(
        doc({ Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::bucket/key", "*"] }),
      ),
    ).to.deep.equal([]);
    expect(
      await iamReferenceProblems(doc({ Effect: "Allow", NotAction: "kinesis:GetRecord", Resource: "arn:aws:s3:::b" })),
    ).to.deep.equal(["statement #1: kinesis:GetRecord is not an action of kinesis"]);
    expect(
      await iamReferenceProblems(
        doc({
          Effect: "Allow",
          Action: "kinesis:GetRecords",
          Resource: ["arn:aws:kinesis:eu-west-1:1:stream/s", "arn:aws:sqs:eu-west-1:1:q"],
        }),
      ),
    ).to.deep.equal(["statement #1: kinesis:GetRecords does not act on arn:aws:sqs:eu-west-1:1:q; it acts on stream"]);
  });

  it("finds admin-equivalent grants: PassRole or iam:* on *, kms:* to anyone but a root", () => {
    expect(
      adminEquivalentGrants(
        doc(
          { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
          { Sid: "Iam", Effect: "Allow", Action: ["iam:*"], Resource: ["*"] },
          { Sid: "Narrow", Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x" },
          { Sid: "Deny", Effect: "Deny", Action: "iam:*", Resource: "*" },
          {
            Sid: "Root",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111122223333:root" },
            Action: "kms:*",
            Resource: "*",
          },
          { Sid: "Acct", Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "kms:*", Resource: "*" },
          {
            Sid: "Role",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/app"] },
            Action: "KMS:*",
            Resource: "*",
          },
          { Effect: "Allow", Action: "kms:*", Resource: "arn:aws:kms:eu-west-1:1:key/k" },
          {
            Sid: "Lookalike",
            Effect: "Allow",
            Principal: {
              AWS: [
                "xarn:aws:iam::111122223333:root",
                "arn:aws:iam::111122223333:rootx",
                "1111222233334",
                "arn:awsX:iam::111122223333:root",
              ],
            },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "Gov",
            Effect: "Allow",
            Principal: { AWS: "arn:aws-us-gov:iam::111122223333:root" },
            Action: "kms:*",
            Resource: "*",
          },
          { Sid: "Star", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" },
        ),
      ),
    ).to.deep.equal([
      "statement Pass allows iam:PassRole on *",
      "statement Iam allows iam:* on *",
      "statement Role allows kms:* to arn:aws:iam::111122223333:role/app",
      "statement #8 allows kms:* to (the policy's holder)",
      "statement Lookalike allows kms:* to xarn:aws:iam::111122223333:root, arn:aws:iam::111122223333:rootx, 1111222233334, arn:awsX:iam::111122223333:root",
      "statement Star allows kms:* to *",
    ]);
  });
});
