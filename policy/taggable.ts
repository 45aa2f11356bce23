/**
 * Whether a resource type takes tags, read from the provider SDK's own type declarations:
 * an AWS resource is taggable when its Args interface declares `tags`, an OCI resource when it
 * declares `freeformTags`. No hand-kept list to drift from the SDK.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const cache = new Map<string, boolean>();

/** The .d.ts of a resource token such as `aws:ec2/vpc:Vpc` or `oci:Core/vcn:Vcn`. */
function declarationFile(token: string): { file: string; className: string } | undefined {
  const match = /^(aws|oci):([A-Za-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(token);
  if (!match) return undefined;
  const [, pkg, module, file, className] = match;
  const dir = module === "index" ? "" : module.toLowerCase();
  const root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));
  return { file: path.join(root, dir, `${file}.d.ts`), className };
}

export type TagField = "tags" | "freeformTags";

/** The tag field the type's Args declare, or undefined when the type takes no tags (or is not aws/oci). */
export function tagFieldOf(token: string): TagField | undefined {
  const wanted: TagField | undefined = token.startsWith("aws:")
    ? "tags"
    : token.startsWith("oci:")
      ? "freeformTags"
      : undefined;
  if (!wanted) return undefined;
  if (!cache.has(token)) {
    const location = declarationFile(token);
    let taggable = false;
    if (location) {
      const source = readFileSync(location.file, "utf8");
      const args = new RegExp(`export interface ${location.className}Args \\{([\\s\\S]*?)\\n\\}`).exec(source);
      if (!args) throw new Error(`no ${location.className}Args in ${location.file}`);
      taggable = new RegExp(`\\n\\s+(readonly )?${wanted}\\?:`).test(args[1]);
    }
    cache.set(token, taggable);
  }
  return cache.get(token) ? wanted : undefined;
}
