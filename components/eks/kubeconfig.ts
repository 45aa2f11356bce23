/**
 * The kubeconfig the Kubernetes provider is built from: the cluster's own endpoint and CA, and a
 * token from `aws eks get-token` (the AWS CLI where `pulumi up` runs, as the deploying role, which
 * has a cluster-admin access entry). No ambient kubeconfig is read.
 */
export interface KubeconfigInputs {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (the cluster's certificateAuthority.data). */
  readonly certificateAuthorityData: string;
  readonly region: string;
}

export function kubeconfig(c: KubeconfigInputs): string {
  const context = `eks-${c.clusterName}`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: context, cluster: { server: c.endpoint, "certificate-authority-data": c.certificateAuthorityData } },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", c.clusterName, "--region", c.region, "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}
