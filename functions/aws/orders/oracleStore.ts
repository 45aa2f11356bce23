/**
 * The OrderStore on Oracle: a node-oracledb thin pool of fixed size (poolMin = poolMax,
 * poolIncrement 0) with a statement cache, a ping interval and a queue timeout. Reads are retried
 * once on a recoverable error; writes never are (the client repeats them with its Idempotency-Key).
 * When the database refuses the cached password, the credentials are read again and the pool is
 * rebuilt with them, so a secret rotation never breaks the service.
 */
import oracledb from "oracledb";
import { ORACLE_TIMESTAMP_MODEL, oracleTimestamp } from "./oracleTime";
import type { Order, OrderQuery, OrderStatus } from "./orders";
import type { CredentialSource, DbCredentials } from "./secret";
import {
  DatabaseUnavailableError,
  type KeyReservation,
  type OrderConflict,
  type OrderStore,
  type PoolStats,
  RESERVATION_LEASE_SECONDS,
  type ReservationOutcome,
  type StoredOrder,
} from "./store";

export interface PoolSettings {
  /** poolMin = poolMax = size; poolIncrement 0: a fixed pool, no connection storms under load. */
  readonly size: number;
  /** How long a request waits for a free connection (NJS-040 after). */
  readonly queueTimeoutMs: number;
  /** The longest one round trip may take (NJS-123 after). */
  readonly callTimeoutMs: number;
  /** Requests that may wait for a connection at once (NJS-076 beyond). */
  readonly queueMax: number;
  readonly statementCacheSize: number;
  /** A connection idle this long is pinged before it is handed out. */
  readonly pingIntervalSeconds: number;
}

/** The part of a node-oracledb connection the store (and the sync's staging writer) uses. */
export interface ConnectionLike {
  execute<T>(
    sql: string,
    binds: oracledb.BindParameters,
    options: oracledb.ExecuteOptions,
  ): Promise<oracledb.Result<T>>;
  executeMany(
    sql: string,
    binds: Array<Record<string, unknown>>,
    options: oracledb.ExecuteManyOptions,
  ): Promise<oracledb.Results<unknown>>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
  callTimeout: number;
}

/** The part of a node-oracledb pool the store uses. */
export interface PoolLike {
  getConnection(): Promise<ConnectionLike>;
  close(drainTimeSeconds: number): Promise<void>;
  readonly connectionsInUse: number;
}

export type PoolFactory = (credentials: DbCredentials, settings: PoolSettings) => Promise<PoolLike>;

/** Oracle identifiers are validated by parseCredentials; CURRENT_SCHEMA takes no bind. */
export function sessionSetup(schema: string | undefined): string | undefined {
  return schema ? `ALTER SESSION SET CURRENT_SCHEMA = ${schema}` : undefined;
}

/** node-oracledb's pool, thin mode. */
export const oraclePoolFactory: PoolFactory = async (credentials, settings) => {
  const setup = sessionSetup(credentials.schema);
  return oracledb.createPool({
    user: credentials.username,
    password: credentials.password,
    connectString: credentials.dsn,
    poolMin: settings.size,
    poolMax: settings.size,
    poolIncrement: 0,
    queueTimeout: settings.queueTimeoutMs,
    queueMax: settings.queueMax,
    stmtCacheSize: settings.statementCacheSize,
    poolPingInterval: settings.pingIntervalSeconds,
    // Runs once per new connection: the tables are the schema owner's, the login owns none.
    sessionCallback: setup
      ? (conn: oracledb.Connection, _tag: string, done: (err?: Error) => void) => {
          conn.execute(setup).then(() => done(), done);
        }
      : undefined,
  }) as Promise<PoolLike>;
};

/** ISO 8601 UTC with milliseconds, as the API shows instants. */
const UTC_MILLIS = `'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"'`;
const MONEY = "'FM999999999990D00', 'NLS_NUMERIC_CHARACTERS=''.,'''";
/** Columns of an order as the API shows it; formatted by the database so no driver conversion is involved. */
const ORDER_COLUMNS = [
  "o.order_id",
  "o.customer_id",
  `TO_CHAR(o.amount, ${MONEY})`,
  "o.currency",
  "o.status",
  "TO_CHAR(o.order_date, 'YYYY-MM-DD')",
  `TO_CHAR(SYS_EXTRACT_UTC(o.updated_at), ${UTC_MILLIS})`,
].join(", ");

