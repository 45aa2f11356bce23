/**
 * The table contracts (functions/aws/orders/tableContracts.ts) against the schema the migrations
 * build (functions/aws/migrate/schemaFold.ts over sql/ and sql/lakehouse/, in version order): each
 * contract column exists with the same type, length semantics, precision, scale and nullability;
 * and the checks refuse exactly what those columns refuse.
 */
import { expect } from "chai";
import fc from "fast-check";
import { readMigrationFiles } from "../../functions/aws/migrate/contract";
import { type ColumnType, foldSchema, parseColumnType, withoutComments } from "../../functions/aws/migrate/schemaFold";
import {
  type ColumnContract,
  columnProblem,
  rowProblems,
  TABLE_CONTRACTS,
} from "../../functions/aws/orders/tableContracts";
import { REPO_ROOT } from "../../offline/stacks";

const schema = () => {
  const folded = foldSchema(readMigrationFiles(`${REPO_ROOT}/sql`));
  return foldSchema(readMigrationFiles(`${REPO_ROOT}/sql/lakehouse`), folded);
};

/** The contract a folded column implies (what the contract must say). */
function implied(type: ColumnType, notNull: boolean): ColumnContract | string {
  const nullable = notNull ? {} : { nullable: true };
  switch (type.kind) {
    case "varchar2":
    case "char":
      if (type.unit !== "BYTE") return `${type.kind}(${type.length} CHAR): the contracts count bytes`;
      return { kind: "text", maxBytes: type.length, ...(type.kind === "char" ? { fixed: true } : {}), ...nullable };
    case "number":
      return {
        kind: "number",
        ...(type.precision !== undefined ? { precision: type.precision, scale: type.scale ?? 0 } : {}),
        ...nullable,
      };
    case "date":
      return { kind: "date", ...nullable };
    case "timestamp":
      return type.zone === "tz" ? { kind: "instant", fraction: type.fraction, ...nullable } : `TIMESTAMP ${type.zone}`;
    case "other":
      return type.text;
  }
}

describe("table contracts agree with the migrations' DDL", () => {
  it("folds every CREATE and ALTER TABLE of sql/ and sql/lakehouse/ (the ALTER inside V011's EXECUTE IMMEDIATE too)", () => {
    const folded = schema();
    expect(folded.get("orders_staging")?.get("kind")).to.deep.equal({
      type: { kind: "varchar2", length: 10, unit: "BYTE" },
      notNull: true,
    });
    expect(folded.get("orders_staging")?.get("request_hash")).to.deep.equal({
      type: { kind: "char", length: 64, unit: "BYTE" },
      notNull: false,
    });
    expect(folded.get("order_events")).to.not.equal(undefined);
    // V022 dropped the table nothing used.
    expect(folded.has("raw_events")).to.equal(false);
    expect(
      foldSchema({
        "V001__a.sql": "CREATE TABLE t (a NUMBER);\n",
        "V002__b.sql": "DROP TABLE IF EXISTS t PURGE;\n",
      }).has("t"),
    ).to.equal(false);
    expect(folded.size).to.be.greaterThan(20);
  });

  for (const [table, columns] of Object.entries(TABLE_CONTRACTS))
    it(`${table}: every contract column is the DDL's column`, () => {
      const folded = schema().get(table);
      if (!folded) throw new Error(`no table ${table} in the migrations`);
      for (const [name, contract] of Object.entries(columns as Record<string, ColumnContract>)) {
        const column = folded.get(name);
        if (!column) throw new Error(`${table}.${name} is in the contract but not in the DDL`);
        expect(contract, `${table}.${name}`).to.deep.equal(implied(column.type, column.notNull));
      }
    });

  it("fails on a statement about a table it cannot read, naming the file and line", () => {
    expect(() => foldSchema({ "V001__x.sql": "CREATE TABLE t (\n  a WEIRDTYPE(3)\n);\n" })).to.throw(
      'V001__x.sql line 1: cannot read the type of column a ("WEIRDTYPE(3)")',
    );
    expect(() => foldSchema({ "V001__x.sql": "ALTER TABLE nowhere ADD (a NUMBER);\n" })).to.throw(
      "V001__x.sql line 1: ALTER TABLE nowhere before the table is created",
    );
  });

  it("reads the column types Oracle has, with their defaults", () => {
    expect(parseColumnType("NUMBER(14, 2) NOT NULL")?.type).to.deep.equal({ kind: "number", precision: 14, scale: 2 });
    expect(parseColumnType("NUMBER(5)")?.type).to.deep.equal({ kind: "number", precision: 5, scale: 0 });
    expect(parseColumnType("NUMBER")?.type).to.deep.equal({ kind: "number" });
    expect(parseColumnType("VARCHAR2(10 CHAR)")?.type).to.deep.equal({ kind: "varchar2", length: 10, unit: "CHAR" });
    expect(parseColumnType("TIMESTAMP(3) WITH TIME ZONE")?.type).to.deep.equal({
      kind: "timestamp",
      fraction: 3,
      zone: "tz",
    });
    expect(parseColumnType("TIMESTAMP")?.type).to.deep.equal({ kind: "timestamp", fraction: 6, zone: "none" });
  });
});

