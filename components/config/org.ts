/**
 * The `org` stack's settings and how environment stacks find it. Resources that exist once per
 * OCI tenancy or AWS account (tag namespaces, identity-domain IdPs and dynamic groups, budgets on
 * a shared compartment, cost-allocation tag activation) are owned by one stack of this program
 * with `environment: org`; dev, staging and prod read what it exports through a StackReference.
 */
import { z } from "zod";
import { allowedAccountIdsSchema, awsRegionSchema } from "./aws";
import { allowed } from "./fields";
import { ociRegionSchema, tenancyIdSchema } from "./oci";

export { ORG_ENVIRONMENT } from "../shared/environments";
/** The org stack's name when `multicloud:orgStack` is not set. */
export const DEFAULT_ORG_STACK = "org";

export const orgAwsSchema = z.strictObject(
  {
    region: awsRegionSchema,
    allowedAccountIds: allowedAccountIdsSchema.optional(),
    // Only the payer (management) account can activate cost-allocation tags, and only once the keys appear in billing.
    activateCostAllocationTags: z
      .boolean(allowed("true in the payer account once the tags appear in billing, else false"))
      .optional(),
    // An account has one AWS-services anomaly monitor at most (new accounts get a default one): reuse it when it exists.
    existingServiceMonitorArn: z
      .string(
        allowed(
          "the ARN of the account's existing services anomaly monitor, arn:aws:ce::<account>:anomalymonitor/<id>",
        ),
      )
      .regex(
        /^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/[0-9a-f-]{36}$/,
        allowed(
          "the ARN of the account's existing services anomaly monitor, arn:aws:ce::<account>:anomalymonitor/<id>",
        ),
      )
      .optional(),
  },
  allowed("a map with region and optional allowedAccountIds, activateCostAllocationTags, existingServiceMonitorArn"),
);

export const orgOciSchema = z.strictObject(
  { region: ociRegionSchema, tenancyId: tenancyIdSchema },
  allowed("a map with region and tenancyId (tenancy-level resources live in the root compartment)"),
);

/** A StackReference name: `stack`, `project/stack` or `organization/project/stack`. */
export const orgStackSchema = z
  .string(allowed("the org stack's name, e.g. org or acme/multicloud/org"))
  .regex(/^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/, allowed("the org stack's name, e.g. org or acme/multicloud/org"));

export interface OrgAwsSettings {
  readonly region: string;
  readonly allowedAccountIds?: readonly string[];
  /** Activate cost_center, environment and owner as cost-allocation tags (payer account only). */
  readonly activateCostAllocationTags?: boolean;
  /** The account's existing AWS-services anomaly monitor, reused instead of created. */
  readonly existingServiceMonitorArn?: string;
}

export interface OrgOciSettings {
  readonly region: string;
  /** Tenancy-level resources (tag namespaces, identity) are created in the root compartment. */
  readonly tenancyId: string;
}

/**
 * The StackReference name environment stacks read the org stack through: the configured name,
 * completed with the deployment's organization and this project where it leaves them out.
 */
export function orgStackReference(configured: string | undefined, organization: string, project: string): string {
  const parts = (configured ?? DEFAULT_ORG_STACK).split("/");
  if (parts.length === 3) return parts.join("/");
  if (parts.length === 2) return `${organization}/${parts.join("/")}`;
  return `${organization}/${project}/${parts[0]}`;
}
