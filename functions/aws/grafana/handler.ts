/**
 * The Grafana provisioning function's Lambda entry, invoked by `pulumi up` whenever the
 * dashboards, the datasources' settings or the OCI key change. It makes itself a Grafana token
 * that lives TOKEN_SECONDS_TO_LIVE seconds, provisions, and deletes the token whatever happened —
 * no long-lived Grafana key exists anywhere.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import {
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  GrafanaClient as GrafanaControlPlane,
} from "@aws-sdk/client-grafana";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GrafanaProvisionResult, TOKEN_SECONDS_TO_LIVE } from "./contract";
import { GrafanaClient, parseOciKeySecret, parseProvisionRequest, provisionGrafana } from "./provision";

export interface ProvisionDeps {
  readonly controlPlane: Pick<GrafanaControlPlane, "send">;
  readonly secrets: Pick<SecretsManagerClient, "send">;
  /** The workspace's API base for a host name (https in the cloud; the tests point it at loopback). */
  readonly baseUrl: (endpoint: string) => string;
  readonly logger: {
    info(message: string, extra: Record<string, unknown>): void;
    error(message: string, extra: Record<string, unknown>): void;
  };
  readonly now: () => number;
}

export async function runProvision(event: unknown, deps: ProvisionDeps): Promise<GrafanaProvisionResult> {
  const request = parseProvisionRequest(event);
  const secret = await deps.secrets.send(new GetSecretValueCommand({ SecretId: request.ociKeySecretArn }));
  if (secret.SecretString === undefined) throw new Error(`secret ${request.ociKeySecretArn} has no string value`);
  const ociKey = parseOciKeySecret(secret.SecretString);
  const created = await deps.controlPlane.send(
    new CreateWorkspaceServiceAccountTokenCommand({
      workspaceId: request.workspaceId,
      serviceAccountId: request.serviceAccountId,
      name: `provision-${deps.now()}`,
      secondsToLive: TOKEN_SECONDS_TO_LIVE,
    }),
  );
  const token = created.serviceAccountToken;
  if (!token?.id || !token.key)
    throw new Error(`Grafana did not return a token for service account ${request.serviceAccountId}`);
  try {
    const result = await provisionGrafana(
      new GrafanaClient(deps.baseUrl(request.endpoint), token.key),
      request,
      ociKey,
    );
    deps.logger.info("grafana provisioned", { workspaceId: request.workspaceId, ...result });
    return result;
  } finally {
    try {
      await deps.controlPlane.send(
        new DeleteWorkspaceServiceAccountTokenCommand({
          workspaceId: request.workspaceId,
          serviceAccountId: request.serviceAccountId,
          tokenId: token.id,
        }),
      );
    } catch (err) {
      // The token expires on its own; a failed delete is logged, not a failed deployment.
      deps.logger.error("could not delete the provisioning token (it expires by itself)", {
        tokenId: token.id,
        error: (err as Error).name,
      });
    }
  }
}

const logger = new Logger({ serviceName: "grafana-provision" });
const deps: ProvisionDeps = {
  controlPlane: new GrafanaControlPlane({}),
  secrets: new SecretsManagerClient({}),
  baseUrl: (endpoint) => `https://${endpoint}`,
  logger,
  now: () => Date.now(),
};

export async function handler(event: unknown): Promise<GrafanaProvisionResult> {
  try {
    return await runProvision(event, deps);
  } catch (err) {
    logger.error("grafana provisioning failed", { error: (err as Error).message });
    throw err;
  }
}
