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

export const handler = async (event: MigrationRequest): Promise<MigrateResult> => {
  const result = await migrateFromSecrets(event, {
    // The SQL files travel in the function's archive, next to index.js.
    files: readMigrationFiles(path.join(__dirname, SQL_ARCHIVE_DIR)),
    adminSecretArn: env(MIGRATE_ENV.adminSecretArn),
    appSecretArn: env(MIGRATE_ENV.appSecretArn),
    loaderSecretArn: env(MIGRATE_ENV.loaderSecretArn),
    getSecretString: async (arn) => (await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString,
    connectorFor: oracleConnector,
    log: (message) => logger.info(message),
  });
  logger.info("migrations done", { applied: result.applied.map((m) => m.version), alreadyApplied: result.alreadyApplied });
  return result;
};
