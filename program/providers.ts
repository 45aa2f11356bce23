import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import { PlatformProviders } from "../components/shared/context";
import { awsDefaultTags, StandardTags } from "../components/shared/tags";

export interface ProviderSettings {
  readonly awsRegion: string;
  readonly allowedAccountIds?: readonly string[];
  readonly ociRegion: string;
  readonly tags: StandardTags;
}

/**
 * Explicit providers built from the validated config. The stack files disable default providers,
 * so a resource that forgets its provider fails instead of landing in an ambient account/region.
 * Credentials come from the environment (AWS profile/env vars, ~/.oci/config), never from config.
 */
export function createProviders(settings: ProviderSettings): PlatformProviders {
  return {
    aws: new aws.Provider("aws", {
      region: settings.awsRegion as aws.Region,
      allowedAccountIds: settings.allowedAccountIds ? [...settings.allowedAccountIds] : undefined,
      defaultTags: { tags: awsDefaultTags(settings.tags) },
    }),
    oci: new oci.Provider("oci", { region: settings.ociRegion }),
  };
}
