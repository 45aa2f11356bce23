import * as aws from "@pulumi/aws";
import { kept } from "./protection";
import * as pulumi from "@pulumi/pulumi";

/** The S3 bucket policy: TLS only, for every principal. */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/** A bucket name with the account id (bucket names are global), within S3's 63 characters. */
export function accountBucketName(namePrefix: string, purpose: string, accountId: string): string {
  const name = `${namePrefix}-${purpose}-${accountId}`;
  if (name.length > 63)
    throw new Error(`the bucket name ${name} is over 63 characters; shorten the stack's name prefix`);
  return name;
}

export interface PrivateBucketArgs {
  readonly bucketName: pulumi.Input<string>;
  /** The customer-managed key objects are encrypted with (SSE-KMS, bucket keys on). */
  readonly keyArn: pulumi.Input<string>;
  /** Let `pulumi destroy` empty it (not in production). */
  readonly forceDestroy: boolean;
  /** Production protects the bucket (KEPT_IN_PRODUCTION): what it holds exists nowhere else. */
  readonly isProduction: boolean;
  readonly lifecycleRules: pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[];
}

/**
 * A private S3 bucket as every bucket of the platform is: SSE-KMS with the given key, public access
 * blocked, ACLs off (bucket owner enforced), versioned, TLS only, expiring by the given rules.
 * Children are `${name}-<setting>`, under `parent`.
 */
export function privateBucket(name: string, parent: pulumi.Resource, args: PrivateBucketArgs): aws.s3.Bucket {
  const child = { parent };
  const bucket = new aws.s3.Bucket(
    name,
    { bucket: args.bucketName, forceDestroy: args.forceDestroy },
    kept(parent, args, "aws:s3/bucket:Bucket"),
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    },
    child,
  );
  new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    child,
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    child,
  );
  new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    child,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    { bucket: bucket.id, rules: args.lifecycleRules },
    child,
  );
  new aws.s3.BucketPolicy(
    `${name}-policy`,
    { bucket: bucket.id, policy: bucket.arn.apply(tlsOnlyBucketPolicy) },
    child,
  );
  return bucket;
}
