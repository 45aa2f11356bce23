/**
 * What every policy of the pack is built from: its metadata (cloud, remediation, production level),
 * the two policy shapes (per resource, whole stack), the small factories for checks that repeat,
 * helpers to read untyped props, and the enforcement level a policy runs at in an environment.
 */
import {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { isProductionEnvironment } from "../components/shared/environments";

/** What every policy here carries beyond CrossGuard's own fields. */
export interface PolicyMetadata {
  /** Which cloud's resources it checks. */
  readonly cloud: "aws" | "oci" | "both";
  /** What to change when it fires. */
  readonly remediation: string;
  /** Enforcement in production environments (prod, org) when it differs from the default `enforcementLevel`. */
  readonly prodEnforcementLevel?: EnforcementLevel;
}

export type MulticloudPolicy = (ResourceValidationPolicy | StackValidationPolicy) & PolicyMetadata;

export type Props = Record<string, unknown>;
type Levels = { enforcementLevel: EnforcementLevel; prodEnforcementLevel?: EnforcementLevel };
export interface Meta extends Levels {
  readonly name: string;
  readonly description: string;
  readonly cloud: PolicyMetadata["cloud"];
  readonly remediation: string;
}

export const MANDATORY: Levels = { enforcementLevel: "mandatory" };
/** Advisory in dev, mandatory in prod. */
export const PROD_MANDATORY: Levels = { enforcementLevel: "advisory", prodEnforcementLevel: "mandatory" };

/** A policy over resources of the given types; `check` returns the violation messages. */
export function resourcePolicy(
  meta: Meta,
  types: readonly string[],
  check: (props: Props, args: ResourceValidationArgs) => string | string[] | undefined,
): MulticloudPolicy {
  return {
    ...meta,
    remediationSteps: meta.remediation,
    validateResource: (args, reportViolation) => {
      if (!types.includes(args.type)) return;
      const found = check(args.props, args);
      for (const message of found === undefined ? [] : Array.isArray(found) ? found : [found]) reportViolation(message);
    },
  };
}

export interface StackFinding {
  readonly message: string;
  readonly urn?: string;
}

/** A policy over the whole stack (relations between resources). */
export function stackPolicy(
  meta: Meta,
  check: (resources: readonly PolicyResource[]) => StackFinding[],
): MulticloudPolicy {
  return {
    ...meta,
    remediationSteps: meta.remediation,
    validateStack: (args, reportViolation) => {
      for (const finding of check(args.resources)) reportViolation(finding.message, finding.urn);
    },
  };
}

export const obj = (value: unknown): Props =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : {};
export const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
export const set = (value: unknown) =>
  typeof value === "string" ? value.length > 0 : value !== undefined && value !== null;
export const ofType = (resources: readonly PolicyResource[], type: string) => resources.filter((r) => r.type === type);

/** Whether `resource`'s `property` was computed from `target` (the link that survives preview's unknowns). */
export function refersTo(resource: PolicyResource, property: string, target: PolicyResource): boolean {
  return (resource.propertyDependencies[property] ?? []).some((dep) => dep.urn === target.urn);
}

export function record(value: unknown): Record<string, string> {
  if (typeof value === "string") {
    try {
      return record(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return obj(value) as Record<string, string>;
}

/**
 * A resource policy for "encrypted with a customer-managed key": `key` reads the key reference
 * from the props, `enabled` any other switch the service needs on; the message says what is missing.
 */
export function encryptedWithKey(
  meta: Meta,
  type: string,
  check: {
    readonly key: (props: Props) => unknown;
    readonly enabled?: (props: Props) => boolean;
    readonly message: string;
  },
): MulticloudPolicy {
  return resourcePolicy(meta, [type], (props) =>
    (check.enabled?.(props) ?? true) && set(check.key(props)) ? undefined : check.message,
  );
}

/** The enforcement level of a policy in an environment: production may be stricter than the default. */
export function enforcementFor(policy: MulticloudPolicy, environment: string | undefined): EnforcementLevel {
  return (
    (isProductionEnvironment(environment) ? policy.prodEnforcementLevel : undefined) ??
    policy.enforcementLevel ??
    "advisory"
  );
}
