/**
 * The stack configuration model: raw `multicloud:*` config values in, a typed and validated
 * PlatformConfig out. Pure (no Pulumi calls), so every rule is tested without mocks.
 *
 * Each area (aws, oci, interconnect, database, ml, eks, orders, sync, streaming, recommendations, budget, org) owns its schema, defaults and
 * checks in its own file; this file owns the keys every stack has (environment, tags), the rules
 * between areas (the two clouds' ranges must be disjoint), and which areas a stack reads: an
 * environment stack (dev, staging, prod) the whole platform, the org stack only what it owns.
 */
import { z } from "zod";
import { cidrsOverlap } from "../shared/cidr";
import { ENVIRONMENTS, isProductionEnvironment, ORG_ENVIRONMENT, PLATFORM_ENVIRONMENTS } from "../shared/environments";
import { namePartOf } from "../shared/naming";
import { StandardTags } from "../shared/tags";
import { AwsSettings, awsSchema, checkAws } from "./aws";
import { BudgetSettings, budgetSchema, budgetSettings, checkBudget } from "./budget";
import { checkDatabase, DatabaseSettings, databaseSchema } from "./database";
import { ConfigError, ConfigIssue } from "./errors";
import { allowed, configKey } from "./fields";
import { checkFederation, FederationSettings, federationSchema } from "./federation";
import { checkInterconnect, InterconnectSettings, interconnectSchema } from "./interconnect";
import { checkEks, EksSettings, eksSchema } from "./eks";
import { checkMl, MlSettings, mlSchema } from "./ml";
import { checkMonitoring, MonitoringSettings, monitoringSchema } from "./monitoring";
import { checkOrders, OrdersSettings, ordersSchema } from "./orders";
import { checkRecommendations, RecommendationsSettings, recommendationsSchema } from "./recommendations";
import { checkStreaming, StreamingSettings, streamingSchema } from "./streaming";
import { checkSync, SyncSettings, syncSchema } from "./sync";
import { checkOci, OciSettings, ociSchema } from "./oci";
import { AdoptedResource, adoptSchema, checkAdopt } from "./adopt";
import { OrgAwsSettings, orgAwsSchema, OrgOciSettings, orgOciSchema, orgStackSchema } from "./org";

export type PlatformEnvironment = (typeof PLATFORM_ENVIRONMENTS)[number];

/** Characters both AWS tag values and OCI freeform tag values accept. */
const TAG_VALUE = /^[A-Za-z0-9][A-Za-z0-9 _.:/=+@-]{0,127}$/;
const tagValue = (what: string) =>
  z
    .string(allowed(what))
    .regex(TAG_VALUE, allowed(`${what}; letters, digits, spaces and _ . : / = + @ -, at most 128`));

/** The keys every stack has. */
const commonShape = {
  costCenter: tagValue("the cost centre code, e.g. CC-4410"),
  owner: tagValue("the owning team's address, e.g. platform-team@example.com"),
};

/** Every `multicloud:*` key an environment stack reads; any other key is an error (likely a typo). */
const environmentSchema = z.strictObject({
  environment: z.enum(PLATFORM_ENVIRONMENTS, allowed(`one of ${ENVIRONMENTS.join(", ")}`)),
  ...commonShape,
  aws: awsSchema,
  oci: ociSchema,
  interconnect: interconnectSchema,
  ml: mlSchema,
  database: databaseSchema,
  eks: eksSchema,
  orders: ordersSchema,
  sync: syncSchema,
  streaming: streamingSchema,
  recommendations: recommendationsSchema,
  monitoring: monitoringSchema,
  budget: budgetSchema,
  orgStack: orgStackSchema.optional(),
  adopt: adoptSchema.optional(),
});

