import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What a key policy statement for a service is built from. */
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

/**
 * A customer-managed symmetric key that rotates yearly and waits 30 days before deletion, with
 * the account-administers policy and any statements a service needs to use it on its own.
 */
export function rotatingKey(
  name: string,
  description: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
  serviceStatements: (ctx: KeyContext) => object[] = () => [],
): aws.kms.Key {
  const identity = aws.getCallerIdentityOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  const region = aws.getRegionOutput({}, opts);
  return new aws.kms.Key(
    name,
    {
      description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.all([identity.accountId, partition.partition, region.region]).apply(([accountId, p, r]) => {
        const ctx = { accountId, partition: p, region: r };
        return keyPolicy(ctx, serviceStatements(ctx));
      }),
    },
    opts,
  );
}
