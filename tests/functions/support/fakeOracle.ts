/**
 * A recording fake for the migration runner's connection interface. It models only what the
 * runner itself keeps in the database — the ledger rows and the named lock — and records every
 * other statement with its binds; it never pretends to run the migrations' SQL.
 */
import {
  LEDGER_DDL,
  LEDGER_INSERT,
  LEDGER_SELECT,
  LOCK_ACQUIRE,
  LOCK_RELEASE,
  type Connector,
  type DbConnection,
} from "../../../functions/aws/migrate/runner";
import type { RunAs } from "../../../functions/aws/migrate/migrations";

export interface Executed {
  readonly session: number;
  readonly as: RunAs;
  readonly sql: string;
  readonly binds?: Readonly<Record<string, unknown>>;
}

/** What both "databases" of a test share: the ledger, the lock holder, the record. */
export class FakeOracle {
  readonly ledger: Array<{ version: number; name: string; checksum: string }> = [];
  readonly executed: Executed[] = [];
  readonly commits: number[] = [];
  lockHolder: number | undefined;
  /** Fails the next statement containing the key, once per entry. */
  readonly failures: Array<{ when: string; error: Error }> = [];
  private sessions = 0;
  open = 0;

  connector(): Connector {
    return { connect: async (as) => this.session(as) };
  }

  private session(as: RunAs): DbConnection {
    const id = ++this.sessions;
    this.open++;
    let closed = false;
    const pendingLedger: Array<{ version: number; name: string; checksum: string }> = [];
    return {
      execute: async (sql, binds) => {
        if (closed) throw new Error("NJS-003: invalid or closed connection");
        this.executed.push({ session: id, as, sql, binds });
        const failure = this.failures.findIndex((f) => sql.includes(f.when));
        if (failure >= 0) throw this.failures.splice(failure, 1)[0].error;
        if (sql === LEDGER_DDL) return {};
        if (sql === LOCK_ACQUIRE) {
          if (this.lockHolder !== undefined && this.lockHolder !== id) return { outBinds: { status: 1 } };
          this.lockHolder = id;
          return { outBinds: { status: 0 } };
        }
        if (sql === LOCK_RELEASE) {
          if (this.lockHolder === id) this.lockHolder = undefined;
          return {};
        }
        if (sql === LEDGER_SELECT)
          return {
            rows: [...this.ledger].sort((a, b) => a.version - b.version).map((r) => [r.version, r.name, r.checksum]),
          };
        if (sql === LEDGER_INSERT) {
          pendingLedger.push({
            version: Number(binds?.version),
            name: String(binds?.name),
            checksum: String(binds?.checksum),
          });
          return { rowsAffected: 1 };
        }
        return {};
      },
      commit: async () => {
        this.commits.push(id);
        this.ledger.push(...pendingLedger.splice(0));
      },
      close: async () => {
        closed = true;
        this.open--;
        // Oracle releases a session's user locks when the session ends.
        if (this.lockHolder === id) this.lockHolder = undefined;
      },
    };
  }

  /** The migration statements that ran (ledger and lock bookkeeping left out). */
  migrationStatements(): Executed[] {
    return this.executed.filter(
      (e) => ![LEDGER_DDL, LEDGER_SELECT, LEDGER_INSERT, LOCK_ACQUIRE, LOCK_RELEASE].includes(e.sql),
    );
  }
}
