/** The standard tags every resource carries, and how each cloud takes them. */

/** The four tags every resource carries, with the keys both clouds use. */
export interface StandardTags {
  readonly environment: string;
  readonly cost_center: string;
  readonly project: string;
  readonly owner: string;
}

/** The standard tags as the AWS provider's default tags (applied to every taggable AWS resource). */
export function awsDefaultTags(tags: StandardTags): Record<string, string> {
  return { ...tags };
}

/** The standard tags as OCI freeform tags; OCI has no provider-level default tags, so each resource passes these. */
export function ociFreeformTags(tags: StandardTags): Record<string, string> {
  return { ...tags };
}

/** The tags of the org's cost namespace (defined tags: cost-tracking, validated). */
export const DEFINED_COST_TAG_KEYS = ["cost_center", "environment", "owner"] as const;

/** The standard tags as OCI defined tags of the org's namespace: `<namespace>.cost_center` etc. */
export function ociDefinedCostTags(namespace: string, tags: StandardTags): Record<string, string> {
  return Object.fromEntries(DEFINED_COST_TAG_KEYS.map((key) => [`${namespace}.${key}`, tags[key]]));
}

/**
 * A stack transformation that gives every OCI resource that takes freeform tags the defined cost
 * tags as well (both are OCI's tagging model: a type with one has the other), unless it sets its own.
 * Registered once by the program, so no component can forget them.
 */
export function withOciDefinedTags<T>(
  definedTags: T,
): (args: {
  type: string;
  props: Record<string, unknown>;
  opts: object;
}) => { props: Record<string, unknown>; opts: object } | undefined {
  return (args) => {
    if (!args.type.startsWith("oci:") || args.props.freeformTags === undefined || args.props.definedTags !== undefined)
      return undefined;
    return { props: { ...args.props, definedTags }, opts: args.opts };
  };
}
