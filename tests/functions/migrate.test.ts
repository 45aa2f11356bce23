import { createHash } from "node:crypto";
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateFromSecrets } from "../../functions/aws/migrate/fromSecrets";
import { parseBindSecretArns } from "../../functions/aws/migrate/handler";
import {
  ADMIN_USER,
  ANOMALY_SETTINGS_SQL,
  MIGRATE_ENV,
  RECOMMENDATION_SETTINGS_SQL,
  RESOURCE_PRINCIPAL_PROBE_SQL,
  bucketUriOf,
  readMigrationFiles,
  SCHEMA_OWNER,
  SERVICE_USER,
  setChecksum,
  SQL_ARCHIVE_DIR,
} from "../../functions/aws/migrate/contract";
import { MIGRATION_BINDS, Migration, parseMigration, parseMigrationSet } from "../../functions/aws/migrate/migrations";
import { parseDbSecret } from "../../functions/aws/migrate/contract";
import {
  isRecoverable,
  LEDGER_DDL,
  LOCK_ACQUIRE,
  LOCK_RELEASE,
  migrate,
  migrateWithRetries,
  MigrationError,
  oracleCode,
  OUT_NUMBER,
} from "../../functions/aws/migrate/runner";
import { assertionUsesAnsiJoin, bindNames, codeOnly, splitStatements } from "../../functions/aws/migrate/sqlText";
import { REPO_ROOT } from "../../offline/stacks";
import { STAGING_FILE_COLUMNS } from "../../functions/aws/batch/contract";
import { FakeOracle } from "./support/fakeOracle";

const SQL_DIR = path.join(REPO_ROOT, "sql");
const files = readMigrationFiles(SQL_DIR);
const repoSet = parseMigrationSet(files);
const BINDS = {
  service_password: "Abcdefgh1234XYZ",
  loader_password: "Loader1234XYZab",
  functions_password: "Functions1234XY",
};

/** The error a run must fail with (a run that succeeds fails the test). */
async function failureOf(run: Promise<unknown>): Promise<MigrationError> {
  try {
    await run;
  } catch (err) {
    return err as MigrationError;
  }
  throw new Error("expected the run to fail, and it succeeded");
}

