/**
 * Bundles a function's handler with esbuild when the program runs (preview and up), into an asset
 * archive holding one `index.js`. CommonJS for Node 22: the AWS SDK v3 and Powertools bundle
 * cleanly to CJS, while ESM bundles of CJS dependencies need require shims. Everything is bundled
 * (the SDK included: pinned versions, faster cold start). The output is deterministic, so the
 * same source gives the same archive and no spurious diff.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import { createHash } from "node:crypto";
import path from "node:path";

/** Ceiling for a minified handler bundle. */
export const MAX_BUNDLE_BYTES = 1024 * 1024;
export const LAMBDA_RUNTIME = "nodejs22.x";
/** The repository root: the Pulumi project's directory, where `pulumi up` runs the program. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface FunctionBundle {
  /** The deployable archive: index.js exporting `handler`. */
  readonly code: pulumi.asset.AssetArchive;
  /** The bundle's text, for tests and size checks. */
  readonly source: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

const cache = new Map<string, FunctionBundle>();

/**
 * Bundles `entry` (repository-relative, e.g. functions/aws/features/handler.ts); `files` (archive
 * path → text) travel next to index.js, e.g. the SQL migrations the migration function applies.
 */
export function bundleFunction(entry: string, files: Readonly<Record<string, string>> = {}): FunctionBundle {
  const key = `${entry}\0${createHash("sha256").update(JSON.stringify(Object.entries(files).sort())).digest("hex")}`;
  const bundle = cache.get(key) ?? buildFunctionBundle(entry, files);
  cache.set(key, bundle);
  return bundle;
}

/** bundleFunction without the per-process cache: every call runs esbuild. */
export function buildFunctionBundle(entry: string, files: Readonly<Record<string, string>> = {}): FunctionBundle {
  const result = buildSync({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    legalComments: "none",
    sourcemap: false,
    write: false,
    logLevel: "silent",
  });
  const source = result.outputFiles[0].text;
  const sizeBytes = Buffer.byteLength(source);
  if (sizeBytes > MAX_BUNDLE_BYTES) {
    throw new Error(`${entry} bundles to ${(sizeBytes / 1024).toFixed(0)} KiB, over the ${MAX_BUNDLE_BYTES / 1024} KiB limit; trim its dependencies`);
  }
  const extra = Object.entries(files).sort(([a], [b]) => a.localeCompare(b));
  const digest = createHash("sha256").update(source);
  for (const [file, text] of extra) digest.update(`\0${file}\0${text}`);
  const bundle: FunctionBundle = {
    code: new pulumi.asset.AssetArchive({
      "index.js": new pulumi.asset.StringAsset(source),
      ...Object.fromEntries(extra.map(([file, text]) => [file, new pulumi.asset.StringAsset(text)])),
    }),
    source,
    sizeBytes,
    sha256: digest.digest("hex"),
  };
  return bundle;
}
