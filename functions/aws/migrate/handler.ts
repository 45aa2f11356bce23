/**
 * Lambda entry for schema migrations, invoked by the deployment when the migration set changes.
 * Runs inside the VPC's private subnets (the database's endpoint is private, reached over the
 * interconnect); the logic is in fromSecrets.ts.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Logger } from "@aws-lambda-powertools/logger";
import path from "node:path";
import { MIGRATE_ENV, MigrationRequest, readMigrationFiles, SQL_ARCHIVE_DIR } from "./contract";
import { migrateFromSecrets } from "./fromSecrets";
import { oracleConnector } from "./oracle";
import type { MigrateResult } from "./runner";

const logger = new Logger({ serviceName: "db-migrate" });
const secrets = new SecretsManagerClient({});

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the SchemaMigrations component sets it)`);
  return value;
}

/** The bind secrets' map from its variable, refused with the variable's name when it is not one. */
export function parseBindSecretArns(text: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${MIGRATE_ENV.bindSecretArns} is not JSON; expected {"<bind name>": "<secret ARN>", …}`);
  }
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    Object.values(value).some((arn) => typeof arn !== "string" || !arn.startsWith("arn:"))
  ) {
    throw new Error(`${MIGRATE_ENV.bindSecretArns} must map bind names to secret ARNs`);
  }
  return value as Record<string, string>;
}

export const handler = async (
  event: MigrationRequest,
  context?: { getRemainingTimeInMillis(): number },
): Promise<MigrateResult> => {
  const result = await migrateFromSecrets(event, {
    // The SQL files travel in the function's archive, next to index.js.
    files: readMigrationFiles(path.join(__dirname, SQL_ARCHIVE_DIR)),
    adminSecretArn: env(MIGRATE_ENV.adminSecretArn),
    bindSecretArns: parseBindSecretArns(env(MIGRATE_ENV.bindSecretArns)),
    getSecretString: async (arn) => (await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString,
    connectorFor: oracleConnector,
    log: (message) => logger.info(message),
    ...(context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
  });
  logger.info("migrations done", {
    applied: result.applied.map((m) => m.version),
    alreadyApplied: result.alreadyApplied,
  });
  return result;
};
