/**
 * Applies pending migrations in order, behind a small connection interface (oracle.ts adapts
 * node-oracledb to it; tests use a recording fake). One run: take the migration lock, read the
 * ledger, refuse edited or missing applied files, apply each pending file statement by statement,
 * record it with its checksum and duration, release the lock.
 */
import { setChecksum } from "./contract";
import { MIGRATION_BINDS, Migration, RunAs } from "./migrations";
import { bindNames } from "./sqlText";

export interface ExecuteResult {
  readonly rows?: readonly (readonly unknown[])[];
  readonly outBinds?: Readonly<Record<string, unknown>>;
}

/** The few things the runner needs from a database session. */
export interface DbConnection {
  execute(sql: string, binds?: Readonly<Record<string, unknown>>): Promise<ExecuteResult>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

export interface Connector {
  /** A session as the admin user, or as the schema owner (a proxy session of the admin). */
  connect(as: RunAs): Promise<DbConnection>;
}

export const LEDGER_TABLE = "MC_SCHEMA_LEDGER";
export const LOCK_NAME = "MC_SCHEMA_MIGRATIONS";
/** An `out` bind: the runner's fake and the oracledb adapter both understand this marker. */
export const OUT_NUMBER = Object.freeze({ dir: "out", type: "number" });

export const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
  version      NUMBER(6) NOT NULL,
  name         VARCHAR2(128) NOT NULL,
  checksum     CHAR(64) NOT NULL,
  applied_at   TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  duration_ms  NUMBER NOT NULL,
  applied_by   VARCHAR2(128) DEFAULT SYS_CONTEXT('USERENV', 'SESSION_USER') NOT NULL,
  CONSTRAINT ${LEDGER_TABLE}_pk PRIMARY KEY (version)
)`;
export const LEDGER_SELECT = `SELECT version, name, checksum FROM ${LEDGER_TABLE} ORDER BY version`;
export const LEDGER_INSERT = `INSERT INTO ${LEDGER_TABLE} (version, name, checksum, duration_ms) VALUES (:version, :name, :checksum, :duration_ms)`;
// A session-level lock (survives the implicit commits of DDL), released explicitly or when the
// session ends. REQUEST returns 0 when granted, 1 on timeout.
export const LOCK_ACQUIRE = `DECLARE
  lock_handle VARCHAR2(128);
BEGIN
  DBMS_LOCK.ALLOCATE_UNIQUE('${LOCK_NAME}', lock_handle);
  :status := DBMS_LOCK.REQUEST(lock_handle, DBMS_LOCK.X_MODE, :timeout_seconds, FALSE);
END;`;
export const LOCK_RELEASE = `DECLARE
  lock_handle VARCHAR2(128);
  released NUMBER;
BEGIN
  DBMS_LOCK.ALLOCATE_UNIQUE('${LOCK_NAME}', lock_handle);
  released := DBMS_LOCK.RELEASE(lock_handle);
