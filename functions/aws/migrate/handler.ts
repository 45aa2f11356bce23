/**
 * Lambda entry for schema migrations, invoked by the deployment when the migration set changes.
 * Runs inside the VPC's private subnets (the database's endpoint is private, reached over the
 * interconnect); reads the admin and app credentials from Secrets Manager.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Logger } from "@aws-lambda-powertools/logger";
import path from "node:path";
import { parseMigrationSet, readMigrationFiles, setChecksum } from "./migrations";
import { oracleConnector } from "./oracle";
import { migrateWithRetries, MigrateResult } from "./runner";
import { parseDbSecret } from "./secret";

const logger = new Logger({ serviceName: "db-migrate" });
const secrets = new SecretsManagerClient({});

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the DatabaseMigrations component sets it)`);
  return value;
}

async function secretJson(arn: string) {
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  return parseDbSecret(out.SecretString, arn);
}

export const handler = async (event: { setChecksum?: string }): Promise<MigrateResult> => {
  // The SQL files travel in the function's archive, next to index.js.
  const migrations = parseMigrationSet(readMigrationFiles(path.join(__dirname, "sql")));
  const deployed = setChecksum(migrations);
  if (event.setChecksum !== undefined && event.setChecksum !== deployed) {
    throw new Error(`asked to apply migration set ${event.setChecksum.slice(0, 12)}… but this function carries ${deployed.slice(0, 12)}…; redeploy`);
  }
  const [admin, app] = await Promise.all([secretJson(env("ADMIN_SECRET_ARN")), secretJson(env("APP_SECRET_ARN"))]);
  const result = await migrateWithRetries(oracleConnector({ user: admin.username, password: admin.password, connectString: admin.dsn }), migrations, {
    binds: { app_password: app.password },
    log: (message) => logger.info(message),
  });
  logger.info("migrations done", { applied: result.applied.map((m) => m.version), alreadyApplied: result.alreadyApplied });
  return result;
};
