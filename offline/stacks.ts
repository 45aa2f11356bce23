/** Reads `Pulumi.<stack>.yaml` into the flat key → string map Pulumi hands a program. */
import { existsSync, readFileSync } from "node:fs";
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

/** Names of the stacks with a `Pulumi.<stack>.yaml` in the repository. */
export function stackNames(root = REPO_ROOT): string[] {
  return ["dev", "prod"].filter((stack) => existsSync(path.join(root, `Pulumi.${stack}.yaml`)));
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
