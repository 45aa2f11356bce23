/**
 * The order service's SQL against a real Oracle AI Database (26ai), when ORACLE_TEST_DSN is set;
 * skipped, saying why, when it is not. Migrates the schema (V001… as the migration runner does),
 * then runs the OracleOrderStore and the sync's staging writer as MC_SVC: creates through the
 * merge (first request of a key wins, conflicts recorded, a create never undoes an update), key
 * lookups, keyset pages, a refused password. Point it only at a throw-away database.
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
import type { OrderEvent } from "../../functions/aws/orders/event";
import { type NewOrder, orderIdForKey, requestHash } from "../../functions/aws/orders/orders";
import { CredentialSource } from "../../functions/aws/orders/secret";
import { oracleStagingWriter, type StagingConnection } from "../../functions/aws/orders/stagingWriter";
import { DatabaseUnavailableError } from "../../functions/aws/orders/store";
import { writeSplitting } from "../../functions/aws/orders/syncBatch";
import { REPO_ROOT } from "../../offline/stacks";

const dsn = process.env.ORACLE_TEST_DSN;
const adminUser = process.env.ORACLE_TEST_ADMIN_USER ?? "system";
const adminPassword = process.env.ORACLE_TEST_ADMIN_PASSWORD ?? "";
/** The password V001 gives MC_SVC in these tests (the same as oracle.real.test.ts binds). */
const servicePassword = "MigrTest_2026_pw";
const SETTINGS: PoolSettings = {
  size: 4,
  queueTimeoutMs: 2000,
  callTimeoutMs: 10_000,
  queueMax: 100,
  statementCacheSize: 30,
  pingIntervalSeconds: 60,
};

const title = dsn
  ? `order service SQL on a real Oracle database (${dsn})`
  : "order service SQL on a real Oracle database — SKIPPED: ORACLE_TEST_DSN is not set (no Oracle server here; see docs/database.md 'Real-Oracle tests')";

