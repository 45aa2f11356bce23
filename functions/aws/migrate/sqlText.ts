/**
 * Reading Oracle migration files: splitting a file into statements, finding bind names and
 * ANSI joins outside strings and comments. Pure; no database.
 */

export interface Statement {
  /** Text as oracledb wants it: SQL without its `;`, PL/SQL with its final `;` (no `/`). */
  readonly sql: string;
  /** 1-based line where the statement starts in its file. */
  readonly line: number;
  readonly plsql: boolean;
}

/** Statements that run as PL/SQL and therefore end at a line holding only `/`. */
const PLSQL_START =
  /^(DECLARE|BEGIN|CREATE\s+(OR\s+REPLACE\s+)?(EDITIONABLE\s+|NONEDITIONABLE\s+)?(PROCEDURE|FUNCTION|PACKAGE|TRIGGER|TYPE))\b/i;

/**
 * The text with string literals and comments replaced by spaces (same length, same line breaks),
 * so scanners see only code. Handles '' escapes and q'[…]' quoting. With `literals: "keep"` only
 * comments are blanked: strings and quoted names stay as written (what a DDL reader needs).
 */
export function codeOnly(text: string, options: { readonly literals?: "blank" | "keep" } = {}): string {
  const out = text.split("");
  const blankComment = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  const blank = options.literals === "keep" ? () => undefined : blankComment;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "-" && next === "-") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      blankComment(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) throw new Error(`unterminated /* comment at line ${lineAt(text, i)}`);
      blankComment(i, end + 2);
      i = end + 2;
    } else if ((c === "q" || c === "Q") && next === "'" && !/[A-Za-z0-9_$#]/.test(text[i - 1] ?? "")) {
      const open = text[i + 2];
      const close = ({ "[": "]", "(": ")", "{": "}", "<": ">" } as Record<string, string>)[open] ?? open;
      const end = text.indexOf(`${close}'`, i + 3);
      if (end === -1) throw new Error(`unterminated q'${open}…${close}' literal at line ${lineAt(text, i)}`);
      blank(i, end + 2);
      i = end + 2;
    } else if (c === "'") {
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new Error(`unterminated string literal at line ${lineAt(text, i)}`);
        if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      blank(i, j + 1);
      i = j + 1;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end === -1) throw new Error(`unterminated quoted identifier at line ${lineAt(text, i)}`);
      // The quotes stay (an identifier is code); what is inside may hold ; : or JOIN, which are not.
      blank(i + 1, end);
      i = end + 1;
    } else {
      i++;
    }
  }
  return out.join("");
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** Splits a migration file into statements. Throws (naming the line) on an unterminated one. */
export function splitStatements(text: string): Statement[] {
  const code = codeOnly(text);
  const lines = text.split("\n");
  const codeLines = code.split("\n");
  const statements: Statement[] = [];
  let start: number | undefined;
  let plsql = false;
  for (let n = 0; n < lines.length; n++) {
    const codeLine = codeLines[n];
    if (start === undefined) {
      if (codeLine.trim() === "") continue;
      start = n;
      plsql = PLSQL_START.test(codeLine.trim());
    }
    if (plsql) {
      if (codeLine.trim() === "/") {
        const body = lines.slice(start, n).join("\n").trim();
        statements.push({ sql: body, line: start + 1, plsql: true });
        start = undefined;
      }
    } else if (/;\s*$/.test(codeLine)) {
      const body = lines.slice(start, n + 1).join("\n");
      // Cut at the code's last `;` (a comment after it stays out).
      const cut = codeLines
        .slice(start, n + 1)
        .join("\n")
        .lastIndexOf(";");
      statements.push({ sql: body.slice(0, cut).trim(), line: start + 1, plsql: false });
      start = undefined;
    } else if (codeLine.trim() === "/") {
      throw new Error(
        `line ${n + 1}: "/" ends PL/SQL blocks only; the statement from line ${start + 1} is SQL and must end with ";"`,
      );
    }
  }
  if (start !== undefined) {
    throw new Error(
      `the statement from line ${start + 1} never ends: ${plsql ? 'a PL/SQL block needs a line holding only "/"' : 'SQL needs a ";" at the end of its last line'}`,
    );
  }
  return statements;
}

/** Bind names (`:name`, lower-cased) used in a statement, outside strings and comments. */
export function bindNames(sql: string): string[] {
  const names = new Set<string>();
  for (const m of codeOnly(sql).matchAll(/(?<![:A-Za-z0-9_$#"])(?::)([A-Za-z][A-Za-z0-9_$#]*)/g))
    names.add(m[1].toLowerCase());
  return [...names].sort();
}

/** Whether an assertion statement uses an ANSI join (Oracle rejects it: ORA-08697). */
export function assertionUsesAnsiJoin(sql: string): boolean {
  const code = codeOnly(sql);
  return /^\s*CREATE\s+ASSERTION\b/i.test(code) && /\bJOIN\b/i.test(code);
}
