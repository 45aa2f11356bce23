/** The migration-file lexer: what is code, where statements end, binds and joins, with exact positions. */
import { expect } from "chai";
import { assertionUsesAnsiJoin, bindNames, codeOnly, splitStatements } from "../../functions/aws/migrate/sqlText";

describe("codeOnly: strings and comments blanked, lengths and line breaks kept", () => {
  const cases: Array<[string, string, string]> = [
    ["line comment to the end of the line", "a -- b;\nc", "a      \nc"],
    ["line comment at the end of the text", "a --b", "a    "],
    ["block comment over lines", "a /* b\n; */ c", "a     \n     c"],
    ["block comment right after code", "a/**/b", "a    b"],
    ["string with doubled quotes", "x 'it''s; :y' z", "x             z"],
    ["empty string", "x '' z", "x    z"],
    ["q-quote with brackets holding a quote", "x q'[it's]' z", "x           z"],
    ["q-quote with braces", "q'{a}'", "      "],
    ["q-quote with parentheses", "Q'(a)'", "      "],
    ["q-quote with angle brackets", "q'<a>'", "      "],
    ["q-quote with its own delimiter", "q'!a'b!'", "        "],
    ["q after an identifier character is an ordinary string", "xq'a'", "xq   "],
    ["q after $ is an ordinary string", "$q'a'", "$q   "],
    ["quoted identifier keeps its quotes, not its content", 'SELECT "a;:b JOIN" x', 'SELECT "         " x'],
    ["code untouched", "SELECT 1 FROM dual", "SELECT 1 FROM dual"],
  ];
  for (const [title, input, expected] of cases) {
    it(title, () => {
      expect(codeOnly(input)).to.equal(expected);
      expect(codeOnly(input)).to.have.length(input.length);
    });
  }

  it("names the line of an unterminated literal, comment or identifier", () => {
    expect(() => codeOnly("a\nb 'open")).to.throw("unterminated string literal at line 2");
    expect(() => codeOnly("a\n\n/* open")).to.throw("unterminated /* comment at line 3");
    expect(() => codeOnly("q'[open")).to.throw("unterminated q'[…]' literal at line 1");
    expect(() => codeOnly("x\nq'!open")).to.throw("unterminated q'!…!' literal at line 2");
    expect(() => codeOnly('x\n"open')).to.throw("unterminated quoted identifier at line 2");
  });
});

describe("splitStatements: exact statements, lines and kinds", () => {
  it("splits SQL at a code ';' ending a line, keeping comments after it out and lines 1-based", () => {
    expect(splitStatements("\n\nSELECT 1\n  FROM dual; -- one\nSELECT 2 FROM dual;   \n")).to.deep.equal([
      { sql: "SELECT 1\n  FROM dual", line: 3, plsql: false },
      { sql: "SELECT 2 FROM dual", line: 5, plsql: false },
    ]);
  });

  it("does not end a statement at a ';' inside a string, comment or identifier, nor one followed by code", () => {
    expect(
      splitStatements("SELECT ';' a, \"x;\" b FROM dual /* ; */\nWHERE 1 = 1; \n").map((s) => s.sql),
    ).to.deep.equal(["SELECT ';' a, \"x;\" b FROM dual /* ; */\nWHERE 1 = 1"]);
    expect(splitStatements("SELECT 1 FROM dual; SELECT 2\nFROM dual;\n").map((s) => s.sql)).to.deep.equal([
      "SELECT 1 FROM dual; SELECT 2\nFROM dual",
    ]);
  });

  it("recognises every PL/SQL opening, in any case, and ends it at '/' alone", () => {
    for (const opening of [
      "DECLARE",
      "begin",
      "CREATE PROCEDURE p",
      "create or replace function f",
      "CREATE OR REPLACE EDITIONABLE PACKAGE k",
      "CREATE NONEDITIONABLE TRIGGER t",
      "CREATE   OR   REPLACE   TYPE t",
    ]) {
      const [st] = splitStatements(`${opening}\n  x;\nEND;\n  /  \n`);
      expect([st.plsql, st.sql], opening).to.deep.equal([true, `${opening}\n  x;\nEND;`]);
    }
    // Indented openings and blank lines of spaces are read the same as flush ones.
    expect(splitStatements("   \n    BEGIN\n  x;\n  END;\n  /\n  \n  SELECT 1 FROM dual;\n")).to.deep.equal([
      { sql: "BEGIN\n  x;\n  END;", line: 2, plsql: true },
      { sql: "SELECT 1 FROM dual", line: 7, plsql: false },
    ]);
    for (const sql of [
      "CREATE TABLE procedures (id NUMBER)",
      "CREATE OR REPLACE VIEW v AS SELECT 1 x FROM dual",
      "DECLARED_TABLE_INSERT",
    ]) {
      expect(splitStatements(`${sql};\n`)[0].plsql, sql).to.equal(false);
    }
  });

  it("finds binds outside strings, comments and identifiers, lower-cased, each once, not := or ::", () => {
    expect(
      bindNames("UPDATE t SET a = :A, b = :b1, c = ':no' /* :no */ WHERE d = :a AND e := 1 AND \"x:y\" = :Last_$#"),
    ).to.deep.equal(["a", "b1", "last_$#"]);
    expect(bindNames("SELECT x::int, y FROM t")).to.deep.equal([]);
  });

  it("sees an ANSI join in an assertion only in its code", () => {
    expect(
      assertionUsesAnsiJoin("  create   assertion a CHECK (NOT EXISTS (SELECT 1 FROM t JOIN u ON t.id = u.id))"),
    ).to.equal(true);
    expect(
      assertionUsesAnsiJoin(
        'CREATE ASSERTION a CHECK (NOT EXISTS (SELECT 1 FROM t, u WHERE t.id = u.id AND "JOIN" = 1))',
      ),
    ).to.equal(false);
    expect(assertionUsesAnsiJoin("SELECT 1 FROM t JOIN u ON 1 = 1")).to.equal(false);
    expect(assertionUsesAnsiJoin("CREATE ASSERTIONS a CHECK (x JOIN y)")).to.equal(false);
    expect(assertionUsesAnsiJoin("CREATE ASSERTION a CHECK (NOT EXISTS (SELECT 1 FROM t LEFTJOIN u))")).to.equal(false);
  });
});
