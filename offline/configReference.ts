/**
 * The config error reference: for every key a stack reads, the message a wrong value gets. Made
 * from the schemas themselves (configKeyPaths) by setting each key, in turn, to a value of no
 * accepted type on a valid stack file, so the docs show exactly what `pulumi up` would say.
 * `npm run docs:generate` writes it into docs/configuration.md; a test keeps the two equal.
 */
import path from "node:path";
import { ConfigError, ConfigIssue } from "../components/config/errors";
import { buildPlatformConfig, configKeyPaths, projectConfigValues } from "../components/config/platform";
import { DocSection } from "./docSections";
import { loadStackConfig, REPO_ROOT, withConfigValue } from "./stacks";

/** A value no key accepts: every leaf is a string, number, boolean or list. */
const WRONG = { wrong: true };
/** A string no key accepts: a string key says which form it wants. */
const MALFORMED = "?";
export const CONFIG_ERRORS_SECTION: DocSection = {
  file: path.join(REPO_ROOT, "docs/configuration.md"),
  begin: "<!-- config-errors:begin (npm run docs:generate) -->",
  end: "<!-- config-errors:end -->",
};

function setsKey(stack: string, keyPath: string): boolean {
  const [key, ...path] = keyPath.split(".");
  const raw = loadStackConfig(stack).config[key];
  if (raw === undefined) return false;
  let node: unknown = path.length ? JSON.parse(raw) : raw;
  for (const part of path)
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return node !== undefined;
}

function issuesFor(stack: string, keyPath: string, value: unknown): readonly ConfigIssue[] {
  const { config } = loadStackConfig(stack);
  const values = projectConfigValues(withConfigValue(config, keyPath, value), "multicloud");
  try {
    buildPlatformConfig("multicloud", stack, values);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
}

/** Each key and the message for a wrong value, from the first stack file where the key applies (dev, then prod; org keys from org). */
export function configErrorReference(): Array<{ key: string; wrongType: string; malformed: string }> {
  const environmentKeys = configKeyPaths("multicloud", "environment");
  const keys = [...new Set([...environmentKeys, ...configKeyPaths("multicloud", "org")])];
  return keys.map((key) => {
    const candidates = environmentKeys.includes(key) ? ["dev", "prod"] : ["org"];
    // Prefer a stack file that sets the key: its neighbours are then valid, so the message is about the key alone.
    const stacks = [...candidates.filter((s) => setsKey(s, key)), ...candidates.filter((s) => !setsKey(s, key))];
    const messageFor = (value: unknown) =>
      stacks
        .map((stack) => issuesFor(stack, key, value).find((i) => i.key === key)?.message)
        .find((m) => m !== undefined);
    const wrongType = messageFor(WRONG);
    if (wrongType) return { key, wrongType, malformed: messageFor(MALFORMED) ?? "(not refused at validation)" };
    throw new Error(`${key}: no stack file reports a problem when it holds ${JSON.stringify(WRONG)}`);
  });
}

export function configErrorTable(): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = configErrorReference().map(
    ({ key, wrongType, malformed }) => `| \`${key}\` | ${cell(wrongType)} | ${cell(malformed)} |`,
  );
  return [
    `| key | message for a value of the wrong type (${JSON.stringify(WRONG)}) | message for "${MALFORMED}" |`,
    "|---|---|---|",
    ...rows,
  ].join("\n");
}
