/** The evaluator's edges: principal forms, every condition operator it implements, labels and the order of statements. */
import { expect } from "chai";
import { AwsRequest, Caller, evaluateRequest, statementApplies } from "../../policy/iamEvaluate";

const ACCOUNT = "111122223333";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/worker`;
const role: Caller = { kind: "role", arn: ROLE, accountId: ACCOUNT };
const QUEUE = `arn:aws:sqs:eu-west-1:${ACCOUNT}:q`;
const doc = (...Statement: object[]) => ({ Statement });
const req = (context: AwsRequest["context"] = {}, caller: Caller = role, action = "sqs:SendMessage"): AwsRequest => ({
  caller,
  action,
  resource: QUEUE,
  context,
});
const resourceOnly = (principal: unknown, caller: Caller = role) =>
  evaluateRequest(req({}, caller), {
    identity: [],
    resource: doc({ Sid: "P", Effect: "Allow", Principal: principal, Action: "sqs:*", Resource: "*" }),
  });

describe("AWS evaluator edges (policy/iamEvaluate.ts)", () => {
  it("reads each Principal form: *, AWS *, the role, the account by id or root ARN, services, and nothing else", () => {
    expect(resourceOnly("*")).to.deep.equal({ allowed: true, by: "resource policy P" });
    expect(resourceOnly({ AWS: "*" }).allowed).to.equal(true);
    expect(resourceOnly({ AWS: [ROLE, "arn:aws:iam::999:role/x"] }).allowed).to.equal(true);
    expect(resourceOnly({ AWS: ACCOUNT }).allowed).to.equal(false);
    expect(resourceOnly({ AWS: `arn:aws:iam::${ACCOUNT}:root` }).allowed).to.equal(false);
    expect(resourceOnly({ AWS: `arn:aws:iam::${ACCOUNT}:rootx` }).allowed).to.equal(false);
    expect(resourceOnly({ Service: "sns.amazonaws.com" }).allowed).to.equal(false);
    expect(resourceOnly({ Federated: "cognito-identity.amazonaws.com" }).allowed).to.equal(false);
    expect(resourceOnly(undefined).allowed).to.equal(false);
    expect(resourceOnly(null).allowed).to.equal(false);
    const sns: Caller = { kind: "service", service: "sns.amazonaws.com", accountId: ACCOUNT };
    expect(resourceOnly({ Service: ["events.amazonaws.com", "sns.amazonaws.com"] }, sns).allowed).to.equal(true);
    expect(resourceOnly({ AWS: "*" }, sns).allowed).to.equal(true);
    expect(resourceOnly({ AWS: ROLE }, sns)).to.deep.equal({
      allowed: false,
      reason: `no resource policy statement allows sns.amazonaws.com sqs:SendMessage on ${QUEUE}`,
    });
  });

  it("a service principal's identity policies do not count; NotPrincipal and a document that is not JSON are refused", () => {
    const sns: Caller = { kind: "service", service: "sns.amazonaws.com", accountId: ACCOUNT };
    expect(
      evaluateRequest(req({}, sns), { identity: [doc({ Effect: "Allow", Action: "*", Resource: "*" })] }).allowed,
    ).to.equal(false);
    expect(() =>
      evaluateRequest(req(), {
        identity: [],
        resource: doc({ Effect: "Deny", NotPrincipal: { AWS: ROLE }, Action: "*", Resource: "*" }),
      }),
    ).to.throw("NotPrincipal is not evaluated here; do not use it");
    expect(() => evaluateRequest(req(), { identity: ["{not json"] })).to.throw(
      "a policy document that is not JSON cannot be evaluated",
    );
  });

  it("prefers a statement naming the caller over one delegating to the account, and labels statements without Sid by position", () => {
    const resource = doc(
      { Sid: "Account", Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "sqs:*", Resource: "*" },
      { Sid: "Self", Effect: "Allow", Principal: { AWS: ROLE }, Action: "sqs:*", Resource: "*" },
    );
    expect(evaluateRequest(req(), { identity: [], resource })).to.deep.equal({
      allowed: true,
      by: "resource policy Self",
    });
    expect(evaluateRequest(req(), { identity: [], resource, resourcePolicyRequired: true })).to.deep.equal({
      allowed: true,
      by: "key policy Self",
    });
    const first = doc(
      { Sid: "First", Effect: "Allow", Principal: { AWS: ROLE }, Action: "sqs:*", Resource: "*" },
      { Sid: "Second", Effect: "Allow", Principal: { AWS: ROLE }, Action: "*", Resource: "*" },
    );
    expect(evaluateRequest(req(), { identity: [], resource: first })).to.deep.equal({
      allowed: true,
      by: "resource policy First",
    });
    const unnamed = doc(
      { Effect: "Allow", Action: "s3:*", Resource: "*" },
      { Effect: "Deny", Action: "sqs:*", Resource: "*" },
    );
    expect(evaluateRequest(req(), { identity: [unnamed] })).to.deep.equal({
      allowed: false,
      reason: `explicit Deny (statement #2) for sqs:SendMessage on ${QUEUE}`,
    });
    expect(
      evaluateRequest(req(), { identity: [doc({ Effect: "Allow", Action: "sqs:*", Resource: "*" })] }),
    ).to.deep.equal({
      allowed: true,
      by: "identity #1",
    });
    // A statement with neither Allow nor Deny grants nothing.
    expect(
      evaluateRequest(req(), { identity: [doc({ Effect: "allow", Action: "sqs:*", Resource: "*" })] }).allowed,
    ).to.equal(false);
  });

  it("an endpoint policy's Deny is an explicit deny; an allowing endpoint leaves the decision to the other policies", () => {
    const identity = [doc({ Effect: "Allow", Action: "sqs:*", Resource: "*" })];
    expect(
      evaluateRequest(req(), {
        identity,
        endpoint: {
          id: "vpce-1",
          policy: doc({ Sid: "No", Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }),
        },
      }),
    ).to.deep.equal({ allowed: false, reason: `explicit Deny (statement No) for sqs:SendMessage on ${QUEUE}` });
    expect(
      evaluateRequest(req(), {
        identity: [],
        endpoint: { id: "vpce-1", policy: doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }) },
      }).allowed,
    ).to.equal(false);
    expect(
      evaluateRequest(req(), {
        identity,
        endpoint: {
          id: "vpce-1",
          policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:role/other" }, Action: "*", Resource: "*" }),
        },
      }).allowed,
    ).to.equal(false);
  });

  describe("every condition operator", () => {
    const holds = (operator: string, expected: unknown, actual: AwsRequest["context"][string] | undefined) =>
      statementApplies(
        { Effect: "Allow", Action: "*", Resource: "*", Condition: { [operator]: { "k:Key": expected } } },
        req(actual === undefined ? {} : { "k:Key": actual }),
      );
    const table: [string, unknown, string | boolean | string[], boolean][] = [
      ["StringEquals", "Abc", "Abc", true],
      ["StringEquals", "Abc", "abc", false],
      ["StringEqualsIgnoreCase", "Abc", "aBC", true],
      ["StringEqualsIgnoreCase", "Abc", "abd", false],
      ["StringLike", "a*c", "abbbc", true],
      ["StringLike", "a?c", "abbc", false],
      ["StringNotEquals", "a", "b", true],
      ["StringNotEquals", "a", "a", false],
      ["StringNotEqualsIgnoreCase", "A", "a", false],
      ["StringNotEqualsIgnoreCase", "A", "b", true],
      ["StringNotLike", "a*", "ab", false],
      ["StringNotLike", "a*", "ba", true],
      ["ArnEquals", "arn:aws:sqs:*:1:q", "arn:aws:sqs:eu-west-1:1:q", true],
      ["ArnLike", "arn:aws:sqs:*:1:q", "arn:aws:sqs:eu-west-1:2:q", false],
      ["ArnNotEquals", "arn:aws:sqs:*:1:q", "arn:aws:sqs:eu-west-1:1:q", false],
      ["ArnNotLike", "arn:aws:sqs:*:1:q", "arn:aws:sqs:eu-west-1:2:q", true],
      ["Bool", "true", true, true],
      ["Bool", "true", "FALSE", false],
      ["Bool", "True", "true", true],
      ["NumericEquals", "10", "10.0", true],
      ["NumericEquals", "10", "11", false],
      ["NumericNotEquals", "10", "11", true],
      ["NumericNotEquals", "10", "10", false],
      ["NumericLessThan", "10", "9", true],
      ["NumericLessThan", "10", "10", false],
      ["NumericLessThanEquals", "10", "10", true],
      ["NumericLessThanEquals", "10", "11", false],
      ["NumericGreaterThan", "10", "11", true],
      ["NumericGreaterThan", "10", "10", false],
      ["NumericGreaterThanEquals", "10", "10", true],
      ["NumericGreaterThanEquals", "10", "9", false],
      ["ForAnyValue:StringNotEquals", ["a", "b"], ["a", "c"], true],
      ["ForAnyValue:StringNotEquals", ["a", "b"], ["a", "b"], false],
      ["ForAllValues:StringNotEquals", ["a"], ["b", "c"], true],
      ["ForAllValues:StringNotEquals", ["a"], ["b", "a"], false],
      ["ForAllValues:StringEquals", ["a", "b"], ["a", "b"], true],
      ["ForAnyValue:StringLike", ["x*"], ["ab", "xy"], true],
      ["StringEquals", ["a", "b"], ["c", "b"], true],
      ["StringNotEquals", ["a", "b"], ["c", "b"], false],
    ];
    for (const [operator, expected, actual, result] of table)
      it(`${operator} ${JSON.stringify(expected)} against ${JSON.stringify(actual)} is ${result}`, () => {
        expect(holds(operator, expected, actual)).to.equal(result);
      });

    it("a missing key: negated operators hold, positive ones and ForAnyValue do not, ForAllValues does", () => {
      expect(holds("ArnNotLike", "x", undefined)).to.equal(true);
      expect(holds("NumericNotEquals", "1", undefined)).to.equal(true);
      expect(holds("ArnLike", "x", undefined)).to.equal(false);
      expect(holds("ForAnyValue:StringNotEquals", "x", undefined)).to.equal(false);
      expect(holds("ForAllValues:StringNotEquals", "x", undefined)).to.equal(true);
      expect(holds("BoolIfExists", "true", undefined)).to.equal(true);
      expect(holds("BoolIfExists", "true", false)).to.equal(false);
      expect(holds("Null", "true", undefined)).to.equal(true);
      expect(holds("Null", "true", "x")).to.equal(false);
      expect(holds("Null", "false", undefined)).to.equal(false);
    });
  });
});
