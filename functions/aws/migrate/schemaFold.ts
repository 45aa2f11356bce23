/**
 * The schema the migrations build, folded from their DDL in version order: every `CREATE TABLE`
 * and `ALTER TABLE … ADD (…)` / `MODIFY (…)` — also inside `EXECUTE IMMEDIATE q'[…]'` — gives each
 * table's columns with their type and nullability. Pure; a statement about a table it cannot read
 * is an error naming the file and line, never skipped. The table contracts the data plane checks
 * values against are compared with this (tests/functions/tableContracts.test.ts).
 */
import { codeOnly, splitStatements } from "./sqlText";

/** The text with its comments blanked, strings and quoted names kept as written (sqlText's scanner). */
export function withoutComments(text: string): string {
  return codeOnly(text, { literals: "keep" });
}

export type ColumnType =
  | { readonly kind: "varchar2"; readonly length: number; readonly unit: "BYTE" | "CHAR" }
  | { readonly kind: "char"; readonly length: number; readonly unit: "BYTE" | "CHAR" }
  | { readonly kind: "number"; readonly precision?: number; readonly scale?: number }
  | { readonly kind: "date" }
  | { readonly kind: "timestamp"; readonly fraction: number; readonly zone: "none" | "tz" | "local" }
  | { readonly kind: "other"; readonly text: string };

export interface FoldedColumn {
  readonly type: ColumnType;
  readonly notNull: boolean;
}

export type FoldedSchema = Map<string, Map<string, FoldedColumn>>;

const CONSTRAINT_START = /^(CONSTRAINT|PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY)\b/i;

/** The column type at the start of `text` (after the name), and what follows it. */
export function parseColumnType(text: string): { type: ColumnType; rest: string } | undefined {
  const t = text.trim();
  let m = /^(VARCHAR2|NVARCHAR2|CHAR|NCHAR)\s*\(\s*(\d+)\s*(BYTE|CHAR)?\s*\)/i.exec(t);
  if (m) {
    const national = /^N/i.test(m[1]);
    const kind = /VARCHAR2$/i.test(m[1]) ? "varchar2" : "char";
    const unit = national ? "CHAR" : ((m[3]?.toUpperCase() as "BYTE" | "CHAR" | undefined) ?? "BYTE");
    return { type: { kind, length: Number(m[2]), unit }, rest: t.slice(m[0].length) };
  }
  m = /^NUMBER(?:\s*\(\s*(\d+|\*)\s*(?:,\s*(-?\d+)\s*)?\))?/i.exec(t);
  if (m)
    return {
      type: {
        kind: "number",
        ...(m[1] && m[1] !== "*" ? { precision: Number(m[1]) } : {}),
        ...(m[2] !== undefined ? { scale: Number(m[2]) } : m[1] && m[1] !== "*" ? { scale: 0 } : {}),
      },
      rest: t.slice(m[0].length),
    };
  m = /^INTEGER\b/i.exec(t);
  if (m) return { type: { kind: "number", precision: 38, scale: 0 }, rest: t.slice(m[0].length) };
  m = /^DATE\b/i.exec(t);
  if (m) return { type: { kind: "date" }, rest: t.slice(m[0].length) };
  m = /^TIMESTAMP(?:\s*\(\s*(\d)\s*\))?(\s+WITH\s+(LOCAL\s+)?TIME\s+ZONE)?/i.exec(t);
  if (m)
    return {
      type: {
        kind: "timestamp",
        fraction: m[1] !== undefined ? Number(m[1]) : 6,
        zone: m[2] ? (m[3] ? "local" : "tz") : "none",
      },
      rest: t.slice(m[0].length),
    };
  m =
    /^(CLOB|BLOB|JSON|BOOLEAN|VECTOR\s*\([^)]*\)|RAW\s*\(\s*\d+\s*\)|BINARY_DOUBLE|BINARY_FLOAT|INTERVAL\s+\w+(?:\s*\(\d\))?\s+TO\s+\w+(?:\s*\(\d\))?)/i.exec(
      t,
    );
  if (m) return { type: { kind: "other", text: m[1].replace(/\s+/g, " ").toUpperCase() }, rest: t.slice(m[0].length) };
  return undefined;
}

