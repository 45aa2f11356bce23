/**
 * A small evaluator of AWS policies for one request, written here rather than taken from
 * `@cloud-copilot/iam-simulate` because that library is AGPL-3.0 and this pack is handed to every
 * team that previews a stack (docs/security.md records the decision). It implements what our
 * documents use, as AWS documents it, and refuses (throws on) what it does not implement so an
 * unknown operator can never read as "allowed":
 *
 * - Evaluation logic, one account:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html —
 *   an explicit Deny anywhere wins; otherwise an Allow in the identity policies or in the resource
 *   policy (naming the principal itself) suffices; a resource policy naming the account delegates to
 *   IAM (then the identity policy must allow).
 * - KMS keys: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html — the key
 *   policy must allow, either the principal itself or the account (then the identity policy must
 *   allow as well); an identity policy alone never suffices.
 * - VPC endpoint policies: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html —
 *   an additional gate on requests through the endpoint: it must allow too.
 * - Condition operators: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 *   (String*, Arn*, Bool, Null, Numeric*, `…IfExists`, `ForAnyValue:` / `ForAllValues:`); a missing key
 *   makes a condition false except for the negated operators and `…IfExists`.
 */
import { IamStatement, listOf, statementsOf, wildcardMatch } from "./iamDocuments";

/** Who calls: an IAM role (its ARN) or an AWS service principal acting for this account. */
export type Caller =
  | { readonly kind: "role"; readonly arn: string; readonly accountId: string }
  | { readonly kind: "service"; readonly service: string; readonly accountId: string };

/** One request as AWS authorizes it, with the context keys AWS sets for it. */
export interface AwsRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  /** Context keys (`aws:SourceArn`, `kms:ViaService`, `kms:EncryptionContext:…`); names are case-insensitive. */
  readonly context: Readonly<Record<string, string | readonly string[] | boolean>>;
}

/** The documents AWS puts together for a request. */
export interface AwsPolicies {
  /** The caller's identity policies (inline and customer-managed); none for a service principal. */
  readonly identity: readonly unknown[];
  /** The target's resource policy (a key policy for KMS), if it has one. */
  readonly resource?: unknown;
  /** True for KMS: the key policy must allow (directly or by delegating to the account). */
  readonly resourcePolicyRequired?: boolean;
  /** The policy of the VPC endpoint the request goes through, if any (with its id for aws:SourceVpce). */
  readonly endpoint?: { readonly id: string; readonly policy: unknown };
}

export type Decision =
  { readonly allowed: true; readonly by: string } | { readonly allowed: false; readonly reason: string };

type Match = "allow" | "deny" | "none";
export { wildcardMatch };

const accountRoot = (accountId: string) => new RegExp(`^(arn:[^:]+:iam::${accountId}:root|${accountId})$`);

/** How a statement's Principal relates to the caller: the caller itself, the caller's account (delegation), or neither. */
function principalMatch(statement: IamStatement, caller: Caller): "self" | "account" | "none" {
  if (statement.NotPrincipal !== undefined) throw new Error("NotPrincipal is not evaluated here; do not use it");
  const principal = statement.Principal;
  if (principal === "*") return "self";
  if (typeof principal !== "object" || principal === null) return "none";
  const p = principal as { AWS?: unknown; Service?: unknown; Federated?: unknown };
  if (caller.kind === "service")
    return listOf(p.Service).includes(caller.service) || listOf(p.AWS).includes("*") ? "self" : "none";
  const aws = listOf(p.AWS);
  if (aws.includes("*") || aws.includes(caller.arn)) return "self";
  return aws.some((a) => accountRoot(caller.accountId).test(a)) ? "account" : "none";
}

function contextValues(request: AwsRequest, key: string): string[] | undefined {
  const found = Object.entries(request.context).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (!found) return undefined;
  return listOf(found[1]);
}

function compare(base: string, expected: string, actual: string): boolean {
  switch (base) {
    case "StringEquals":
      return expected === actual;
    case "StringEqualsIgnoreCase":
      return expected.toLowerCase() === actual.toLowerCase();
    case "StringLike":
      return wildcardMatch(expected, actual);
    case "ArnEquals":
    case "ArnLike":
      return wildcardMatch(expected, actual);
    case "Bool":
      return expected.toLowerCase() === actual.toLowerCase();
    case "NumericEquals":
      return Number(actual) === Number(expected);
    case "NumericLessThan":
      return Number(actual) < Number(expected);
    case "NumericLessThanEquals":
      return Number(actual) <= Number(expected);
    case "NumericGreaterThan":
      return Number(actual) > Number(expected);
    case "NumericGreaterThanEquals":
      return Number(actual) >= Number(expected);
    default:
      throw new Error(`condition operator ${base} is not evaluated here`);
  }
}

const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
  NumericNotEquals: "NumericEquals",
};