END;`;

/** A failure the runner names: which file, which statement, what Oracle said. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly recoverable: boolean,
    readonly detail?: {
      readonly file: string;
      readonly statement: number;
      readonly line: number;
      readonly oracleCode?: string;
    },
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

/** Driver errors that mean "try again": lost or refused connections, the lock held elsewhere. */
const RECOVERABLE_DRIVER_CODES = new Set([
  "NJS-500", // connection to the database was broken
  "NJS-501", // connection to the database was closed
  "NJS-503", // connection to host could not be established
  "NJS-510", // connect timed out
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
]);

export function isRecoverable(err: unknown): boolean {
  if (err instanceof MigrationError) return err.recoverable;
  const e = err as { isRecoverable?: boolean; code?: string } | undefined;
  return e?.isRecoverable === true || (typeof e?.code === "string" && RECOVERABLE_DRIVER_CODES.has(e.code));
}

export function oracleCode(err: unknown): string | undefined {
  const e = err as { errorNum?: number; code?: string; message?: string } | undefined;
  if (typeof e?.errorNum === "number" && e.errorNum > 0) return `ORA-${String(e.errorNum).padStart(5, "0")}`;
  return e?.code ?? /\b(ORA-\d{5})\b/.exec(e?.message ?? "")?.[1];
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly durationMs: number;
}

export interface MigrateResult {
  readonly applied: readonly AppliedMigration[];
  readonly alreadyApplied: number;
  readonly setChecksum: string;
}

export interface MigrateOptions {
  /** Values for the binds the files use (see MIGRATION_BINDS). */
  readonly binds: Readonly<Record<string, unknown>>;
  /** Seconds to wait for another runner's lock. */
  readonly lockTimeoutSeconds?: number;
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

interface LedgerRow {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

/** Refuses a ledger that does not match the files: an edited or removed applied migration. */
export function checkLedger(ledger: readonly LedgerRow[], migrations: readonly Migration[]): Migration[] {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const row of ledger) {
    const m = byVersion.get(row.version);
    if (!m)
      throw new MigrationError(
        `the database has V${String(row.version).padStart(3, "0")} (${row.name}) applied but no such file exists; restore it`,
        false,
      );
    if (m.checksum !== row.checksum) {
      throw new MigrationError(
        `${m.file} was changed after it was applied (ledger checksum ${row.checksum.slice(0, 12)}…, file ${m.checksum.slice(0, 12)}…); restore the applied text and put the change in a new version`,
        false,
      );
    }
  }
  const applied = new Set(ledger.map((r) => r.version));
  const highest = Math.max(0, ...applied);
  const pending = migrations.filter((m) => !applied.has(m.version));
  const skipped = pending.find((m) => m.version < highest);
  if (skipped)
    throw new MigrationError(
      `${skipped.file} is older than the newest applied version (${highest}) but was never applied; give it a new version`,
      false,
    );
  return pending;
}

/** The binds one statement uses, from the values supplied; refuses a bind the file may not use. */
export function bindsFor(
  m: Migration,
  sql: string,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  const names = bindNames(sql);
  if (names.length === 0) return undefined;
  const allowed = MIGRATION_BINDS[m.file] ?? [];
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (!allowed.includes(name))
      throw new MigrationError(
        `${m.file} uses bind :${name}, which the runner does not supply (MIGRATION_BINDS)`,
        false,
      );
    if (values[name] === undefined) throw new MigrationError(`${m.file} needs a value for :${name}`, false);
    out[name] = values[name];
  }
  return out;
}

export async function migrate(
  connector: Connector,
  migrations: readonly Migration[],
  options: MigrateOptions,
): Promise<MigrateResult> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const admin = await connector.connect("admin");
  let owner: DbConnection | undefined;
  let locked = false;
  try {
    // Lock first: even creating the ledger must not race another runner's first run.
    const lock = await admin.execute(LOCK_ACQUIRE, {
      status: OUT_NUMBER,
      timeout_seconds: options.lockTimeoutSeconds ?? 120,
    });
    const status = Number(lock.outBinds?.status);
    if (status !== 0 && status !== 4)
      throw new MigrationError(
        `another migration run holds the lock ${LOCK_NAME} (DBMS_LOCK status ${status}); try again when it ends`,
        true,
      );
    locked = true;
    await admin.execute(LEDGER_DDL);

    const ledger = ((await admin.execute(LEDGER_SELECT)).rows ?? []).map(([version, name, checksum]) => ({
      version: Number(version),
      name: String(name),
      checksum: String(checksum).trim(),
    }));
    const pending = checkLedger(ledger, migrations);
    const applied: AppliedMigration[] = [];
    for (const m of pending) {
      const started = now();
      const session = m.runAs === "admin" ? admin : (owner ??= await connector.connect("owner"));
      for (const [index, st] of m.statements.entries()) {
        const binds = bindsFor(m, st.sql, options.binds);
        try {
          await session.execute(st.sql, binds);
        } catch (err) {
          const code = oracleCode(err);
          const firstLine = st.sql.split("\n")[0];
          throw new MigrationError(
            `${m.file}: statement ${index + 1} of ${m.statements.length} (line ${st.line}: ${firstLine}) failed: ${(err as Error).message}`,
            isRecoverable(err),
            { file: m.file, statement: index + 1, line: st.line, oracleCode: code },
          );
        }
      }
      await session.commit();
      const durationMs = now() - started;
      await admin.execute(LEDGER_INSERT, {
        version: m.version,
        name: m.name,
        checksum: m.checksum,
        duration_ms: durationMs,
      });
      await admin.commit();
      applied.push({ version: m.version, name: m.name, durationMs });
      log(`applied ${m.file} in ${durationMs} ms`);
    }
    return { applied, alreadyApplied: ledger.length, setChecksum: setChecksum(migrations) };
  } finally {
    if (locked) await admin.execute(LOCK_RELEASE).catch(() => undefined); // the session's end releases it too
    await owner?.close().catch(() => undefined);
    await admin.close().catch(() => undefined);
  }
}

/** Runs `migrate` again after a recoverable failure (each run re-reads the ledger and continues). */
export async function migrateWithRetries(
  connector: Connector,
  migrations: readonly Migration[],
  options: MigrateOptions & {
    readonly attempts?: number;
    readonly backoffMs?: number;
    readonly sleep?: (ms: number) => Promise<void>;
  },
): Promise<MigrateResult> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrate(connector, migrations, options);
    } catch (err) {
      if (!isRecoverable(err) || attempt >= attempts) throw err;
      options.log?.(`attempt ${attempt} failed (${(err as Error).message}); retrying`);
      await sleep((options.backoffMs ?? 2000) * 2 ** (attempt - 1));
    }
  }
}
