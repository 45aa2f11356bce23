/** The `multicloud:oci` key: region, compartment, VCN range, the per-tier subnet plan and flow-log retention. */
import { z } from "zod";
import { carveFromStart } from "../shared/cidr";
import { ConfigIssue } from "./errors";
import { addressRangeIssues, allowed, cidr, configKey, integer } from "./fields";

/** The OCI subnets the platform creates, in carving order (append only: order is part of the address plan). */
export const OCI_SUBNET_TIERS = ["database", "functions", "streaming"] as const;
export type OciSubnetTier = (typeof OCI_SUBNET_TIERS)[number];

/** OCI Logging keeps logs in 30-day increments, 30 to 180 days. */
export const OCI_LOG_RETENTION_DAYS = [30, 60, 90, 120, 150, 180] as const;

const OCI_REGION = /^[a-z]{2,3}-[a-z]+-[0-9]+$/;
const COMPARTMENT_OCID = /^ocid1\.(compartment|tenancy)\.oc[0-9]+\.\.[a-z0-9]{20,}$/;
const TENANCY_OCID = /^ocid1\.tenancy\.oc[0-9]+\.\.[a-z0-9]{20,}$/;

export const ociRegionSchema = z
  .string(allowed("an OCI region identifier such as eu-frankfurt-1"))
  .regex(OCI_REGION, allowed("an OCI region identifier such as eu-frankfurt-1"));
export const tenancyIdSchema = z
  .string(allowed("the tenancy OCID, ocid1.tenancy.oc1..<id>"))
  .regex(TENANCY_OCID, allowed("the tenancy OCID, ocid1.tenancy.oc1..<id>"));

export const ociSchema = z.strictObject(
  {
    region: ociRegionSchema,
    compartmentId: z
      .string(allowed("a compartment (or tenancy) OCID, ocid1.compartment.oc1..<id>"))
      .regex(COMPARTMENT_OCID, allowed("a compartment (or tenancy) OCID, ocid1.compartment.oc1..<id>")),
    vcnCidr: cidr("a private IPv4 block from /16 to /30, e.g. 10.20.0.0/16"),
    subnetPrefixLengths: z
      .strictObject({
        database: integer(16, 30, "prefix length of the database subnet"),
        functions: integer(16, 30, "prefix length of the functions subnet"),
        streaming: integer(16, 30, "prefix length of the streaming subnet"),
      })
      .optional(),
    flowLogRetentionDays: z
      .number(allowed(`one of ${OCI_LOG_RETENTION_DAYS.join(", ")}`))
      .refine((days) => (OCI_LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `must be one of OCI Logging's retention periods (30-day steps): ${OCI_LOG_RETENTION_DAYS.join(", ")}`,
      })
      .optional(),
  },
  allowed("a map with region, compartmentId, vcnCidr and optional subnetPrefixLengths, flowLogRetentionDays"),
);

export type RawOci = z.infer<typeof ociSchema>;

/** The OCI settings components are built from, subnets carved. */
export interface OciSettings {
  readonly region: string;
  readonly compartmentId: string;
  readonly vcnCidr: string;
  readonly subnetCidrs: Readonly<Record<OciSubnetTier, string>>;
  /** Days the VCN flow logs are kept (OCI's maximum, 180, in production; 30 otherwise). */
  readonly flowLogRetentionDays: number;
}

/** Range and subnet-plan rules; the settings when they hold. */
export function checkOci(
  project: string,
  raw: RawOci,
  isProduction: boolean,
  issues: ConfigIssue[],
): OciSettings | undefined {
  const k = (...path: PropertyKey[]) => configKey(project, ["oci", ...path]);
  const before = issues.length;
  issues.push(...addressRangeIssues(k("vcnCidr"), raw.vcnCidr, 16, 30, "an OCI VCN"));
  const prefixes = raw.subnetPrefixLengths ?? { database: 24, functions: 24, streaming: 24 };
  const carved = carveFromStart(
    raw.vcnCidr,
    OCI_SUBNET_TIERS.map((tier) => prefixes[tier]),
  );
  if (!carved) {
    issues.push({
      key: k("subnetPrefixLengths"),
      message: `subnets ${OCI_SUBNET_TIERS.map((t) => `${t} /${prefixes[t]}`).join(", ")} do not fit in ${raw.vcnCidr}; use longer prefixes or a larger vcnCidr`,
    });
  }
  if (issues.length > before || !carved) return undefined;
  return {
    region: raw.region,
    compartmentId: raw.compartmentId,
    vcnCidr: raw.vcnCidr,
    subnetCidrs: Object.fromEntries(OCI_SUBNET_TIERS.map((tier, i) => [tier, carved[i]])) as Record<
      OciSubnetTier,
      string
    >,
    flowLogRetentionDays: raw.flowLogRetentionDays ?? (isProduction ? 180 : 30),
  };
}
