import { PlatformContext, PlatformProviders } from "../components/shared/context";
import { namePrefixOf } from "../components/shared/naming";
import { ociFreeformTags, StandardTags } from "../components/shared/tags";

export interface ContextSettings {
  readonly project: string;
  readonly environment: string;
  readonly isProduction: boolean;
  readonly tags: StandardTags;
  /** Where the stack's OCI resources go (the tenancy's root compartment for the org stack). */
  readonly compartmentId: string;
  readonly awsRegion: string;
}

/** The one context every component of the stack is built with. */
export function platformContext(settings: ContextSettings, providers: PlatformProviders): PlatformContext {
  return {
    namePrefix: namePrefixOf(settings.project, settings.environment),
    isProduction: settings.isProduction,
    tags: settings.tags,
    ociFreeformTags: ociFreeformTags(settings.tags),
    compartmentId: settings.compartmentId,
    awsRegion: settings.awsRegion,
    providers,
  };
}
