/** The migration set: files named V<nnn>__<name>.sql, their statements, checksums and run-as. */
import { inVersionOrder, migrationFile, MigrationFile } from "./contract";
import { splitStatements, Statement } from "./sqlText";

export type RunAs = "admin" | "owner";

export interface Migration extends MigrationFile {
  readonly runAs: RunAs;
  readonly statements: readonly Statement[];
}

/** Binds the runner supplies, by file: the only `:name`s a file may use. */
export const MIGRATION_BINDS: Readonly<Record<string, readonly string[]>> = {
  "V001__schema_users.sql": ["service_password"],
  "V012__batch_loader.sql": ["loader_password"],
  "V016__functions_user.sql": ["functions_password"],
  "V001__lakehouse_loader.sql": ["lakehouse_password"],
};

export function parseMigration(file: string, text: string): Migration {
  const identity = migrationFile(file, text);
  let statements: Statement[];
  try {
    statements = splitStatements(text.replace(/\r\n/g, "\n"));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  if (statements.length === 0) throw new Error(`${file}: holds no statement`);
  const runAs: RunAs = /^--\s*migrate:as\s+admin\s*$/m.test(text.split("\n")[0] ?? "") ? "admin" : "owner";
  return { ...identity, runAs, statements };
}

/** Parses a whole set (file name → text), in version order; refuses gaps and duplicates. */
export function parseMigrationSet(files: Readonly<Record<string, string>>): Migration[] {
  return inVersionOrder(
    Object.entries(files)
      .filter(([file]) => file.endsWith(".sql"))
      .map(([file, text]) => parseMigration(file, text)),
  );
}