describe("contract checks refuse what the columns refuse", () => {
  const amount = TABLE_CONTRACTS.orders_staging.amount;

  it("NUMBER(14, 2): 12 integer digits and 2 decimals; more decimals are refused, not rounded", () => {
    expect(columnProblem(amount, "999999999999.99")).to.equal(undefined);
    expect(columnProblem(amount, "0.5")).to.equal(undefined);
    expect(columnProblem(amount, "1234567890123.00")).to.equal("has 13 integer digits; NUMBER(14, 2) holds 12");
    expect(columnProblem(amount, "1.001")).to.equal("has 3 decimals; NUMBER(14, 2) keeps 2");
    expect(columnProblem(amount, "1e3")).to.equal("is not a decimal number");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 4 }), (whole, decimals) => {
        const value = `${"9".repeat(Math.max(whole, 1))}${decimals ? `.${"5".repeat(decimals)}` : ""}`;
        const fits = Math.max(whole, 1) <= 12 && decimals <= 2;
        expect(columnProblem(amount, value) === undefined, value).to.equal(fits);
      }),
    );
  });

  it("text counts UTF-8 bytes (the default BYTE semantics), a CHAR column its exact length", () => {
    const status = TABLE_CONTRACTS.orders_staging.status;
    expect(columnProblem(status, "x".repeat(20))).to.equal(undefined);
    expect(columnProblem(status, "é".repeat(11))).to.equal("is 22 bytes; at most 20 are stored");
    expect(columnProblem(TABLE_CONTRACTS.orders_staging.currency, "EU")).to.equal("is 2 bytes; exactly 3 are stored");
    expect(columnProblem(TABLE_CONTRACTS.orders_staging.idempotency_key, null)).to.equal(undefined);
    expect(columnProblem(TABLE_CONTRACTS.orders_staging.order_id, null)).to.equal("is required");
  });

  it("numbers node-oracledb cannot bind, impossible dates and instants, names every column of a row", () => {
    expect(columnProblem(TABLE_CONTRACTS.anomaly_events.value, 1e-200)).to.equal(
      "1e-200 is outside the numbers Oracle stores",
    );
    expect(
      rowProblems("orders", {
        order_id: "O-1",
        customer_id: "C-1",
        amount: "10.001",
        currency: "EUR",
        status: "paid",
        order_date: "0000-01-01",
      }),
    ).to.deep.equal([
      "amount has 3 decimals; NUMBER(14, 2) keeps 2",
      "order_date is not a date from 0001-01-01 to 9999-12-31",
    ]);
  });
});

