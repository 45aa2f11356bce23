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
export const GENERAL_VARIABLES = [
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
  // Other permissions named directly ({DATA_SCIENCE_MODEL_DEPLOYMENT_PREDICT}): the general variables only.
  "{permissions}": {
    variables: [],
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/policysyntax/policysyntax.htm",
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
  /** The permissions a `{…}` list names (none for a verb and resource type). */
  readonly permissions: readonly string[];
  /** The where clause as written, if any, and the variables it compares. */
  readonly where?: string;
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
  const listed = permissions
    ? verb
        .slice(1, -1)
        .split(",")
        .map((p) => p.trim())
    : [];
  return { subject, verb, resourceType, location, permissions: listed, ...(where ? { where } : {}), variables };
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

export type OciVerb = "inspect" | "read" | "use" | "manage";
const VERB_RANK: Readonly<Record<OciVerb, number>> = { inspect: 0, read: 1, use: 2, manage: 3 };

/**
 * The OCI operations our code and services make: the permissions each needs, and the resource type
 * and least verb that include them (from each service's policy reference; `permissions` empty where
 * we grant by verb only and do not rely on the permission's name).
 */
export const OCI_OPERATIONS: Readonly<
  Record<
    string,
    { readonly permissions: readonly string[]; readonly type: string; readonly verb: OciVerb; readonly source: string }
  >
> = {
  "ons:PublishMessage": {
    permissions: ["ONS_TOPIC_PUBLISH"],
    type: "ons-topics",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/notificationpolicyreference.htm",
  },
  "secrets:GetSecretBundle": {
    permissions: ["SECRET_BUNDLE_READ"],
    type: "secret-bundles",
    verb: "read",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/keypolicyreference.htm",
  },
  "objectstorage:GetObject": {
    permissions: ["OBJECT_READ"],
    type: "objects",
    verb: "read",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm",
  },
  "objectstorage:ListObjects": {
    permissions: ["OBJECT_INSPECT"],
    type: "objects",
    verb: "inspect",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm",
  },
  "objectstorage:PutObject": {
    permissions: ["OBJECT_CREATE", "OBJECT_OVERWRITE"],
    type: "objects",
    verb: "manage",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm",
  },
  "objectstorage:DeleteObject": {
    permissions: ["OBJECT_DELETE"],
    type: "objects",
    verb: "manage",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm",
  },
  "streaming:GetMessages": {
    permissions: ["STREAM_READ"],
    type: "stream-pull",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/streamingpolicyreference.htm",
  },
  "streaming:ConsumeGroup": {
    permissions: ["STREAM_CONSUME"],
    type: "stream-pull",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/streamingpolicyreference.htm",
  },
  "functions:InvokeFunction": {
    permissions: ["FN_INVOCATION"],
    type: "fn-invocation",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionscreatingpolicies.htm",
  },
  // Connector Hub's documented policy for a function target: `use fn-function` besides the invocation.
  "functions:UseAsConnectorTarget": {
    permissions: [],
    type: "fn-function",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/Content/connector-hub/create-policies.htm",
  },
  "kms:EncryptDecrypt": {
    permissions: ["KEY_ENCRYPT", "KEY_DECRYPT"],
    type: "keys",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/keypolicyreference.htm",
  },
  "usage:RequestSummarizedUsages": {
    permissions: [],
    type: "usage-report",
    verb: "read",
    source: "https://docs.oracle.com/en-us/iaas/Content/Billing/Concepts/costanalysisoverview.htm",
  },
  "monitoring:SummarizeMetricsData": {
    permissions: ["METRIC_READ"],
    type: "metrics",
    verb: "read",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/monitoringpolicyreference.htm",
  },
  "identity:ListCompartments": {
    permissions: ["COMPARTMENT_INSPECT"],
    type: "compartments",
    verb: "inspect",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/policyreference/iampolicyreference.htm",
  },
  "database:StopAutonomousDatabase": {
    permissions: [],
    type: "autonomous-databases",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/adbpolicyreference.htm",
  },
  "datascience:PredictModelDeployment": {
    permissions: ["DATA_SCIENCE_MODEL_DEPLOYMENT_PREDICT"],
    type: "data-science-model-deployments",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/data-science/using/model-dep-policies-auth.htm",
  },
  "artifacts:PushImage": {
    permissions: [],
    type: "repos",
    verb: "manage",
    source: "https://docs.oracle.com/en-us/iaas/Content/Registry/Concepts/registrypolicyrepoaccess.htm",
  },
  "artifacts:PullImage": {
    permissions: [],
    type: "repos",
    verb: "read",
    source: "https://docs.oracle.com/en-us/iaas/Content/Registry/Concepts/registrypolicyrepoaccess.htm",
  },
  "network:AttachFunctionVnic": {
    permissions: [],
    type: "virtual-network-family",
    verb: "use",
    source: "https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionscreatingpolicies.htm",
  },
};

/** The resource types a family (or all-resources) covers. */
export const FAMILIES: Readonly<Record<string, readonly string[]>> = {
  "object-family": ["objects", "buckets"],
  "stream-family": ["stream-pull", "stream-push", "streams"],
  "functions-family": ["fn-function", "fn-invocation", "fn-app"],
  "autonomous-database-family": ["autonomous-databases", "autonomous-backups"],
};
const covers = (statementType: string, type: string) =>
  statementType === type || statementType === "all-resources" || (FAMILIES[statementType] ?? []).includes(type);

/** The facts a request carries that conditions can test (OCI variables → value). */
export type OciContext = Readonly<Record<string, string | undefined>>;

/** One condition `var = 'value'` / `var != 'value'` against the context; an unknown variable fails it. */
function conditionHolds(condition: string, context: OciContext): boolean {
  const m = /^\s*([a-z][\w-]*(?:\.[\w-]+)+)\s*(!?=)\s*'([^']*)'\s*$/.exec(condition);
  if (!m) return false;
  const actual = context[m[1]];
  if (actual === undefined) return false;
  const equal = actual.toLowerCase() === m[3].toLowerCase();
  return m[2] === "=" ? equal : !equal;
}

