/**
 * Ordering rules: what a cloud needs to exist *before* it creates a resource. Pulumi creates a
 * resource as soon as its inputs are known, so a create that the cloud checks against another
 * resource (a topic policy, a service policy, a group membership) must depend on it, directly or
 * through what it depends on. The engine checks these after a run, over the recorded dependency
 * graph (a dependency on a component stands for every resource under it), and fails the run naming
 * the missing edge.
 */
import type { RecordedResource } from "./recorded";

export interface OrderingRule {
  readonly type: string;
  /** The rule, as the cloud's documentation implies it. */
  readonly rule: string;
  readonly source: string;
  /** For one registration: each thing it needs, as the resources of the run that satisfy it (empty: nothing to order). */
  readonly needs: (
    resource: RecordedResource,
    all: readonly RecordedResource[],
  ) => { readonly what: string; readonly candidates: readonly RecordedResource[] }[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.flatMap(strings) : typeof value === "string" ? [value] : [];

/** The topic policies of the topics whose ARNs appear in `arns`. */
function topicPoliciesFor(arns: readonly string[], all: readonly RecordedResource[]) {
  return all
    .filter((r) => r.type === "aws:sns/topic:Topic" && typeof r.state.arn === "string" && arns.includes(r.state.arn))
    .map((topic) => ({
      what: `the policy of topic ${topic.name} (the service checks it when the subscriber is added)`,
      candidates: all.filter(
        (p) => p.type === "aws:sns/topicPolicy:TopicPolicy" && (p.propertyDependencies.arn ?? []).includes(topic.urn),
      ),
    }));
}

/** OCI policies in the run holding a statement that matches `statement`. */
const policiesWith = (statement: RegExp, all: readonly RecordedResource[]) =>
  all.filter(
    (r) => r.type === "oci:Identity/policy:Policy" && strings(r.inputs.statements).some((s) => statement.test(s)),
  );

export const ORDERING_RULES: readonly OrderingRule[] = [
  {
    type: "aws:budgets/budget:Budget",
    rule: "A budget notifying an SNS topic is created after the topic's policy lets budgets.amazonaws.com publish",
    source: "https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html",
    needs: (r, all) =>
      topicPoliciesFor(
        strings(
          (r.inputs.notifications as { subscriberSnsTopicArns?: unknown }[] | undefined)?.map(
            (n) => n.subscriberSnsTopicArns,
          ),
        ),
        all,
      ),
  },
  {
    type: "aws:costexplorer/anomalySubscription:AnomalySubscription",
    rule: "An anomaly subscription to an SNS topic is created after the topic's policy lets costalerts.amazonaws.com publish (else it is accepted and never delivers)",
    source: "https://docs.aws.amazon.com/cost-management/latest/userguide/ad-SNS.html",
    needs: (r, all) =>
      topicPoliciesFor(
        strings((r.inputs.subscribers as { address?: unknown }[] | undefined)?.map((s) => s.address)),
        all,
      ),
  },
  {
    type: "oci:Functions/application:Application",
    rule: "An application is created after a policy lets the Functions service use the network (faas use virtual-network-family)",
    source: "https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionscreatingpolicies.htm",
    needs: (_r, all) => [
      {
        what: "a policy with `Allow service faas to use virtual-network-family`",
        candidates: policiesWith(/^Allow service faas to use virtual-network-family\b/, all),
      },
    ],
  },
  {
    type: "oci:Functions/function:Function",
    rule: "A function is created after a policy lets the Functions service pull its image (faas read repos)",
    source: "https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionscreatingpolicies.htm",
    needs: (_r, all) => [
      {
        what: "a policy with `Allow service faas to read repos`",
        candidates: policiesWith(/^Allow service faas to read repos\b/, all),
      },
    ],
  },
  {
    type: "docker-build:index:Image",
    rule: "An image pushed to OCIR is built after its repository exists and its pusher is in the group the push policy names",
    source: "https://docs.oracle.com/en-us/iaas/Content/Registry/Tasks/registrypushingimagesusingthedockercli.htm",
    needs: (r, all) => {
      const siblings = all.filter((x) => x.parent === r.parent && x !== r);
      const repositories = siblings.filter((x) => x.type === "oci:Artifacts/containerRepository:ContainerRepository");
      if (repositories.length === 0) return [];
      return [
        { what: "its repository", candidates: repositories },
        {
          what: "the pusher's group membership",
          candidates: siblings.filter((x) => x.type === "oci:Identity/userGroupMembership:UserGroupMembership"),
        },
      ];
    },
  },
];

/** Every resource `resource` depends on, transitively; a component stands for everything under it. */
export function dependencyClosure(resource: RecordedResource, all: readonly RecordedResource[]): Set<string> {
  const byUrn = new Map(all.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of all) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  const seen = new Set<string>();
  const visit = (urn: string) => {
    if (seen.has(urn)) return;
    seen.add(urn);
    const r = byUrn.get(urn);
    if (!r) return;
    for (const d of [...r.dependencies, ...Object.values(r.propertyDependencies).flat()]) visit(d);
    if (!r.custom) for (const c of children.get(urn) ?? []) visit(c);
  };
  for (const d of [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()]) visit(d);
  return seen;
}

/** What the run creates too early: one line per registration and missing need, with the rule and source. */
export function orderingProblems(all: readonly RecordedResource[]): string[] {
  const problems: string[] = [];
  for (const rule of ORDERING_RULES) {
    for (const r of all.filter((x) => x.type === rule.type)) {
      const needs = rule.needs(r, all).filter((n) => n.candidates.length > 0);
      if (needs.length === 0) continue;
      const closure = dependencyClosure(r, all);
      for (const need of needs.filter((n) => !n.candidates.some((c) => closure.has(c.urn))))
        problems.push(`${rule.type} "${r.name}" does not wait for ${need.what} (${rule.rule}; ${rule.source})`);
    }
  }
  return problems;
}