/** Every `multicloud:*` key the org stack reads. */
const orgSchema = z.strictObject({
  environment: z.literal(ORG_ENVIRONMENT),
  ...commonShape,
  /** The cost centre codes the OCI `cost_center` tag accepts (its validator): every stack's costCenter must be one. */
  costCenters: z
    .array(tagValue("a cost centre code"), allowed("a list of cost centre codes, e.g. [CC-4410-PLATFORM]"))
    .min(1, allowed("at least one cost centre code"))
    .max(100, allowed("at most 100 cost centre codes")),
  /** OCI budgets per cost centre (the cost_center tag across the tenancy: one stack owns them, this one). */
  costCenterBudgets: z
    .array(
      z.strictObject(
        {
          costCenter: tagValue("a cost centre code of multicloud:costCenters"),
          /** The OCI tenancy's monthly spend tagged with the code (the tenancy's currency). */
          ociMonthlyLimit: z
            .number(allowed("a monthly amount greater than 0"))
            .positive(allowed("a monthly amount greater than 0")),
          /** The AWS account's monthly spend tagged with the code, in `currency`; absent: no AWS budget for it. */
          awsMonthlyLimit: z
            .number(allowed("a monthly amount greater than 0"))
            .positive(allowed("a monthly amount greater than 0"))
            .optional(),
          currency: z
            .string(allowed("an ISO 4217 currency code such as USD"))
            .regex(/^[A-Z]{3}$/, allowed("an ISO 4217 currency code such as USD"))
            .optional(),
          alertEmails: z
            .array(
              z.email(allowed("an e-mail address such as finops@example.com")),
              allowed("a list of e-mail addresses"),
            )
            .min(1, allowed("at least one e-mail address"))
            .max(
              10,
              allowed(
                "at most 10 addresses (an AWS budget notification takes 10 e-mail subscribers); use a list address",
              ),
            ),
        },
        allowed("a map with costCenter, ociMonthlyLimit, alertEmails and optional awsMonthlyLimit, currency"),
      ),
      allowed("a list of {costCenter, ociMonthlyLimit, alertEmails, awsMonthlyLimit?, currency?}"),
    )
    .optional(),
  aws: orgAwsSchema,
  oci: orgOciSchema,
  federation: federationSchema,
});

/** What every stack's model has. */
interface StackBase {
  readonly project: string;
  readonly stack: string;
  readonly isProduction: boolean;
  readonly tags: StandardTags;
}

/** The validated model of an environment stack (dev, staging, prod). */
export interface EnvironmentConfig extends StackBase {
  readonly kind: "environment";
  readonly environment: PlatformEnvironment;
  readonly aws: AwsSettings;
  readonly oci: OciSettings;
  readonly interconnect: InterconnectSettings;
  readonly ml: MlSettings;
  readonly database: DatabaseSettings;
  readonly eks: EksSettings;
  readonly orders: OrdersSettings;
  readonly sync: SyncSettings;
  readonly streaming: StreamingSettings;
  readonly recommendations: RecommendationsSettings;
  readonly monitoring: MonitoringSettings;
  readonly budget: BudgetSettings;
  /** The org stack's name as configured (`multicloud:orgStack`), if set. */
  readonly orgStack?: string;
  /** Retained resources a new `up` imports rather than creates (`multicloud:adopt`). */
  readonly adopt: readonly AdoptedResource[];
}

/** A cost centre's budgets across every environment (org stack; defaults resolved). */
export interface CostCenterBudgetSettings {
  readonly costCenter: string;
  /** OCI: spend tagged with the code, tenancy-wide, in the tenancy's currency. */
  readonly ociMonthlyLimit: number;
  /** AWS: spend tagged with the code, account-wide, in `currency`; absent: no AWS budget. */
  readonly awsMonthlyLimit?: number;
  /** The AWS budget's unit (ISO 4217); default USD. */
  readonly currency: string;
  readonly alertEmails: readonly string[];
}

/** The validated model of the org stack. */
export interface OrgConfig extends StackBase {
  readonly kind: "org";
  readonly environment: typeof ORG_ENVIRONMENT;
  readonly aws: OrgAwsSettings;
  readonly oci: OrgOciSettings;
  /** SAML federation from the company IdP (its metadata read and checked by resolveFederation). */
  readonly federation: FederationSettings;
  /** The cost centre codes the OCI cost_center tag accepts. */
  readonly costCenters: readonly string[];
  /** OCI budgets per cost centre (targeting the cost_center tag value). */
  readonly costCenterBudgets: readonly CostCenterBudgetSettings[];
}

