/**
 * Lambda entry for the services' secret rotation, invoked by Secrets Manager with each of the four
 * steps. Runs in the VPC's private subnets (the database endpoint is private); the logic is in
 * rotation.ts.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Logger } from "@aws-lambda-powertools/logger";
import { ROTATE_ENV, ROTATION_STEPS } from "./contract";
import { rotate, RotationEvent } from "./rotation";
import { secretsManagerStore } from "./secretStore";
import { oracleUsers } from "./users";

const logger = new Logger({ serviceName: "secret-rotation" });
const store = secretsManagerStore(new SecretsManagerClient({}));
const users = oracleUsers();

/** The event Secrets Manager sends, checked field by field. */
export function parseRotationEvent(event: unknown): RotationEvent {
  const e = (event ?? {}) as Record<string, unknown>;
  for (const field of ["SecretId", "ClientRequestToken", "Step"]) {
    if (typeof e[field] !== "string" || e[field] === "")
      throw new Error(
        `rotation event: ${field} must be a non-empty string (Secrets Manager sends SecretId, ClientRequestToken, Step)`,
      );
  }
  if (!(ROTATION_STEPS as readonly string[]).includes(e.Step as string))
    throw new Error(`rotation event: Step ${String(e.Step)} is not one of ${ROTATION_STEPS.join(", ")}`);
  return e as unknown as RotationEvent;
}

export const handler = async (event: unknown): Promise<void> => {
  const adminSecretId = process.env[ROTATE_ENV.adminSecretArn];
  if (!adminSecretId) throw new Error(`${ROTATE_ENV.adminSecretArn} is not set (the SecretRotation component sets it)`);
  const parsed = parseRotationEvent(event);
  // Logs name the step, version and user, never a password.
  await rotate(parsed, {
    store,
    users,
    adminSecretId,
    log: (message, fields) => logger.info(message, { secretId: parsed.SecretId, ...fields }),
  });
};
