/**
 * The identity of a container build context: SHA-256 over its files' names and bytes, in name
 * order. The image is tagged with it, so the same sources give the same tag (immutable tags then
 * refuse nothing) and any change gives a new one (never a re-push of a moving tag).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export function buildContextHash(dir: string, included: (file: string) => boolean): string {
  const files = readdirSync(dir).filter(included).sort();
  if (files.length === 0) throw new Error(`${dir}: the build context holds no file the image uses`);
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(dir, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** An image tag from a context hash: `src-` and 24 hex digits (ECR tags take up to 128 characters). */
export function contextTag(hash: string): string {
  return `src-${hash.slice(0, 24)}`;
}
