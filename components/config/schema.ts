/**
 * The stack configuration model: raw `multicloud:*` config values in, a typed and validated
 * PlatformConfig out. Pure (no Pulumi calls), so every rule is tested without mocks.
 *
 * Shape and format rules live in the zod schemas; rules that relate two keys (overlapping
 * ranges, subnet plans that must fit, ASNs that must differ) run after the shapes are known.
 */
import { Region as AwsRegions } from "@pulumi/aws";
import { z } from "zod";
import {
  carveFromEnd,
  carveFromStart,
  cidrsOverlap,
  isPrivateCidr,
  LINK_LOCAL_CIDR,
  overlappingPairs,
  prefixLength,
} from "../network/cidr";
import { ConfigError, ConfigIssue } from "./errors";
import { allowed, cidr, configKey, integer } from "./fields";
import { checkInterconnect, InterconnectPlan, interconnectSchema } from "./interconnect";
import { checkDatabase, DatabasePlan, databaseSchema } from "./database";
import { checkMl, MlPlan, mlSchema } from "./ml";

export { ORACLE_BGP_ASN, asnProblem } from "./interconnect";
export type { InterconnectPlan } from "./interconnect";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export const NAT_MODES = ["single", "perAz"] as const;

/** The OCI subnets the platform creates, in carving order (append only: order is part of the address plan). */
export const OCI_SUBNET_TIERS = ["database", "functions", "streaming"] as const;
export type OciSubnetTier = (typeof OCI_SUBNET_TIERS)[number];

const AWS_REGION_NAMES = Object.values(AwsRegions) as [string, ...string[]];
const OCI_REGION = /^[a-z]{2,3}-[a-z]+-[0-9]+$/;
const COMPARTMENT_OCID = /^ocid1\.(compartment|tenancy)\.oc[0-9]+\.\.[a-z0-9]{20,}$/;
/** Characters both AWS tag values and OCI freeform tag values accept. */
const TAG_VALUE = /^[A-Za-z0-9][A-Za-z0-9 _.:/=+@-]{0,127}$/;
const AWS_ACCOUNT_ID = /^[0-9]{12}$/;

const awsSchema = z.strictObject(
  {
  region: z.enum(AWS_REGION_NAMES, allowed("an AWS region name such as eu-west-1")),
  vpcCidr: cidr("a private IPv4 block from /16 to /28, e.g. 10.10.0.0/16"),
  azCount: integer(2, 6, "number of availability zones").optional(),
  natGateways: z.enum(NAT_MODES, allowed(`one of ${NAT_MODES.join(", ")}`)).optional(),
  subnetPrefixLengths: z
    .strictObject({
      private: integer(16, 28, "prefix length of each private subnet"),
      public: integer(16, 28, "prefix length of each public subnet"),
    })
    .optional(),
  logRetentionDays: z
    .number(allowed(`one of ${LOG_RETENTION_DAYS.join(", ")}`))
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .optional(),
  allowedAccountIds: z.array(z.string().regex(AWS_ACCOUNT_ID, allowed("a 12-digit AWS account id"))).min(1).optional(),
  alarmEmails: z
    .array(z.email(allowed("an e-mail address such as oncall@example.com")), allowed("a list of e-mail addresses"))
    .min(1, allowed("at least one e-mail address: alarms must reach someone"))
    .refine((emails) => new Set(emails.map((e) => e.toLowerCase())).size === emails.length, { message: "lists an address twice; list each address once" }),
}, allowed("a map with region, vpcCidr, alarmEmails and optional azCount, natGateways, subnetPrefixLengths, logRetentionDays"));

const ociSchema = z.strictObject({
  region: z.string(allowed("an OCI region identifier such as eu-frankfurt-1")).regex(
    OCI_REGION,
    allowed("an OCI region identifier such as eu-frankfurt-1"),
  ),
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
}, allowed("a map with region, compartmentId, vcnCidr and optional subnetPrefixLengths"));

const budgetSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, allowed("an ISO 4217 currency code such as USD")).optional(),
  awsMonthlyLimit: z.number(allowed("a monthly amount greater than 0")).positive(allowed("a monthly amount greater than 0")),
  ociMonthlyLimit: z.number(allowed("a monthly amount greater than 0")).positive(allowed("a monthly amount greater than 0")),
  alertEmails: z
    .array(z.email(allowed("an e-mail address such as finops@example.com")), allowed("a list of e-mail addresses"))
    .min(1, allowed("at least one e-mail address")),
}, allowed("a map with awsMonthlyLimit, ociMonthlyLimit, alertEmails and optional currency"));

const tagValue = (what: string) =>
  z.string(allowed(what)).regex(TAG_VALUE, allowed(`${what}; letters, digits, spaces and _ . : / = + @ -, at most 128`));

