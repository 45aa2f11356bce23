/**
 * `npm run db:migrate -- --dsn DSN [--user ADMIN] [--dir sql]`: the same runner from a laptop or CI
 * runner that can reach the database. Passwords come from the environment, never the command line:
 * ORACLE_ADMIN_PASSWORD (the admin user's) and MC_SVC_PASSWORD (set on MC_SVC, the services' user, by V001).
 */
import { parseArgs } from "node:util";
import { readMigrationFiles } from "./contract";
import { parseMigrationSet } from "./migrations";
import { oracleConnector } from "./oracle";
import { migrateWithRetries } from "./runner";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dsn: { type: "string" },
      user: { type: "string", default: "ADMIN" },
      dir: { type: "string", default: "sql" },
    },
  });
  const adminPassword = process.env.ORACLE_ADMIN_PASSWORD;
  const servicePassword = process.env.MC_SVC_PASSWORD;
  if (!values.dsn || !adminPassword || !servicePassword) {
    throw new Error(
      "usage: ORACLE_ADMIN_PASSWORD=… MC_SVC_PASSWORD=… npm run db:migrate -- --dsn DSN [--user ADMIN] [--dir sql]",
    );
  }
  const migrations = parseMigrationSet(readMigrationFiles(values.dir));
  const result = await migrateWithRetries(
    oracleConnector({ user: values.user, password: adminPassword, connectString: values.dsn }),
    migrations,
    {
      binds: { service_password: servicePassword },
      log: (message) => console.log(message),
    },
  );
  console.log(
    `${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied; set ${result.setChecksum.slice(0, 12)}`,
  );
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
