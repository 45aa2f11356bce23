/**
 * The order service's SQL against a real Oracle AI Database (26ai), when ORACLE_TEST_DSN is set;
 * skipped, saying why, when it is not. Migrates the schema (V001… as the migration runner does),
 * then runs the OracleOrderStore as MC_SVC: round trip, idempotent creates (sequential and
 * concurrent), keyset pages, a refused password. Point it only at a throw-away database.
 *   ORACLE_TEST_DSN=localhost:1521/FREEPDB1 ORACLE_TEST_ADMIN_USER=system ORACLE_TEST_ADMIN_PASSWORD=… npm test
 */
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import oracledb from "oracledb";
import { readMigrationFiles, SCHEMA_OWNER, SERVICE_USER } from "../../functions/aws/migrate/contract";
import { parseMigrationSet } from "../../functions/aws/migrate/migrations";
import { oracleConnector } from "../../functions/aws/migrate/oracle";
import { migrate } from "../../functions/aws/migrate/runner";
import { OracleOrderStore, PoolSettings } from "../../functions/aws/orders/oracleStore";
import { requestHash } from "../../functions/aws/orders/orders";
import { CredentialSource } from "../../functions/aws/orders/secret";
import { oracleStagingWriter, type StagingConnection } from "../../functions/aws/orders/stagingWriter";
import { DatabaseUnavailableError } from "../../functions/aws/orders/store";
import { REPO_ROOT } from "../../offline/stacks";

const dsn = process.env.ORACLE_TEST_DSN;
const adminUser = process.env.ORACLE_TEST_ADMIN_USER ?? "system";
const adminPassword = process.env.ORACLE_TEST_ADMIN_PASSWORD ?? "";
/** The password V001 gives MC_SVC in these tests (the same as oracle.real.test.ts binds). */
const servicePassword = "MigrTest_2026_pw";
const SETTINGS: PoolSettings = { size: 4, queueTimeoutMs: 2000, callTimeoutMs: 10_000, queueMax: 100, statementCacheSize: 30, pingIntervalSeconds: 60 };

const title = dsn
  ? `order service SQL on a real Oracle database (${dsn})`
  : "order service SQL on a real Oracle database — SKIPPED: ORACLE_TEST_DSN is not set (no Oracle server here; see docs/database.md 'Real-Oracle tests')";

