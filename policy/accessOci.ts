/**
 * OCI IAM policy statements checked as OCI evaluates them: each statement parsed against the policy
 * grammar (https://docs.oracle.com/en-us/iaas/Content/Identity/policysyntax/policysyntax.htm), its
 * resource type known, and every variable of its `where` clause one OCI documents for that resource
 * type. OCI accepts a statement with an inapplicable variable and then silently grants nothing, so an
 * undocumented variable is refused here rather than guessed.
 */

/** Variables OCI documents for every request (general variables). */
export const GENERAL_VARIABLES_SOURCE =
  "https://docs.oracle.com/en-us/iaas/Content/Identity/policyreference/policyreference_topic-General_Variables_for_All_Requests.htm";
const GENERAL_VARIABLES = [
  "request.user.id",
  "request.user.name",
  "request.groups.id",
  "request.permission",
  "request.operation",
  "request.region",
  "request.ad",
  "request.principal.type",
  "request.principal.id",
  "request.principal.compartment.id",
  "request.resource.compartment.id",
  "target.compartment.id",
  "target.compartment.name",
];
/** Tag-based conditions (defined tags only): `…tag.<namespace>.<key>`. */
const TAG_VARIABLE =
  /^(request\.resource|target\.resource|request\.principal\.group|target\.resource\.compartment)\.tag\.[\w-]+\.[\w-]+$/;

/** Per resource type: the service-specific variables OCI documents, with the page that documents them. */
export const RESOURCE_TYPES: Readonly<
  Record<string, { readonly variables: readonly string[]; readonly source: string }>
> = {
  "all-resources": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/policyreference/policyreference.htm",
  },
  "virtual-network-family": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/corepolicyreference.htm",
  },
  "autonomous-database-family": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/adbpolicyreference.htm",
  },
  "functions-family": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionscreatingpolicies.htm",
  },
  "fn-function": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionscreatingpolicies.htm",
  },
  "fn-invocation": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionscreatingpolicies.htm",
  },
  metrics: {
    variables: ["target.metrics.namespace"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/monitoringpolicyreference.htm",
  },
  alarms: {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/monitoringpolicyreference.htm",
  },
  "log-groups": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/loggingpolicyreference.htm",
  },
  "log-content": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/loggingpolicyreference.htm",
  },
  "usage-report": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Billing/Concepts/costanalysisoverview.htm",
  },
  compartments: {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/policyreference/iampolicyreference.htm",
  },
  repos: {
    variables: ["target.repo.name"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Registry/Concepts/registrypolicyrepoaccess.htm",
  },
  // Notifications documents no service-specific variable: only the general ones apply to ons-topics.
  "ons-topics": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/notificationpolicyreference.htm",
  },
  "secret-bundles": {
    variables: ["target.secret.id", "target.secret.name", "target.vault.id"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/keypolicyreference.htm",
  },
  keys: {
    variables: ["target.key.id", "target.vault.id"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/keypolicyreference.htm",
  },
  objects: {
    variables: ["target.bucket.name"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm",
  },
  "object-family": {
    variables: ["target.bucket.name"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm",
  },
  buckets: {
    variables: ["target.bucket.name"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm",
  },
  // Permissions named directly ({STREAM_READ, STREAM_CONSUME}): Connector Hub's documented stream policy.
  "{stream}": {
    variables: ["target.stream.id", "target.streampool.id"],
    source: "https://docs.oracle.com/en-us/iaas/Content/connector-hub/create-policies.htm",
  },
};

/** A parsed statement. */
export interface OciStatement {
  readonly subject: string;
  readonly verb: string;
  readonly resourceType: string;
  readonly location: string;
  readonly variables: readonly string[];
}

const STATEMENT =
  /^Allow\s+(group\s+\S+|dynamic-group\s+\S+|any-user|service\s+\S+)\s+to\s+(inspect|read|use|manage|\{[A-Z_,\s]+\})(?:\s+([a-z-]+))?\s+in\s+(tenancy|compartment\s+id\s+\S+|compartment\s+\S+)(?:\s+where\s+(.+))?$/;

/** The statement's parts, or the reason it is not a statement OCI's grammar accepts. */
export function parseStatement(text: string): OciStatement | string {
  const m = STATEMENT.exec(text.trim());
  if (!m) return `not an Allow statement in OCI's grammar: ${text}`;
  const [, subject, verb, type, location, where] = m;
  const permissions = verb.startsWith("{");
  if (permissions === (type !== undefined))
    return `a statement names a verb and a resource type, or a {PERMISSION} list without one: ${text}`;
  const resourceType = permissions ? (verb.includes("STREAM_") ? "{stream}" : "{permissions}") : (type as string);
  const variables = where ? [...where.matchAll(/([a-z][\w-]*(?:\.[\w-]+)+)\s*!?=/g)].map((v) => v[1]) : [];
  if (where && variables.length === 0) return `a where clause without a variable comparison: ${text}`;
  return { subject, verb, resourceType, location, variables };
}

/** What is wrong with a statement: unparseable, an unknown resource type, or a variable OCI does not document for it. */
export function statementProblems(text: string): string[] {
  const parsed = parseStatement(text);
  if (typeof parsed === "string") return [parsed];
  const type = RESOURCE_TYPES[parsed.resourceType];
  if (!type)
    return [`resource type ${parsed.resourceType} is not in the table of documented types (policy/accessOci.ts)`];
  return parsed.variables
    .filter((v) => !GENERAL_VARIABLES.includes(v) && !TAG_VARIABLE.test(v) && !type.variables.includes(v))
    .map(
      (v) =>
        `${v} is not a variable OCI documents for ${parsed.resourceType} (${type.source}; general variables: ${GENERAL_VARIABLES_SOURCE}): the statement would silently grant nothing`,
    );
}
