/**
 * The schema against a real Oracle AI Database (26ai / 23.26.1 or later: SQL assertions), when
 * ORACLE_TEST_DSN is set; skipped, saying why, when it is not. It DROPS the MC_APP, MC_SVC and MC_SVC_B users and
 * the ledger first: point it only at a throw-away database (docs/database.md: the container command).
 *   ORACLE_TEST_DSN=localhost:1521/FREEPDB1 ORACLE_TEST_ADMIN_USER=system ORACLE_TEST_ADMIN_PASSWORD=… npm test
 */
import { expect } from "chai";
import oracledb from "oracledb";
import { readMigrationFiles, SCHEMA_OWNER, SERVICE_USER } from "../../functions/aws/migrate/contract";
import { parseMigrationSet } from "../../functions/aws/migrate/migrations";
import { oracleConnector } from "../../functions/aws/migrate/oracle";
import { LEDGER_TABLE, migrate, MigrationError } from "../../functions/aws/migrate/runner";
import { oracleUsers } from "../../functions/aws/rotate/users";
import { REPO_ROOT } from "../../offline/stacks";

const dsn = process.env.ORACLE_TEST_DSN;
const adminUser = process.env.ORACLE_TEST_ADMIN_USER ?? "system";
const adminPassword = process.env.ORACLE_TEST_ADMIN_PASSWORD ?? "";
const files = readMigrationFiles(`${REPO_ROOT}/sql`);
const binds = {
  service_password: "MigrTest_2026_pw",
  loader_password: "LoaderTest_2026_pw",
  functions_password: "FnTest_2026_pw_x",
};

const title = dsn
  ? `schema on a real Oracle database (${dsn})`
  : "schema on a real Oracle database — SKIPPED: ORACLE_TEST_DSN is not set (no Oracle server here; see docs/database.md 'Real-Oracle tests')";