/** The (client, key) a reservation statement is about. */
const KEY_IS = "client_id = :client_id AND idempotency_key = :idempotency_key";
const LEASE_OVER = "reserved_at < SYSTIMESTAMP - NUMTODSINTERVAL(:lease_seconds, 'SECOND')";

/** Every statement the service runs, with its binds. */
export const ORDER_SQL = {
  // The conflicts' count rides along: an order without any (nearly all) is one round trip.
  get: `SELECT ${ORDER_COLUMNS}, (SELECT COUNT(*) FROM order_conflicts c WHERE c.order_id = o.order_id) FROM orders o WHERE o.order_id = :order_id`,
  conflicts:
    `SELECT c.request_hash, c.reason, TO_CHAR(SYS_EXTRACT_UTC(c.requested_at), ${UTC_MILLIS}) FROM order_conflicts c` +
    " WHERE c.order_id = :order_id ORDER BY c.requested_at, c.request_hash FETCH FIRST :row_limit ROWS ONLY",
  firstPage:
    `SELECT ${ORDER_COLUMNS} FROM orders o` +
    " WHERE o.customer_id = :customer_id AND o.order_date >= TO_DATE(:from_date, 'YYYY-MM-DD') AND o.order_date <= TO_DATE(:to_date, 'YYYY-MM-DD')" +
    " ORDER BY o.order_date DESC, o.order_id DESC FETCH FIRST :row_limit ROWS ONLY",
  nextPage:
    `SELECT ${ORDER_COLUMNS} FROM orders o` +
    " WHERE o.customer_id = :customer_id AND o.order_date >= TO_DATE(:from_date, 'YYYY-MM-DD') AND o.order_date <= TO_DATE(:to_date, 'YYYY-MM-DD')" +
    " AND (o.order_date < TO_DATE(:after_date, 'YYYY-MM-DD') OR (o.order_date = TO_DATE(:after_date, 'YYYY-MM-DD') AND o.order_id < :after_id))" +
    " ORDER BY o.order_date DESC, o.order_id DESC FETCH FIRST :row_limit ROWS ONLY",
  reserve:
    "INSERT INTO order_requests (client_id, idempotency_key, request_hash, order_id, state, accepted_at, reserved_at)" +
    " VALUES (:client_id, :idempotency_key, :request_hash, :order_id, 'reserved'," +
    ` TO_TIMESTAMP_TZ(:accepted_at, '${ORACLE_TIMESTAMP_MODEL}'), SYSTIMESTAMP)`,
  // What holds the key: its request, state, first answer's time, whether its lease is over, and the order once synced.
  reservation:
    `SELECT r.request_hash, r.state, TO_CHAR(SYS_EXTRACT_UTC(NVL(r.accepted_at, r.created_at)), ${UTC_MILLIS}),` +
    ` CASE WHEN r.state = 'reserved' AND r.${LEASE_OVER} THEN 1 ELSE 0 END, ${ORDER_COLUMNS}` +
    ` FROM order_requests r LEFT OUTER JOIN orders o ON o.order_id = r.order_id WHERE r.client_id = :client_id AND r.idempotency_key = :idempotency_key`,
  takeOver: `UPDATE order_requests SET reserved_at = SYSTIMESTAMP WHERE ${KEY_IS} AND request_hash = :request_hash AND state = 'reserved' AND ${LEASE_OVER}`,
  markPublished: `UPDATE order_requests SET state = 'published' WHERE ${KEY_IS} AND request_hash = :request_hash`,
  release: `DELETE FROM order_requests WHERE ${KEY_IS} AND request_hash = :request_hash AND state = 'reserved'`,
  ping: "SELECT 1 FROM dual",
} as const;

/** The open ends of a date range when the query leaves them out. */
export const DATE_BOUNDS = { earliest: "0001-01-01", latest: "9999-12-31" } as const;

type OrderRow = [string, string, string, string, string, string, string];
/** Columns ORDER_COLUMNS selects: what follows them in a row is the statement's own. */
const ORDER_COLUMN_COUNT = 7;
/** The most conflicts GET /orders/{id} lists (the table keeps all of them). */
export const CONFLICTS_SHOWN = 20;

