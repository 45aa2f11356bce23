import * as pulumi from "@pulumi/pulumi";
import { AdoptedResource } from "../components/config/adopt";
import { needsDeleteBeforeReplace } from "../components/shared/replacements";

/**
 * Resource options the whole stack shares, set where every resource passes (a stack
 * transformation, registered before the first resource):
 * - **delete before replace** for each resource that sets its unique name (REPLACEMENTS'
 *   `uniqueName`): a replacement must remove the old one before creating one with the same name;
 * - **import** for each retained resource listed in `multicloud:adopt` (what a destroy left behind).
 *
 * Returns the check to run once the program has registered everything: an adopt entry that
 * matched no resource is a mistake in config (a typo, or a resource the program no longer makes).
 */
export function stackReplacementOptions(adopt: readonly AdoptedResource[]): () => void {
  const matched = new Set<number>();
  pulumi.runtime.registerStackTransformation((args) => {
    const opts: pulumi.CustomResourceOptions = { ...args.opts };
    let changed = false;
    if (
      args.resource instanceof pulumi.CustomResource &&
      (opts as { deleteBeforeReplace?: boolean }).deleteBeforeReplace === undefined &&
      needsDeleteBeforeReplace(args.type, args.props as Record<string, unknown>)
    ) {
      opts.deleteBeforeReplace = true;
      changed = true;
    }
    const entry = adopt.findIndex((a) => a.type === args.type && a.name === args.name);
    if (entry >= 0) {
      matched.add(entry);
      opts.import = adopt[entry].id;
      changed = true;
    }
    return changed ? { props: args.props, opts } : undefined;
  });
  return () => {
    const unmatched = adopt.map((a, i) => ({ ...a, i })).filter((a) => !matched.has(a.i));
    if (unmatched.length > 0)
      throw new Error(
        unmatched
          .map(
            (a) =>
              `multicloud:adopt[${a.i}]: this stack has no ${a.type} named "${a.name}"; use the logical name the plan lists (npm run plan), or remove the entry`,
          )
          .join("\n"),
      );
  };
}
