import { PlatformConfig } from "../components/config/platform";
import { PlatformContext, PlatformProviders } from "../components/shared/context";
import { namePrefixOf } from "../components/shared/naming";
import { ociFreeformTags } from "../components/shared/tags";

/**
 * The one context every component of the stack is built with; `compartmentId` is where the
 * stack's OCI resources go (the tenancy's root compartment for the org stack).
 */
export function platformContext(
  cfg: PlatformConfig,
  compartmentId: string,
  providers: PlatformProviders,
): PlatformContext {
  return {
    namePrefix: namePrefixOf(cfg.project, cfg.environment),
    isProduction: cfg.isProduction,
    tags: cfg.tags,
    ociFreeformTags: ociFreeformTags(cfg.tags),
    compartmentId,
    awsRegion: cfg.aws.region,
    awsAllowedAccountIds: cfg.aws.allowedAccountIds,
    keyAdministratorArns: cfg.kind === "org" ? [] : cfg.aws.keyAdministratorArns,
    providers,
  };
}