describe(title, function () {
  let app: oracledb.Connection;

  before(async function () {
    if (!dsn) return this.skip();
    const admin = await oracledb.getConnection({ user: adminUser, password: adminPassword, connectString: dsn });
    try {
      for (const user of [SERVICE_USER, "MC_SVC_B", SCHEMA_OWNER]) {
        await admin.execute(
          `BEGIN EXECUTE IMMEDIATE 'DROP USER ${user} CASCADE'; EXCEPTION WHEN OTHERS THEN IF SQLCODE != -1918 THEN RAISE; END IF; END;`,
        );
      }
      await admin.execute(`DROP TABLE IF EXISTS ${LEDGER_TABLE} PURGE`);
    } finally {
      await admin.close();
    }
  });
  after(async () => app?.close());

  const connector = () => oracleConnector({ user: adminUser, password: adminPassword, connectString: dsn ?? "" });
  const oraCode = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      await app.rollback();
      return (err as Error).message;
    }
    await app.rollback();
    return "no error";
  };

  it("migrates a fresh schema", async () => {
    const result = await migrate(connector(), parseMigrationSet(files), { binds });
    expect(result.applied.map((m) => m.version)).to.deep.equal(parseMigrationSet(files).map((m) => m.version));
    // The services' user, as the order service connects: its own login, the platform schema current.
    app = await oracledb.getConnection({ user: SERVICE_USER, password: binds.service_password, connectString: dsn });
    await app.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${SCHEMA_OWNER}`);
    const assertions = await app.execute<[string, string]>(
      `SELECT assertion_name, deferred FROM all_assertions WHERE owner = '${SCHEMA_OWNER}' ORDER BY assertion_name`,
    );
    expect(assertions.rows).to.deep.equal([
      ["SLA_HAS_SERVICE", "DEFERRED"],
      ["TICKET_WITHIN_ACTIVE_SLA", "IMMEDIATE"],
      ["URGENT_TICKET_NEEDS_SENIOR", "IMMEDIATE"],
    ]);
  });

  it("gives the services' user rows only: no DDL, no login as the schema owner", async () => {
    expect(await oraCode(() => app.execute("CREATE TABLE svc_probe (x NUMBER)"))).to.match(/ORA-01031/);
    expect(await oraCode(() => app.execute("DROP TABLE orders"))).to.match(/ORA-01031|ORA-00942/);
    const ownerLogin = await oracledb
      .getConnection({ user: SCHEMA_OWNER, password: binds.service_password, connectString: dsn })
      .then(
        async (c) => {
          await c.close();
          return "logged in";
        },
        (e: unknown) => (e as Error).message,
      );
    expect(ownerLogin).to.match(/ORA-01017/);
  });

  it("commits an SLA with its services in one transaction", async () => {
    await app.execute("INSERT INTO customers (name, company) VALUES ('Ahmad Hassan', 'TechCorp Jordan')");
    await app.execute("INSERT INTO customers (name, company) VALUES ('Sara Ali', 'DataFlow ME')");
    await app.execute("INSERT INTO engineers (name, seniority) VALUES ('Omar Khalid', 'senior')");
    await app.execute("INSERT INTO engineers (name, seniority) VALUES ('Lina Nasser', 'junior')");
    await app.execute(
      "INSERT INTO slas (customer_id, sla_tier, start_date, end_date) SELECT id, 'gold', DATE '2026-01-01', DATE '2026-12-31' FROM customers WHERE name = 'Ahmad Hassan'",
    );
    await app.execute("INSERT INTO sla_services (sla_id, service_name) SELECT id, 'Database Support' FROM slas");
    await app.execute("INSERT INTO sla_services (sla_id, service_name) SELECT id, '24/7 Monitoring' FROM slas");
    await app.commit();
    expect((await app.execute<[number]>("SELECT COUNT(*) FROM sla_services")).rows).to.deep.equal([[2]]);
  });

  const ticket = (customer: string, engineer: string, priority: string, createdAt: string) =>
    app.execute(
      `INSERT INTO tickets (customer_id, engineer_id, priority, subject, created_at)
       SELECT c.id, e.id, :priority, 'test', TIMESTAMP '${createdAt}' FROM customers c, engineers e WHERE c.name = :customer AND e.name = :engineer`,
      { priority, customer, engineer },
    );

  it("accepts a critical ticket for a senior engineer, rejects one for a junior with ORA-08601", async () => {
    expect(await oraCode(() => ticket("Ahmad Hassan", "Omar Khalid", "critical", "2026-06-01 10:00:00"))).to.equal(
      "no error",
    );
    expect(await oraCode(() => ticket("Ahmad Hassan", "Lina Nasser", "critical", "2026-06-01 10:00:00"))).to.match(
      /ORA-08601.*URGENT_TICKET_NEEDS_SENIOR/s,
    );
  });

  it("rejects a ticket for a customer without an SLA", async () => {
    expect(await oraCode(() => ticket("Sara Ali", "Omar Khalid", "low", "2026-06-01 10:00:00"))).to.match(
      /ORA-08601.*TICKET_WITHIN_ACTIVE_SLA/s,
    );
  });

  it("accepts a ticket at any moment of the SLA's last day, and none after it", async () => {
    expect(await oraCode(() => ticket("Ahmad Hassan", "Omar Khalid", "low", "2026-12-31 23:59:59"))).to.equal(
      "no error",
    );
    expect(await oraCode(() => ticket("Ahmad Hassan", "Omar Khalid", "low", "2027-01-01 00:00:00"))).to.match(
      /ORA-08601.*TICKET_WITHIN_ACTIVE_SLA/s,
    );
  });

  it("fails at commit an SLA without services", async () => {
    await app.execute(
      "INSERT INTO slas (customer_id, sla_tier, start_date, end_date) SELECT id, 'bronze', DATE '2026-01-01', DATE '2026-03-31' FROM customers WHERE name = 'Sara Ali'",
    );
    expect(await oraCode(() => app.commit())).to.match(/ORA-02091|ORA-08601/);
    expect((await app.execute<[number]>("SELECT COUNT(*) FROM slas")).rows).to.deep.equal([[1]]);
  });

  it("merges a staged load once: newest row per order wins, a replay changes nothing", async () => {
    const stage =
      "INSERT INTO orders_staging (load_id, order_id, customer_id, amount, status, order_date, updated_at) VALUES ('L1', :id, 'c1', :amount, 'paid', DATE '2026-11-01', TO_TIMESTAMP_TZ(:at, 'YYYY-MM-DD HH24:MI:SS TZH:TZM'))";
    await app.executeMany(stage, [
      { id: "o1", amount: 10, at: "2026-11-01 10:00:00 +00:00" },
      { id: "o1", amount: 12, at: "2026-11-01 11:00:00 +00:00" },
      { id: "o2", amount: 5, at: "2026-11-01 10:00:00 +00:00" },
    ]);
    const merged = await app.execute<unknown>("BEGIN merge_orders_staging('L1', :merged, :conflicts); END;", {
      merged: { dir: oracledb.BIND_OUT, type: oracledb.NUMBER },
      conflicts: { dir: oracledb.BIND_OUT, type: oracledb.NUMBER },
    });
    await app.commit();
    expect((merged.outBinds as { merged: number }).merged).to.equal(2);
    expect((await app.execute("SELECT order_id, amount FROM orders ORDER BY order_id")).rows).to.deep.equal([
      ["o1", 12],
      ["o2", 5],
    ]);
    const again = await app.execute<unknown>("BEGIN merge_orders_staging('L1', :merged, :conflicts); END;", {
      merged: { dir: oracledb.BIND_OUT, type: oracledb.NUMBER },
      conflicts: { dir: oracledb.BIND_OUT, type: oracledb.NUMBER },
    });
    expect((again.outBinds as { merged: number }).merged).to.equal(0);
  });

  it("does nothing on a second migrate", async () => {
    const result = await migrate(connector(), parseMigrationSet(files), { binds });
    expect([result.applied.length, result.alreadyApplied]).to.deep.equal([0, parseMigrationSet(files).length]);
  });

  it("rotates the services' login to MC_SVC_B and back with the real driver; the previous login keeps working", async () => {
    const users = oracleUsers();
    const admin = { username: adminUser, password: adminPassword, dsn: dsn ?? "" };
    expect(await users.canLogin(admin.dsn, "MC_SVC_B", "NotYetSet_2026_pw")).to.equal(false);
    await users.setPassword(admin, "MC_SVC_B", "RotatedB_2026_pw1");
    expect(await users.canLogin(admin.dsn, "MC_SVC_B", "RotatedB_2026_pw1")).to.equal(true);
    expect(await users.canLogin(admin.dsn, SERVICE_USER, binds.service_password)).to.equal(true);
    const b = await oracledb.getConnection({ user: "MC_SVC_B", password: "RotatedB_2026_pw1", connectString: dsn });
    try {
      const rows = await b.execute<unknown[]>(`SELECT COUNT(*) FROM ${SCHEMA_OWNER}.orders`);
      expect(rows.rows?.length).to.equal(1);
    } finally {
      await b.close();
    }
  });

  it("refuses to run when an applied file was edited", async () => {
    const edited = { ...files, "V002__orders.sql": `${files["V002__orders.sql"]}\n-- edited\n` };
    const err = await migrate(connector(), parseMigrationSet(edited), { binds }).then(
      () => undefined,
      (e: unknown) => e as MigrationError,
    );
    expect(err?.message).to.match(/^V002__orders\.sql was changed after it was applied/);
  });
});
