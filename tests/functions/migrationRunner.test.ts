/** The migration runner's decisions, called directly: error classification, ledger checks, binds, retries. */
import { expect } from "chai";
import { parseMigrationSet } from "../../functions/aws/migrate/migrations";
import {
  bindsFor,
  checkLedger,
  isRecoverable,
  LEDGER_INSERT,
  LEDGER_SELECT,
  MigrationError,
  migrateWithRetries,
  oracleCode,
  type Connector,
} from "../../functions/aws/migrate/runner";

const set = parseMigrationSet({
  "V001__a.sql": "SELECT 1 FROM dual;\n",
  "V002__b.sql": "SELECT 2 FROM dual;\n",
  "V003__c.sql": "SELECT 3 FROM dual;\n",
});
const row = (i: number, checksum = set[i].checksum) => ({ version: set[i].version, name: set[i].name, checksum });

describe("migration runner decisions", () => {
  it("treats broken or refused connections and flagged errors as recoverable, nothing else", () => {
    for (const code of ["NJS-500", "NJS-501", "NJS-503", "NJS-510", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"])
      expect(isRecoverable({ code }), code).to.equal(true);
    for (const err of [
      { code: "NJS-502" },
      { code: 500 },
      { isRecoverable: "yes" },
      {},
      undefined,
      new Error("ORA-00942"),
    ])
      expect(isRecoverable(err), JSON.stringify(err)).to.equal(false);
    expect(isRecoverable({ isRecoverable: true })).to.equal(true);
    expect([isRecoverable(new MigrationError("x", true)), isRecoverable(new MigrationError("x", false))]).to.deep.equal(
      [true, false],
    );
  });

  it("reads the Oracle code from the error number, the driver code or the message", () => {
    expect(oracleCode({ errorNum: 942 })).to.equal("ORA-00942");
    expect(oracleCode({ errorNum: 0, code: "NJS-500" })).to.equal("NJS-500");
    expect(oracleCode({ message: "failed: ORA-01017: invalid credential" })).to.equal("ORA-01017");
    expect(oracleCode({ message: "no code here" })).to.equal(undefined);
    expect(oracleCode(undefined)).to.equal(undefined);
  });

  it("returns the pending files, refusing an edited, removed or skipped one", () => {
    expect(checkLedger([], set).map((m) => m.version)).to.deep.equal([1, 2, 3]);
    expect(checkLedger([row(0), row(1)], set).map((m) => m.version)).to.deep.equal([3]);
    expect(checkLedger([row(0), row(1), row(2)], set)).to.deep.equal([]);
    const fail = (ledger: ReturnType<typeof row>[]) => {
      try {
        checkLedger(ledger, set);
      } catch (err) {
        return [(err as MigrationError).message, (err as MigrationError).recoverable];
      }
      return "accepted";
    };
    expect(fail([{ version: 9, name: "gone", checksum: "0".repeat(64) }])).to.deep.equal([
      "the database has V009 (gone) applied but no such file exists; restore it",
      false,
    ]);
    expect(fail([row(0, "abcdef0123456789".repeat(4))])).to.deep.equal([
      `V001__a.sql was changed after it was applied (ledger checksum abcdef012345…, file ${set[0].checksum.slice(0, 12)}…); restore the applied text and put the change in a new version`,
      false,
    ]);
    expect(fail([row(0), row(2)])).to.deep.equal([
      "V002__b.sql is older than the newest applied version (3) but was never applied; give it a new version",
      false,
    ]);
  });

  it("binds exactly the names a file may use, with their values", () => {
    const [v001] = parseMigrationSet({ "V001__schema_users.sql": "BEGIN\n  x := :service_password;\nEND;\n/\n" });
    expect(bindsFor(v001, "SELECT 1 FROM dual", { service_password: "p" })).to.equal(undefined);
    expect(bindsFor(v001, "BEGIN x := :service_password; END;", { service_password: "p", other: 1 })).to.deep.equal({
      service_password: "p",
    });
    expect(() => bindsFor(v001, "BEGIN x := :other; END;", { other: 1 })).to.throw(
      MigrationError,
      "V001__schema_users.sql uses bind :other, which the runner does not supply (MIGRATION_BINDS)",
    );
    expect(() => bindsFor(v001, "BEGIN x := :service_password; END;", {})).to.throw(
      MigrationError,
      "V001__schema_users.sql needs a value for :service_password",
    );
    expect(() => bindsFor(set[0], "SELECT :service_password FROM dual", { service_password: "p" })).to.throw(
      "V001__a.sql uses bind :service_password",
    );
  });

  it("its ledger SQL reads and writes the columns the runner uses", () => {
    expect(LEDGER_SELECT).to.equal("SELECT version, name, checksum FROM MC_SCHEMA_LEDGER ORDER BY version");
    expect(LEDGER_INSERT).to.equal(
      "INSERT INTO MC_SCHEMA_LEDGER (version, name, checksum, duration_ms) VALUES (:version, :name, :checksum, :duration_ms)",
    );
  });

  it("retries recoverable failures with doubling waits, up to its attempts, logging each", async () => {
    const failing = (err: unknown): Connector => ({ connect: async () => Promise.reject(err) });
    const waits: number[] = [];
    const logs: string[] = [];
    const options = {
      binds: {},
      attempts: 3,
      backoffMs: 100,
      sleep: async (ms: number) => void waits.push(ms),
      log: (line: string) => void logs.push(line),
    };
    const refused = Object.assign(new Error("connect refused"), { code: "ECONNREFUSED" });
    let thrown: unknown;
    await migrateWithRetries(failing(refused), set, options).catch((err: unknown) => (thrown = err));
    expect(thrown).to.equal(refused);
    expect(waits).to.deep.equal([100, 200]);
    expect(logs).to.deep.equal([
      "attempt 1 failed (connect refused); retrying",
      "attempt 2 failed (connect refused); retrying",
    ]);
    waits.length = 0;
    const permanent = new Error("ORA-01017: invalid credential");
    await migrateWithRetries(failing(permanent), set, options).catch((err: unknown) => (thrown = err));
    expect([thrown, waits]).to.deep.equal([permanent, []]);
  });
});
