/**
 * The repository's stacks: one per `Pulumi.<stack>.yaml` at the root. The one lister the plan,
 * `policy:generate` and the CI matrix use (`npm run --silent stacks` prints them as JSON), and the
 * reader that turns a stack file into the flat key → string map Pulumi hands a program.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

export const REPO_ROOT = path.resolve(__dirname, "..");

export interface StackConfig {
  readonly config: Record<string, string>;
  /** Keys whose values are `secure:` ciphertext; offline they carry a placeholder. */
  readonly secretKeys: string[];
}

/** Placeholder for an encrypted value: the offline engine has no key to decrypt it. */
export const SECURE_PLACEHOLDER = "offline-placeholder-for-secure-value";

/** Names of the stacks with a `Pulumi.<stack>.yaml` in the repository, sorted. */
export function stackNames(root = REPO_ROOT): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** The `multicloud:environment` a stack file names (what production rules key on), or undefined. */
export function environmentOf(stack: string, root = REPO_ROOT, project = "multicloud"): string | undefined {
  return loadStackConfig(stack, root).config[`${project}:environment`];
}

export function loadStackConfig(stack: string, root = REPO_ROOT): StackConfig {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new Error(`no stack file ${file}; known stacks: ${stackNames(root).join(", ")}`);
  const document = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(document.config ?? {})) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      config[key] = SECURE_PLACEHOLDER;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

/**
 * The CI runner label that previews and deploys a stack. A stack with an EKS cluster needs a runner
 * that reaches its Kubernetes API: inside (or routed to) the VPC when the endpoint is private, with
 * a static egress address listed in the public endpoint's deployerCidrs otherwise. Either way it is
 * a runner registered with the label `multicloud-deploy-<stack>` (docs/ci.md); other stacks run on
 * GitHub's hosted runners.
 */
export function deployRunner(stack: string, root = REPO_ROOT, project = "multicloud"): string {
  return loadStackConfig(stack, root).config[`${project}:eks`] === undefined
    ? "ubuntu-latest"
    : `multicloud-deploy-${stack}`;
}

if (require.main === module) {
  // `npm run --silent stacks`: the stack names as a JSON array (the CI matrix reads it);
  // `-- --runners`: [{ stack, runner }] for the preview matrix.
  console.log(
    JSON.stringify(
      process.argv.includes("--runners")
        ? stackNames().map((stack) => ({ stack, runner: deployRunner(stack) }))
        : stackNames(),
    ),
  );
}

/** A copy of the flat config with one value changed; an empty path replaces (or deletes) the whole key. */
export function withConfigChange(
  config: Record<string, string>,
  key: string,
  path: readonly string[],
  value: unknown,
): Record<string, string> {
  const next = { ...config };
  if (path.length === 0) {
    if (value === undefined) delete next[key];
    else next[key] = typeof value === "string" ? value : JSON.stringify(value);
    return next;
  }
  const root = JSON.parse(next[key] ?? "{}") as Record<string, unknown>;
  let node = root;
  for (const part of path.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  next[key] = JSON.stringify(root);
  return next;
}

/** withConfigChange by full key path: `multicloud:aws.subnetPrefixLengths.private`. */
export function withConfigValue(
  config: Record<string, string>,
  keyPath: string,
  value: unknown,
): Record<string, string> {
  const [key, ...path] = keyPath.split(".");
  return withConfigChange(config, key, path, value);
}