/** The top-level, comma-separated parts of a parenthesised list's inside. */
function splitTopLevel(inside: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(inside.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inside.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The inside of the parenthesis that opens at `open` in `text`. */
function parenthesised(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error("an unclosed parenthesis");
}

const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1) : name.toLowerCase());
/** A table's name without its schema (`mc_lake.order_events` → `order_events`). */
const tableName = (qualified: string) => unquote(qualified.split(".").pop() ?? qualified);

/** One column definition (`name type [DEFAULT …] [NOT NULL] …`). */
function column(definition: string): [string, FoldedColumn] {
  const m = /^("[^"]+"|[A-Za-z][A-Za-z0-9_$#]*)\s+([\s\S]*)$/.exec(definition);
  if (!m) throw new Error(`cannot read the column definition "${definition}"`);
  const parsed = parseColumnType(m[2]);
  if (!parsed) throw new Error(`cannot read the type of column ${m[1]} ("${m[2].slice(0, 40)}")`);
  return [unquote(m[1]), { type: parsed.type, notNull: /\bNOT\s+NULL\b/i.test(parsed.rest) }];
}

/** Applies one DDL text (a CREATE, ALTER or DROP TABLE) to the schema; anything else leaves it. */
function apply(schema: FoldedSchema, ddl: string): void {
  const text = ddl.trim();
  const create =
    /^CREATE\s+(?:GLOBAL\s+TEMPORARY\s+|BLOCKCHAIN\s+|IMMUTABLE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z0-9_."$#]+)\s*\(/i.exec(
      text,
    );
  if (create) {
    const columns = new Map<string, FoldedColumn>();
    for (const part of splitTopLevel(parenthesised(text, create[0].length - 1)))
      if (!CONSTRAINT_START.test(part)) columns.set(...column(part));
    const name = tableName(create[1]);
    // IF NOT EXISTS: a table already made by an earlier version stays as it was.
    if (!/IF\s+NOT\s+EXISTS/i.test(create[0]) || !schema.has(name)) schema.set(name, columns);
    return;
  }
  const alter = /^ALTER\s+TABLE\s+([A-Za-z0-9_."$#]+)\s+(ADD|MODIFY)\s*\(/i.exec(text);
  if (alter) {
    const name = tableName(alter[1]);
    const columns = schema.get(name);
    if (!columns) throw new Error(`ALTER TABLE ${name} before the table is created`);
    for (const part of splitTopLevel(parenthesised(text, alter[0].length - 1))) {
      if (CONSTRAINT_START.test(part)) continue;
      const [col, def] = column(part);
      if (alter[2].toUpperCase() === "ADD") columns.set(col, def);
      else {
        const before = columns.get(col);
        if (!before) throw new Error(`MODIFY of ${name}.${col}, which does not exist`);
        columns.set(col, def);
      }
    }
    return;
  }
  const drop = /^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([A-Za-z0-9_."$#]+)/i.exec(text);
  if (drop) {
    schema.delete(tableName(drop[1]));
    return;
  }
  if (/^ALTER\s+TABLE\b/i.test(text) && /\b(ADD|MODIFY)\s*\(/i.test(text))
    throw new Error(`cannot read "${text.slice(0, 80)}"`);
}

/** The DDL texts of one statement: itself, and what it runs with EXECUTE IMMEDIATE q'[…]'. */
function ddlTexts(sql: string): string[] {
  const dynamic = [...sql.matchAll(/EXECUTE\s+IMMEDIATE\s+q'\[([\s\S]*?)\]'/gi)].map((m) => m[1]);
  return [sql, ...dynamic];
}

/** Folds the files (name → text, applied in name order: V001 before V002) into a schema. */
export function foldSchema(files: Readonly<Record<string, string>>, into: FoldedSchema = new Map()): FoldedSchema {
  for (const file of Object.keys(files).sort()) {
    for (const statement of splitStatements(files[file])) {
      for (const ddl of ddlTexts(statement.sql)) {
        // Comments are blanked, so a commented-out column is no column.
        const code = withoutComments(ddl);
        try {
          apply(into, code);
        } catch (err) {
          throw new Error(`${file} line ${statement.line}: ${(err as Error).message}`, { cause: err });
        }
      }
    }
  }
  return into;
}