/** The binds of the statements about one reservation (mark, release). */
export function reservationBinds(reservation: KeyReservation): oracledb.BindParameters {
  return {
    client_id: reservation.client,
    idempotency_key: reservation.idempotencyKey,
    request_hash: reservation.requestHash,
  };
}

export function rowToOrder(row: readonly unknown[]): Order {
  const [orderId, customerId, amount, currency, status, orderDate, updatedAt] = row as OrderRow;
  return { orderId, customerId, amount, currency, status: status as OrderStatus, orderDate, updatedAt };
}

export function listBinds(query: OrderQuery): oracledb.BindParameters {
  const range = {
    customer_id: query.customerId,
    from_date: query.from ?? DATE_BOUNDS.earliest,
    to_date: query.to ?? DATE_BOUNDS.latest,
    row_limit: query.limit,
  };
  return query.after ? { ...range, after_date: query.after.orderDate, after_id: query.after.orderId } : range;
}

/** What an error from the driver means for the request. */
export type OracleErrorKind = "duplicateKey" | "authentication" | "busy" | "unavailable" | "other";

/** ORA-01017 wrong password, ORA-28000 locked, ORA-28001 expired, ORA-01005 null password. */
const AUTHENTICATION = new Set(["ORA-01017", "ORA-28000", "ORA-28001", "ORA-01005"]);
/** NJS-040 queue timeout, NJS-076 queue full: the pool is saturated, the database may be fine. */
const BUSY = new Set(["NJS-040", "NJS-076"]);
/** Pool closing or closed, call timed out (the NJS-5xx connection range is matched below). */
const UNAVAILABLE = new Set(["NJS-064", "NJS-065", "NJS-123"]);
/**
 * NJS-500 to NJS-599: the thin driver's network layer (connection closed, lost, refused, timed out,
 * TLS handshake and certificate failures NJS-505–508, host not found, proxy, in-band notices):
 * the database cannot be reached from here now, which is a 503, never a 500.
 */
const CONNECTION_CLASS = /^NJS-5\d\d$/;

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string") return code;
  const match = /^(ORA|NJS|DPI|TNS)-\d{5}|^(NJS|DPI)-\d{3}/.exec(String((err as Error)?.message ?? ""));
  return match?.[0];
}

export function classifyOracleError(err: unknown): OracleErrorKind {
  const code = errorCode(err) ?? "";
  if (code === "ORA-00001") return "duplicateKey";
  if (AUTHENTICATION.has(code)) return "authentication";
  if (BUSY.has(code)) return "busy";
  // ORA-12xxx are network/listener (TNS) errors; isRecoverable marks failover, instance restart, lost sessions.
  if (
    UNAVAILABLE.has(code) ||
    CONNECTION_CLASS.test(code) ||
    /^ORA-12\d{3}$/.test(code) ||
    (err as { isRecoverable?: unknown })?.isRecoverable === true
  )
    return "unavailable";
  return "other";
}

/** Seconds a client is asked to wait: a saturated pool clears fast, an unreachable database does not. */
export const RETRY_AFTER_SECONDS = { busy: 1, unavailable: 5 } as const;

function unavailable(err: unknown, kind: OracleErrorKind): DatabaseUnavailableError {
  const code = errorCode(err) ?? "unknown";
  return kind === "busy"
    ? new DatabaseUnavailableError(
        `no database connection free within the queue timeout (${code})`,
        RETRY_AFTER_SECONDS.busy,
        { cause: err, reason: "pool-busy" },
      )
    : new DatabaseUnavailableError(`database unavailable (${code})`, RETRY_AFTER_SECONDS.unavailable, { cause: err });
}

/** Turns a driver error into the store's: unavailable ones into DatabaseUnavailableError, others unchanged. */
export function storeError(err: unknown): unknown {
  const kind = classifyOracleError(err);
  return kind === "busy" || kind === "unavailable" || kind === "authentication" ? unavailable(err, kind) : err;
}

export interface OracleStoreOptions {
  /** Called with every pool rebuild and every failure worth a log line; never given a secret. */
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
}

export class OracleOrderStore implements OrderStore {
  private pool: { readonly pool: PoolLike; readonly credentials: DbCredentials } | undefined;
  private opening: Promise<{ readonly pool: PoolLike; readonly credentials: DbCredentials }> | undefined;
  private waiting = 0;
  private closed = false;

