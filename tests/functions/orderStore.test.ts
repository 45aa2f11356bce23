/**
 * The Oracle order store's SQL, binds and error handling, against a scripted pool that records
 * what the store sends and fails where a test says (the SQL itself runs in orders.real.test.ts).
 */
import { expect } from "chai";
import oracledb from "oracledb";
import {
  classifyOracleError,
  type ConnectionLike,
  DATE_BOUNDS,
  listBinds,
  ORDER_SQL,
  OracleOrderStore,
  type PoolFactory,
  type PoolLike,
  type PoolSettings,
  sessionSetup,
  storeError,
} from "../../functions/aws/orders/oracleStore";
import { CredentialSource, type DbCredentials } from "../../functions/aws/orders/secret";
import { DatabaseUnavailableError } from "../../functions/aws/orders/store";

const SETTINGS: PoolSettings = {
  size: 4,
  queueTimeoutMs: 500,
  callTimeoutMs: 2000,
  queueMax: 100,
  statementCacheSize: 30,
  pingIntervalSeconds: 60,
};
const ROW = ["O-1", "C-1", "125.50", "EUR", "pending", "2026-11-02", "2026-11-30T12:00:00.000Z"];

function oraError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code}: scripted`), { code, ...extra });
}

/** One pool's record: statements with binds, commits, rollbacks, connection closes. */
class ScriptedPool implements PoolLike {
  readonly executed: Array<{ sql: string; binds: oracledb.BindParameters }> = [];
  readonly events: string[] = [];
  /** Errors getConnection throws, in order. */
  readonly connectFailures: unknown[] = [];
  /** Per statement (matched by SQL text): what it returns or throws, in order. */
  readonly script = new Map<string, Array<unknown[][] | Error | { rowsAffected: number }>>();
  connectionsInUse = 0;
  closedWith: number | undefined;

  constructor(readonly credentials: DbCredentials) {}

  when(sql: string, ...outcomes: Array<unknown[][] | Error | { rowsAffected: number }>): this {
    this.script.set(sql, [...(this.script.get(sql) ?? []), ...outcomes]);
    return this;
  }

  async getConnection(): Promise<ConnectionLike> {
    const failure = this.connectFailures.shift();
    if (failure) throw failure;
    this.connectionsInUse++;
    const conn: ConnectionLike = {
      callTimeout: 0,
      execute: async <T>(sql: string, binds: oracledb.BindParameters) => {
        this.executed.push({ sql, binds });
        this.events.push(`execute:${Object.entries(ORDER_SQL).find(([, s]) => s === sql)?.[0] ?? sql}`);
        const next = this.script.get(sql)?.shift();
        if (next instanceof Error) throw next;
        if (next !== undefined && !Array.isArray(next)) return next as oracledb.Result<T>;
        return { rows: (next ?? []) as T[] } as oracledb.Result<T>;
      },
      executeMany: async (sql: string, binds: Array<Record<string, unknown>>) => {
        this.events.push(`executeMany:${binds.length}`);
        this.executed.push({ sql, binds: binds as unknown as oracledb.BindParameters });
        return { rowsAffected: binds.length } as oracledb.Results<unknown>;
      },
      commit: async () => void this.events.push("commit"),
      rollback: async () => void this.events.push("rollback"),
      close: async () => {
        this.connectionsInUse--;
        this.events.push(`close(callTimeout=${conn.callTimeout})`);
      },
    };
    return conn;
  }

  async close(drainTimeSeconds: number): Promise<void> {
    this.closedWith = drainTimeSeconds;
  }
}

describe("Oracle order store (scripted pool)", () => {
  const first: DbCredentials = { username: "MC_SVC", password: "pw-one-1234", dsn: "adb-dsn", schema: "MC_APP" };
  const second: DbCredentials = { username: "MC_SVC_B", password: "pw-two-5678", dsn: "adb-dsn", schema: "MC_APP" };
  let secretValue: DbCredentials;
  let secretReads: number;
  let pools: ScriptedPool[];
  let prepare: (pool: ScriptedPool) => void;
  let store: OracleOrderStore;
  let logged: string[];

  beforeEach(() => {
    secretValue = first;
    secretReads = 0;
    pools = [];
    prepare = () => undefined;
    const factory: PoolFactory = async (credentials, settings) => {
      expect(settings).to.equal(SETTINGS);
      const pool = new ScriptedPool(credentials);
      prepare(pool);
      pools.push(pool);
      return pool;
    };
    const source = new CredentialSource(async () => (secretReads++, JSON.stringify(secretValue)), 0);
    logged = [];
    store = new OracleOrderStore(source, SETTINGS, factory, {
      log: (event, fields) => void logged.push(`${event} ${JSON.stringify(fields)}`),
    });
  });

  it("reads one order with its binds and maps the row; no row is undefined", async () => {
    prepare = (p) => p.when(ORDER_SQL.get, [[...ROW, 0]], []);
    expect(await store.get("O-1")).to.deep.equal({
      orderId: "O-1",
      customerId: "C-1",
      amount: "125.50",
      currency: "EUR",
      status: "pending",
      orderDate: "2026-11-02",
      updatedAt: "2026-11-30T12:00:00.000Z",
    });
    expect(await store.get("O-2")).to.equal(undefined);
    expect(pools[0].executed.map((e) => e.binds)).to.deep.equal([{ order_id: "O-1" }, { order_id: "O-2" }]);
    // Every connection went back to the pool, with the call timeout set.
    expect(pools[0].events.filter((e) => e.startsWith("close"))).to.deep.equal([
      "close(callTimeout=2000)",
      "close(callTimeout=2000)",
    ]);
    expect(pools).to.have.length(1);
  });

  it("pages with the first-page or next-page statement and the open ends bound explicitly", async () => {
    expect(listBinds({ customerId: "C-1", limit: 26 })).to.deep.equal({
      customer_id: "C-1",
      from_date: DATE_BOUNDS.earliest,
      to_date: DATE_BOUNDS.latest,
      row_limit: 26,
    });
    expect(
      listBinds({
        customerId: "C-1",
        from: "2026-01-01",
        to: "2026-02-01",
        limit: 3,
        after: { orderDate: "2026-01-15", orderId: "O-7" },
      }),
    ).to.deep.equal({
      customer_id: "C-1",
      from_date: "2026-01-01",
      to_date: "2026-02-01",
      row_limit: 3,
      after_date: "2026-01-15",
      after_id: "O-7",
    });
    await store.list({ customerId: "C-1", limit: 3 });
    await store.list({ customerId: "C-1", limit: 3, after: { orderDate: "2026-01-15", orderId: "O-7" } });
    expect(pools[0].executed.map((e) => e.sql)).to.deep.equal([ORDER_SQL.firstPage, ORDER_SQL.nextPage]);
    // Keyset: strictly after the cursor in (order_date, order_id) descending, newest first, bounded.
    expect(ORDER_SQL.nextPage).to.contain(
      "(o.order_date < TO_DATE(:after_date, 'YYYY-MM-DD') OR (o.order_date = TO_DATE(:after_date, 'YYYY-MM-DD') AND o.order_id < :after_id))",
    );
    expect(ORDER_SQL.nextPage).to.match(
      /ORDER BY o\.order_date DESC, o\.order_id DESC FETCH FIRST :row_limit ROWS ONLY$/,
    );
  });

  it("retries a read once on a recoverable error, and only once", async () => {
    const lost = oraError("ORA-03113", { isRecoverable: true });
    prepare = (p) => p.when(ORDER_SQL.get, lost, [[...ROW, 0]], lost, lost);
    expect((await store.get("O-1"))?.orderId).to.equal("O-1");
    const err = await store.get("O-1").catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DatabaseUnavailableError);
    expect((err as DatabaseUnavailableError).retryAfterSeconds).to.equal(5);
    expect(pools[0].executed).to.have.length(4);
    expect(logged.filter((l) => l.startsWith("read.retry"))).to.deep.equal([
      'read.retry {"code":"ORA-03113"}',
      'read.retry {"code":"ORA-03113"}',
    ]);
  });

  it("does not retry a read on an error that is not recoverable", async () => {
    prepare = (p) => p.when(ORDER_SQL.get, oraError("ORA-00942"));
    const err = await store.get("O-1").catch((e: unknown) => e);
    expect((err as Error).message).to.equal("ORA-00942: scripted");
    expect(pools[0].executed).to.have.length(1);
  });

  describe("reserving a client's Idempotency-Key (never retried: a write)", () => {
    const reservation = {
      client: "client-1",
      idempotencyKey: "key-00000001",
      requestHash: "a".repeat(64),
      orderId: "0a1b2c3d-0000-8000-8000-000000000001",
      acceptedAt: "2026-11-30T12:00:00.000Z",
    };
    const key = { client_id: "client-1", idempotency_key: "key-00000001" };
    const duplicate = () => oraError("ORA-00001");
    const held = (hash: string, state: string, leaseOver: number, order: unknown[] = ROW.map(() => null)) => [
      [hash, state, "2026-11-30T11:59:00.000Z", leaseOver, ...order],
    ];

    it("claims a free key with one committed INSERT", async () => {
      prepare = (p) => p.when(ORDER_SQL.reserve, { rowsAffected: 1 });
      expect(await store.reserve(reservation)).to.deep.equal({ kind: "reserved", acceptedAt: reservation.acceptedAt });
      expect(pools[0].executed).to.deep.equal([
        {
          sql: ORDER_SQL.reserve,
          binds: {
            ...key,
            request_hash: "a".repeat(64),
            order_id: reservation.orderId,
            accepted_at: "2026-11-30T12:00:00.000000000+00:00",
          },
        },
      ]);
    });

    const answers: Array<[string, unknown[][], unknown]> = [
      ["another request's key: reused", held("b".repeat(64), "published", 0), { kind: "reused" }],
      ["the same request, publishing now: in progress", held("a".repeat(64), "reserved", 0), { kind: "inProgress" }],
      [
        "the same request, accepted, not synced yet: the first answer's time",
        held("a".repeat(64), "published", 0),
        { kind: "replay", acceptedAt: "2026-11-30T11:59:00.000Z", order: undefined },
      ],
      [
        "the same request, synced: the stored order",
        held("a".repeat(64), "published", 0, ROW),
        {
          kind: "replay",
          acceptedAt: "2026-11-30T11:59:00.000Z",
          order: {
            orderId: "O-1",
            customerId: "C-1",
            amount: "125.50",
            currency: "EUR",
            status: "pending",
            orderDate: "2026-11-02",
            updatedAt: "2026-11-30T12:00:00.000Z",
          },
        },
      ],
      ["a key released between the INSERT and the SELECT: in progress (retry)", [], { kind: "inProgress" }],
    ];
    for (const [what, row, outcome] of answers) {
      it(`answers a held key: ${what}`, async () => {
        prepare = (p) => p.when(ORDER_SQL.reserve, duplicate()).when(ORDER_SQL.reservation, row);
        expect(await store.reserve(reservation)).to.deep.equal(outcome);
        expect(pools[0].executed[1].binds).to.deep.equal({ ...key, lease_seconds: 30 });
        expect(pools[0].executed).to.have.length(2);
      });
    }

    it("takes over the same request's reservation once its lease is over, keeping its first time; loses a race to another", async () => {
      prepare = (p) =>
        p
          .when(ORDER_SQL.reserve, duplicate(), duplicate())
          .when(ORDER_SQL.reservation, held("a".repeat(64), "reserved", 1), held("a".repeat(64), "reserved", 1))
          .when(ORDER_SQL.takeOver, { rowsAffected: 1 }, { rowsAffected: 0 });
      expect(await store.reserve(reservation)).to.deep.equal({
        kind: "reserved",
        acceptedAt: "2026-11-30T11:59:00.000Z",
      });
      expect(pools[0].executed[2].binds).to.deep.equal({ ...key, request_hash: "a".repeat(64), lease_seconds: 30 });
      expect(await store.reserve(reservation)).to.deep.equal({ kind: "inProgress" });
    });

    it("does not retry a reservation on a recoverable error, and marks or releases with the key and hash", async () => {
      prepare = (p) =>
        p
          .when(ORDER_SQL.reserve, oraError("ORA-03113", { isRecoverable: true }))
          .when(ORDER_SQL.markPublished, { rowsAffected: 1 })
          .when(ORDER_SQL.release, { rowsAffected: 1 });
      const err = await store.reserve(reservation).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(DatabaseUnavailableError);
      expect(pools[0].executed).to.have.length(1);
      await store.markPublished(reservation);
      await store.release(reservation);
      expect(pools[0].executed.slice(1)).to.deep.equal([
        { sql: ORDER_SQL.markPublished, binds: { ...key, request_hash: "a".repeat(64) } },
        { sql: ORDER_SQL.release, binds: { ...key, request_hash: "a".repeat(64) } },
      ]);
    });
  });

  it("reads an order in one statement, and its conflicts only when it has some", async () => {
    prepare = (p) =>
      p.when(ORDER_SQL.get, [[...ROW, 0]], [[...ROW, 2]]).when(ORDER_SQL.conflicts, [
        ["b".repeat(64), "key_reused", "2026-11-30T12:00:01.000Z"],
        ["c".repeat(64), "key_reused", "2026-11-30T12:00:02.000Z"],
      ]);
    expect(await store.get("O-1")).to.not.have.property("conflicts");
    expect(pools[0].executed).to.have.length(1);
    const withConflicts = await store.get("O-1");
    expect(withConflicts?.conflicts).to.deep.equal([
      { requestHash: "b".repeat(64), reason: "key_reused", at: "2026-11-30T12:00:01.000Z" },
      { requestHash: "c".repeat(64), reason: "key_reused", at: "2026-11-30T12:00:02.000Z" },
    ]);
    expect(pools[0].executed[2].binds).to.deep.equal({ order_id: "O-1", row_limit: 20 });
  });

  it("turns a TLS handshake failure (NJS-506) on connect into a 503 with a 5 s Retry-After, never a 500", async () => {
    prepare = (p) => p.connectFailures.push(oraError("NJS-506"));
    const err = (await store.get("O-1").catch((e: unknown) => e)) as DatabaseUnavailableError;
    expect([err.name, err.retryAfterSeconds, err.reason]).to.deep.equal(["DatabaseUnavailableError", 5, "unreachable"]);
    expect(err.message).to.equal("database unavailable (NJS-506)");
  });

  it("turns a saturated pool (NJS-040, NJS-076) into a 503 with a 1 s Retry-After", async () => {
    prepare = (p) => p.connectFailures.push(oraError("NJS-040"), oraError("NJS-076"));
    for (let attempt = 1; attempt <= 2; attempt++) {
      const err = (await store.get("O-1").catch((e: unknown) => e)) as DatabaseUnavailableError;
      expect([err.name, err.retryAfterSeconds]).to.deep.equal(["DatabaseUnavailableError", 1]);
    }
  });

  it("reads the secret again when the database refuses the password, rebuilds the pool with the new login and drains the old", async () => {
    prepare = (p) => p.when(ORDER_SQL.get, [[...ROW, 0]]);
    await store.ping(); // opens the first pool
    secretValue = second; // rotation moved the secret to the other login, then changed MC_SVC's password
    pools[0].connectFailures.push(oraError("ORA-01017"));
    expect((await store.get("O-1"))?.orderId).to.equal("O-1");
    expect(pools.map((p) => p.credentials.username)).to.deep.equal(["MC_SVC", "MC_SVC_B"]);
    expect(pools[0].closedWith).to.equal(10);
    expect(secretReads).to.equal(2);
    expect(logged).to.deep.equal([
      'pool.open {"size":4,"user":"MC_SVC"}',
      'pool.open {"size":4,"user":"MC_SVC_B"}',
      'pool.rebuilt {"user":"MC_SVC_B"}',
    ]);
  });

  it("reports the database unavailable when it refuses the password and the secret has not changed (no loop)", async () => {
    prepare = (p) => p.connectFailures.push(oraError("ORA-01017"), oraError("ORA-01017"));
    const err = (await store.get("O-1").catch((e: unknown) => e)) as DatabaseUnavailableError;
    expect(err.message).to.equal("the database refuses the secret's credentials and the secret has not changed");
    expect(err.reason).to.equal("credentials-refused");
    expect(pools).to.have.length(1);
  });

  it("answers 503 when the pool cannot be opened, and tries again on the next request", async () => {
    let attempts = 0;
    const flaky = new OracleOrderStore(new CredentialSource(async () => JSON.stringify(first)), SETTINGS, async (c) => {
      if (++attempts === 1) throw oraError("NJS-503");
      return new ScriptedPool(c);
    });
    const err = (await flaky.ping().catch((e: unknown) => e)) as DatabaseUnavailableError;
    expect(err.message).to.equal("cannot open the database pool: NJS-503: scripted");
    expect(err.reason).to.equal("pool-open-failed");
    await flaky.ping();
    expect(attempts).to.equal(2);
  });

  it("lends the sync's staging writer a pooled connection with the call timeout set", async () => {
    const conn = await store.stagingConnection();
    await conn.executeMany("INSERT INTO orders_staging VALUES (:a)", [{ a: 1 }, { a: 2 }], { autoCommit: false });
    await conn.close();
    expect(pools[0].events).to.deep.equal(["executeMany:2", "close(callTimeout=2000)"]);
  });

  it("closes the pool on shutdown and refuses work afterwards", async () => {
    await store.ping();
    await store.close(3);
    expect(pools[0].closedWith).to.equal(3);
    const err = (await store.get("O-1").catch((e: unknown) => e)) as DatabaseUnavailableError;
    expect(err.message).to.equal("the service is shutting down");
    expect(err.reason).to.equal("shutting-down");
  });

  it("classifies driver errors", () => {
    const cases: Array<[unknown, string]> = [
      [oraError("ORA-00001"), "duplicateKey"],
      [oraError("ORA-01017"), "authentication"],
      [oraError("ORA-28000"), "authentication"],
      [oraError("NJS-040"), "busy"],
      [oraError("NJS-076"), "busy"],
      [oraError("NJS-500"), "unavailable"],
      [oraError("NJS-123"), "unavailable"],
      [oraError("ORA-12541"), "unavailable"],
      [oraError("ORA-03113", { isRecoverable: true }), "unavailable"],
      [new Error("NJS-510: connection to host timed out"), "unavailable"],
      // The TLS handshake (the wallet-less TLS to the ADB) and the rest of the driver's network range.
      [oraError("NJS-506"), "unavailable"],
      [oraError("NJS-508"), "unavailable"],
      [oraError("NJS-511"), "unavailable"],
      [oraError("NJS-530"), "unavailable"],
      [oraError("NJS-060"), "other"],
      [oraError("ORA-00942"), "other"],
      [oraError("ORA-02290"), "other"],
      ["not an error", "other"],
    ];
    expect(cases.map(([err]) => classifyOracleError(err))).to.deep.equal(cases.map(([, kind]) => kind));
  });

  it("sets the schema per session only from a validated identifier", () => {
    expect(sessionSetup("MC_APP")).to.equal("ALTER SESSION SET CURRENT_SCHEMA = MC_APP");
    expect(sessionSetup(undefined)).to.equal(undefined);
  });
});

describe("Oracle order store: the statements, options and records", () => {
  it("sends exactly these statements (what orders.real.test.ts runs against Oracle)", () => {
    const columns =
      "o.order_id, o.customer_id, TO_CHAR(o.amount, 'FM999999999990D00', 'NLS_NUMERIC_CHARACTERS=''.,'''), o.currency, o.status, TO_CHAR(o.order_date, 'YYYY-MM-DD'), " +
      `TO_CHAR(SYS_EXTRACT_UTC(o.updated_at), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"')`;
    expect(ORDER_SQL.get).to.equal(
      `SELECT ${columns}, (SELECT COUNT(*) FROM order_conflicts c WHERE c.order_id = o.order_id) FROM orders o WHERE o.order_id = :order_id`,
    );
    expect(ORDER_SQL.firstPage).to.equal(
      `SELECT ${columns} FROM orders o WHERE o.customer_id = :customer_id AND o.order_date >= TO_DATE(:from_date, 'YYYY-MM-DD') AND o.order_date <= TO_DATE(:to_date, 'YYYY-MM-DD') ORDER BY o.order_date DESC, o.order_id DESC FETCH FIRST :row_limit ROWS ONLY`,
    );
    expect(ORDER_SQL.reserve).to.equal(
      "INSERT INTO order_requests (client_id, idempotency_key, request_hash, order_id, state, accepted_at, reserved_at) VALUES (:client_id, :idempotency_key, :request_hash, :order_id, 'reserved', TO_TIMESTAMP_TZ(:accepted_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM'), SYSTIMESTAMP)",
    );
    expect(ORDER_SQL.takeOver).to.equal(
      "UPDATE order_requests SET reserved_at = SYSTIMESTAMP WHERE client_id = :client_id AND idempotency_key = :idempotency_key AND request_hash = :request_hash AND state = 'reserved' AND reserved_at < SYSTIMESTAMP - NUMTODSINTERVAL(:lease_seconds, 'SECOND')",
    );
    expect(ORDER_SQL.release).to.equal(
      "DELETE FROM order_requests WHERE client_id = :client_id AND idempotency_key = :idempotency_key AND request_hash = :request_hash AND state = 'reserved'",
    );
    expect(ORDER_SQL.ping).to.equal("SELECT 1 FROM dual");
  });

  it("asks for rows as arrays, counts waiting requests, and logs pool events without secrets", async () => {
    const options: unknown[] = [];
    const logged: Array<[string, Record<string, unknown>]> = [];
    let release: (() => void) | undefined;
    const pool: PoolLike = {
      connectionsInUse: 0,
      close: async () => undefined,
      getConnection: async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return {
          callTimeout: 0,
          execute: async <T>(_sql: string, _binds: oracledb.BindParameters, opts: oracledb.ExecuteOptions) => (
            options.push(opts),
            { rows: [] as T[] } as oracledb.Result<T>
          ),
          executeMany: async () => ({}) as oracledb.Results<unknown>,
          commit: async () => undefined,
          rollback: async () => undefined,
          close: async () => undefined,
        };
      },
    };
    const store = new OracleOrderStore(
      new CredentialSource(async () => JSON.stringify({ username: "MC_SVC", password: "pw-1", dsn: "d" })),
      SETTINGS,
      async () => pool,
      { log: (event, fields) => void logged.push([event, fields]) },
    );
    const pending = store.get("O-1");
    while (!release) await new Promise((r) => setImmediate(r));
    expect(store.stats()).to.deep.equal({ size: 4, inUse: 0, queued: 1 });
    release();
    await pending;
    expect(store.stats().queued).to.equal(0);
    expect(options).to.deep.equal([{ outFormat: oracledb.OUT_FORMAT_ARRAY }]);
    expect(logged).to.deep.equal([["pool.open", { size: 4, user: "MC_SVC" }]]);
    expect(JSON.stringify(logged)).to.not.contain("pw-1");
  });

  it("reads the code from the message when the driver gives none, anchored at its start", () => {
    expect(classifyOracleError(new Error("ORA-00001: unique constraint (MC_APP.ORDER_REQUESTS_PK) violated"))).to.equal(
      "duplicateKey",
    );
    expect(classifyOracleError(new Error("NJS-040: connection request timeout"))).to.equal("busy");
    expect(classifyOracleError(new Error("DPI-1080: connection was closed by ORA-3113"))).to.equal("other");
    expect(classifyOracleError(new Error("while saving: ORA-00001: unique constraint"))).to.equal("other");
    expect(classifyOracleError(new Error("ORA-0001 short"))).to.equal("other");
    expect(classifyOracleError(Object.assign(new Error("x"), { code: "XORA-12541" }))).to.equal("other");
    expect(classifyOracleError(Object.assign(new Error("x"), { code: "ORA-125410" }))).to.equal("other");
    expect(classifyOracleError(undefined)).to.equal("other");
  });

  it("names the cause in a 503's message, 'unknown' when there is no code; a refused login is a 503 too", () => {
    expect((storeError(Object.assign(new Error("lost"), { isRecoverable: true })) as Error).message).to.equal(
      "database unavailable (unknown)",
    );
    expect((storeError(oraError("NJS-076")) as Error).message).to.equal(
      "no database connection free within the queue timeout (NJS-076)",
    );
    expect((storeError(oraError("NJS-076")) as DatabaseUnavailableError).reason).to.equal("pool-busy");
    const refused = storeError(oraError("ORA-01017")) as DatabaseUnavailableError;
    expect([refused.message, refused.retryAfterSeconds, refused.reason]).to.deep.equal([
      "database unavailable (ORA-01017)",
      5,
      "unreachable",
    ]);
    const other = oraError("ORA-00942");
    expect(storeError(other)).to.equal(other);
  });
});
