/** The migration set: files named V<nnn>__<name>.sql, their statements, checksums and run-as. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { splitStatements, Statement } from "./sqlText";

export type RunAs = "admin" | "owner";

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  /** SHA-256 of the file's bytes with line endings normalised (a CRLF checkout is the same file). */
  readonly checksum: string;
  readonly runAs: RunAs;
  readonly statements: readonly Statement[];
}

const FILE_NAME = /^V(\d{3})__([a-z0-9_]+)\.sql$/;
/** The schema owner every non-admin file runs as (schema-only: reached by proxy, never logged in to). */
export const SCHEMA_OWNER = "MC_APP";
/** The user the services log in as: rows only, no DDL (V001, V007). */
export const SERVICE_USER = "MC_SVC";
/** Binds the runner supplies, by file: the only `:name`s a file may use. */
export const MIGRATION_BINDS: Readonly<Record<string, readonly string[]>> = { "V001__schema_users.sql": ["service_password"] };

export function checksumOf(text: string): string {
  return createHash("sha256").update(text.replace(/\r\n/g, "\n")).digest("hex");
}

export function parseMigration(file: string, text: string): Migration {
  const m = FILE_NAME.exec(file);
  if (!m) throw new Error(`${file}: migration files are named V<3 digits>__<lower_snake_name>.sql, e.g. V007__add_invoices.sql`);
  let statements: Statement[];
  try {
    statements = splitStatements(text.replace(/\r\n/g, "\n"));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  if (statements.length === 0) throw new Error(`${file}: holds no statement`);
  const runAs: RunAs = /^--\s*migrate:as\s+admin\s*$/m.test(text.split("\n")[0] ?? "") ? "admin" : "owner";
  return { version: Number(m[1]), name: m[2], file, checksum: checksumOf(text), runAs, statements };
}

/** Parses a whole set (file name → text), in version order; refuses gaps and duplicates. */
export function parseMigrationSet(files: Readonly<Record<string, string>>): Migration[] {
  const migrations = Object.entries(files)
    .filter(([file]) => file.endsWith(".sql"))
    .map(([file, text]) => parseMigration(file, text))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${m.file}: versions must run 1, 2, 3, … without gaps or repeats; expected V${String(i + 1).padStart(3, "0")}`);
  });
  return migrations;
}

/** One checksum for the whole set: what the deployment re-invokes the runner on. */
export function setChecksum(migrations: readonly Migration[]): string {
  return createHash("sha256").update(migrations.map((m) => `${m.file}:${m.checksum}`).join("\n")).digest("hex");
}

/** Reads a directory's migration files (file name → text). */
export function readMigrationFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]),
  );
}
