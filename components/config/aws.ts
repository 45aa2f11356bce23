/** The `multicloud:aws` key: region, VPC range and subnet plan, NAT, log retention, alarm e-mails, key administrators. */
import { Region as AwsRegions } from "@pulumi/aws";
import { z } from "zod";
import { carveFromEnd, carveFromStart, overlappingPairs } from "../shared/cidr";
import { ConfigIssue } from "./errors";
import { addressRangeIssues, allowed, cidr, configKey, integer } from "./fields";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export const NAT_MODES = ["single", "perAz"] as const;

const AWS_REGION_NAMES = Object.values(AwsRegions) as [string, ...string[]];
const AWS_ACCOUNT_ID = /^[0-9]{12}$/;

export const awsRegionSchema = z.enum(AWS_REGION_NAMES, allowed("an AWS region name such as eu-west-1"));
const ACCOUNT_IDS = allowed("a non-empty list of 12-digit AWS account ids");
/** An IAM role ARN (roles administer keys; users and roots do not). */
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::([0-9]{12}):role\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
const KEY_ADMINS = allowed("a non-empty list of IAM role ARNs, e.g. arn:aws:iam::111122223333:role/platform-key-admin");
export const allowedAccountIdsSchema = z
  .array(
    z.string(allowed("a 12-digit AWS account id")).regex(AWS_ACCOUNT_ID, allowed("a 12-digit AWS account id")),
    ACCOUNT_IDS,
  )
  .min(1, ACCOUNT_IDS);

export const awsSchema = z.strictObject(
  {
    region: awsRegionSchema,
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
    allowedAccountIds: allowedAccountIdsSchema.optional(),
    keyAdministratorArns: z
      .array(
        z
          .string(allowed("an IAM role ARN, arn:aws:iam::<account>:role/<name>"))
          .regex(ROLE_ARN, allowed("an IAM role ARN, arn:aws:iam::<account>:role/<name>")),
        KEY_ADMINS,
      )
      .min(1, KEY_ADMINS)
      .refine((arns) => new Set(arns).size === arns.length, { message: "lists a role twice; list each role once" }),
    alarmEmails: z
      .array(z.email(allowed("an e-mail address such as oncall@example.com")), allowed("a list of e-mail addresses"))
      .min(1, allowed("at least one e-mail address: alarms must reach someone"))
      .refine((emails) => new Set(emails.map((e) => e.toLowerCase())).size === emails.length, {
        message: "lists an address twice; list each address once",
      }),
  },
  allowed(
    "a map with region, vpcCidr, alarmEmails, keyAdministratorArns and optional azCount, natGateways, subnetPrefixLengths, logRetentionDays, allowedAccountIds",
  ),
);

export type RawAws = z.infer<typeof awsSchema>;

/** The AWS settings components are built from, defaults resolved. */
export interface AwsSettings {
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
  /** The IAM roles that administer (but cannot use) every customer-managed key; include the role `pulumi up` runs as. */
  readonly keyAdministratorArns: readonly string[];
  /** Who CloudWatch alarms e-mail. */
  readonly alarmEmails: readonly string[];
}

/** Range, AZ and subnet-plan rules with the environment's defaults; the settings when they hold. */
export function checkAws(
  project: string,
  raw: RawAws,
  isProduction: boolean,
  issues: ConfigIssue[],
): AwsSettings | undefined {
  const k = (...path: PropertyKey[]) => configKey(project, ["aws", ...path]);
  const before = issues.length;
  issues.push(...addressRangeIssues(k("vpcCidr"), raw.vpcCidr, 16, 28, "an AWS VPC"));

  const azCount = raw.azCount ?? (isProduction ? 3 : 2);
  if (isProduction && azCount < 3) {
    issues.push({
      key: k("azCount"),
      message: `${azCount} is too few for prod; production spreads over at least 3 availability zones`,
    });
  }
  const prefixes = raw.subnetPrefixLengths ?? { private: 20, public: 24 };
  const privateSubnetCidrs = carveFromStart(raw.vpcCidr, Array(azCount).fill(prefixes.private));
  const publicSubnetCidrs = carveFromEnd(raw.vpcCidr, Array(azCount).fill(prefixes.public));
  const fits =
    privateSubnetCidrs !== undefined &&
    publicSubnetCidrs !== undefined &&
    overlappingPairs([...privateSubnetCidrs, ...publicSubnetCidrs]).length === 0;
  if (!fits) {
    issues.push({
      key: k("subnetPrefixLengths"),
      message: `${azCount} private /${prefixes.private} and ${azCount} public /${prefixes.public} subnets do not fit in ${raw.vpcCidr}; use longer prefixes, fewer AZs or a larger vpcCidr`,
    });
  }
  // A key administered from an account the stack does not deploy to is a typo more often than a design.
  if (raw.allowedAccountIds) {
    raw.keyAdministratorArns.forEach((arn, i) => {
      const account = ROLE_ARN.exec(arn)?.[2];
      if (account && !raw.allowedAccountIds?.includes(account)) {
        issues.push({
          key: k("keyAdministratorArns", i),
          message: `${arn} is in account ${account}, not in allowedAccountIds (${raw.allowedAccountIds?.join(", ")}); name a role of the account the keys live in`,
        });
      }
    });
  }
  if (issues.length > before || !privateSubnetCidrs || !publicSubnetCidrs) return undefined;
  return {
    region: raw.region,
    vpcCidr: raw.vpcCidr,
    azCount,
    natGateways: raw.natGateways ?? (isProduction ? "perAz" : "single"),
    privateSubnetCidrs,
    publicSubnetCidrs,
    logRetentionDays: raw.logRetentionDays ?? (isProduction ? 365 : 30),
    allowedAccountIds: raw.allowedAccountIds,
    keyAdministratorArns: raw.keyAdministratorArns,
    alarmEmails: raw.alarmEmails,
  };
}