describe("migration files (sql/)", () => {
  it("are V001… in order without gaps, each split into statements", () => {
    expect(repoSet.map((m) => m.file)).to.deep.equal([
      "V001__schema_users.sql",
      "V002__orders.sql",
      "V003__sla_schema.sql",
      "V004__sla_assertions.sql",
      "V005__raw_events.sql",
      "V006__orders_staging.sql",
      "V007__service_grants.sql",
      "V008__service_user_b.sql",
      "V009__service_user_b_grants.sql",
      "V010__order_service.sql",
      "V011__order_intake.sql",
      "V012__batch_loader.sql",
      "V013__batch_loader_grants.sql",
      "V014__anomaly_privileges.sql",
      "V015__anomaly_detection.sql",
      "V016__functions_user.sql",
      "V017__functions_grants.sql",
      "V018__recommendation_privileges.sql",
      "V019__recommendations.sql",
      "V020__recommendation_grants.sql",
      "V021__client_idempotency.sql",
      "V022__drop_raw_events.sql",
    ]);
    expect(repoSet.map((m) => m.statements.length)).to.deep.equal([
      3, 3, 9, 3, 2, 3, 9, 2, 9, 6, 5, 5, 2, 3, 19, 2, 2, 2, 21, 23, 10, 1,
    ]);
    expect(repoSet.map((m) => m.runAs)).to.deep.equal([
      "admin",
      "owner",
      "owner",
      "owner",
      "owner",
      "owner",
      "owner",
      "admin",
      "owner",
      "owner",
      "owner",
      "admin",
      "owner",
      "admin",
      "owner",
      "admin",
      "owner",
      "admin",
      "owner",
      "owner",
      "owner",
      "owner",
    ]);
  });

  it("splits every file so that SQL loses its ';' and PL/SQL keeps its body without the '/'", () => {
    for (const m of repoSet) {
      for (const st of m.statements) {
        expect(st.sql, `${m.file}:${st.line}`).to.not.match(/^\s*\/\s*$/m);
        if (st.plsql) expect(st.sql, `${m.file}:${st.line}`).to.match(/END(\s+\w+)?;$/i);
        else expect(codeOnly(st.sql).trimEnd(), `${m.file}:${st.line}`).to.not.match(/;$/);
      }
    }
    const plsql = repoSet.flatMap((m) => m.statements.filter((s) => s.plsql).map((s) => `${m.file}:${s.line}`));
    expect(plsql).to.deep.equal([
      "V001__schema_users.sql:7",
      "V006__orders_staging.sql:18",
      "V008__service_user_b.sql:6",
      "V011__order_intake.sql:8",
      "V011__order_intake.sql:46",
      "V012__batch_loader.sql:8",
      "V012__batch_loader.sql:33",
      "V014__anomaly_privileges.sql:9",
      "V015__anomaly_detection.sql:72",
      "V015__anomaly_detection.sql:119",
      "V015__anomaly_detection.sql:166",
      "V016__functions_user.sql:6",
      "V019__recommendations.sql:27",
      "V019__recommendations.sql:130",
      "V019__recommendations.sql:146",
      "V019__recommendations.sql:182",
      "V019__recommendations.sql:274",
      "V019__recommendations.sql:357",
      "V021__client_idempotency.sql:13",
      "V021__client_idempotency.sql:29",
      "V021__client_idempotency.sql:40",
      "V021__client_idempotency.sql:53",
      "V021__client_idempotency.sql:66",
      "V021__client_idempotency.sql:79",
      "V021__client_idempotency.sql:103",
    ]);
  });

  it("uses exactly the binds the runner supplies, file by file", () => {
    for (const m of repoSet) {
      const used = [...new Set(m.statements.flatMap((s) => bindNames(s.sql)))].sort();
      expect(used, m.file).to.deep.equal([...(MIGRATION_BINDS[m.file] ?? [])].sort());
    }
  });

  it("writes every assertion with comma joins, never an ANSI JOIN", () => {
    const assertions = repoSet.flatMap((m) => m.statements.filter((s) => /^CREATE\s+ASSERTION/i.test(s.sql)));
    expect(assertions.map((a) => /ASSERTION IF NOT EXISTS (\w+)/.exec(a.sql)?.[1])).to.deep.equal([
      "ticket_within_active_sla",
      "urgent_ticket_needs_senior",
      "sla_has_service",
    ]);
    for (const a of assertions) expect(assertionUsesAnsiJoin(a.sql), a.sql.split("\n")[0]).to.equal(false);
    // The check itself catches the article's form.
    expect(
      assertionUsesAnsiJoin(
        "CREATE ASSERTION a CHECK (NOT EXISTS (SELECT 1 FROM tickets t JOIN engineers e ON t.engineer_id = e.id))",
      ),
    ).to.equal(true);
    expect(
      assertionUsesAnsiJoin(
        "CREATE ASSERTION a CHECK (NOT EXISTS (SELECT 1 FROM t -- no JOIN here\n WHERE x = 'JOIN'))",
      ),
    ).to.equal(false);
  });

  it("keeps a ticket on the SLA's last day inside it, and defers the service rule to commit", () => {
    const sql = repoSet[3].statements.map((s) => s.sql);
    expect(sql[0])
      .to.contain("t.created_at < s.end_date + 1")
      .and.not.match(/BETWEEN/i);
    expect(sql[1]).to.contain("e.seniority <> 'senior'").and.contain("e.seniority <> 'lead'");
    expect(sql[2]).to.match(/DEFERRABLE INITIALLY DEFERRED$/);
    expect(sql.every((s) => !/\bJOIN\b/i.test(s))).to.equal(true);
  });

  it("grants CREATE ASSERTION to the schema owner explicitly (RESOURCE does not include it), and the services' user rows only", () => {
    expect(repoSet[0].statements[1].sql).to.match(/^GRANT .*CREATE ASSERTION TO mc_app$/);
    expect(repoSet[0].statements[0].sql).to.contain("CREATE USER mc_app NO AUTHENTICATION");
    expect(repoSet[0].statements[2].sql).to.equal("GRANT CREATE SESSION TO mc_svc");
    // Every grant to the services across the set (V007, then each later file's for its new tables).
    const grantsTo = (user: string) =>
      repoSet
        .flatMap((m) => m.statements.map((s) => s.sql))
        .filter((sql) => sql.startsWith("GRANT") && sql.endsWith(` TO ${user}`) && !sql.startsWith("GRANT CREATE"));
    const serviceGrants = grantsTo("mc_svc");
    expect(
      serviceGrants.every((g) =>
        /^GRANT (SELECT|INSERT|UPDATE|DELETE|EXECUTE)(, (SELECT|INSERT|UPDATE|DELETE))* ON \w+ TO mc_svc$/.test(g),
      ),
      serviceGrants.join("\n"),
    ).to.equal(true);
    // Every table the schema creates is granted to the services; nothing else is.
    const tables = repoSet
      .flatMap((m) => m.statements.map((s) => /^CREATE TABLE IF NOT EXISTS (\w+)/.exec(s.sql)?.[1]))
      .filter(Boolean);
    // A table may be granted again when its use grows (order_requests: V010, then V021).
    expect([...new Set(serviceGrants.map((g) => / ON (\w+) /.exec(g)?.[1]))].sort()).to.deep.equal(
      [...tables, "merge_orders_staging"].sort(),
    );
    // The alternate login (rotation, V008) has exactly the same privileges (V009).
    expect(repoSet[7].statements.map((s) => s.sql)).to.deep.equal([
      repoSet[7].statements[0].sql,
      "GRANT CREATE SESSION TO mc_svc_b",
    ]);
    expect(repoSet[7].statements[0].sql).to.contain("CREATE USER mc_svc_b NO AUTHENTICATION");
    expect(grantsTo("mc_svc_b")).to.deep.equal(serviceGrants.map((g) => g.replace(/ TO mc_svc$/, " TO mc_svc_b")));
  });
});