export type PlatformConfig = EnvironmentConfig | OrgConfig;

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
        issues.push({
          key: `${project}:${name}`,
          message: `is not valid structured config (${(err as Error).message})`,
        });
      }
    } else {
      decoded[name] = text;
    }
  }
  return decoded;
}

/** Turns zod's issues into config issues naming full keys. */
function shapeIssues(project: string, error: z.ZodError, issues: ConfigIssue[]): void {
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const unknown of issue.keys) {
        issues.push({
          key: configKey(project, [...issue.path, unknown]),
          message: "is not a setting this program reads (a typo?); see docs/configuration.md",
        });
      }
    } else if (!issues.some((known) => known.key === configKey(project, issue.path.slice(0, 1)))) {
      // A key that failed to decode is reported once, not again as missing.
      issues.push({ key: configKey(project, issue.path), message: issue.message });
    }
  }
}

function standardTags(project: string, raw: { environment: string; costCenter: string; owner: string }): StandardTags {
  return { environment: raw.environment, cost_center: raw.costCenter, project, owner: raw.owner };
}

/** Area checks and the rules between areas; only called once every key has the right shape. */
function environmentModel(
  project: string,
  stack: string,
  raw: z.infer<typeof environmentSchema>,
  issues: ConfigIssue[],
): EnvironmentConfig | undefined {
  const isProduction = isProductionEnvironment(raw.environment);
  const aws = checkAws(project, raw.aws, isProduction, issues);
  const oci = checkOci(project, raw.oci, isProduction, issues);
  // The clouds route to each other, so their ranges must be disjoint.
  if (cidrsOverlap(raw.aws.vpcCidr, raw.oci.vcnCidr)) {
    issues.push({
      key: configKey(project, ["oci", "vcnCidr"]),
      message: `${raw.oci.vcnCidr} overlaps ${configKey(project, ["aws", "vpcCidr"])} (${raw.aws.vpcCidr}); the clouds route to each other, so their ranges must be disjoint`,
    });
  }
  const interconnect = checkInterconnect(project, raw.interconnect, isProduction, issues);
  checkMl(project, raw.ml, isProduction, issues);
  checkDatabase(project, raw.database, isProduction, issues);
  checkEks(project, raw.eks, isProduction, issues);
  checkOrders(project, raw.orders, isProduction, issues);
  checkMonitoring(project, raw.monitoring, issues);
  checkSync(project, raw.sync, aws?.azCount ?? 2, isProduction, issues);
  checkStreaming(project, raw.streaming, isProduction, issues);
  checkRecommendations(project, raw.recommendations, isProduction, issues);
  checkBudget(project, raw.budget, isProduction, issues);
  checkAdopt(project, raw.adopt ?? [], issues);
  if (issues.length > 0 || !aws || !oci || !interconnect) return undefined;
  return {
    kind: "environment",
    project,
    stack,
    environment: raw.environment,
    isProduction,
    tags: standardTags(project, raw),
    aws,
    oci,
    interconnect,
    ml: raw.ml,
    database: raw.database,
    eks: raw.eks,
    orders: raw.orders,
    sync: raw.sync,
    streaming: raw.streaming,
    recommendations: raw.recommendations,
    monitoring: raw.monitoring,
    budget: budgetSettings(raw.budget),
    orgStack: raw.orgStack,
    adopt: raw.adopt ?? [],
  };
}

/**
 * Builds the stack's model from raw config values of the project's namespace.
 * Throws one ConfigError listing every problem, each naming its key and what is allowed.
 */
