/**
 * The real-Oracle suites' shared setup: the database from ORACLE_TEST_DSN (the admin user and
 * password beside it), a title that says SKIPPED and why when it is unset, the repository's
 * migrations applied with fixed test passwords, and sessions in the schema owner's schema that are
 * closed after the suite. Point it only at a throw-away database.
 */
import oracledb from "oracledb";
import { readMigrationFiles, SCHEMA_OWNER } from "../../../functions/aws/migrate/contract";
import { parseMigrationSet } from "../../../functions/aws/migrate/migrations";
import { oracleConnector } from "../../../functions/aws/migrate/oracle";
import { migrate } from "../../../functions/aws/migrate/runner";
import { REPO_ROOT } from "../../../offline/stacks";

export const REAL_ORACLE = {
  dsn: process.env.ORACLE_TEST_DSN,
  adminUser: process.env.ORACLE_TEST_ADMIN_USER ?? "system",
  adminPassword: process.env.ORACLE_TEST_ADMIN_PASSWORD ?? "",
  /** The passwords the migrations bind (V001, V012, V016). */
  passwords: {
    service_password: "MigrTest_2026_pw",
    loader_password: "LoaderTest_2026_pw",
    functions_password: "FnTest_2026_pw_x",
  },
} as const;

/** The suite's title: what it proves, on which database — or SKIPPED and why. */
export function realOracleTitle(subject: string): string {
  return REAL_ORACLE.dsn
    ? `${subject} on a real Oracle database (${REAL_ORACLE.dsn})`
    : `${subject} on a real Oracle database — SKIPPED: ORACLE_TEST_DSN is not set (no Oracle server here; see docs/database.md 'Real-Oracle tests')`;
}

/** Applies the repository's migrations as the admin. */
export async function migrateRealOracle(): Promise<void> {
  if (!REAL_ORACLE.dsn) throw new Error("ORACLE_TEST_DSN is not set");
  await migrate(
    oracleConnector({
      user: REAL_ORACLE.adminUser,
      password: REAL_ORACLE.adminPassword,
      connectString: REAL_ORACLE.dsn,
    }),
    parseMigrationSet(readMigrationFiles(`${REPO_ROOT}/sql`)),
    { binds: { ...REAL_ORACLE.passwords } },
  );
}

/** Sessions working in the schema owner's schema, all closed by closeAll. */
export function realOracleSessions(): {
  connect(user: string, password: string): Promise<oracledb.Connection>;
  closeAll(): Promise<void>;
} {
  const connections: oracledb.Connection[] = [];
  return {
    async connect(user, password) {
      const conn = await oracledb.getConnection({ user, password, connectString: REAL_ORACLE.dsn });
      await conn.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${SCHEMA_OWNER}`);
      connections.push(conn);
      return conn;
    },
    async closeAll() {
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}
