/**
 * What every component of a stack shares: how it names and tags things, where OCI resources go,
 * whether production rules apply, and the explicit providers. Built once by the program from the
 * validated config and passed to components, instead of a dozen loose fields each.
 */
import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { StandardTags } from "./tags";

export interface PlatformProviders {
  readonly aws: aws.Provider;
  readonly oci: oci.Provider;
}

export interface PlatformContext {
  /** Prefix of every console name, e.g. `multicloud-dev`. */
  readonly namePrefix: string;
  /** Production rules: `protect`, longer retention, recovery windows. */
  readonly isProduction: boolean;
  /** The standard tags; AWS resources get them from the provider's default tags. */
  readonly tags: StandardTags;
  /** The standard tags as OCI freeform tags (OCI has no provider default tags). */
  readonly ociFreeformTags: Readonly<Record<string, string>>;
  /** The OCI compartment the stack's OCI resources live in. */
  readonly compartmentId: string;
  /** The AWS region of the stack's AWS provider. */
  readonly awsRegion: string;
  /** The AWS accounts the stack may deploy to (multicloud:aws.allowedAccountIds), when the stack names them. */
  readonly awsAllowedAccountIds?: readonly string[];
  /** The IAM roles that administer every customer-managed key (multicloud:aws.keyAdministratorArns; none on the org stack, which has no keys). */
  readonly keyAdministratorArns: readonly string[];
  readonly providers: PlatformProviders;
}

/** A component's options with the platform's providers, which its children inherit. */
export function platformOptions(
  ctx: PlatformContext,
  opts?: pulumi.ComponentResourceOptions,
): pulumi.ComponentResourceOptions {
  return { ...opts, providers: [ctx.providers.aws, ctx.providers.oci] };
}

/**
 * Runs a decision inside a component and reports its failure as a ResourceError tied to that
 * component, so `pulumi up` names the component (and its URN) instead of a bare stack trace.
 */
export function failAs<T>(resource: pulumi.Resource, decide: () => T): T {
  try {
    return decide();
  } catch (err) {
    if (err instanceof pulumi.ResourceError) throw err;
    throw new pulumi.ResourceError(err instanceof Error ? err.message : String(err), resource);
  }
}