  constructor(
    private readonly credentials: CredentialSource,
    private readonly settings: PoolSettings,
    private readonly createPool: PoolFactory = oraclePoolFactory,
    private readonly options: OracleStoreOptions = {},
  ) {}

  async get(orderId: string): Promise<StoredOrder | undefined> {
    return this.read(async (conn) => {
      const array = { outFormat: oracledb.OUT_FORMAT_ARRAY };
      const result = await conn.execute<unknown[]>(ORDER_SQL.get, { order_id: orderId }, array);
      const row = result.rows?.[0];
      if (!row) return undefined;
      const order = rowToOrder(row);
      if (Number(row[ORDER_COLUMN_COUNT]) === 0) return order;
      const listed = await conn.execute<unknown[]>(
        ORDER_SQL.conflicts,
        { order_id: orderId, row_limit: CONFLICTS_SHOWN },
        array,
      );
      const conflicts = (listed.rows ?? []).map(([requestHash, reason, at]): OrderConflict => ({
        requestHash: String(requestHash),
        reason: String(reason),
        at: String(at),
      }));
      return { ...order, conflicts };
    });
  }

  async list(query: OrderQuery): Promise<Order[]> {
    return this.read(async (conn) => {
      const sql = query.after ? ORDER_SQL.nextPage : ORDER_SQL.firstPage;
      const result = await conn.execute<unknown[]>(sql, listBinds(query), { outFormat: oracledb.OUT_FORMAT_ARRAY });
      return (result.rows ?? []).map(rowToOrder);
    });
  }

  /**
   * One INSERT claims the key (its primary key makes two claims race-free: the second waits for
   * the first and gets ORA-00001); a duplicate is then read and answered. Never retried: a
   * retried INSERT would find its own reservation and answer 409.
   */
  async reserve(reservation: KeyReservation): Promise<ReservationOutcome> {
    return this.write(async (conn) => {
      const key = { client_id: reservation.client, idempotency_key: reservation.idempotencyKey };
      try {
        await conn.execute(
          ORDER_SQL.reserve,
          {
            ...key,
            request_hash: reservation.requestHash,
            order_id: reservation.orderId,
            accepted_at: oracleTimestamp(reservation.acceptedAt),
          },
          { autoCommit: true },
        );
        return { kind: "reserved", acceptedAt: reservation.acceptedAt };
      } catch (err) {
        if (classifyOracleError(err) !== "duplicateKey") throw err;
      }
      const held = await conn.execute<unknown[]>(
        ORDER_SQL.reservation,
        { ...key, lease_seconds: RESERVATION_LEASE_SECONDS },
        { outFormat: oracledb.OUT_FORMAT_ARRAY },
      );
      const row = held.rows?.[0];
      // Released between the INSERT and the SELECT (its publish failed): the caller retries.
      if (!row) return { kind: "inProgress" };
      const [hash, state, acceptedAt, leaseOver, ...order] = row;
      if (hash !== reservation.requestHash) return { kind: "reused" };
      if (state === "published")
        return {
          kind: "replay",
          acceptedAt: String(acceptedAt),
          order: order[0] === null ? undefined : rowToOrder(order),
        };
      if (Number(leaseOver) !== 1) return { kind: "inProgress" };
      const taken = await conn.execute(
        ORDER_SQL.takeOver,
        { ...key, request_hash: reservation.requestHash, lease_seconds: RESERVATION_LEASE_SECONDS },
        { autoCommit: true },
      );
      return taken.rowsAffected === 1 ? { kind: "reserved", acceptedAt: String(acceptedAt) } : { kind: "inProgress" };
    });
  }

  async markPublished(reservation: KeyReservation): Promise<void> {
    await this.write((conn) =>
      conn.execute(ORDER_SQL.markPublished, reservationBinds(reservation), { autoCommit: true }),
    );
  }

  async release(reservation: KeyReservation): Promise<void> {
    await this.write((conn) => conn.execute(ORDER_SQL.release, reservationBinds(reservation), { autoCommit: true }));
  }

  async ping(): Promise<void> {
    await this.read(async (conn) => {
      await conn.execute(ORDER_SQL.ping, {}, {});
    });
  }