describe(title, function () {
  this.timeout(300_000);
  const stores: OracleOrderStore[] = [];
  const storeAs = (password = servicePassword) => {
    const store = new OracleOrderStore(new CredentialSource(async () => JSON.stringify({ username: SERVICE_USER, password, dsn, schema: SCHEMA_OWNER }), 0), SETTINGS);
    stores.push(store);
    return store;
  };
  const customer = `C-${randomUUID().slice(0, 8)}`;
  const order = (amount: string, orderDate: string) => ({ customerId: customer, amount, currency: "EUR", status: "pending" as const, orderDate });

  before(async function () {
    if (!dsn) return this.skip();
    await migrate(oracleConnector({ user: adminUser, password: adminPassword, connectString: dsn }), parseMigrationSet(readMigrationFiles(`${REPO_ROOT}/sql`)), { binds: { service_password: servicePassword } });
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close(1)));
  });

  it("creates an order and reads it back as the API shows it", async () => {
    const store = storeAs();
    const created = await store.create({ idempotencyKey: randomUUID(), requestHash: requestHash(order("125.5", "2026-11-02")), orderId: randomUUID(), order: order("125.5", "2026-11-02") });
    if (created.kind !== "stored") throw new Error("expected a stored order");
    expect(created.created).to.equal(true);
    expect(created.order).to.deep.include({ customerId: customer, amount: "125.50", currency: "EUR", status: "pending", orderDate: "2026-11-02" });
    expect(created.order.updatedAt).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(await store.get(created.order.orderId)).to.deep.equal(created.order);
    expect(await store.get(randomUUID())).to.equal(undefined);
  });

  it("answers a repeated key with the first order and a reused key for another order with keyReused", async () => {
    const store = storeAs();
    const key = randomUUID();
    const body = order("10.00", "2026-11-03");
    const first = await store.create({ idempotencyKey: key, requestHash: requestHash(body), orderId: randomUUID(), order: body });
    const again = await store.create({ idempotencyKey: key, requestHash: requestHash(body), orderId: randomUUID(), order: body });
    expect(again).to.deep.equal({ ...first, created: false });
    const other = order("11.00", "2026-11-03");
    expect(await store.create({ idempotencyKey: key, requestHash: requestHash(other), orderId: randomUUID(), order: other })).to.deep.equal({ kind: "keyReused" });
  });

  it("creates one order for two concurrent requests with one key (the loser gets ORA-00001 and the stored order)", async () => {
    const [a, b] = [storeAs(), storeAs()];
    const key = randomUUID();
    const body = order("20.00", "2026-11-04");
    const results = await Promise.all([a, b].map((s) => s.create({ idempotencyKey: key, requestHash: requestHash(body), orderId: randomUUID(), order: body })));
    const ids = results.map((r) => (r.kind === "stored" ? r.order.orderId : "none"));
    expect(ids[0]).to.equal(ids[1]);
    expect(results.map((r) => r.kind === "stored" && r.created).sort()).to.deep.equal([false, true]);
  });

  it("pages a customer's orders newest first by (order date, order id), every order once", async () => {
    const store = storeAs();
    for (const date of ["2026-10-01", "2026-10-02", "2026-10-02", "2026-10-03", "2026-10-05"]) {
      await store.create({ idempotencyKey: randomUUID(), requestHash: requestHash(order("1.00", date)), orderId: randomUUID(), order: order("1.00", date) });
    }
    const seen: string[] = [];
    let after: { orderDate: string; orderId: string } | undefined;
    for (;;) {
      const page = await store.list({ customerId: customer, from: "2026-10-01", to: "2026-10-31", limit: 2, after });
      seen.push(...page.map((o) => `${o.orderDate}/${o.orderId}`));
      if (page.length < 2) break;
      after = { orderDate: page[1].orderDate, orderId: page[1].orderId };
    }
    expect(seen).to.have.length(5);
    expect([...seen].sort().reverse()).to.deep.equal(seen);
    expect(new Set(seen).size).to.equal(5);
  });

  it("applies a sync batch through staging and the merge: a replay changes nothing, an older version never wins", async () => {
    const connect = async (): Promise<StagingConnection> => {
      const conn = await oracledb.getConnection({ user: SERVICE_USER, password: servicePassword, connectString: dsn });
      await conn.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${SCHEMA_OWNER}`);
      return conn as unknown as StagingConnection;
    };
    const writer = oracleStagingWriter(connect);
    const id = `S-${randomUUID().slice(0, 8)}`;
    const version = (updatedAt: string, status: "paid" | "cancelled") => ({ schemaVersion: 1 as const, orderId: id, customerId: customer, amount: "5.00", currency: "EUR", status, orderDate: "2026-11-05", updatedAt });
    expect(await writer.write(`${id}:1`, [version("2026-11-30T10:00:00Z", "paid")])).to.deep.equal({ merged: 1 });
    expect(await writer.write(`${id}:1`, [version("2026-11-30T10:00:00Z", "paid")])).to.deep.equal({ merged: 0 });
    expect(await writer.write(`${id}:2`, [version("2026-11-30T09:00:00Z", "cancelled")])).to.deep.equal({ merged: 0 });
    expect((await storeAs().get(id))?.status).to.equal("paid");
  });

  it("reports a refused password as the database being unavailable, not as a crash", async () => {
    const err = await storeAs("not-the-password-1").ping().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DatabaseUnavailableError);
  });
});
