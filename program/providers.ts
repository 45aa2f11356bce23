import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import { PlatformConfig } from "../components/config/platform";
import { PlatformProviders } from "../components/shared/context";
import { awsDefaultTags } from "../components/shared/tags";

/**
 * Explicit providers built from the validated config. The stack files disable default providers,
 * so a resource that forgets its provider fails instead of landing in an ambient account/region.
 * Credentials come from the environment (AWS profile/env vars, ~/.oci/config), never from config.
 */
export function createProviders(cfg: PlatformConfig): PlatformProviders {
  return {
    aws: new aws.Provider("aws", {
      region: cfg.aws.region as aws.Region,
      allowedAccountIds: cfg.aws.allowedAccountIds ? [...cfg.aws.allowedAccountIds] : undefined,
      defaultTags: { tags: awsDefaultTags(cfg.tags) },
    }),
    oci: new oci.Provider("oci", { region: cfg.oci.region }),
  };
}
