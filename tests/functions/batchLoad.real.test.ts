/**
 * The batch load on a real Autonomous Database, when ORACLE_TEST_ADB_DSN and ORACLE_TEST_LOAD_BUCKET
 * are set; skipped, saying why, when they are not. DBMS_CLOUD and the resource principal exist only
 * on Autonomous Database, so the plain-Oracle suite (ORACLE_TEST_DSN) cannot show this. It DROPS and
 * recreates the platform's users: point it only at a throw-away ADB whose resource principal may
 * read and write the bucket (docs/sync.md, "What only the clouds prove").
 *   ORACLE_TEST_ADB_DSN=<TLS connect string> ORACLE_TEST_ADB_ADMIN_PASSWORD=… \
 *   ORACLE_TEST_LOAD_BUCKET=<region>/<namespace>/<bucket> npm test
 * A day's file with one row the database refuses (13 integer digits for NUMBER(14,2), ORA-01438):
 * with a reject limit of 1 the other rows are merged and the refused line is reported; with 0 the
 * load fails naming it.
 */
import { expect } from "chai";
import oracledb from "oracledb";
import { batchLoadId, dayObjectKey, STAGING_FILE_COLUMNS } from "../../functions/aws/batch/contract";
import { loadDay, LoadTarget, objectUri } from "../../functions/aws/batch/load";
import { LOADER_USER, readMigrationFiles, SCHEMA_OWNER } from "../../functions/aws/migrate/contract";
import { parseMigrationSet } from "../../functions/aws/migrate/migrations";
import { oracleConnector } from "../../functions/aws/migrate/oracle";
import { migrate } from "../../functions/aws/migrate/runner";
import { oracleTimestamp } from "../../functions/aws/orders/oracleTime";
import { REPO_ROOT } from "../../offline/stacks";

const dsn = process.env.ORACLE_TEST_ADB_DSN;
const bucket = process.env.ORACLE_TEST_LOAD_BUCKET;
const adminPassword = process.env.ORACLE_TEST_ADB_ADMIN_PASSWORD ?? "";
const binds = {
  service_password: "MigrTest_2026_pw",
  loader_password: "LoaderTest_2026_pw",
  functions_password: "FnTest_2026_pw_x",
};

const title =
  dsn && bucket
    ? `batch load on a real Autonomous Database (${bucket})`
    : "batch load on a real Autonomous Database — SKIPPED: ORACLE_TEST_ADB_DSN and ORACLE_TEST_LOAD_BUCKET are not set (DBMS_CLOUD needs an ADB and a bucket)";

/** A staging file line from raw field values (bypassing the export's checks: the database must refuse). */
const line = (loadId: string, orderId: string, amount: string) =>
  [
    loadId,
    orderId,
    "C-1",
    amount,
    "EUR",
    "paid",
    "2026-11-01",
    oracleTimestamp("2026-11-01T10:00:00Z"),
    "created",
    "",
    "",
  ].join(",");

describe(title, function () {
  this.timeout(300_000);
  let target: LoadTarget;
  const loader = () =>
    oracledb.getConnection({ user: LOADER_USER, password: binds.loader_password, connectString: dsn ?? "" });

  /** Writes the day's file into the bucket with the ADB's own resource principal. */
  async function putDay(date: string, lines: readonly string[]) {
    const admin = await oracledb.getConnection({ user: "ADMIN", password: adminPassword, connectString: dsn ?? "" });
    try {
      const body = `${[STAGING_FILE_COLUMNS.join(","), ...lines].join("\r\n")}\r\n`;
      await admin.execute(
        "BEGIN DBMS_CLOUD.PUT_OBJECT(credential_name => 'OCI$RESOURCE_PRINCIPAL', object_uri => :uri, contents => :body); END;",
        { uri: objectUri(target, dayObjectKey(date)), body: { val: Buffer.from(body), type: oracledb.DB_TYPE_BLOB } },
      );
    } finally {
      await admin.close();
    }
  }

  before(async function () {
    if (!dsn || !bucket) return this.skip();
    const [region, namespace, name] = bucket.split("/");
    target = { region, namespace, bucket: name };
    const connector = oracleConnector({ user: "ADMIN", password: adminPassword, connectString: dsn });
    await migrate(connector, parseMigrationSet(readMigrationFiles(`${REPO_ROOT}/sql`)), { binds });
  });

  it("merges every other row and reports the refused one when the reject limit allows it", async () => {
    const date = "2026-11-01";
    const loadId = batchLoadId(date);
    await putDay(date, [
      line(loadId, "B-1", "10.00"),
      line(loadId, "B-2", "1234567890123.00"),
      line(loadId, "B-3", "12.50"),
    ]);
    const result = await loadDay(loader, target, SCHEMA_OWNER, date, 1);
    expect(result.merged).to.equal(2);
    expect(result.rejected.count).to.equal(1);
    expect(result.rejected.rows).to.deep.equal([line(loadId, "B-2", "1234567890123.00")]);
  });

  it("fails the load naming the refused row when the reject limit is 0", async () => {
    const date = "2026-11-02";
    const loadId = batchLoadId(date);
    await putDay(date, [line(loadId, "B-4", "10.00"), line(loadId, "B-5", "99999999999999.99")]);
    let message = "loaded";
    try {
      await loadDay(loader, target, SCHEMA_OWNER, date, 0);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.contain("more rows the database refuses than multicloud:sync.batch.rejectLimit allows (0)");
    expect(message).to.contain(line(loadId, "B-5", "99999999999999.99"));
  });
});