/** The project's own keys of a stack's config, without the `<project>:` prefix: what buildPlatformConfig reads. */
export function projectConfigValues(all: Readonly<Record<string, string>>, project: string): Record<string, string> {
  const prefix = `${project}:`;
  return Object.fromEntries(
    Object.entries(all)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

export function buildPlatformConfig(project: string, stack: string, values: RawConfigValues): PlatformConfig {
  const issues: ConfigIssue[] = [];
  const decoded = decode(project, values, issues);
  if (decoded.environment === ORG_ENVIRONMENT) {
    const parsed = orgSchema.safeParse(decoded);
    if (!parsed.success) shapeIssues(project, parsed.error, issues);
    if (parsed.success) checkFederation(project, parsed.data.federation, issues);
    if (parsed.success) checkCostCenters(project, parsed.data.costCenter, parsed.data.costCenters, issues);
    if (parsed.success)
      checkCostCenterBudgets(project, parsed.data.costCenters, parsed.data.costCenterBudgets ?? [], issues);
    if (!parsed.success || issues.length > 0) throw new ConfigError(stack, issues);
    const raw = parsed.data;
    return {
      kind: "org",
      project,
      stack,
      environment: raw.environment,
      isProduction: isProductionEnvironment(raw.environment),
      tags: standardTags(project, raw),
      aws: raw.aws,
      oci: raw.oci,
      federation: raw.federation,
      costCenters: raw.costCenters,
      costCenterBudgets: (raw.costCenterBudgets ?? []).map((b) => ({ ...b, currency: b.currency ?? "USD" })),
    };
  }
  const parsed = environmentSchema.safeParse(decoded);
  if (!parsed.success) {
    shapeIssues(project, parsed.error, issues);
    throw new ConfigError(stack, issues);
  }
  const model = environmentModel(project, stack, parsed.data, issues);
  if (!model) throw new ConfigError(stack, issues);
  return model;
}

/** The org's own cost centre is one of the codes, each code once (the tag validator's list). */
function checkCostCenters(project: string, own: string, codes: readonly string[], issues: ConfigIssue[]): void {
  const seen = new Set<string>();
  codes.forEach((code, i) => {
    if (seen.has(code))
      issues.push({
        key: configKey(project, ["costCenters", i]),
        message: `${code} is listed twice; list each code once`,
      });
    seen.add(code);
  });
  if (!seen.has(own))
    issues.push({
      key: configKey(project, ["costCenter"]),
      message: `${own} is not in multicloud:costCenters; add it there or use a listed code`,
    });
}

/** Each per-cost-centre budget names a listed code, once (OCI allows one budget per target). */
function checkCostCenterBudgets(
  project: string,
  codes: readonly string[],
  budgets: readonly { costCenter: string }[],
  issues: ConfigIssue[],
): void {
  const seen = new Set<string>();
  budgets.forEach((b, i) => {
    const key = configKey(project, ["costCenterBudgets", i, "costCenter"]);
    if (!codes.includes(b.costCenter))
      issues.push({ key, message: `${b.costCenter} is not in multicloud:costCenters; budget a listed code` });
    if (seen.has(b.costCenter))
      issues.push({ key, message: `${b.costCenter} has two budgets; OCI allows one budget per target` });
    else {
      // Budget names keep letters, digits, - and _: two codes that differ only elsewhere would share a name.
      const twin = budgets
        .slice(0, i)
        .find((o) => o.costCenter !== b.costCenter && namePartOf(o.costCenter) === namePartOf(b.costCenter));
      if (twin)
        issues.push({
          key,
          message: `${b.costCenter} and ${twin.costCenter} both name a budget ${namePartOf(b.costCenter)}; budget one of them`,
        });
    }
    seen.add(b.costCenter);
  });
}

/** Every config key path a kind of stack reads (`multicloud:aws.vpcCidr`, …), from the schema itself. */
export function configKeyPaths(project = "multicloud", kind: PlatformConfig["kind"] = "environment"): string[] {
  const paths: string[] = [];
  const walk = (schema: z.ZodType, prefix: string) => {
    const inner =
      schema instanceof z.ZodOptional || schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
    if (inner instanceof z.ZodObject) {
      for (const [name, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
        walk(child, prefix ? `${prefix}.${name}` : `${project}:${name}`);
      }
    } else {
      paths.push(prefix);
    }
  };
  walk(kind === "org" ? orgSchema : environmentSchema, "");
  return paths;
}
