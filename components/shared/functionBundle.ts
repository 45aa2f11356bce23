/**
 * Bundles a function's handler with esbuild when the program runs (preview and up), into an asset
 * archive holding one `index.js`. CommonJS for Node 22: the AWS SDK v3 and Powertools bundle
 * cleanly to CJS, while ESM bundles of CJS dependencies need require shims. Everything is bundled
 * (the SDK included: pinned versions, faster cold start). The output is deterministic, so the
 * same source gives the same archive and no spurious diff.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildSync, type BuildOptions, version as esbuildVersion } from "esbuild";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cacheKey, readCache, writeCache } from "./diskCache";

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
  const key = `${entry}\0${createHash("sha256")
    .update(JSON.stringify(Object.entries(files).sort()))
    .digest("hex")}`;
  const bundle = cache.get(key) ?? buildFunctionBundle(entry, files);
  cache.set(key, bundle);
  return bundle;
}

const ESBUILD_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  minify: true,
  legalComments: "none",
  sourcemap: false,
  write: false,
  logLevel: "silent",
} as const satisfies BuildOptions;

/** A bundle kept on disk with the SHA-256 of every file esbuild read for it and of their folders' listings (repository-relative paths). */
export interface CachedBundle {
  readonly inputs: Readonly<Record<string, string>>;
  readonly source: string;
}

/**
 * SHA-256 of what a cached bundle depends on: a file's bytes, or for a folder (a path ending in
 * "/") the sorted names in it — so that a file added beside an input, which could change how an
 * import resolves (`x.tsx` is tried before `x.ts`), also invalidates the entry. Undefined if absent.
 */
const inputSha256 = (input: string): string | undefined => {
  try {
    const full = path.join(REPO_ROOT, input);
    const bytes = input.endsWith("/") ? readdirSync(full).sort().join("\0") : readFileSync(full);
    return createHash("sha256").update(bytes).digest("hex");
  } catch {
    return undefined;
  }
};

/**
 * esbuild's output for `entry`, from the disk cache when every file the cached bundle was built
 * from still has the same bytes (same esbuild version and options), else built and cached. The
 * bundle is deterministic, so a hit is byte-identical to a build.
 */
export function bundleSource(entry: string): string {
  const key = cacheKey(esbuildVersion, JSON.stringify(ESBUILD_OPTIONS), entry);
  const cached = readCache<CachedBundle>("bundles", key);
  if (cached && Object.entries(cached.inputs).every(([input, sha]) => inputSha256(input) === sha)) return cached.source;
  const built = buildBundle(entry);
  writeCache("bundles", key, built);
  return built.source;
}

/** One esbuild run for `entry`, no cache: the bundle, and the hash of every file it was built from and of their folders. */
export function buildBundle(entry: string): CachedBundle {
  const result = buildSync({ ...ESBUILD_OPTIONS, absWorkingDir: REPO_ROOT, entryPoints: [entry], metafile: true });
  const files = Object.keys(result.metafile.inputs);
  const folders = [...new Set(files.map((file) => `${path.posix.dirname(file)}/`))];
  const inputs = Object.fromEntries([...files, ...folders].map((input) => [input, inputSha256(input) ?? ""]));
  return { inputs, source: result.outputFiles[0].text };
}

/** bundleFunction without the per-process cache (the disk cache still applies). */
export function buildFunctionBundle(entry: string, files: Readonly<Record<string, string>> = {}): FunctionBundle {
  const source = bundleSource(entry);
  const sizeBytes = Buffer.byteLength(source);
  if (sizeBytes > MAX_BUNDLE_BYTES) {
    throw new Error(
      `${entry} bundles to ${(sizeBytes / 1024).toFixed(0)} KiB, over the ${MAX_BUNDLE_BYTES / 1024} KiB limit; trim its dependencies`,
    );
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