/** A where clause: one condition, or `all {…}` / `any {…}` of them. */
export function whereHolds(where: string | undefined, context: OciContext): boolean {
  if (where === undefined) return true;
  const group = /^\s*(all|any)\s*\{(.*)\}\s*$/is.exec(where);
  if (!group) return conditionHolds(where, context);
  const parts = group[2].split(",");
  return group[1].toLowerCase() === "all"
    ? parts.every((c) => conditionHolds(c, context))
    : parts.some((c) => conditionHolds(c, context));
}

const unquote = (name: string) => name.replace(/^'[^']*'\//, "").replace(/^'|'$/g, "");

/** Whether a statement's subject is the caller (`any-user` is everyone; its conditions narrow it). */
function subjectMatches(subject: string, caller: string): boolean {
  if (subject === "any-user") return true;
  const [kind, ...rest] = subject.split(/\s+/);
  const [callerKind, ...callerRest] = caller.split(/\s+/);
  return kind === callerKind && unquote(rest.join(" ")) === callerRest.join(" ");
}

/** A request on OCI: who, which operation, on what (its compartment and the variables it sets). */
export interface OciRequest {
  readonly caller: string;
  readonly operation: string;
  /** The target's compartment OCID, or undefined for a tenancy-wide resource (usage reports). */
  readonly compartmentId?: string;
  readonly context: OciContext;
}

/** The statement (as written) that grants the request, or why none does. */
export function ociGrant(
  request: OciRequest,
  statements: readonly string[],
): { readonly granted: true; readonly by: string } | { readonly granted: false; readonly reason: string } {
  const operation = OCI_OPERATIONS[request.operation];
  if (!operation)
    return { granted: false, reason: `${request.operation} is not in OCI_OPERATIONS (policy/accessOci.ts)` };
  for (const text of statements) {
    const parsed = parseStatement(text);
    // A statement OCI's grammar does not accept grants nothing (oci-policy-statements-documented reports it).
    if (typeof parsed === "string") continue;
    const { subject, verb, resourceType: type, location, where } = parsed;
    if (!subjectMatches(subject, request.caller)) continue;
    const locationOk =
      location === "tenancy" ||
      (request.compartmentId !== undefined && location.replace(/^compartment\s+id\s+/, "") === request.compartmentId);
    if (!locationOk) continue;
    const holds = (permission?: string) =>
      whereHolds(where, permission ? { ...request.context, "request.permission": permission } : request.context);
    if (parsed.permissions.length) {
      if (
        operation.permissions.length &&
        operation.permissions.every((p) => parsed.permissions.includes(p) && holds(p))
      )
        return { granted: true, by: text };
      continue;
    }
    if (!covers(type, operation.type) || VERB_RANK[verb as OciVerb] < VERB_RANK[operation.verb]) continue;
    const conditionsHold = operation.permissions.length ? operation.permissions.every((p) => holds(p)) : holds();
    if (conditionsHold) return { granted: true, by: text };
  }
  return {
    granted: false,
    reason: `no statement lets ${request.caller} ${operation.verb} ${operation.type} (${operation.permissions.join(", ") || "by verb"}) in ${request.compartmentId ?? "the tenancy"} with the request's variables (${operation.source})`,
  };
}

/** A declared OCI call's verdict. */
export interface OciFinding {
  readonly by: string;
  readonly caller: string;
  readonly operation: string;
  readonly target: string;
  readonly verdict: "allowed" | "denied" | "undecidable";
  readonly detail: string;
  /** The request as evaluated (absent when it could not be formed). */
  readonly request?: OciRequest;
}

