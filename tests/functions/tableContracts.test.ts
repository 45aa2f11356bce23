/**
 * The table contracts (functions/aws/orders/tableContracts.ts) against the schema the migrations
 * build (functions/aws/migrate/schemaFold.ts over sql/ and sql/lakehouse/, in version order): each
 * contract column exists with the same type, length semantics, precision, scale and nullability;
 * and the checks refuse exactly what those columns refuse.
 */
import { expect } from "chai";
import fc from "fast-check";
import { readMigrationFiles } from "../../functions/aws/migrate/contract";
import { type ColumnType, foldSchema, parseColumnType } from "../../functions/aws/migrate/schemaFold";
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
