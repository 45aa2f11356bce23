/**
 * IAM documents the components share. A service role's trust: the service may assume it only on
 * behalf of this account (aws:SourceAccount, the confused-deputy guard).
 */

/** The trust policy letting `service` (e.g. scheduler.amazonaws.com) assume a role for `accountId` only. */
export function serviceTrustPolicy(
  service: string,
  accountId: string,
  action: string | readonly string[] = "sts:AssumeRole",
): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: action,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

/** ECR image pulls (the registry API through ecr.dkr). */
export const IMAGE_PULL_ACTIONS = [
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
] as const;