describe(title, function () {
  const stores: OracleOrderStore[] = [];
  const storeAs = (password = servicePassword) => {
    const store = new OracleOrderStore(
      new CredentialSource(
        async () => JSON.stringify({ username: SERVICE_USER, password, dsn, schema: SCHEMA_OWNER }),
        0,
      ),
      SETTINGS,
    );
    stores.push(store);
    return store;
  };
  const customer = `C-${randomUUID().slice(0, 8)}`;
  const order = (amount: string, orderDate: string) => ({
    customerId: customer,
    amount,
    currency: "EUR",
    status: "pending" as const,
    orderDate,
  });

  before(async function () {
    if (!dsn) return this.skip();
    await migrate(
      oracleConnector({ user: adminUser, password: adminPassword, connectString: dsn }),
      parseMigrationSet(readMigrationFiles(`${REPO_ROOT}/sql`)),
      {
        binds: {
          service_password: servicePassword,
          loader_password: "LoaderTest_2026_pw",
          functions_password: "FnTest_2026_pw_x",
        },
      },
    );
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close(1)));
  });

  const stagingConnect = async (): Promise<StagingConnection> => {
    const conn = await oracledb.getConnection({ user: SERVICE_USER, password: servicePassword, connectString: dsn });
    await conn.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${SCHEMA_OWNER}`);
    return conn as unknown as StagingConnection;
  };
  /** What the API publishes for a POST with this key: the sync consumer writes it. */
  const CLIENT = "client-real-test";
  const created = (key: string, body: NewOrder, updatedAt = "2026-11-30T10:00:00.000Z"): OrderEvent => ({
    schemaVersion: 1,
    kind: "created",
    orderId: orderIdForKey(CLIENT, key),
    ...body,
    updatedAt,
    idempotencyKey: key,
    requestHash: requestHash(body),
    clientId: CLIENT,
  });
  /** The reservation the API makes for an event's request. */
  const reservationOf = (event: OrderEvent) => ({
    client: CLIENT,
    idempotencyKey: event.idempotencyKey!,
    requestHash: event.requestHash!,
    orderId: event.orderId,
    acceptedAt: event.updatedAt,
  });

  it("creates an order through the merge, records its key, and reads both back as the API shows them", async () => {
    const store = storeAs();
    const key = randomUUID();
    const event = created(key, order("125.5", "2026-11-02"));
    expect(await oracleStagingWriter(stagingConnect).write(`C:${key}`.slice(0, 64), [event])).to.deep.equal({
      merged: 1,
      conflicts: 0,
    });
    const stored = {
      orderId: event.orderId,
      customerId: customer,
      amount: "125.50",
      currency: "EUR",
      status: "pending",
      orderDate: "2026-11-02",
      updatedAt: "2026-11-30T10:00:00.000Z",
    };
    expect(await store.get(event.orderId)).to.deep.equal(stored);
    // The merge recorded the key: a repeat of the request is a replay with the stored order, another body a reuse.
    expect(await store.reserve(reservationOf(event))).to.deep.equal({
      kind: "replay",
      acceptedAt: "2026-11-30T10:00:00.000Z",
      order: stored,
    });
    expect(await store.reserve({ ...reservationOf(event), requestHash: "f".repeat(64) })).to.deep.equal({
      kind: "reused",
    });
    expect(await store.get(randomUUID())).to.equal(undefined);
  });

  it("reserves a client's key before publishing: in progress, reused, released, published; the merge honours the reservation and shows the conflict", async () => {
    const store = storeAs();
    const writer = oracleStagingWriter(stagingConnect);
    const key = randomUUID();
    const mine = created(key, order("20.00", "2026-11-04"), "2026-11-30T10:00:00.000Z");
    const r = reservationOf(mine);
    expect(await store.reserve(r)).to.deep.equal({ kind: "reserved", acceptedAt: r.acceptedAt });
    // Concurrent repeats while it publishes: one INSERT won, the rest see it.
    const answers = await Promise.all([
      store.reserve(r),
      store.reserve(r),
      store.reserve({ ...r, requestHash: "e".repeat(64) }),
    ]);
    expect(answers.map((a) => a.kind)).to.deep.equal(["inProgress", "inProgress", "reused"]);
    await store.release(r);
    expect((await store.reserve(r)).kind).to.equal("reserved");
    await store.markPublished(r);
    expect(await store.reserve(r)).to.deep.equal({ kind: "replay", acceptedAt: r.acceptedAt, order: undefined });
    // Another body under the key, published unchecked while the database was out of reach, synced first:
    // the reservation wins, the other request is a conflict that GET shows.
    const unchecked = created(key, order("21.00", "2026-11-04"), "2026-11-30T10:00:01.000Z");
    expect(await writer.write(`R1:${mine.orderId}`.slice(0, 64), [unchecked])).to.deep.equal({
      merged: 0,
      conflicts: 1,
    });
    expect(await writer.write(`R2:${mine.orderId}`.slice(0, 64), [mine])).to.deep.equal({ merged: 1, conflicts: 0 });
    const shown = await store.get(mine.orderId);
    expect(shown).to.deep.include({ amount: "20.00" });
    expect(shown?.conflicts).to.deep.equal([
      { requestHash: unchecked.requestHash, reason: "key_reused", at: "2026-11-30T10:00:01.000Z" },
    ]);
  });

  it("keeps the first request of a key: a repeat changes nothing, another request is a recorded conflict, a create never undoes an update", async () => {
    const writer = oracleStagingWriter(stagingConnect);
    const key = randomUUID();
    const first = created(key, order("10.00", "2026-11-03"), "2026-11-30T10:00:00.000Z");
    // One load holding the same request twice and another request with the key: the first wins, one conflict.
    const other = created(key, order("11.00", "2026-11-03"), "2026-11-30T10:00:05.000Z");
    expect(
      await writer.write(`K1:${first.orderId}`.slice(0, 64), [
        first,
        { ...first, updatedAt: "2026-11-30T10:00:01.000Z" },
        other,
      ]),
    ).to.deep.equal({ merged: 1, conflicts: 1 });
    // The same load again (a replayed batch): nothing changes, the conflict is not counted twice.
    expect(await writer.write(`K1:${first.orderId}`.slice(0, 64), [first, other])).to.deep.equal({
      merged: 0,
      conflicts: 0,
    });
    const paid: OrderEvent = {
      schemaVersion: 1,
      kind: "updated",
      orderId: first.orderId,
      ...order("10.00", "2026-11-03"),
      status: "paid",
      updatedAt: "2026-11-30T11:00:00.000Z",
    };
    expect(await writer.write(`K2:${first.orderId}`.slice(0, 64), [paid])).to.deep.equal({ merged: 1, conflicts: 0 });
    // A create retried after the update (a later timestamp) leaves the paid order alone.
    expect(
      await writer.write(`K3:${first.orderId}`.slice(0, 64), [{ ...first, updatedAt: "2026-11-30T12:00:00.000Z" }]),
    ).to.deep.equal({ merged: 0, conflicts: 0 });
    const store = storeAs();
    expect(await store.get(first.orderId)).to.deep.include({ amount: "10.00", status: "paid" });
    expect((await store.reserve({ ...reservationOf(first), requestHash: other.requestHash! })).kind).to.equal("reused");
    expect((await store.reserve(reservationOf(first))).kind).to.equal("replay");
  });

  it("pages a customer's orders newest first by (order date, order id), every order once", async () => {
    const store = storeAs();
    const events = ["2026-10-01", "2026-10-02", "2026-10-02", "2026-10-03", "2026-10-05"].map((date) =>
      created(randomUUID(), order("1.00", date)),
    );
    await oracleStagingWriter(stagingConnect).write(`P:${customer}`, events);
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
    const writer = oracleStagingWriter(stagingConnect);
    const id = `S-${randomUUID().slice(0, 8)}`;
    const version = (updatedAt: string, status: "paid" | "cancelled") => ({
      schemaVersion: 1 as const,
      kind: "updated" as const,
      orderId: id,
      customerId: customer,
      amount: "5.00",
      currency: "EUR",
      status,
      orderDate: "2026-11-05",
      updatedAt,
    });
    expect(await writer.write(`${id}:1`, [version("2026-11-30T10:00:00Z", "paid")])).to.deep.equal({
      merged: 1,
      conflicts: 0,
    });
    expect(await writer.write(`${id}:1`, [version("2026-11-30T10:00:00Z", "paid")])).to.deep.equal({
      merged: 0,
      conflicts: 0,
    });
    expect(await writer.write(`${id}:2`, [version("2026-11-30T09:00:00Z", "cancelled")])).to.deep.equal({
      merged: 0,
      conflicts: 0,
    });
    expect((await storeAs().get(id))?.status).to.equal("paid");
  });

  it("finds the one row Oracle refuses (year 0: ORA-01841) by splitting the write, and writes the others", async () => {
    // Year 0 never passes the event parser; written straight to the staging writer, Oracle's own refusal is what is found.
    const rows = Array.from({ length: 4 }, (_, i) => {
      const id = `Y-${randomUUID().slice(0, 8)}`;
      const e = {
        schemaVersion: 1 as const,
        kind: "updated" as const,
        orderId: id,
        customerId: customer,
        amount: "1.00",
        currency: "EUR",
        status: "pending" as const,
        orderDate: i === 2 ? "0000-01-01" : "2026-11-05",
        updatedAt: "2026-11-30T10:00:00Z",
      };
      return { message: { partition: 0, offset: String(1000 + i), key: id }, event: e };
    });
    const written = await writeSplitting(rows, oracleStagingWriter(stagingConnect));
    expect(
      written.refused.map((r) => [r.message.key, /^the database refused it: (ORA-\d{5})/.exec(r.reason)?.[1]]),
    ).to.deep.equal([[rows[2].message.key, "ORA-01841"]]);
    for (const r of [rows[0], rows[1], rows[3]]) expect(await storeAs().get(r.event.orderId)).to.not.equal(undefined);
  });

  it("reports a refused password as the database being unavailable, not as a crash", async () => {
    const err = await storeAs("not-the-password-1")
      .ping()
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DatabaseUnavailableError);
  });
});
