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