/** One operator block of a Condition against the request (all its keys must hold). */
function operatorHolds(operator: string, block: Record<string, unknown>, request: AwsRequest): boolean {
  const qualifier = operator.startsWith("ForAnyValue:") ? "any" : operator.startsWith("ForAllValues:") ? "all" : "";
  let name = operator.replace(/^(ForAnyValue|ForAllValues):/, "");
  const ifExists = name.endsWith("IfExists");
  if (ifExists) name = name.slice(0, -"IfExists".length);
  return Object.entries(block).every(([key, raw]) => {
    const expected = listOf(raw);
    const actual = contextValues(request, key);
    if (name === "Null") return expected.some((e) => (e.toLowerCase() === "true") === (actual === undefined));
    if (actual === undefined) return ifExists || (name in NEGATED && qualifier === "") || qualifier === "all";
    const negated = NEGATED[name];
    const base = negated ?? name;
    const one = (value: string) => expected.some((e) => compare(base, e, value));
    if (qualifier === "all") return actual.every((v) => (negated ? !one(v) : one(v)));
    if (negated) return qualifier === "any" ? actual.some((v) => !one(v)) : !actual.some(one);
    return actual.some(one);
  });
}

/** Whether a statement applies to the request, ignoring its Principal (the caller of this decides). */
export function statementApplies(statement: IamStatement, request: AwsRequest): boolean {
  const actions = listOf(statement.Action);
  const notActions = listOf(statement.NotAction);
  const actionOk =
    statement.NotAction !== undefined
      ? !notActions.some((a) => wildcardMatch(a, request.action, true))
      : actions.some((a) => wildcardMatch(a, request.action, true));
  if (!actionOk) return false;
  const resourceOk =
    statement.NotResource !== undefined
      ? !listOf(statement.NotResource).some((r) => wildcardMatch(r, request.resource))
      : listOf(statement.Resource).some((r) => wildcardMatch(r, request.resource));
  if (!resourceOk) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, block]) =>
    operatorHolds(operator, block as Record<string, unknown>, request),
  );
}

interface DocumentMatch {
  readonly match: Match;
  /** For a resource policy's Allow: whether it named the caller or only its account. */
  readonly principal?: "self" | "account";
  readonly sid?: string;
}

function evaluateDocument(document: unknown, request: AwsRequest, withPrincipal: boolean): DocumentMatch {
  const statements = statementsOf(document);
  if (statements === undefined) throw new Error("a policy document that is not JSON cannot be evaluated");
  let allow: DocumentMatch = { match: "none" };
  for (const [index, s] of statements.entries()) {
    const principal = withPrincipal ? principalMatch(s, request.caller) : "self";
    if (principal === "none" || !statementApplies(s, request)) continue;
    const sid = s.Sid ?? `#${index + 1}`;
    if (s.Effect === "Deny") return { match: "deny", sid };
    if (s.Effect === "Allow" && (allow.match === "none" || (allow.principal === "account" && principal === "self")))
      allow = { match: "allow", principal, sid };
  }
  return allow;
}

/** The decision AWS would reach for one request, with the statement that allowed it or what is missing. */
export function evaluateRequest(request: AwsRequest, policies: AwsPolicies): Decision {
  const what = `${request.action} on ${request.resource}`;
  const identity =
    request.caller.kind === "role"
      ? policies.identity.map((d) => evaluateDocument(d, request, false))
      : ([] as DocumentMatch[]);
  const resource = policies.resource === undefined ? undefined : evaluateDocument(policies.resource, request, true);
  const endpoint =
    policies.endpoint === undefined ? undefined : evaluateDocument(policies.endpoint.policy, request, true);

  const denied = [...identity, resource, endpoint].find((m) => m?.match === "deny");
  if (denied) return { allowed: false, reason: `explicit Deny (statement ${denied.sid}) for ${what}` };
  if (endpoint && endpoint.match !== "allow")
    return { allowed: false, reason: `the VPC endpoint ${policies.endpoint?.id} policy allows no ${what}` };

  const identityAllow = identity.find((m) => m.match === "allow");
  if (policies.resourcePolicyRequired) {
    if (!resource || resource.match !== "allow")
      return { allowed: false, reason: `the key policy allows no ${what} for this caller` };
    if (resource.principal === "self") return { allowed: true, by: `key policy ${resource.sid}` };
    return identityAllow
      ? { allowed: true, by: `key policy ${resource.sid} (delegated to IAM) + identity ${identityAllow.sid}` }
      : {
          allowed: false,
          reason: `the key policy delegates ${request.action} to IAM (statement ${resource.sid}) but no identity statement allows ${what}`,
        };
  }
  if (resource?.match === "allow" && resource.principal === "self")
    return { allowed: true, by: `resource policy ${resource.sid}` };
  if (identityAllow) return { allowed: true, by: `identity ${identityAllow.sid}` };
  return {
    allowed: false,
    reason:
      request.caller.kind === "service"
        ? `no resource policy statement allows ${request.caller.service} ${what}`
        : `no identity statement allows ${what}`,
  };
}
