/**
 * Ordering rules: what a cloud needs to exist *before* it creates a resource. Pulumi creates a
 * resource as soon as its inputs are known, so a create that the cloud checks against another
 * resource (a topic policy, a service policy, a group membership) must depend on it, directly or
 * through what it depends on. The engine checks these after a run, over the recorded dependency
 * graph (a dependency on a component stands for every resource under it), and fails the run naming
 * the missing edge.
 */
import type { DeclaredCall } from "../components/shared/access";
import { cidrsOverlap } from "../components/shared/cidr";
import { directDependencies, graphIndex, type RecordedResource } from "./recorded";

export interface OrderingRule {
  readonly type: string;
  /** The rule, as the cloud's documentation implies it. */
  readonly rule: string;
  readonly source: string;
  /** For one registration: each thing it needs, as the resources of the run that satisfy it (empty: nothing to order). */
  readonly needs: (
    resource: RecordedResource,
    all: readonly RecordedResource[],
    /** The run's declared runtime calls (components/shared/access.ts), targets resolved to URNs. */
    calls: readonly DeclaredCall[],
  ) => Need[];
}

interface Need {
  readonly what: string;
  readonly candidates: readonly RecordedResource[];
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

/** A role's policies (inline and attached) in the run, by the role's ARN. */
function rolePoliciesOf(roleArn: unknown, all: readonly RecordedResource[]): Need[] {
  const role = all.find((r) => r.type === "aws:iam/role:Role" && r.state.arn === roleArn);
  if (!role) return [];
  return all
    .filter(
      (r) =>
        (r.type === "aws:iam/rolePolicy:RolePolicy" ||
          r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment") &&
        (r.propertyDependencies.role ?? []).includes(role.urn),
    )
    .map((policy) => ({ what: `the policy ${policy.name} of role ${role.name}`, candidates: [policy] }));
}

/** Pod identity: the pods get the role's credentials as soon as the association exists, so its policies come first. */
const podIdentityNeeds = (r: RecordedResource, all: readonly RecordedResource[]): Need[] =>
  r.type === "aws:eks/addon:Addon"
    ? ((r.inputs.podIdentityAssociations as { roleArn?: unknown }[] | undefined) ?? []).flatMap((a) =>
        rolePoliciesOf(a.roleArn, all),
      )
    : rolePoliciesOf(r.inputs.roleArn, all);

/** A namespaced Kubernetes object waits for its namespace when the program creates that namespace. */
function namespaceNeeds(r: RecordedResource, all: readonly RecordedResource[]): Need[] {
  const namespace = (r.inputs.metadata as { namespace?: unknown } | undefined)?.namespace ?? r.inputs.namespace;
  if (typeof namespace !== "string") return [];
  const created = all.filter(
    (x) =>
      x.type === "kubernetes:core/v1:Namespace" &&
      (x.inputs.metadata as { name?: unknown } | undefined)?.name === namespace &&
      x.provider === r.provider,
  );
  return created.length > 0 ? [{ what: `its namespace ${namespace}`, candidates: created }] : [];
}

/** The Kubernetes types the program creates inside a namespace. */
const NAMESPACED_KINDS = [
  "kubernetes:apps/v1:Deployment",
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  "kubernetes:core/v1:ConfigMap",
  "kubernetes:core/v1:Service",
  "kubernetes:core/v1:ServiceAccount",
  "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  "kubernetes:policy/v1:PodDisruptionBudget",
  "kubernetes:rbac.authorization.k8s.io/v1:Role",
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  "kubernetes:helm.sh/v3:Release",
];

export const ORDERING_RULES: readonly OrderingRule[] = [
  {
    type: "aws:eks/addon:Addon",
    rule: "An add-on that associates a role with its service account is created after the role's policies (its pods use them at once)",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/add-ons-iam.html",
    needs: podIdentityNeeds,
  },
  {
    type: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    rule: "A pod identity association is created after its role's policies (pods that start get the role's credentials at once)",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html",
    needs: podIdentityNeeds,
  },
  ...NAMESPACED_KINDS.map((type): OrderingRule => ({
    type,
    rule: "A namespaced Kubernetes object is created after its namespace, when the program creates it",
    source: "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
    needs: namespaceNeeds,
  })),
  {
    type: "aws:lambda/invocation:Invocation",
    rule: "An invocation runs after what its function's declared calls need: the function, its role's policies, each target and its resource policy; in a VPC its egress rules, its subnets' network ACLs, each called service's endpoint and endpoint policy; across the interconnect, the link-readiness gate",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
    needs: invocationNeeds,
  },
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

/** Resource policies attached to a target: a call on the target is decided by them too. */
const RESOURCE_POLICY_TYPES = new Set([
  "aws:secretsmanager/secretPolicy:SecretPolicy",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:kms/keyPolicy:KeyPolicy",
]);

const dependsDirectlyOn = (r: RecordedResource, urn: string) =>
  r.dependencies.includes(urn) || Object.values(r.propertyDependencies).some((urns) => urns.includes(urn));

/**
 * What an invocation of a Lambda function needs before it runs, from the function's declared calls
 * (the access-path declarations, not a table of its own): the function; its role's policies; each
 * call's target and the resource policies on it; and for a function in a VPC, its security groups'
 * egress rules, the network ACLs of its subnets, and for each service it calls, that service's VPC
 * endpoint in the VPC and the endpoint's policy. A function whose egress reaches an OCI range
 * crosses the interconnect, so it also waits for a link-readiness gate.
 */
export function invocationNeeds(
  invocation: RecordedResource,
  all: readonly RecordedResource[],
  calls: readonly DeclaredCall[],
): Need[] {
  const fn = all.find(
    (r) =>
      r.type === "aws:lambda/function:Function" &&
      (r.state.name ?? r.inputs.name) === invocation.inputs.functionName &&
      typeof invocation.inputs.functionName === "string",
  );
  if (!fn) return [];
  const needs: Need[] = [{ what: `its function ${fn.name}`, candidates: [fn] }];
  const role = all.find((r) => r.type === "aws:iam/role:Role" && r.state.arn === fn.inputs.role);
  if (role) {
    for (const policy of all.filter(
      (r) =>
        (r.type === "aws:iam/rolePolicy:RolePolicy" ||
          r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment") &&
        (r.propertyDependencies.role ?? []).includes(role.urn),
    ))
      needs.push({ what: `its role's policy ${policy.name}`, candidates: [policy] });
  }
  const roleCalls = role
    ? calls.filter((c) => "role" in c.caller && c.caller.role === role.urn)
    : ([] as DeclaredCall[]);
  const { byUrn } = graphIndex(all);
  for (const urn of [...new Set(roleCalls.map((c) => c.target))].sort()) {
    const target = byUrn.get(urn);
    if (!target) continue;
    needs.push({ what: `${target.name}, a target of its declared calls`, candidates: [target] });
    for (const policy of all.filter((r) => RESOURCE_POLICY_TYPES.has(r.type) && dependsDirectlyOn(r, urn)))
      needs.push({ what: `${policy.name}, the resource policy on ${target.name}`, candidates: [policy] });
  }
  const vpcConfig = fn.inputs.vpcConfig as { securityGroupIds?: string[]; subnetIds?: string[] } | undefined;
  if (!vpcConfig) return needs;
  const groupIds = vpcConfig.securityGroupIds ?? [];
  const subnetIds = vpcConfig.subnetIds ?? [];
  const egress = all.filter(
    (r) =>
      (r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" ||
        (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && r.inputs.type === "egress")) &&
      groupIds.includes(String(r.inputs.securityGroupId)),
  );
  for (const rule of egress) needs.push({ what: `its egress rule ${rule.name}`, candidates: [rule] });
  for (const acl of all.filter(
    (r) =>
      r.type === "aws:ec2/networkAcl:NetworkAcl" &&
      ((r.inputs.subnetIds as string[] | undefined) ?? []).some((s) => subnetIds.includes(s)),
  ))
    needs.push({ what: `the network ACL ${acl.name} of its subnets`, candidates: [acl] });
  const vpc = roleCalls.map((c) => ("role" in c.caller ? c.caller.vpc : undefined)).find(Boolean);
  const vpcId = vpc ? byUrn.get(vpc)?.id : undefined;
  for (const service of [...new Set(roleCalls.map((c) => c.action.split(":")[0]))].sort()) {
    const endpoint = all.find(
      (r) =>
        r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" &&
        r.inputs.vpcId === vpcId &&
        String(r.inputs.serviceName).endsWith(`.${service}`),
    );
    if (!endpoint) continue;
    needs.push({ what: `the ${service} endpoint ${endpoint.name}`, candidates: [endpoint] });
    for (const policy of all.filter(
      (r) => r.type === "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy" && r.inputs.vpcEndpointId === endpoint.id,
    ))
      needs.push({ what: `the ${service} endpoint's policy ${policy.name}`, candidates: [policy] });
  }
  const ociRanges = all
    .filter((r) => r.type === "oci:Core/vcn:Vcn")
    .flatMap((r) => (r.inputs.cidrBlocks as string[] | undefined) ?? []);
  const crossing = egress.some(
    (rule) =>
      typeof rule.inputs.cidrIpv4 === "string" &&
      ociRanges.some((range) => cidrsOverlap(range, String(rule.inputs.cidrIpv4))),
  );
  if (crossing)
    needs.push({
      what: "a link-readiness gate (its egress reaches OCI across the interconnect)",
      candidates: all.filter((r) => r.type === LINK_READINESS_TYPE),
    });
  return needs;
}

/** The dynamic resource that waits for tunnels, BGP and routes (components/interconnect/linkReadiness.ts). */
export const LINK_READINESS_TYPE = "pulumi-nodejs:dynamic/multicloud:LinkReadiness";

/** Every resource `resource` depends on, transitively; a component stands for everything under it. */
export function dependencyClosure(resource: RecordedResource, all: readonly RecordedResource[]): Set<string> {
  const { byUrn, children } = graphIndex(all);
  const seen = new Set<string>();
  const visit = (urn: string) => {
    if (seen.has(urn)) return;
    seen.add(urn);
    const r = byUrn.get(urn);
    if (!r) return;
    for (const d of directDependencies(r)) visit(d);
    if (!r.custom) for (const c of children.get(urn) ?? []) visit(c);
  };
  for (const d of directDependencies(resource)) visit(d);
  return seen;
}

/** What the run creates too early: one line per registration and missing need, with the rule and source. */
export function orderingProblems(all: readonly RecordedResource[], calls: readonly DeclaredCall[] = []): string[] {
  const problems: string[] = [];
  for (const rule of ORDERING_RULES) {
    for (const r of all.filter((x) => x.type === rule.type)) {
      const needs = rule.needs(r, all, calls).filter((n) => n.candidates.length > 0);
      if (needs.length === 0) continue;
      const closure = dependencyClosure(r, all);
      for (const need of needs.filter((n) => !n.candidates.some((c) => closure.has(c.urn))))
        problems.push(`${rule.type} "${r.name}" does not wait for ${need.what} (${rule.rule}; ${rule.source})`);
    }
  }
  return problems;
}
