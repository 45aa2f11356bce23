/**
 * The platform's CrossGuard policies, exported apart from the pack entry (policy/index.ts) so that
 * tests and the offline plan can evaluate them without starting the analyzer.
 */
import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import { EnforcementLevel, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { tagFieldOf } from "./taggable";

/** What every policy here carries beyond CrossGuard's own fields. */
export interface PolicyMetadata {
  /** Which cloud's resources it checks. */
  readonly cloud: "aws" | "oci" | "both";
  /** What to change when it fires. */
  readonly remediation: string;
  /** Enforcement in the prod stack when it differs from the default `enforcementLevel`. */
  readonly prodEnforcementLevel?: EnforcementLevel;
}

export type MulticloudPolicy = (ResourceValidationPolicy | StackValidationPolicy) & PolicyMetadata;

/** Tags the FinOps reports group by; the program adds `project` and `owner` too. */
export const POLICY_REQUIRED_TAGS = ["cost_center", "environment"] as const;

type Props = Record<string, unknown>;

function record(value: unknown): Record<string, string> {
  if (typeof value === "string") {
    try {
      return record(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return typeof value === "object" && value !== null ? (value as Record<string, string>) : {};
}

/** Tags a resource ends up with: its own, the provider-computed tagsAll, and the provider's default tags. */
export function effectiveTags(type: string, props: Props, providerProps?: Props): Record<string, string> {
  if (tagFieldOf(type) === "freeformTags") return record(props.freeformTags);
  return { ...record(record(providerProps?.defaultTags).tags), ...record(props.tagsAll), ...record(props.tags) };
}

const requiredTags: MulticloudPolicy = {
  name: "required-tags",
  description: `Every taggable AWS and OCI resource carries ${POLICY_REQUIRED_TAGS.join(" and ")} (cost allocation, budgets).`,
  cloud: "both",
  enforcementLevel: "mandatory",
  remediation: "Tag through the AWS provider's defaultTags or the resource's freeformTags (components/shared/tags.ts).",
  validateResource: (args, reportViolation) => {
    if (!tagFieldOf(args.type)) return;
    const tags = effectiveTags(args.type, args.props, args.provider?.props);
    const missing = POLICY_REQUIRED_TAGS.filter((key) => !tags[key]);
    if (missing.length > 0) reportViolation(`missing tag(s) ${missing.join(", ")}`);
  },
};

/** Ports that must never be open to the internet on OCI: SSH and the Oracle listeners. */
export const OCI_PROTECTED_PORTS = [22, 1521, 1522] as const;

interface OciIngressRule {
  source?: string;
  protocol?: string;
  tcpOptions?: { min?: number; max?: number };
}

/** The protected ports an ingress rule opens (all protocols or TCP without a range open every port). */
export function protectedPortsOpened(rule: OciIngressRule): number[] {
  if (rule.protocol !== "all" && rule.protocol !== "6") return [];
  const min = rule.tcpOptions?.min ?? 1;
  const max = rule.tcpOptions?.max ?? 65535;
  return OCI_PROTECTED_PORTS.filter((port) => port >= min && port <= max);
}

const ociNoInternetIngress: MulticloudPolicy = {
  name: "oci-no-internet-ingress-admin-db-ports",
  description: `OCI security lists admit nothing from 0.0.0.0/0 on ${OCI_PROTECTED_PORTS.join(", ")} (SSH, Oracle listeners).`,
  cloud: "oci",
  enforcementLevel: "mandatory",
  remediation: "Admit the AWS VPC range or a bastion's range instead of 0.0.0.0/0 (components/network/ociRules.ts).",
  validateResource: (args, reportViolation) => {
    if (!args.isType(oci.core.SecurityList) && !args.isType(oci.core.DefaultSecurityList)) return;
    const rules = (args.props.ingressSecurityRules ?? []) as OciIngressRule[];
    for (const rule of rules) {
      const ports = rule.source === "0.0.0.0/0" ? protectedPortsOpened(rule) : [];
      if (ports.length > 0) reportViolation(`ingress from 0.0.0.0/0 opens port(s) ${ports.join(", ")}`);
    }
  },
};

function dependsThrough(resource: PolicyResource, property: string, target: PolicyResource): boolean {
  return (resource.propertyDependencies[property] ?? []).some((dep) => dep.urn === target.urn);
}

const awsVpcFlowLogs: MulticloudPolicy = {
  name: "aws-vpc-flow-logs",
  description: "Every AWS VPC has a flow log capturing all traffic.",
  cloud: "aws",
  enforcementLevel: "mandatory",
  remediation: "Create an aws.ec2.FlowLog with trafficType ALL for the VPC (AwsNetwork does).",
  validateStack: (args, reportViolation) => {
    const vpcs = args.resources.filter((r) => r.isType(aws.ec2.Vpc));
    const flowLogs = args.resources.filter((r) => r.isType(aws.ec2.FlowLog) && r.props.trafficType === "ALL");
    for (const vpc of vpcs) {
      const covered = flowLogs.some((log) => dependsThrough(log, "vpcId", vpc) || (vpc.props.id !== undefined && log.props.vpcId === vpc.props.id));
      if (!covered) reportViolation(`VPC ${vpc.name} has no flow log with trafficType ALL`, vpc.urn);
    }
  },
};

export const policies: readonly MulticloudPolicy[] = [requiredTags, ociNoInternetIngress, awsVpcFlowLogs];

/** The enforcement level of a policy in a stack: prod may be stricter than the default. */
export function enforcementFor(policy: MulticloudPolicy, stack: string): EnforcementLevel {
  return (stack === "prod" ? policy.prodEnforcementLevel : undefined) ?? policy.enforcementLevel ?? "advisory";
}
