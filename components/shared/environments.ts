/**
 * The environments a stack can be, and which get production rules. Shared by the config (defaults
 * and checks), the offline tooling and the policy pack (enforcement levels): production is decided
 * by the environment a stack file names, never by the stack's name.
 */

/** The environment of the stack that owns tenancy- and account-wide resources. */
export const ORG_ENVIRONMENT = "org";

/** The environments that run the platform (every stack but the org stack). */
export const PLATFORM_ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export const ENVIRONMENTS = [...PLATFORM_ENVIRONMENTS, ORG_ENVIRONMENT] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Whether an environment gets production rules: stricter defaults, `protect`, mandatory policies.
 * The org stack's resources are shared by every environment, so they are held to production rules too.
 */
export function isProductionEnvironment(environment: string | undefined): boolean {
  return environment === "prod" || environment === ORG_ENVIRONMENT;
}
