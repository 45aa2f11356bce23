import { StandardTags } from "../config/schema";

/** The standard tags as the AWS provider's default tags (applied to every taggable AWS resource). */
export function awsDefaultTags(tags: StandardTags): Record<string, string> {
  return { ...tags };
}

/** The standard tags as OCI freeform tags; OCI has no provider-level default tags, so each resource passes these. */
export function ociFreeformTags(tags: StandardTags): Record<string, string> {
  return { ...tags };
}