interface OciTargetView {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

/** The variables a target sets for a request: its compartment, its own documented variables, its defined tags. */
export function targetContext(target: OciTargetView): Record<string, string | undefined> {
  const p = target.props;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const context: Record<string, string | undefined> = { "target.compartment.id": str(p.compartmentId) };
  switch (target.type) {
    case "oci:ObjectStorage/bucket:Bucket":
      context["target.bucket.name"] = str(p.name);
      break;
    case "oci:Streaming/stream:Stream":
      context["target.stream.id"] = str(p.id);
      context["target.streampool.id"] = str(p.streamPoolId);
      break;
    case "oci:Vault/secret:Secret":
      context["target.secret.id"] = str(p.id);
      context["target.secret.name"] = str(p.secretName);
      context["target.vault.id"] = str(p.vaultId);
      break;
    case "oci:Kms/key:Key":
      context["target.key.id"] = str(p.id);
      break;
    case "oci:Artifacts/containerRepository:ContainerRepository":
      context["target.repo.name"] = str(p.displayName);
      break;
  }
  const tags = p.definedTags;
  if (typeof tags === "object" && tags !== null)
    for (const [key, value] of Object.entries(tags as Record<string, unknown>))
      context[`target.resource.tag.${key}`] = str(value);
  return context;
}

/**
 * Every declared OCI call against the stack's policy statements. `resources` gives the targets (by
 * URN) and the statements; a target or statement not known yet makes the call undecidable.
 */
export function evaluateOciCalls(
  resources: readonly {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
  }[],
  calls: readonly {
    readonly by: string;
    readonly caller: {
      readonly oci: string;
      readonly principalType?: string;
      readonly principalCompartmentId?: string;
    };
    readonly action: string;
    readonly target: string;
  }[],
): OciFinding[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const policies = resources.filter((r) => r.type === "oci:Identity/policy:Policy");
  const unknownPolicies = policies.filter(
    (p) => !Array.isArray(p.props.statements) || p.props.statements.some((s) => typeof s !== "string"),
  );
  const statements = policies.flatMap((p) =>
    Array.isArray(p.props.statements) ? p.props.statements.filter((s): s is string => typeof s === "string") : [],
  );
  return calls.map((call) => {
    const base = { by: call.by, caller: call.caller.oci, operation: call.action, target: call.target };
    const callerContext = {
      "request.principal.type": call.caller.principalType,
      "request.principal.compartment.id": call.caller.principalCompartmentId,
      "request.resource.compartment.id": call.caller.principalCompartmentId,
    };
    let compartmentId: string | undefined;
    let context: Record<string, string | undefined>;
    if (call.target === "*") context = {};
    else if (call.target.startsWith("ocid1.")) {
      // A compartment, or a target outside the program: `<compartment OCID>#<variable>=<value>;…`.
      const [compartment, variables = ""] = call.target.split("#");
      compartmentId = compartment;
      context = { "target.compartment.id": compartment };
      for (const pair of variables.split(";").filter(Boolean)) {
        const [key, value] = pair.split("=");
        context[key] = value;
      }
    } else {
      const target = byUrn.get(call.target);
      if (!target) return { ...base, verdict: "undecidable", detail: `the target ${call.target} is not known yet` };
      context = targetContext(target);
      // A stream and a function live in their pool's and application's compartment.
      if (context["target.compartment.id"] === undefined) {
        const parentId = target.props.streamPoolId ?? target.props.applicationId;
        const parent = resources.find((r) => r.props.id !== undefined && r.props.id === parentId);
        if (typeof parent?.props.compartmentId === "string")
          context["target.compartment.id"] = parent.props.compartmentId;
      }
      compartmentId = context["target.compartment.id"];
      base.target = target.name;
      if (compartmentId === undefined)
        return { ...base, verdict: "undecidable", detail: `the compartment of ${target.name} is not known yet` };
    }
    const request: OciRequest = {
      caller: call.caller.oci,
      operation: call.action,
      compartmentId,
      context: { ...context, ...callerContext },
    };
    const grant = ociGrant(request, statements);
    if (grant.granted) return { ...base, verdict: "allowed", detail: grant.by, request };
    if (unknownPolicies.length)
      return {
        ...base,
        verdict: "undecidable",
        detail: `${grant.reason}; the statements of ${unknownPolicies.map((p) => p.name).join(", ")} are not known yet`,
      };
    return { ...base, verdict: "denied", detail: grant.reason, request };
  });
}

/** The statements of the stack's OCI policies that grant no declared call (policies in `exempt` are not measured). */
export function unusedOciStatements(
  resources: readonly {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
  }[],
  findings: readonly OciFinding[],
  exempt: ReadonlySet<string>,
): { readonly policy: string; readonly statement: string }[] {
  const requests = findings.flatMap((f) => (f.request ? [f.request] : []));
  return resources
    .filter((r) => r.type === "oci:Identity/policy:Policy" && !exempt.has(r.urn) && Array.isArray(r.props.statements))
    .flatMap((r) =>
      (r.props.statements as unknown[])
        .filter((s): s is string => typeof s === "string")
        .filter((s) => !requests.some((q) => ociGrant(q, [s]).granted))
        .map((statement) => ({ policy: r.name, statement })),
    );
}
