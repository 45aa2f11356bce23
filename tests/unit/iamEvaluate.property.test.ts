/** Properties of the AWS evaluator that hold for any request and documents (fast-check). */
import { expect } from "chai";
import fc from "fast-check";
import { AwsPolicies, AwsRequest, evaluateRequest, wildcardMatch } from "../../policy/iamEvaluate";

const ACCOUNT = "111122223333";
const word = fc.stringMatching(/^[a-zA-Z0-9]{1,8}$/);
const action = fc
  .tuple(fc.constantFrom("s3", "sns", "sqs", "kms", "secretsmanager"), word)
  .map(([s, a]) => `${s}:${a}`);
const arn = fc
  .tuple(fc.constantFrom("s3", "sns", "sqs"), word, word)
  .map(([s, a, b]) => `arn:aws:${s}:eu-west-1:${ACCOUNT}:${a}/${b}`);
const request = fc.record({ action, resource: arn }).map(({ action: a, resource }): AwsRequest => ({
  caller: { kind: "role", arn: `arn:aws:iam::${ACCOUNT}:role/r`, accountId: ACCOUNT },
  action: a,
  resource,
  context: {},
}));
/** A random statement over the request's own action and resource or others, possibly wildcarded. */
const statement = (r: AwsRequest) =>
  fc.record({
    Effect: fc.constantFrom("Allow", "Deny"),
    Action: fc.constantFrom(r.action, "*", `${r.action.split(":")[0]}:*`, "other:Thing"),
    Resource: fc.constantFrom(r.resource, "*", "arn:aws:s3:::elsewhere"),
  });
const policies = (r: AwsRequest) =>
  fc.record({
    identity: fc.array(
      fc.array(statement(r), { maxLength: 3 }).map((Statement) => ({ Statement })),
      { maxLength: 3 },
    ),
    resource: fc.option(
      fc.array(statement(r), { maxLength: 3 }).map((s) => ({ Statement: s.map((x) => ({ ...x, Principal: "*" })) })),
      { nil: undefined },
    ),
  });
const scenario = request.chain((r) => fc.tuple(fc.constant(r), policies(r)));

describe("AWS evaluator properties (policy/iamEvaluate.ts)", () => {
  it("an explicit Deny that matches the request, added to any identity policy, always wins", () => {
    fc.assert(
      fc.property(scenario, ([r, p]) => {
        const withDeny: AwsPolicies = {
          ...p,
          identity: [...p.identity, { Statement: [{ Effect: "Deny", Action: r.action, Resource: r.resource }] }],
        };
        expect(evaluateRequest(r, withDeny).allowed).to.equal(false);
      }),
    );
  });

  it("adding an Allow never takes an allowed request away (no Deny added)", () => {
    fc.assert(
      fc.property(scenario, ([r, p]) => {
        const before = evaluateRequest(r, p).allowed;
        const after = evaluateRequest(r, {
          ...p,
          identity: [...p.identity, { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }],
        }).allowed;
        if (before) expect(after).to.equal(true);
      }),
    );
  });

  it("without any Deny, the request is allowed exactly when some Allow matches its action and resource", () => {
    fc.assert(
      fc.property(scenario, ([r, p]) => {
        const statements = [...p.identity.flatMap((d) => d.Statement), ...(p.resource?.Statement ?? [])];
        const matches = (s: { Action: string; Resource: string }) =>
          wildcardMatch(s.Action, r.action, true) && wildcardMatch(s.Resource, r.resource);
        const denied = statements.some((s) => s.Effect === "Deny" && matches(s));
        const allowed = statements.some((s) => s.Effect === "Allow" && matches(s));
        expect(evaluateRequest(r, p).allowed).to.equal(!denied && allowed);
      }),
    );
  });

  it("a pattern made from a value by turning any characters into * matches that value", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 30 }), (value, stars) => {
        const pattern = [...value].map((c, i) => (stars[i] ? "*" : c)).join("");
        expect(wildcardMatch(pattern, value)).to.equal(true);
      }),
    );
  });
});
