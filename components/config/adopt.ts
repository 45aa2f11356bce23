/**
 * The `multicloud:adopt` key: cloud resources that outlive a `pulumi destroy` (the retained types:
 * keys, log groups, vaults) and that a new stack of the same name would collide with. Each entry
 * names the program's resource (type and logical name) and the cloud id to import it from, so the
 * next `up` adopts it instead of failing to create a second one with the same name.
 */
import { z } from "zod";
import { KEPT_IN_PRODUCTION } from "../shared/environments";
import { ConfigIssue } from "./errors";
import { allowed, configKey } from "./fields";

/** The types a destroy leaves behind (retainOnDelete in production): only these are adopted. */
export const ADOPTABLE_TYPES: readonly string[] = Object.entries(KEPT_IN_PRODUCTION)
  .filter(([, keeping]) => keeping.retainOnDelete)
  .map(([type]) => type)
  .sort();

const text = (what: string) => z.string(allowed(what)).min(1, allowed(what));

export const adoptSchema = z.array(
  z.strictObject(
    {
      type: text(`a retained type: ${ADOPTABLE_TYPES.join(", ")}`),
      name: text("the resource's logical name in the program, e.g. migrations-handler-logs"),
      id: text("the cloud id to import, e.g. /aws/lambda/multicloud-dev-db-migrate or an OCID"),
    },
    allowed("a map with type, name and id"),
  ),
  allowed("a list of {type, name, id}"),
);

export interface AdoptedResource {
  readonly type: string;
  readonly name: string;
  readonly id: string;
}

/** Entries of a type a destroy does not leave behind, and the same resource named twice. */
export function checkAdopt(project: string, raw: readonly AdoptedResource[], issues: ConfigIssue[]): void {
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    if (!ADOPTABLE_TYPES.includes(entry.type))
      issues.push({
        key: configKey(project, ["adopt", i, "type"]),
        message: `${entry.type} is not a type a destroy leaves behind; adopt only ${ADOPTABLE_TYPES.join(", ")}`,
      });
    const key = `${entry.type}::${entry.name}`;
    if (seen.has(key))
      issues.push({
        key: configKey(project, ["adopt", i, "name"]),
        message: `${entry.name} (${entry.type}) is listed twice; one id per resource`,
      });
    seen.add(key);
  });
}
