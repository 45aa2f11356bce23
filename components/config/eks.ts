/**
 * The `multicloud:eks` key: the Kubernetes cluster the platform's services run on — its version,
 * how `pulumi up` reaches its API, who administers it, and its nodes.
 */
import { z } from "zod";
import { isPrivateCidr, prefixLength } from "../shared/cidr";
import { ConfigIssue } from "./errors";
import { allowed, cidr, configKey, integer } from "./fields";

/**
 * Kubernetes versions this program pins add-ons for (components/eks/addons.ts), with the end of
 * EKS standard support: a version past it costs extended-support rates, so add the next version's
 * pins and move the stacks before that date.
 */
export const EKS_VERSIONS = {
  "1.35": { standardSupportEnds: "2027-03-27" },
} as const;
export type EksVersion = keyof typeof EKS_VERSIONS;

export const ENDPOINT_ACCESS = ["private", "public"] as const;
/** The private subnets' network ACL admits at most this many deploy networks (components/network/awsNacls.ts MAX_API_CLIENT_CIDRS, a test checks). */
export const MAX_PRIVATE_CIDRS = 5;
/** EKS takes at most 40 public access CIDRs. */
const MAX_PUBLIC_CIDRS = 40;
/** A deploy runner's egress is a handful of addresses; anything wider than a /16 is not "limited". */
const WIDEST_PUBLIC_PREFIX = 16;
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const ADMINS = allowed(
  "a non-empty list of IAM role ARNs that administer the cluster, including the role `pulumi up` runs as",
);

export const eksSchema = z.strictObject(
  {
    kubernetesVersion: z.enum(
      Object.keys(EKS_VERSIONS) as [EksVersion, ...EksVersion[]],
      allowed(`one of ${Object.keys(EKS_VERSIONS).join(", ")} (the versions whose add-ons this program pins)`),
    ),
    endpoint: z.strictObject(
      {
        access: z.enum(
          ENDPOINT_ACCESS,
          allowed(
            "private (pulumi up runs inside the network) or public (the public endpoint, limited to deployerCidrs)",
          ),
        ),
        deployerCidrs: z
          .array(
            cidr("an IPv4 block where `pulumi up` runs"),
            allowed("a non-empty list of the blocks `pulumi up` runs from"),
          )
          .min(1, allowed("a non-empty list of the blocks `pulumi up` runs from")),
      },
      allowed("a map with access and deployerCidrs"),
    ),
    adminRoleArns: z
      .array(z.string(ADMINS).regex(ROLE_ARN, allowed("an IAM role ARN, arn:aws:iam::<account>:role/<name>")), ADMINS)
      .min(1, ADMINS),
    nodes: z.strictObject(
      {
        instanceTypes: z
          .array(
            z
              .string(allowed("an EC2 instance type"))
              .regex(INSTANCE_TYPE, allowed("an EC2 instance type such as m7i.large")),
            allowed("a list of EC2 instance types"),
          )
          .min(1)
          .max(20),
        minSize: integer(1, 100, "fewest nodes"),
        desiredSize: integer(1, 100, "nodes at creation"),
        maxSize: integer(1, 100, "most nodes"),
        diskGb: integer(20, 1000, "each node's root volume in GB"),
      },
      allowed("a map with instanceTypes, minSize, desiredSize, maxSize and diskGb"),
    ),
  },
  allowed("a map with kubernetesVersion, endpoint, adminRoleArns and nodes"),
);

export type EksSettings = z.infer<typeof eksSchema>;

/** Endpoint, node and production rules. */
export function checkEks(project: string, raw: EksSettings, isProduction: boolean, issues: ConfigIssue[]): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["eks", ...path]);
  const { access, deployerCidrs } = raw.endpoint;
  deployerCidrs.forEach((block, i) => {
    if (access === "public") {
      if (isPrivateCidr(block))
        issues.push({
          key: k("endpoint", "deployerCidrs", i),
          message: `${block} is private address space; the public endpoint sees the runner's public egress address (or use access: private)`,
        });
      else if (prefixLength(block) < WIDEST_PUBLIC_PREFIX) {
        issues.push({
          key: k("endpoint", "deployerCidrs", i),
          message: `${block} opens the public Kubernetes API to ${2 ** (32 - prefixLength(block))} addresses; list the deploy runner's egress (a /${WIDEST_PUBLIC_PREFIX} or narrower), or use access: private`,
        });
      }
    } else if (!isPrivateCidr(block)) {
      issues.push({
        key: k("endpoint", "deployerCidrs", i),
        message: `${block} is not private address space; with access: private, pulumi up reaches the API from inside the VPC or a network routed to it`,
      });
    }
  });
  if (access === "private" && deployerCidrs.length > MAX_PRIVATE_CIDRS) {
    issues.push({
      key: k("endpoint", "deployerCidrs"),
      message: `lists ${deployerCidrs.length} blocks; a private endpoint admits at most ${MAX_PRIVATE_CIDRS} deploy networks (each costs network ACL rules); summarise them`,
    });
  }
  if (access === "public" && deployerCidrs.length > MAX_PUBLIC_CIDRS)
    issues.push({
      key: k("endpoint", "deployerCidrs"),
      message: `lists ${deployerCidrs.length} blocks; EKS takes at most ${MAX_PUBLIC_CIDRS}`,
    });
  const { minSize, desiredSize, maxSize } = raw.nodes;
  if (!(minSize <= desiredSize && desiredSize <= maxSize)) {
    issues.push({
      key: k("nodes", "desiredSize"),
      message: `${desiredSize} must lie within minSize ${minSize} and maxSize ${maxSize}`,
    });
  }
  if (new Set(raw.adminRoleArns).size !== raw.adminRoleArns.length)
    issues.push({ key: k("adminRoleArns"), message: "lists a role twice; list each role once" });
  if (isProduction && minSize < 2)
    issues.push({
      key: k("nodes", "minSize"),
      message: `${minSize} leaves prod on one node; keep at least 2 so a node replacement keeps the service up`,
    });
  if (isProduction && access === "public")
    issues.push({
      key: k("endpoint", "access"),
      message: "must be private in prod: deploy from a runner inside the network (docs/orders.md)",
    });
}
