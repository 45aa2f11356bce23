/**
 * A content-addressed cache on disk for work whose result depends only on what its key names
 * (function bundles, seeded key pairs), so that each process need not redo it: under
 * `node_modules/.cache/multicloud/<area>/`, the place build tools share and `npm ci` empties.
 * An entry is valid by construction (its key is a hash of every input), so a hit and a miss give
 * the same result; a missing or unreadable entry is simply a miss. `MULTICLOUD_CACHE=off` turns it off.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "multicloud");

/** SHA-256 (hex) of the parts, each delimited so that ["ab","c"] and ["a","bc"] differ. */
export function cacheKey(...parts: readonly (string | Buffer)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
}

function entryPath(area: string, key: string): string | undefined {
  if (process.env.MULTICLOUD_CACHE === "off" || !existsSync(path.resolve(ROOT, "..", ".."))) return undefined;
  return path.join(ROOT, area, `${key}.json`);
}

/** The value stored under `key`, or undefined (no entry, unreadable, or the cache is off). */
export function readCache<T>(area: string, key: string): T | undefined {
  const file = entryPath(area, key);
  if (!file || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** Stores `value` under `key`; written to a temporary file and renamed, so readers never see half an entry. */
export function writeCache(area: string, key: string, value: unknown): void {
  const file = entryPath(area, key);
  if (!file) return;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(value));
    renameSync(temporary, file);
  } catch {
    // A read-only or full disk costs the next run time, never a wrong result.
  }
}