describe("SQL text (pure)", () => {
  it("ignores ';', '/', binds and JOIN inside strings and comments", () => {
    const text = [
      "SELECT ':x; /* no */' FROM dual; -- trailing ; :y",
      "/* block ; :z */",
      "INSERT INTO t VALUES (q'[it's; :q]', :real);",
      "",
    ].join("\n");
    const statements = splitStatements(text);
    expect(statements.map((s) => [s.line, s.sql])).to.deep.equal([
      [1, "SELECT ':x; /* no */' FROM dual"],
      [3, "INSERT INTO t VALUES (q'[it's; :q]', :real)"],
    ]);
    expect(statements.flatMap((s) => bindNames(s.sql))).to.deep.equal(["real"]);
    expect(bindNames("BEGIN x := :a; y := :B; END;")).to.deep.equal(["a", "b"]);
  });

  it("ends a PL/SQL block only at a line holding '/', whatever ';' it contains", () => {
    const st = splitStatements("CREATE OR REPLACE PROCEDURE p AS\nBEGIN\n  NULL;\nEND;\n/\nSELECT 1 FROM dual;\n");
    expect(st.map((s) => [s.plsql, s.line, s.sql])).to.deep.equal([
      [true, 1, "CREATE OR REPLACE PROCEDURE p AS\nBEGIN\n  NULL;\nEND;"],
      [false, 6, "SELECT 1 FROM dual"],
    ]);
  });

  it("names the line of a statement that never ends, or a '/' after SQL", () => {
    expect(() => splitStatements("SELECT 1 FROM dual;\nCREATE TABLE t (\n  id NUMBER\n)\n")).to.throw(
      'the statement from line 2 never ends: SQL needs a ";"',
    );
    expect(() => splitStatements("BEGIN\n  NULL;\nEND;\n")).to.throw(
      'from line 1 never ends: a PL/SQL block needs a line holding only "/"',
    );
    expect(() => splitStatements("SELECT 1 FROM dual\n/\n")).to.throw('line 2: "/" ends PL/SQL blocks only');
    expect(() => splitStatements("SELECT 'open FROM dual;\n")).to.throw("unterminated string literal at line 1");
  });

  it("refuses badly named files and gaps in versions, naming the file", () => {
    expect(() => parseMigration("V1__x.sql", "SELECT 1 FROM dual;")).to.throw(
      "V1__x.sql: migration files are named V<3 digits>__<lower_snake_name>.sql",
    );
    expect(() =>
      parseMigrationSet({ "V001__a.sql": "SELECT 1 FROM dual;", "V003__c.sql": "SELECT 1 FROM dual;" }),
    ).to.throw("V003__c.sql: versions must run 1, 2, 3, … without gaps or repeats; expected V002");
    expect(() => parseMigration("V002__empty.sql", "-- nothing\n")).to.throw("V002__empty.sql: holds no statement");
    expect(() =>
      parseMigrationSet({ "V001__a.sql": "SELECT 1 FROM dual;", "V001__b.sql": "SELECT 1 FROM dual;" }),
    ).to.throw("V001__b.sql: versions must run 1, 2, 3, … without gaps or repeats; expected V002");
  });

  it("orders a set by version, whatever order its files are listed in; other files are not migrations", () => {
    const set = parseMigrationSet({
      "V003__c.sql": "SELECT 3 FROM dual;",
      "README.md": "# notes",
      "V001__a.sql": "SELECT 1 FROM dual;",
      "V002__b.sql": "SELECT 2 FROM dual;",
    });
    expect(set.map((m) => [m.version, m.name, m.file])).to.deep.equal([
      [1, "a", "V001__a.sql"],
      [2, "b", "V002__b.sql"],
      [3, "c", "V003__c.sql"],
    ]);
  });

  it("gives a CRLF checkout the same checksum, and any edit a new one", () => {
    const lf = parseMigration("V001__a.sql", "SELECT 1 FROM dual;\n");
    expect(parseMigration("V001__a.sql", "SELECT 1 FROM dual;\r\n").checksum).to.equal(lf.checksum);
    expect(parseMigration("V001__a.sql", "SELECT 2 FROM dual;\n").checksum).to.not.equal(lf.checksum);
  });
});

