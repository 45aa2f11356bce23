/**
 * How components create what production keeps (KEPT_IN_PRODUCTION, in environments.ts with the
 * other production rules, where the policy pack reads it too). `kept(...)` protects them in
 * production (Pulumi refuses to delete or replace them until the protection is lifted on purpose)
 * and, for keys and log groups, also retains them on delete (removing them from the program leaves
 * them in the cloud: a key that encrypted data, logs an investigation may need).
 */
import type * as pulumi from "@pulumi/pulumi";
import { KEPT_IN_PRODUCTION, Keeping } from "./environments";

export type KeptType = keyof typeof KEPT_IN_PRODUCTION;

/** The options of a kept resource of `type`: protected (and retained where listed) in production. */
export function kept(
  parent: pulumi.Resource,
  production: { readonly isProduction: boolean },
  type: KeptType,
): pulumi.CustomResourceOptions {
  const keeping: Keeping = KEPT_IN_PRODUCTION[type];
  return production.isProduction ? { parent, protect: true, retainOnDelete: keeping.retainOnDelete } : { parent };
}
