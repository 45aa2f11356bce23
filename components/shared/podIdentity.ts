/**
 * IAM roles for pods through EKS Pod Identity: the trust policy admits the pod identity service
 * only for this account, this cluster, and the one namespace and service account named (the
 * session tags the agent sets), so a role cannot be borrowed by another workload.
 */
export interface PodIdentityScope {
  readonly accountId: string;
  readonly partition: string;
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

export function podIdentityTrustPolicy(scope: PodIdentityScope): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EksPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": scope.accountId,
            "aws:RequestTag/kubernetes-namespace": scope.namespace,
            "aws:RequestTag/kubernetes-service-account": scope.serviceAccount,
          },
          ArnEquals: { "aws:SourceArn": scope.clusterArn },
        },
      },
    ],
  });
}
