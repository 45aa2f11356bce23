import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { failAs, PlatformContext, platformOptions } from "../shared/context";
import { awsContext } from "../shared/kms";
import { EndpointService, EndpointUse, endpointPolicy } from "./endpoints";

export interface EndpointPoliciesArgs {
  /** The network's endpoints, by service. */
  readonly endpointIds: Readonly<Record<EndpointService, pulumi.Output<string>>>;
  /** What every area does through the endpoints (from their outputs). */
  readonly uses: readonly pulumi.Input<readonly EndpointUse[]>[];
  /** The endpoints whose policies this sets (all unless given): each endpoint's policy is set by exactly one. */
  readonly services?: readonly EndpointService[];
  /** Providers of the stack. */
  readonly context: PlatformContext;
}

export interface EndpointPoliciesOutputs {
  /** The policy document set on each endpoint this component covers. */
  readonly policies: Readonly<Partial<Record<EndpointService, pulumi.Output<string>>>>;
}

/**
 * Sets each VPC endpoint's policy from what the areas use through it (`endpointPolicy`), once the
 * areas exist: the network creates the endpoints before anything that uses them.
 */
export class EndpointPolicies extends pulumi.ComponentResource {
  readonly outputs: EndpointPoliciesOutputs;

  constructor(name: string, args: EndpointPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:network:EndpointPolicies", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const accountId = awsContext(child).accountId;
    const uses = pulumi.all(args.uses.map((u) => pulumi.output(u))).apply((lists) => lists.flat() as EndpointUse[]);
    const policies = {} as Record<EndpointService, pulumi.Output<string>>;
    for (const [service, endpointId] of (
      Object.entries(args.endpointIds) as [EndpointService, pulumi.Output<string>][]
    ).filter(([service]) => !args.services || args.services.includes(service))) {
      const policy = pulumi
        .all([uses, accountId])
        .apply(([all, account]) => failAs(this, () => endpointPolicy(service, all as EndpointUse[], account)));
      new aws.ec2.VpcEndpointPolicy(
        `${name}-${service.replace(".", "-")}`,
        { vpcEndpointId: endpointId, policy },
        child,
      );
      policies[service] = policy;
    }
    this.outputs = { policies };
    this.registerOutputs(this.outputs);
  }
}