describe("migration runner against a recording fake connection", () => {
  const set = (texts: string[]): Migration[] =>
    parseMigrationSet(Object.fromEntries(texts.map((t, i) => [`V00${i + 1}__step_${i + 1}.sql`, t])));

  it("applies the repo's files in order, admin files as admin and the rest as the schema owner, with the password bound", async () => {
    const db = new FakeOracle();
    const result = await migrate(db.connector(), repoSet, { binds: BINDS, now: () => 0 });
    expect(result.applied.map((m) => m.version)).to.deep.equal([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
    ]);
    const ran = db.migrationStatements();
    expect(ran.map((e) => e.sql)).to.deep.equal(repoSet.flatMap((m) => m.statements.map((s) => s.sql)));
    expect(ran.filter((e) => e.as === "admin").length).to.equal(17);
    expect(ran[0].binds).to.deep.equal({ service_password: BINDS.service_password });
    // Each password goes to the one statement that sets it, and nowhere else.
    const loader = ran.findIndex((e) => e.sql.includes("CREATE USER mc_loader"));
    const functions = ran.findIndex((e) => e.sql.includes("CREATE USER mc_fn"));
    expect(ran[loader].binds).to.deep.equal({ loader_password: BINDS.loader_password });
    expect(ran[functions].binds).to.deep.equal({ functions_password: BINDS.functions_password });
    expect(
      ran.filter((_, i) => i !== 0 && i !== loader && i !== functions).every((e) => e.binds === undefined),
    ).to.equal(true);
    expect(db.ledger.map((r) => [r.version, r.checksum])).to.deep.equal(repoSet.map((m) => [m.version, m.checksum]));
    expect([db.lockHolder, db.open]).to.deep.equal([undefined, 0]);
    // The set checksum by its definition: SHA-256 over "file:sha256(text)" lines, in version order.
    const sha = (t: string) => createHash("sha256").update(t).digest("hex");
    const lines = Object.keys(files)
      .sort()
      .map((f) => `${f}:${sha(files[f].replace(/\r\n/g, "\n"))}`);
    expect(result.setChecksum).to.equal(sha(lines.join("\n")));
    // The lock comes before anything else, the ledger's creation included; released at the end.
    expect(db.executed[0].sql).to.equal(LOCK_ACQUIRE);
    expect(db.executed[0].binds).to.deep.equal({ status: db.executed[0].binds?.status, timeout_seconds: 120 });
    expect(db.executed[1].sql).to.equal(LEDGER_DDL);
    expect(db.executed.filter((e) => e.session === db.executed[0].session).at(-1)?.sql).to.equal(LOCK_RELEASE);
  });

  it("its lock and ledger SQL say what the runner relies on", () => {
    // One named lock, exclusive, waited for up to the bound timeout, and released by the same name.
    expect(LOCK_ACQUIRE).to.match(
      /DBMS_LOCK\.ALLOCATE_UNIQUE\('MC_SCHEMA_MIGRATIONS', lock_handle\);\s+:status := DBMS_LOCK\.REQUEST\(lock_handle, DBMS_LOCK\.X_MODE, :timeout_seconds, FALSE\);/,
    );
    expect(LOCK_RELEASE).to.match(
      /ALLOCATE_UNIQUE\('MC_SCHEMA_MIGRATIONS', lock_handle\);\s+released := DBMS_LOCK\.RELEASE\(lock_handle\);/,
    );
    // The ledger: idempotent creation, one row per version, a full SHA-256 per file.
    expect(LEDGER_DDL).to.match(/^CREATE TABLE IF NOT EXISTS MC_SCHEMA_LEDGER \(/);
    expect(LEDGER_DDL)
      .to.contain("checksum     CHAR(64) NOT NULL")
      .and.contain("CONSTRAINT MC_SCHEMA_LEDGER_pk PRIMARY KEY (version)");
  });

  it("is a no-op the second time", async () => {
    const db = new FakeOracle();
    await migrate(db.connector(), repoSet, { binds: BINDS });
    const before = db.migrationStatements().length;
    const again = await migrate(db.connector(), repoSet, { binds: BINDS });
    expect([again.applied.length, again.alreadyApplied, db.migrationStatements().length]).to.deep.equal([
      0,
      22,
      before,
    ]);
  });

  it("applies only what is new when a version is added", async () => {
    const db = new FakeOracle();
    await migrate(db.connector(), set(["CREATE TABLE a (x NUMBER);"]), { binds: {} });
    const result = await migrate(db.connector(), set(["CREATE TABLE a (x NUMBER);", "CREATE TABLE b (y NUMBER);"]), {
      binds: {},
    });
    expect(result.applied.map((m) => m.name)).to.deep.equal(["step_2"]);
    expect(db.migrationStatements().map((e) => e.sql)).to.deep.equal([
      "CREATE TABLE a (x NUMBER)",
      "CREATE TABLE b (y NUMBER)",
    ]);
  });

  it("refuses to run when an applied file was edited, naming it, and runs nothing", async () => {
    const db = new FakeOracle();
    await migrate(db.connector(), set(["CREATE TABLE a (x NUMBER);"]), { binds: {} });
    const ran = db.migrationStatements().length;
    const edited = set(["CREATE TABLE a (x NUMBER, y NUMBER);", "CREATE TABLE b (y NUMBER);"]);
    const err = await failureOf(migrate(db.connector(), edited, { binds: {} }));
    expect(err).to.be.instanceOf(MigrationError);
    expect((err as MigrationError).message).to.match(
      /^V001__step_1\.sql was changed after it was applied \(ledger checksum [0-9a-f]{12}…, file [0-9a-f]{12}…\); restore the applied text/,
    );
    expect((err as MigrationError).recoverable).to.equal(false);
    expect(db.migrationStatements().length).to.equal(ran);
    expect([db.lockHolder, db.open]).to.deep.equal([undefined, 0]);
  });

  it("refuses a ledger version whose file is gone", async () => {
    const db = new FakeOracle();
    await migrate(db.connector(), set(["CREATE TABLE a (x NUMBER);", "CREATE TABLE b (x NUMBER);"]), { binds: {} });
    const err = await failureOf(migrate(db.connector(), set(["CREATE TABLE a (x NUMBER);"]), { binds: {} }));
    expect((err as Error).message).to.equal(
      "the database has V002 (step_2) applied but no such file exists; restore it",
    );
  });

  it("waits for no one and changes nothing while another runner holds the lock; that failure is retryable", async () => {
    const db = new FakeOracle();
    db.lockHolder = 999; // another runner's session
    const err = await failureOf(migrate(db.connector(), repoSet, { binds: BINDS }));
    expect(err.message).to.equal(
      "another migration run holds the lock MC_SCHEMA_MIGRATIONS (DBMS_LOCK status 1); try again when it ends",
    );
    expect(isRecoverable(err)).to.equal(true);
    expect(db.migrationStatements()).to.deep.equal([]);
    expect(db.lockHolder).to.equal(999);
  });

  it("lets two runners at once apply each file exactly once", async () => {
    const db = new FakeOracle();
    // The loser finds the lock taken (the fake answers at once where Oracle would wait) and retries.
    const sleep = () => new Promise<void>((resolve) => setTimeout(resolve, 10));
    const runs = await Promise.allSettled(
      [0, 1].map(() => migrateWithRetries(db.connector(), repoSet, { binds: BINDS, sleep })),
    );
    expect(runs.map((r) => r.status)).to.deep.equal(["fulfilled", "fulfilled"]);
    const applied = runs.flatMap((r) => (r.status === "fulfilled" ? r.value.applied.map((m) => m.version) : []));
    expect(applied.sort((a, b) => a - b)).to.deep.equal([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
    ]);
    expect(db.migrationStatements().length).to.equal(repoSet.flatMap((m) => m.statements).length);
  });

  it("reports the failing file, statement, line and Oracle error, and records nothing for that file", async () => {
    const db = new FakeOracle();
    db.failures.push({
      when: "CREATE ASSERTION IF NOT EXISTS urgent_ticket_needs_senior",
      error: Object.assign(new Error("ORA-08697: ANSI join syntax not supported in assertions"), { errorNum: 8697 }),
    });
    const err = await failureOf(migrate(db.connector(), repoSet, { binds: BINDS }));
    expect(err.message).to.equal(
      "V004__sla_assertions.sql: statement 2 of 3 (line 19: CREATE ASSERTION IF NOT EXISTS urgent_ticket_needs_senior CHECK () failed: ORA-08697: ANSI join syntax not supported in assertions",
    );
    expect(err.detail).to.deep.equal({
      file: "V004__sla_assertions.sql",
      statement: 2,
      line: 19,
      oracleCode: "ORA-08697",
    });
    expect(err.recoverable).to.equal(false);
    expect(db.ledger.map((r) => r.version)).to.deep.equal([1, 2, 3]);
  });

  it("retries a transient failure and continues where it stopped", async () => {
    const db = new FakeOracle();
    db.failures.push({
      when: "CREATE TABLE IF NOT EXISTS raw_events",
      error: Object.assign(new Error("NJS-500: connection to the Oracle Database was broken"), {
        code: "NJS-500",
        isRecoverable: true,
      }),
    });
    const sleeps: number[] = [];
    const result = await migrateWithRetries(db.connector(), repoSet, {
      binds: BINDS,
      backoffMs: 100,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(sleeps).to.deep.equal([100]);
    expect(result.applied.map((m) => m.version)).to.deep.equal([
      5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
    ]);
    expect(db.ledger.map((r) => r.version)).to.deep.equal([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
    ]);
  });

  it("does not retry a permanent failure, and gives up on a transient one after the attempts", async () => {
    const permanent = new FakeOracle();
    permanent.failures.push({
      when: "CREATE TABLE IF NOT EXISTS orders (",
      error: Object.assign(new Error("ORA-01031: insufficient privileges"), { errorNum: 1031 }),
    });
    let slept = 0;
    expect(
      (
        await failureOf(
          migrateWithRetries(permanent.connector(), repoSet, { binds: BINDS, sleep: async () => void slept++ }),
        )
      ).message,
    ).to.contain("ORA-01031");
    expect(slept).to.equal(0);
    const flaky = new FakeOracle();
    for (let i = 0; i < 3; i++)
      flaky.failures.push({
        when: "CREATE TABLE IF NOT EXISTS orders (",
        error: Object.assign(new Error("NJS-503: connection to host could not be established"), { code: "NJS-503" }),
      });
    const err = await failureOf(
      migrateWithRetries(flaky.connector(), repoSet, { binds: BINDS, attempts: 3, sleep: async () => undefined }),
    );
    expect(err.message).to.contain("NJS-503");
    expect(flaky.ledger.map((r) => r.version)).to.deep.equal([1]);
  });

  it("refuses a bind a file may not use, and a missing bind value, before running it", async () => {
    const db = new FakeOracle();
    const sneaky = set(["INSERT INTO t VALUES (:secret);"]);
    expect((await failureOf(migrate(db.connector(), sneaky, { binds: { secret: 1 } }))).message).to.equal(
      "V001__step_1.sql uses bind :secret, which the runner does not supply (MIGRATION_BINDS)",
    );
    expect((await failureOf(migrate(new FakeOracle().connector(), repoSet, { binds: {} }))).message).to.equal(
      "V001__schema_users.sql needs a value for :service_password",
    );
    expect(db.migrationStatements()).to.deep.equal([]);
  });
});

describe("driver error classification and secrets (pure)", () => {
  it("treats the driver's isRecoverable and lost or refused connections as transient, ORA errors as final", () => {
    expect(isRecoverable(Object.assign(new Error("x"), { isRecoverable: true }))).to.equal(true);
    expect(isRecoverable(Object.assign(new Error("x"), { code: "NJS-510" }))).to.equal(true);
    expect(
      isRecoverable(Object.assign(new Error("ORA-08601: SQL assertion (MC_APP.X) violated"), { errorNum: 8601 })),
    ).to.equal(false);
    expect(oracleCode(Object.assign(new Error("x"), { errorNum: 8601 }))).to.equal("ORA-08601");
    expect(oracleCode(new Error("ORA-02091: transaction rolled back"))).to.equal("ORA-02091");
    expect(OUT_NUMBER).to.deep.equal({ dir: "out", type: "number" });
  });

  it("reads {username, password, dsn} and names what is missing", () => {
    expect(parseDbSecret('{"username":"MC_APP","password":"p","dsn":"d"}', "arn")).to.deep.equal({
      username: "MC_APP",
      password: "p",
      dsn: "d",
    });
    expect(() => parseDbSecret('{"username":"MC_APP"}', "arn:x")).to.throw(
      'arn:x: the secret lacks password, dsn; expected {"username", "password", "dsn"}',
    );
    expect(() => parseDbSecret("nope", "arn:x")).to.throw("arn:x: the secret is not JSON");
    expect(() => parseDbSecret('{"username":"", "password":"p","dsn":"d"}', "arn:x")).to.throw(
      "arn:x: the secret lacks username;",
    );
    expect(() => parseDbSecret(undefined, "arn:x")).to.throw("arn:x: the secret is not JSON");
  });

  it("names the same users the SQL creates, and the environment the component sets", () => {
    // The SQL spells the users in lower case; Oracle stores them upper case.
    expect(repoSet[0].statements[0].sql)
      .to.contain(`CREATE USER ${SCHEMA_OWNER.toLowerCase()} NO AUTHENTICATION`)
      .and.contain(`CREATE USER ${SERVICE_USER.toLowerCase()} IDENTIFIED BY`);
    expect([SCHEMA_OWNER, SERVICE_USER, ADMIN_USER, SQL_ARCHIVE_DIR]).to.deep.equal([
      "MC_APP",
      "MC_SVC",
      "ADMIN",
      "sql",
    ]);
    expect(MIGRATE_ENV).to.deep.equal({ adminSecretArn: "ADMIN_SECRET_ARN", bindSecretArns: "BIND_SECRET_ARNS" });
  });

  it("accepts only whole V<nnn>__<name>.sql file names", () => {
    for (const bad of ["xV001__a.sql", "V001__a.sql.bak", "V01__a.sql", "V001_a.sql", "V001__A.sql"]) {
      expect(() => parseMigration(bad, "SELECT 1 FROM dual;"), bad).to.throw(
        `${bad}: migration files are named V<3 digits>__<lower_snake_name>.sql`,
      );
    }
  });
});

describe("the migration function's bind secrets (BIND_SECRET_ARNS)", () => {
  it("reads a map of bind names to secret ARNs and names the variable when it is not one", () => {
    expect(parseBindSecretArns('{"service_password": "arn:aws:secretsmanager:eu-west-1:1:secret:a"}')).to.deep.equal({
      service_password: "arn:aws:secretsmanager:eu-west-1:1:secret:a",
    });
    expect(() => parseBindSecretArns("service_password=arn")).to.throw(
      'BIND_SECRET_ARNS is not JSON; expected {"<bind name>": "<secret ARN>", …}',
    );
    expect(() => parseBindSecretArns('{"service_password": "not-an-arn"}')).to.throw(
      "BIND_SECRET_ARNS must map bind names to secret ARNs",
    );
    expect(() => parseBindSecretArns('["arn:a"]')).to.throw("BIND_SECRET_ARNS must map bind names to secret ARNs");
  });
});

describe("the Lakehouse's migration set (sql/lakehouse/)", () => {
  const lakehouse = parseMigrationSet(readMigrationFiles(path.join(SQL_DIR, "lakehouse")));

  it("creates MC_LAKE with the deployment's password, DBMS_CLOUD's rights and the resource principal, then its day-partitioned order events — all as ADMIN", () => {
    expect(lakehouse.map((m) => [m.file, m.runAs, m.statements.length])).to.deep.equal([
      ["V001__lakehouse_loader.sql", "admin", 5],
      ["V002__order_events.sql", "admin", 1],
    ]);
    const [create, session, dbmsCloud, directory, principal] = lakehouse[0].statements.map((st) => st.sql);
    expect(create).to.contain("CREATE USER mc_lake IDENTIFIED BY \"' || :lakehouse_password || '\"");
    expect([session, dbmsCloud, directory]).to.deep.equal([
      "GRANT CREATE SESSION, CREATE TABLE TO mc_lake",
      "GRANT EXECUTE ON dbms_cloud TO mc_lake",
      "GRANT READ, WRITE ON DIRECTORY data_pump_dir TO mc_lake",
    ]);
    expect(principal).to.contain("DBMS_CLOUD_ADMIN.ENABLE_RESOURCE_PRINCIPAL(username => 'MC_LAKE')");
    expect(bindNames(lakehouse[0].statements[0].sql)).to.deep.equal(["lakehouse_password"]);
    expect(MIGRATION_BINDS["V001__lakehouse_loader.sql"]).to.deep.equal(["lakehouse_password"]);
    // The table's columns are the batch file's, in its order (COPY_DATA maps by position), one partition per day's load.
    const table = lakehouse[1].statements[0].sql;
    const columns = [...table.matchAll(/^ {2}([a-z_]+) /gm)].map((m) => m[1]);
    expect(columns).to.deep.equal([...STAGING_FILE_COLUMNS]);
    expect(table).to.contain("PARTITION BY LIST (load_id) AUTOMATIC");
  });

  it("applies on a recording connection with the Lakehouse password bound once", async () => {
    const db = new FakeOracle();
    const result = await migrate(db.connector(), lakehouse, { binds: { lakehouse_password: "Lakehouse12345x" } });
    expect(result.applied.map((m) => m.version)).to.deep.equal([1, 2]);
    expect(
      db
        .migrationStatements()
        .filter((e) => e.binds)
        .map((e) => e.binds),
    ).to.deep.equal([{ lakehouse_password: "Lakehouse12345x" }]);
    expect(db.migrationStatements().every((e) => e.as === "admin")).to.equal(true);
  });
});

describe("migration Lambda logic (secrets in, runner out)", () => {
  const ADMIN_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:admin";
  const APP_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app";
  const LOADER_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:loader";
  const FUNCTIONS_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:functions";
  const secretsStore: Record<string, string> = {
    [ADMIN_ARN]: JSON.stringify({
      username: "ADMIN",
      password: "AdminPw123456789",
      dsn: "(description=(address=(protocol=tcps)(port=1522)(host=db.example))(connect_data=(service_name=x_low)))",
    }),
    [APP_ARN]: JSON.stringify({ username: "MC_SVC", password: "AppPw123456789xyz", dsn: "same", schema: "MC_APP" }),
    [LOADER_ARN]: JSON.stringify({
      username: "MC_LOADER",
      password: "LoaderPw12345678",
      dsn: "same",
      schema: "MC_APP",
    }),
    [FUNCTIONS_ARN]: JSON.stringify({ username: "MC_FN", password: "FunctionsPw1234", dsn: "same", schema: "MC_APP" }),
  };
  const deps = (db: FakeOracle, connectedAs: unknown[]) => ({
    files,
    adminSecretArn: ADMIN_ARN,
    bindSecretArns: { service_password: APP_ARN, loader_password: LOADER_ARN, functions_password: FUNCTIONS_ARN },
    getSecretString: async (arn: string) => secretsStore[arn],
    connectorFor: (credentials: unknown) => {
      connectedAs.push(credentials);
      return db.connector();
    },
    log: () => undefined,
  });

  it("connects with the admin secret and binds the services' password into V001 and the loader's into V012", async () => {
    const db = new FakeOracle();
    const connectedAs: unknown[] = [];
    const result = await migrateFromSecrets({ setChecksum: setChecksum(repoSet) }, deps(db, connectedAs));
    expect(result.applied.length).to.equal(22);
    expect(connectedAs).to.deep.equal([
      { user: "ADMIN", password: "AdminPw123456789", connectString: JSON.parse(secretsStore[ADMIN_ARN]).dsn },
    ]);
    expect(db.migrationStatements()[0].binds).to.deep.equal({ service_password: "AppPw123456789xyz" });
    const loaderStatement = db.migrationStatements().find((st) => st.sql.includes("CREATE USER mc_loader"));
    expect(loaderStatement?.binds).to.deep.equal({ loader_password: "LoaderPw12345678" });
  });

  it("writes the anomaly settings after the migrations, as the schema owner, with binds; refuses wrong settings before reading any secret", async () => {
    const db = new FakeOracle();
    const anomalySettings = {
      windowSize: 30,
      threshold: 3.5,
      minHistory: 10,
      topicOcid: "ocid1.onstopic.oc1.eu-frankfurt-1.aaaatopic",
      topicRegion: "eu-frankfurt-1",
    };
    await migrateFromSecrets({ setChecksum: setChecksum(repoSet), anomalySettings }, deps(db, []));
    const written = db.executed.filter((e) => e.sql === ANOMALY_SETTINGS_SQL);
    expect(written).to.have.length(1);
    expect(written[0]).to.deep.include({
      as: "owner",
      binds: {
        window_size: 30,
        threshold: 3.5,
        min_history: 10,
        topic_ocid: anomalySettings.topicOcid,
        topic_region: "eu-frankfurt-1",
      },
    });
    // After every migration statement, and committed in its own session.
    expect(db.executed.indexOf(written[0])).to.be.above(
      db.executed.findIndex((e) => e.sql.includes("CREATE TABLE IF NOT EXISTS anomaly_settings")),
    );
    expect(db.commits).to.include(written[0].session);
    expect(db.open).to.equal(0);
    const connectedAs: unknown[] = [];
    const err = await failureOf(
      migrateFromSecrets(
        { anomalySettings: { ...anomalySettings, minHistory: 40, topicOcid: "topic" } },
        deps(new FakeOracle(), connectedAs),
      ),
    );
    expect(err.message).to.equal(
      "the anomaly settings are wrong: minHistory 40 is not an integer from 3 to windowSize; topicOcid topic is not a Notifications topic OCID",
    );
    expect(connectedAs).to.deep.equal([]);
  });

  it("applies the recommendation settings after the migrations as the schema owner — the model loaded with the resource principal only when new — and refuses wrong ones before reading any secret", async () => {
    const db = new FakeOracle();
    const recommendationSettings = {
      historyDays: 30,
      refreshMinutes: 15,
      modelUri:
        "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/axaxnpcrorw5/b/mc-models/o/all_MiniLM_L12_v2.onnx",
    };
    await migrateFromSecrets({ setChecksum: setChecksum(repoSet), recommendationSettings }, deps(db, []));
    const written = db.executed.filter((e) => e.sql === RECOMMENDATION_SETTINGS_SQL);
    expect(written).to.have.length(1);
    expect(written[0]).to.deep.include({
      as: "owner",
      binds: { history_days: 30, refresh_minutes: 15, model_uri: recommendationSettings.modelUri },
    });
    expect(db.executed.indexOf(written[0])).to.be.above(
      db.executed.findIndex((e) => e.sql.includes("CREATE TABLE IF NOT EXISTS rec_settings")),
    );
    expect(db.commits).to.include(written[0].session);
    // The block loads only a new or different model, with the database's own identity, and re-embeds after it.
    expect(RECOMMENDATION_SETTINGS_SQL).to.match(/IF v_models = 0 OR v_loaded IS NULL OR v_loaded <> :model_uri THEN/);
    expect(RECOMMENDATION_SETTINGS_SQL)
      .to.contain("credential => 'OCI$RESOURCE_PRINCIPAL'")
      .and.contain("UPDATE rec_items SET embedded_hash = NULL");
    const connectedAs: unknown[] = [];
    const err = await failureOf(
      migrateFromSecrets(
        { recommendationSettings: { historyDays: 0, refreshMinutes: 15, modelUri: "http://example.com/model.bin" } },
        deps(new FakeOracle(), connectedAs),
      ),
    );
    expect(err.message).to.equal(
      "the recommendation settings are wrong: historyDays 0 is not an integer from 1 to 365; modelUri http://example.com/model.bin is not an Object Storage URI of an .onnx object",
    );
    expect(connectedAs).to.deep.equal([]);
  });

  describe("the resource-principal probe before the recommendation settings (OCI IAM is eventually consistent)", () => {
    const modelUri =
      "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/axaxnpcrorw5/b/mc-models/o/all_MiniLM_L12_v2.onnx";
    const bucketUri = "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/axaxnpcrorw5/b/mc-models/o/";
    const settings = { historyDays: 30, refreshMinutes: 15, modelUri };
    const refused = (code: number) =>
      Object.assign(new Error(`ORA-${code}: Authorization failed for URI - ${bucketUri}`), { errorNum: code });

    it("lists the bucket as the owner first; retries while OCI refuses the principal, then writes the settings", async () => {
      const db = new FakeOracle();
      await migrateFromSecrets({ setChecksum: setChecksum(repoSet) }, deps(db, []));
      db.failures.push(
        { when: "DBMS_CLOUD.LIST_OBJECTS", error: refused(20401) },
        { when: "DBMS_CLOUD.LIST_OBJECTS", error: refused(20404) },
      );
      const slept: number[] = [];
      const logged: string[] = [];
      await migrateFromSecrets(
        { setChecksum: setChecksum(repoSet), recommendationSettings: settings },
        {
          ...deps(db, []),
          sleep: async (ms) => void slept.push(ms),
          log: (m) => logged.push(m),
          remainingMs: () => 600_000,
        },
      );
      const probes = db.executed.filter((e) => e.sql === RESOURCE_PRINCIPAL_PROBE_SQL);
      expect(probes.map((p) => ({ as: p.as, binds: p.binds }))).to.deep.equal(
        Array(3).fill({ as: "owner", binds: { bucket_uri: bucketUri } }),
      );
      expect(slept).to.deep.equal([20_000, 20_000]);
      const write = db.executed.findIndex((e) => e.sql === RECOMMENDATION_SETTINGS_SQL);
      expect(write).to.be.above(db.executed.indexOf(probes[2]));
      expect(logged).to.include(`the database's resource principal may list ${bucketUri} (attempt 3)`);
    });

    it("fails with 'IAM not effective yet — run `up` again' when the invocation's time runs out, writing nothing", async () => {
      const db = new FakeOracle();
      await migrateFromSecrets({ setChecksum: setChecksum(repoSet) }, deps(db, []));
      for (let i = 0; i < 10; i++) db.failures.push({ when: "DBMS_CLOUD.LIST_OBJECTS", error: refused(20404) });
      let left = 150_000;
      const err = await failureOf(
        migrateFromSecrets(
          { setChecksum: setChecksum(repoSet), recommendationSettings: settings },
          {
            ...deps(db, []),
            sleep: async (ms) => void (left -= ms),
            remainingMs: () => left,
          },
        ),
      );
      expect(err.message).to.equal(
        `IAM not effective yet — run \`up\` again: the database's resource principal still may not list ${bucketUri} ` +
          "(ORA-20404 on attempt 5); OCI applies a new dynamic group or policy within minutes, a changed matching rule within an hour",
      );
      expect(db.executed.some((e) => e.sql === RECOMMENDATION_SETTINGS_SQL)).to.equal(false);
      expect(db.open).to.equal(0);
    });

    it("does not retry what is not IAM propagation (a wrong bucket URI's ORA-20000, a privilege error)", async () => {
      const db = new FakeOracle();
      await migrateFromSecrets({ setChecksum: setChecksum(repoSet) }, deps(db, []));
      db.failures.push({
        when: "DBMS_CLOUD.LIST_OBJECTS",
        error: Object.assign(new Error("ORA-00904: DBMS_CLOUD: invalid identifier"), { errorNum: 904 }),
      });
      const slept: number[] = [];
      const err = await failureOf(
        migrateFromSecrets(
          { setChecksum: setChecksum(repoSet), recommendationSettings: settings },
          { ...deps(db, []), sleep: async (ms) => void slept.push(ms), remainingMs: () => 600_000 },
        ),
      );
      expect(err.message).to.equal("ORA-00904: DBMS_CLOUD: invalid identifier");
      expect(slept).to.deep.equal([]);
    });

    it("takes the bucket of the model URI", () => {
      expect(bucketUriOf(modelUri)).to.equal(bucketUri);
      expect(() => bucketUriOf("https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/x/b/y")).to.throw(/no \/o\//);
    });
  });

  it("sets the Pulumi-kept logins' passwords again from their secrets after the migrations (a new generation), and refuses any other", async () => {
    const db = new FakeOracle();
    await migrateFromSecrets({ setChecksum: setChecksum(repoSet) }, deps(db, []));
    const before = db.executed.length;
    // The migrations are all applied: only the reset runs, as the file's user, with the secret's password, committed.
    const previous = secretsStore[FUNCTIONS_ARN];
    secretsStore[FUNCTIONS_ARN] = JSON.stringify({ ...JSON.parse(previous), password: "FnRotated_2026_pw" });
    try {
      await migrateFromSecrets(
        { setChecksum: setChecksum(repoSet), resetPasswords: ["functions_password"] },
        deps(db, []),
      );
    } finally {
      secretsStore[FUNCTIONS_ARN] = previous;
    }
    const reset = db.executed.slice(before).filter((e) => e.binds && "functions_password" in e.binds);
    expect(reset.map((e) => [e.as, e.binds])).to.deep.equal([["admin", { functions_password: "FnRotated_2026_pw" }]]);
    expect(reset[0].sql).to.contain("ALTER USER mc_fn IDENTIFIED BY");
    expect(db.commits).to.include(reset[0].session);
    expect(db.open).to.equal(0);
    for (const bind of ["service_password", "admin_password"]) {
      const connectedAs: unknown[] = [];
      const err = await failureOf(migrateFromSecrets({ resetPasswords: [bind] }, deps(new FakeOracle(), connectedAs)));
      expect(err.message).to.equal(
        `cannot reset ${bind}: only loader_password, functions_password can be set again by this function`,
      );
      expect(connectedAs).to.deep.equal([]);
    }
  });

  it("sets the Lakehouse loader's password (MC_LAKE) again through the Lakehouse's own function, as ADMIN, with only that block", async () => {
    const LAKE_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:lake";
    const lakeFiles = readMigrationFiles(path.join(SQL_DIR, "lakehouse"));
    const lakeSecrets: Record<string, string> = {
      [ADMIN_ARN]: secretsStore[ADMIN_ARN],
      [LAKE_ARN]: JSON.stringify({ username: "MC_LAKE", password: "LakeRotated_2027", dsn: "same", schema: "MC_LAKE" }),
    };
    const db = new FakeOracle();
    const lakeDeps = {
      files: lakeFiles,
      adminSecretArn: ADMIN_ARN,
      bindSecretArns: { lakehouse_password: LAKE_ARN },
      getSecretString: async (arn: string) => lakeSecrets[arn],
      connectorFor: () => db.connector(),
      log: () => undefined,
    };
    const lakeSet = setChecksum(parseMigrationSet(lakeFiles));
    await migrateFromSecrets({ setChecksum: lakeSet }, lakeDeps);
    const before = db.executed.length;
    await migrateFromSecrets({ setChecksum: lakeSet, resetPasswords: ["lakehouse_password"] }, lakeDeps);
    const reset = db.executed.slice(before).filter((e) => e.binds && "lakehouse_password" in e.binds);
    expect(reset.map((e) => [e.as, e.binds])).to.deep.equal([["admin", { lakehouse_password: "LakeRotated_2027" }]]);
    expect(reset[0].sql).to.contain("ALTER USER mc_lake IDENTIFIED BY");
    expect(db.commits).to.include(reset[0].session);
    // The OLTP's function has no Lakehouse secret: it refuses the bind.
    const err = await failureOf(
      migrateFromSecrets({ resetPasswords: ["lakehouse_password"] }, deps(new FakeOracle(), [])),
    );
    expect(err.message).to.equal(
      "cannot reset lakehouse_password: only loader_password, functions_password can be set again by this function",
    );
  });

  it("refuses a request for a migration set it does not carry, before reading any secret", async () => {
    const db = new FakeOracle();
    const connectedAs: unknown[] = [];
    const err = await failureOf(migrateFromSecrets({ setChecksum: "f".repeat(64) }, deps(db, connectedAs)));
    expect(err.message).to.match(
      /^asked to apply migration set ffffffffffff… but this function carries [0-9a-f]{12}…; redeploy$/,
    );
    expect(connectedAs).to.deep.equal([]);
  });
});

describe("npm run db:migrate", () => {
  it("refuses to start without a DSN and both passwords in the environment, with the usage line", async () => {
    const env = { ...process.env };
    delete env.ORACLE_ADMIN_PASSWORD;
    delete env.MC_SVC_PASSWORD;
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "functions/aws/migrate/cli.ts", "--dsn", "localhost:1/none"],
      { cwd: REPO_ROOT, encoding: "utf8", env, timeout: 30_000 },
    );
    expect(result.status).to.equal(1);
    expect(result.stderr.trim()).to.equal(
      "usage: ORACLE_ADMIN_PASSWORD=… MC_SVC_PASSWORD=… npm run db:migrate -- --dsn DSN [--user ADMIN] [--dir sql]",
    );
  });

  it("refuses a malformed migration directory before connecting", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sql-"));
    writeFileSync(path.join(dir, "V001__a.sql"), "SELECT 1 FROM dual;\n");
    writeFileSync(path.join(dir, "V003__c.sql"), "SELECT 1 FROM dual;\n");
    const env = { ...process.env, ORACLE_ADMIN_PASSWORD: "x", MC_SVC_PASSWORD: "y" };
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "functions/aws/migrate/cli.ts", "--dsn", "localhost:1/none", "--dir", dir],
      { cwd: REPO_ROOT, encoding: "utf8", env, timeout: 30_000 },
    );
    expect(result.status).to.equal(1);
    expect(result.stderr.trim()).to.equal(
      "V003__c.sql: versions must run 1, 2, 3, … without gaps or repeats; expected V002",
    );
  });
});