/** Every `multicloud:*` key the program reads; any other key in the namespace is an error (likely a typo). */
const rawSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS, allowed(`one of ${ENVIRONMENTS.join(", ")}`)),
  costCenter: tagValue("the cost centre code, e.g. CC-4410"),
  owner: tagValue("the owning team's address, e.g. platform-team@example.com"),
  aws: awsSchema,
  oci: ociSchema,
  interconnect: interconnectSchema,
  ml: mlSchema,
  database: databaseSchema,
  budget: budgetSchema,
});

type RawConfig = z.infer<typeof rawSchema>;

export type Environment = (typeof ENVIRONMENTS)[number];

/** The four tags every resource carries, with the keys both clouds use. */
export interface StandardTags {
  readonly environment: string;
  readonly cost_center: string;
  readonly project: string;
  readonly owner: string;
}

export interface AwsNetworkPlan {
  readonly region: string;
  readonly vpcCidr: string;
  readonly azCount: number;
  readonly natGateways: (typeof NAT_MODES)[number];
  /** One private subnet per AZ, in AZ order. */
  readonly privateSubnetCidrs: readonly string[];
  /** One public subnet per AZ, in AZ order. */
  readonly publicSubnetCidrs: readonly string[];
  readonly logRetentionDays: number;
  readonly allowedAccountIds?: readonly string[];
  /** Who CloudWatch alarms e-mail. */
  readonly alarmEmails: readonly string[];
}

export interface OciNetworkPlan {
  readonly region: string;
  readonly compartmentId: string;
  readonly vcnCidr: string;
  readonly subnetCidrs: Readonly<Record<OciSubnetTier, string>>;
}

export interface BudgetPlan {
  readonly currency: string;
  readonly awsMonthlyLimit: number;
  readonly ociMonthlyLimit: number;
  readonly alertEmails: readonly string[];
}

/** The validated model index.ts wires components from. */
export interface PlatformConfig {
  readonly project: string;
  readonly stack: string;
  readonly environment: Environment;
  readonly isProduction: boolean;
  readonly tags: StandardTags;
  readonly aws: AwsNetworkPlan;
  readonly oci: OciNetworkPlan;
  readonly interconnect: InterconnectPlan;
  readonly ml: MlPlan;
  readonly database: DatabasePlan;
  readonly budget: BudgetPlan;
}

/** Raw config as Pulumi holds it: key (without namespace) to string; objects are JSON text. */
export type RawConfigValues = Readonly<Record<string, string>>;


/** Parses the raw values: JSON for objects, plain strings otherwise. */
function decode(project: string, values: RawConfigValues, issues: ConfigIssue[]): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(values)) {
    if (text === undefined) continue;
    const trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        decoded[name] = JSON.parse(trimmed);
      } catch (err) {
        issues.push({ key: `${project}:${name}`, message: `is not valid structured config (${(err as Error).message})` });
      }
    } else {
      decoded[name] = text;
    }
  }
  return decoded;
}