  /**
   * A pooled connection for the sync's staging writer (the caller closes it): the same pool, the
   * same refresh of refused credentials, the same 503-class errors.
   */
  stagingConnection(): Promise<ConnectionLike> {
    return this.connection();
  }

  stats(): PoolStats {
    return { size: this.settings.size, inUse: this.pool?.pool.connectionsInUse ?? 0, queued: this.waiting };
  }

  async close(drainSeconds: number): Promise<void> {
    this.closed = true;
    const open = this.pool ?? (await this.opening?.catch(() => undefined));
    this.pool = undefined;
    await open?.pool.close(drainSeconds);
  }

  /** A write: one attempt (the client repeats it with its Idempotency-Key), its errors the store's. */
  private async write<T>(work: (conn: ConnectionLike) => Promise<T>): Promise<T> {
    const conn = await this.connection();
    try {
      return await work(conn);
    } catch (err) {
      throw storeError(err);
    } finally {
      await conn.close().catch(() => undefined);
    }
  }

  /** A read, retried once on a recoverable error (a failover, a lost session): reads have no side effects. */
  private async read<T>(work: (conn: ConnectionLike) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const conn = await this.connection();
      try {
        return await work(conn);
      } catch (err) {
        const recoverable = (err as { isRecoverable?: unknown })?.isRecoverable === true;
        if (!recoverable || attempt === 2) throw storeError(err);
        this.options.log?.("read.retry", { code: errorCode(err) });
      } finally {
        await conn.close().catch(() => undefined);
      }
    }
  }

  /** A connection from the pool; when the database refuses the pool's password, one rebuild with fresh credentials. */
  private async connection(): Promise<ConnectionLike> {
    if (this.closed)
      throw new DatabaseUnavailableError("the service is shutting down", RETRY_AFTER_SECONDS.busy, {
        reason: "shutting-down",
      });
    const current = await this.openPool();
    try {
      return await this.acquire(current.pool);
    } catch (err) {
      if (classifyOracleError(err) !== "authentication") throw storeError(err);
      // No statement has run yet, so trying again is safe for writes too.
      const fresh = await this.rebuild(current);
      try {
        return await this.acquire(fresh.pool);
      } catch (again) {
        throw storeError(again);
      }
    }
  }

  private async acquire(pool: PoolLike): Promise<ConnectionLike> {
    this.waiting++;
    try {
      const conn = await pool.getConnection();
      conn.callTimeout = this.settings.callTimeoutMs;
      return conn;
    } finally {
      this.waiting--;
    }
  }

  private async openPool(): Promise<{ readonly pool: PoolLike; readonly credentials: DbCredentials }> {
    if (this.pool) return this.pool;
    this.opening ??= (async () => {
      try {
        const credentials = await this.credentials.current();
        const pool = await this.createPool(credentials, this.settings);
        this.pool = { pool, credentials };
        this.options.log?.("pool.open", { size: this.settings.size, user: credentials.username });
        return this.pool;
      } catch (err) {
        throw err instanceof DatabaseUnavailableError
          ? err
          : new DatabaseUnavailableError(
              `cannot open the database pool: ${(err as Error).message}`,
              RETRY_AFTER_SECONDS.unavailable,
              { cause: err, reason: "pool-open-failed" },
            );
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  /** Reads the secret again; when it names other credentials, swaps in a pool built with them and drains the old one. */
  private async rebuild(stale: {
    readonly pool: PoolLike;
    readonly credentials: DbCredentials;
  }): Promise<{ readonly pool: PoolLike; readonly credentials: DbCredentials }> {
    if (this.pool && this.pool !== stale) return this.pool; // another request rebuilt it already
    if (this.opening) return this.opening;
    const credentials = await this.credentials.refresh(stale.credentials);
    if (credentials === stale.credentials)
      throw new DatabaseUnavailableError(
        "the database refuses the secret's credentials and the secret has not changed",
        RETRY_AFTER_SECONDS.unavailable,
        { reason: "credentials-refused" },
      );
    if (this.pool === stale) this.pool = undefined;
    const fresh = await this.openPool();
    this.options.log?.("pool.rebuilt", { user: credentials.username });
    stale.pool
      .close(10)
      .catch((err: unknown) => this.options.log?.("pool.closeFailed", { message: (err as Error).message }));
    return fresh;
  }
}
