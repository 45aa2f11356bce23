import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Who and where the deployment is: what key policies and resource policies are built from. */
export interface KeyContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

/** A key policy: the account administers the key (IAM policies then grant use), plus service statements. */
export function keyPolicy(ctx: Pick<KeyContext, "accountId" | "partition">, serviceStatements: readonly object[] = []): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` }, Action: "kms:*", Resource: "*" },
      ...serviceStatements,
    ],
  });
}

/** The account, partition and region of the provider in `opts`: looked up once per component. */
export function awsContext(opts: pulumi.InvokeOutputOptions): pulumi.Output<KeyContext> {
  return pulumi
    .all([aws.getCallerIdentityOutput({}, opts).accountId, aws.getPartitionOutput({}, opts).partition, aws.getRegionOutput({}, opts).region])
    .apply(([accountId, partition, region]) => ({ accountId, partition, region }));
}

/**
 * A customer-managed symmetric key that rotates yearly and waits 30 days before deletion. Its
 * policy is `policy(ctx)`: by default the account-administers policy alone; a component whose
 * service uses the key on its own passes its own tested policy function.
 */
export function rotatingKey(
  name: string,
  description: pulumi.Input<string>,
  ctx: pulumi.Output<KeyContext>,
  opts: pulumi.CustomResourceOptions,
  policy: (ctx: KeyContext) => string = (c) => keyPolicy(c),
): aws.kms.Key {
  return new aws.kms.Key(name, { description, enableKeyRotation: true, deletionWindowInDays: 30, policy: ctx.apply(policy) }, opts);
}