/** Cross-key rules; only called once every key has the right shape. */
function crossChecks(project: string, raw: RawConfig, issues: ConfigIssue[]): PlatformConfig | undefined {
  const k = (...path: PropertyKey[]) => configKey(project, path);
  const isProduction = raw.environment === "prod";

  // Address plan: each range is private, not link-local, sized within the cloud's limits, and
  // the two clouds' ranges are disjoint (they are routed to each other).
  const ranges = [
    { key: k("aws", "vpcCidr"), value: raw.aws.vpcCidr, min: 16, max: 28, cloud: "an AWS VPC" },
    { key: k("oci", "vcnCidr"), value: raw.oci.vcnCidr, min: 16, max: 30, cloud: "an OCI VCN" },
  ];
  for (const r of ranges) {
    const bits = prefixLength(r.value);
    if (cidrsOverlap(r.value, LINK_LOCAL_CIDR)) {
      issues.push({ key: r.key, message: `${r.value} overlaps ${LINK_LOCAL_CIDR} (link-local, used for tunnel and BGP addresses); use a private range such as 10.0.0.0/8` });
    } else if (!isPrivateCidr(r.value)) {
      issues.push({ key: r.key, message: `${r.value} is not private address space; use RFC 1918 (10/8, 172.16/12, 192.168/16) or 100.64/10` });
    }
    if (bits < r.min || bits > r.max) {
      issues.push({ key: r.key, message: `${r.value} is a /${bits}; ${r.cloud} takes /${r.min} to /${r.max}` });
    }
  }
  if (cidrsOverlap(raw.aws.vpcCidr, raw.oci.vcnCidr)) {
    issues.push({
      key: k("oci", "vcnCidr"),
      message: `${raw.oci.vcnCidr} overlaps ${k("aws", "vpcCidr")} (${raw.aws.vpcCidr}); the clouds route to each other, so their ranges must be disjoint`,
    });
  }

  const azCount = raw.aws.azCount ?? (isProduction ? 3 : 2);
  if (isProduction && azCount < 3) {
    issues.push({ key: k("aws", "azCount"), message: `${azCount} is too few for prod; production spreads over at least 3 availability zones` });
  }
  const awsPrefixes = raw.aws.subnetPrefixLengths ?? { private: 20, public: 24 };
  const privateSubnetCidrs = carveFromStart(raw.aws.vpcCidr, Array(azCount).fill(awsPrefixes.private));
  const publicSubnetCidrs = carveFromEnd(raw.aws.vpcCidr, Array(azCount).fill(awsPrefixes.public));
  const awsFits =
    privateSubnetCidrs !== undefined &&
    publicSubnetCidrs !== undefined &&
    overlappingPairs([...privateSubnetCidrs, ...publicSubnetCidrs]).length === 0;
  if (!awsFits) {
    issues.push({
      key: k("aws", "subnetPrefixLengths"),
      message: `${azCount} private /${awsPrefixes.private} and ${azCount} public /${awsPrefixes.public} subnets do not fit in ${raw.aws.vpcCidr}; use longer prefixes, fewer AZs or a larger vpcCidr`,
    });
  }

  const ociPrefixes = raw.oci.subnetPrefixLengths ?? { database: 24, functions: 24, streaming: 24 };
  const ociCidrs = carveFromStart(
    raw.oci.vcnCidr,
    OCI_SUBNET_TIERS.map((tier) => ociPrefixes[tier]),
  );
  if (!ociCidrs) {
    issues.push({
      key: k("oci", "subnetPrefixLengths"),
      message: `subnets ${OCI_SUBNET_TIERS.map((t) => `${t} /${ociPrefixes[t]}`).join(", ")} do not fit in ${raw.oci.vcnCidr}; use longer prefixes or a larger vcnCidr`,
    });
  }

  const interconnect = checkInterconnect(project, raw.interconnect, isProduction, issues);
  checkMl(project, raw.ml, isProduction, issues);
  checkDatabase(project, raw.database, isProduction, issues);

  if (issues.length > 0 || !privateSubnetCidrs || !publicSubnetCidrs || !ociCidrs || !interconnect) return undefined;

  return {
    project,
    stack: "",
    environment: raw.environment,
    isProduction,
    tags: { environment: raw.environment, cost_center: raw.costCenter, project, owner: raw.owner },
    aws: {
      region: raw.aws.region,
      vpcCidr: raw.aws.vpcCidr,
      azCount,
      natGateways: raw.aws.natGateways ?? (isProduction ? "perAz" : "single"),
      privateSubnetCidrs,
      publicSubnetCidrs,
      logRetentionDays: raw.aws.logRetentionDays ?? (isProduction ? 365 : 30),
      allowedAccountIds: raw.aws.allowedAccountIds,
      alarmEmails: raw.aws.alarmEmails,
    },
    oci: {
      region: raw.oci.region,
      compartmentId: raw.oci.compartmentId,
      vcnCidr: raw.oci.vcnCidr,
      subnetCidrs: Object.fromEntries(OCI_SUBNET_TIERS.map((tier, i) => [tier, ociCidrs[i]])) as Record<OciSubnetTier, string>,
    },
    interconnect,
    ml: raw.ml,
    database: raw.database,
    budget: {
      currency: raw.budget.currency ?? "USD",
      awsMonthlyLimit: raw.budget.awsMonthlyLimit,
      ociMonthlyLimit: raw.budget.ociMonthlyLimit,
      alertEmails: raw.budget.alertEmails,
    },
  };
}

/**
 * Builds the platform model from raw config values of the project's namespace.
 * Throws one ConfigError listing every problem, each naming its key and what is allowed.
 */
export function buildPlatformConfig(project: string, stack: string, values: RawConfigValues): PlatformConfig {
  const issues: ConfigIssue[] = [];
  const decoded = decode(project, values, issues);
  const parsed = rawSchema.safeParse(decoded);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const unknown of issue.keys) {
          issues.push({
            key: configKey(project, [...issue.path, unknown]),
            message: "is not a setting this program reads (a typo?); see the config reference in README.md",
          });
        }
      } else if (!issues.some((known) => known.key === configKey(project, issue.path.slice(0, 1)))) {
        // A key that failed to decode is reported once, not again as missing.
        issues.push({ key: configKey(project, issue.path), message: issue.message });
      }
    }
    throw new ConfigError(stack, issues);
  }
  const model = crossChecks(project, parsed.data, issues);
  if (!model) throw new ConfigError(stack, issues);
  return { ...model, stack };
}

/** Every config key path the program reads (`multicloud:aws.vpcCidr`, …), from the schema itself. */
export function configKeyPaths(project = "multicloud"): string[] {
  const paths: string[] = [];
  const walk = (schema: z.ZodType, prefix: string) => {
    const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
    if (inner instanceof z.ZodObject) {
      for (const [name, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
        walk(child, prefix ? `${prefix}.${name}` : `${project}:${name}`);
      }
    } else {
      paths.push(prefix);
    }
  };
  walk(rawSchema, "");
  return paths;
}