describe("the schema fold reads Oracle's DDL as Oracle does (written from the mutation run's survivors)", () => {
  const fold = (files: Record<string, string>) => foldSchema(files);
  const col = (files: Record<string, string>, table: string, column: string) => fold(files).get(table)?.get(column);

  it("reads each type with any spacing and case, and national and CHAR semantics", () => {
    const cases: Array<[string, ColumnType]> = [
      ["VARCHAR2 ( 10 BYTE )", { kind: "varchar2", length: 10, unit: "BYTE" }],
      ["varchar2(7)", { kind: "varchar2", length: 7, unit: "BYTE" }],
      ["CHAR(3 CHAR)", { kind: "char", length: 3, unit: "CHAR" }],
      ["NVARCHAR2(5)", { kind: "varchar2", length: 5, unit: "CHAR" }],
      ["NCHAR(2)", { kind: "char", length: 2, unit: "CHAR" }],
      ["NUMBER ( 5 , 2 )", { kind: "number", precision: 5, scale: 2 }],
      ["NUMBER(*, 0)", { kind: "number", scale: 0 }],
      ["NUMBER(4,-2)", { kind: "number", precision: 4, scale: -2 }],
      ["INTEGER", { kind: "number", precision: 38, scale: 0 }],
      ["DATE", { kind: "date" }],
      ["TIMESTAMP (3)  WITH  LOCAL TIME ZONE", { kind: "timestamp", fraction: 3, zone: "local" }],
      ["TIMESTAMP(9) WITH TIME ZONE", { kind: "timestamp", fraction: 9, zone: "tz" }],
      ["CLOB", { kind: "other", text: "CLOB" }],
      ["RAW ( 16 )", { kind: "other", text: "RAW ( 16 )" }],
      ["VECTOR(384,  FLOAT32)", { kind: "other", text: "VECTOR(384, FLOAT32)" }],
      ["INTERVAL DAY(2) TO SECOND(6)", { kind: "other", text: "INTERVAL DAY(2) TO SECOND(6)" }],
      ["json", { kind: "other", text: "JSON" }],
      ["BINARY_DOUBLE", { kind: "other", text: "BINARY_DOUBLE" }],
    ];
    for (const [text, type] of cases) expect(parseColumnType(text)?.type, text).to.deep.equal(type);
    expect(parseColumnType("NUMBER(3) DEFAULT 0 NOT NULL")?.rest.trim()).to.equal("DEFAULT 0 NOT NULL");
    expect(parseColumnType("  DATE NOT NULL")?.rest.trim()).to.equal("NOT NULL");
    expect(parseColumnType("XMLTYPE")).to.equal(undefined);
    expect(parseColumnType("MYDATE")).to.equal(undefined);
  });

  it("skips constraints however they are spaced, keeps NOT NULL, reads quoted and schema-qualified names", () => {
    const folded = fold({
      "V001__t.sql": [
        'CREATE TABLE IF NOT EXISTS app."Mixed" (',
        '  "Id"   NUMBER(9) NOT NULL,',
        "  note   VARCHAR2(10),",
        '  CONSTRAINT mixed_pk PRIMARY  KEY ("Id"),',
        "  PRIMARY   KEY (note),",
        "  FOREIGN   KEY (note) REFERENCES x (y),",
        "  UNIQUE (note),",
        "  CHECK (note <> 'a, b')",
        ");",
        "",
      ].join("\n"),
    });
    expect([...(folded.get("Mixed") ?? new Map()).keys()]).to.deep.equal(["Id", "note"]);
    expect(folded.get("Mixed")?.get("Id")?.notNull).to.equal(true);
    expect(folded.get("Mixed")?.get("note")?.notNull).to.equal(false);
  });

  it("keeps a table made earlier on CREATE … IF NOT EXISTS, replaces it on a plain CREATE, in version order", () => {
    const files = {
      "V010__b.sql": "CREATE TABLE IF NOT EXISTS t (\n  a NUMBER(2)\n);\n",
      "V002__a.sql": "CREATE TABLE IF NOT EXISTS t (\n  a NUMBER(1)\n);\n",
    };
    expect(col(files, "t", "a")?.type).to.deep.equal({ kind: "number", precision: 1, scale: 0 });
    expect(col({ ...files, "V011__c.sql": "CREATE TABLE t (\n  a NUMBER(3)\n);\n" }, "t", "a")?.type).to.deep.equal({
      kind: "number",
      precision: 3,
      scale: 0,
    });
  });

  it("adds and modifies columns, in dynamic SQL too, and skips what a comment holds", () => {
    const files = {
      "V001__t.sql": "CREATE TABLE t (\n  a NUMBER(1),\n  -- b NUMBER(1),\n  c DATE\n);\n",
      "V002__u.sql": "ALTER  TABLE t  MODIFY  (a NUMBER(4) NOT NULL);\n",
      "V003__v.sql": [
        "BEGIN",
        "  EXECUTE  IMMEDIATE  q'[ALTER TABLE t ADD (d VARCHAR2(5), CONSTRAINT t_ck CHECK (d IS NOT NULL))]';",
        "END;",
        "/",
        "",
      ].join("\n"),
    };
    const t = fold(files).get("t");
    expect([...(t?.keys() ?? [])]).to.deep.equal(["a", "c", "d"]);
    expect(t?.get("a")).to.deep.equal({ type: { kind: "number", precision: 4, scale: 0 }, notNull: true });
    expect(() => fold({ ...files, "V004__w.sql": "ALTER TABLE t MODIFY (zz NUMBER);\n" })).to.throw(
      "V004__w.sql line 1: MODIFY of t.zz, which does not exist",
    );
    expect(() =>
      fold({ ...files, "V004__w.sql": "ALTER TABLE t ADD CONSTRAINT x CHECK (a > 0) ADD (q NUMBER);\n" }),
    ).to.throw(/V004__w\.sql line 1: cannot read "ALTER TABLE t ADD CONSTRAINT/);
    // Other statements about tables are not column changes.
    expect(fold({ ...files, "V004__w.sql": "ALTER TABLE t ENABLE ROW MOVEMENT;\n" }).get("t")?.size).to.equal(3);
    expect(() => fold({ "V001__x.sql": "CREATE TABLE t (\n  (a) NUMBER\n);\n" })).to.throw(
      /cannot read the column definition/,
    );
  });

  it("blanks line and block comments, never a string or a quoted name that looks like one", () => {
    expect(withoutComments("a -- x\nb /* y\nz */ c '--' \"/*\"")).to.equal("a     \nb     \n     c '--' \"/*\"");
    const t = fold({
      "V001__t.sql": "CREATE TABLE t (\n  a NUMBER(1), /* b DATE, */\n  c VARCHAR2(4) DEFAULT '--' NOT NULL\n);\n",
    }).get("t");
    expect([...(t?.keys() ?? [])]).to.deep.equal(["a", "c"]);
    expect(t?.get("c")?.notNull).to.equal(true);
  });

  it("folds into a schema it is given (the Lakehouse set after the main one)", () => {
    const first = fold({ "V001__t.sql": "CREATE TABLE t (\n  a DATE\n);\n" });
    const both = foldSchema({ "V001__u.sql": "CREATE TABLE u (\n  b DATE\n);\n" }, first);
    expect([...both.keys()].sort()).to.deep.equal(["t", "u"]);
  });
});

describe("contract checks at their edges (from the mutation run's survivors)", () => {
  const amount = TABLE_CONTRACTS.orders_staging.amount;
  it("counts integer digits without leading zeros, and takes negatives", () => {
    expect(columnProblem(amount, "-999999999999.99")).to.equal(undefined);
    expect(columnProblem(amount, "-1234567890123")).to.equal("has 13 integer digits; NUMBER(14, 2) holds 12");
    expect(columnProblem(amount, "0000000000001.00")).to.equal(undefined);
    expect(columnProblem(amount, "0.00")).to.equal(undefined);
    expect(columnProblem(amount, "000")).to.equal(undefined);
    expect(columnProblem(amount, 12.5)).to.equal(undefined);
    expect(columnProblem(amount, 12.555)).to.equal("has 3 decimals; NUMBER(14, 2) keeps 2");
    expect(columnProblem(amount, undefined)).to.equal("is required");
    expect(columnProblem(TABLE_CONTRACTS.anomaly_events.delta, undefined)).to.equal(undefined);
    expect(columnProblem(TABLE_CONTRACTS.orders_staging.order_id, 42)).to.equal("is not text");
    expect(columnProblem(TABLE_CONTRACTS.orders_staging.order_date, 20261102)).to.equal(
      "is not a date from 0001-01-01 to 9999-12-31",
    );
    expect(columnProblem(TABLE_CONTRACTS.orders_staging.updated_at, "2026-11-30T10:00:00.1234567Z")).to.equal(
      "is not an instant with a zone (at most 6 fraction digits)",
    );
  });
});
