/**
 * The VPC endpoints every in-VPC consumer shares, and their endpoint policies. The network creates
 * the endpoints; the areas say, in their typed outputs, which actions on which resources they make
 * through them (`EndpointUse`); `endpointPolicy` turns those uses into the policy, so an endpoint
 * admits what the platform does through it and nothing else. `admits` is the check a test runs over
 * every grant of an in-VPC function.
 */

/**
 * Interface endpoints, in private subnets, reachable on 443 from the private subnets: Secrets
 * Manager for functions and pods, ECR's API and registry for the nodes' image pulls, CloudWatch
 * Logs for the cluster's log agents, Managed Grafana's API for the in-VPC provisioning function's
 * short-lived tokens (NetworkPolicy and endpoint policies can name these; they
 * cannot name public AWS addresses). No STS endpoint: nothing in the VPC calls STS (pods get
 * credentials from the pod identity agent, not AssumeRoleWithWebIdentity), and an endpoint
 * nothing uses is refused below.
 */
export const INTERFACE_ENDPOINT_SERVICES = ["secretsmanager", "ecr.api", "ecr.dkr", "logs", "grafana"] as const;
/**
 * The Grafana workspaces' endpoint (`grafana-workspace`): the workspace's own HTTP API and UI,
 * whose callers Grafana authenticates (tokens, SAML), not IAM, so an endpoint policy has nothing to
 * decide; its gate is the workspace's network access control, which names this endpoint.
 */
export const GRAFANA_WORKSPACE_ENDPOINT_SERVICE = "grafana-workspace";

/** Gateway endpoints, on the private route tables. */
export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;
export type EndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number] | (typeof GATEWAY_ENDPOINT_SERVICES)[number];

/** The IAM service prefix of each endpoint's actions (ECR's two endpoints both serve `ecr:`). */
export const ENDPOINT_ACTION_PREFIX: Readonly<Record<EndpointService, string>> = {
  secretsmanager: "secretsmanager",
  "ecr.api": "ecr",
  "ecr.dkr": "ecr",
  logs: "logs",
  grafana: "grafana",
  s3: "s3",
  dynamodb: "dynamodb",
};

/** What an area does through an endpoint: exact actions on exact resources. */
export interface EndpointUse {
  readonly service: EndpointService;
  /** Who uses it, for the statement id (letters and digits). */
  readonly by: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Why `resources` is ["*"]: only for actions IAM defines on no resource (e.g. ecr:GetAuthorizationToken). */
  readonly anyResourceBecause?: string;
}

interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: "*";
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition: Record<string, Record<string, string>>;
}

/**
 * The endpoint policy of `service`: one statement per use, for this account's principals. A
 * gateway endpoint nothing uses yet admits only this account's principals on this account's
 * resources (a data-perimeter default: no path to another account's bucket or table); an interface
 * endpoint nothing uses is refused (it should not exist).
 */
export function endpointPolicy(service: EndpointService, uses: readonly EndpointUse[], accountId: string): string {
  const mine = uses.filter((u) => u.service === service);
  const prefix = ENDPOINT_ACTION_PREFIX[service];
  for (const use of mine) {
    const foreign = use.actions.filter((a) => !a.startsWith(`${prefix}:`));
    if (foreign.length)
      throw new Error(
        `${use.by} lists ${foreign.join(", ")} for the ${service} endpoint; only ${prefix}: actions go through it`,
      );
    if ((use.resources.includes("*") && !use.anyResourceBecause) || use.actions.some((a) => a.endsWith("*")))
      throw new Error(`${use.by}: endpoint uses name exact actions and resources`);
  }
  const principal = { StringEquals: { "aws:PrincipalAccount": accountId } };
  let statements: Statement[];
  if (mine.length > 0) {
    statements = mine.map((use, i) => ({
      // Statement ids are unique per policy: a user with several uses of one endpoint gets a number.
      Sid: `${use.by.replace(/[^A-Za-z0-9]/g, "")}Uses${mine.findIndex((u) => u.by === use.by) === i ? "" : i}`,
      Effect: "Allow",
      Principal: "*",
      Action: [...use.actions],
      Resource: [...use.resources],
      Condition: principal,
    }));
  } else if ((GATEWAY_ENDPOINT_SERVICES as readonly string[]).includes(service)) {
    statements = [
      {
        Sid: "ThisAccountOnly",
        Effect: "Allow",
        Principal: "*",
        Action: [`${prefix}:*`],
        Resource: ["*"],
        Condition: { StringEquals: { "aws:PrincipalAccount": accountId, "aws:ResourceAccount": accountId } },
      },
    ];
  } else {
    throw new Error(`nothing uses the ${service} interface endpoint; remove it from INTERFACE_ENDPOINT_SERVICES`);
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** `*` and `?` wildcards as IAM matches them (case-sensitive here, which is stricter). */
function matchesPattern(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return re.test(value);
}

/** Whether an endpoint policy admits `action` on `resource` for a principal of `accountId` (conditions on the principal's account only). */
export function admits(policyJson: string, action: string, resource: string, accountId: string): boolean {
  const statements = (
    JSON.parse(policyJson) as {
      Statement: Array<{
        Effect: string;
        Action: string[];
        Resource: string[];
        Condition?: Record<string, Record<string, string>>;
      }>;
    }
  ).Statement;
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      s.Action.some((a) => matchesPattern(a, action)) &&
      s.Resource.some((r) => matchesPattern(r, resource)) &&
      (s.Condition?.StringEquals?.["aws:PrincipalAccount"] ?? accountId) === accountId,
  );
}
