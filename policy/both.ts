/** Policies over both clouds: tags, protected state in production, budgets. */
import { tagFieldOf } from "./taggable";
import {
  list,
  MANDATORY,
  MulticloudPolicy,
  obj,
  ofType,
  Props,
  record,
  refersTo,
  resourcePolicy,
  StackFinding,
  stackPolicy,
} from "./framework";
import { KEPT_IN_PRODUCTION } from "../components/shared/environments";
import { AWS, OCI } from "./types";

/** Tags the FinOps reports group by; the program adds `project` and `owner` too. */
export const POLICY_REQUIRED_TAGS = ["cost_center", "environment"] as const;

/** Tags a resource ends up with: its own, the provider-computed tagsAll, and the provider's default tags. */
export function effectiveTags(type: string, props: Props, providerProps?: Props): Record<string, string> {
  if (tagFieldOf(type) === "freeformTags") return record(props.freeformTags);
  return { ...record(record(providerProps?.defaultTags).tags), ...record(props.tagsAll), ...record(props.tags) };
}

const requiredTags: MulticloudPolicy = {
  name: "required-tags",
  description: `Every taggable AWS and OCI resource carries ${POLICY_REQUIRED_TAGS.join(" and ")} (cost allocation, budgets).`,
  cloud: "both",
  ...MANDATORY,
  remediation: "Tag through the AWS provider's defaultTags or the resource's freeformTags (components/shared/tags.ts).",
  remediationSteps:
    "Tag through the AWS provider's defaultTags or the resource's freeformTags (components/shared/tags.ts).",
  validateResource: (args, reportViolation) => {
    if (!tagFieldOf(args.type)) return;
    const tags = effectiveTags(args.type, args.props, args.provider?.props);
    const missing = POLICY_REQUIRED_TAGS.filter((key) => !tags[key]);
    if (missing.length > 0) reportViolation(`missing tag(s) ${missing.join(", ")}`);
  },
};

const prodStateProtected = resourcePolicy(
  {
    name: "prod-state-protected",
    description:
      "In production, every resource holding data, keys or a physical circuit (databases, keys, secrets, streams and topics, buckets, queues, tables, log groups, the private DNS zone, DRG, VPN and Direct Connect gateways) is protected from deletion by Pulumi.",
    cloud: "both",
    enforcementLevel: "disabled",
    prodEnforcementLevel: "mandatory",
    remediation:
      "Create it with kept(...) from components/shared/protection.ts, which protects (and, for keys and log groups, retains) it in production.",
  },
  Object.keys(KEPT_IN_PRODUCTION),
  (_props, args) => (args.opts.protect ? undefined : "holds state but is not protected (opts.protect)"),
);

/** Alert points every budget needs: actual spend at 70 % and 90 %, forecast at 100 %. */
export const BUDGET_ALERTS = [
  { kind: "ACTUAL", percent: 70 },
  { kind: "ACTUAL", percent: 90 },
  { kind: "FORECASTED", percent: 100 },
] as const;

const budgetsWithAlerts = stackPolicy(
  {
    name: "budgets-with-alert-rules",
    description: "Each cloud has a budget alerting at 70 % and 90 % of actual and 100 % of forecast spend.",
    cloud: "both",
    enforcementLevel: "advisory",
    remediation:
      "Add aws.budgets.Budget notifications and oci.budget.Rule alerts at those thresholds (budgets component).",
  },
  (resources) => {
    const findings: StackFinding[] = [];
    const awsBudgets = ofType(resources, AWS.budget);
    const awsCovered = awsBudgets.some((b) => {
      const notes = list(b.props.notifications).map(obj);
      return BUDGET_ALERTS.every((a) =>
        notes.some(
          (n) =>
            n.notificationType === a.kind &&
            Number(n.threshold) === a.percent &&
            (n.thresholdType ?? "PERCENTAGE") === "PERCENTAGE",
        ),
      );
    });
    if (!awsCovered) findings.push({ message: "no AWS budget alerts at 70 % and 90 % actual and 100 % forecast" });
    const ociBudgets = ofType(resources, OCI.budget);
    const rules = ofType(resources, OCI.budgetRule);
    const ociCovered = ociBudgets.some((b) =>
      BUDGET_ALERTS.every((a) =>
        rules.some(
          (r) =>
            refersTo(r, "budgetId", b) &&
            r.props.type === (a.kind === "ACTUAL" ? "ACTUAL" : "FORECAST") &&
            Number(r.props.threshold) === a.percent &&
            r.props.thresholdType === "PERCENTAGE",
        ),
      ),
    );
    if (!ociCovered)
      findings.push({ message: "no OCI budget with alert rules at 70 % and 90 % actual and 100 % forecast" });
    return findings;
  },
);

/** What both clouds' tunnels may negotiate: AES-256, SHA-2, and DH groups of at least 2048-bit MODP or 256-bit ECP. */
export const STRONG_IPSEC = {
  aws: {
    encryption: ["AES256", "AES256-GCM-16"],
    integrity: ["SHA2-256", "SHA2-384", "SHA2-512"],
    dhGroups: [14, 15, 16, 17, 18, 19, 20, 21],
  },
  oci: {
    encryption: ["AES_256_CBC", "AES_256_GCM"],
    authentication: ["SHA2_256", "SHA2_384"],
    dhGroups: ["GROUP14", "GROUP19", "GROUP20", "GROUP21"],
  },
} as const;

/** Problems of one AWS tunnel slot: each list must be set (AWS's defaults include AES128, SHA1 and DH group 2) and strong. */
function awsTunnelCrypto(props: Props, n: 1 | 2): string[] {
  const problems: string[] = [];
  const check = (field: string, allowed: readonly (string | number)[]) => {
    const values = list(props[`tunnel${n}${field}`]);
    if (values.length === 0) problems.push(`tunnel ${n} ${field} is unset (AWS's default admits weak choices)`);
    const weak = values.filter((v) => !allowed.includes(v as never));
    if (weak.length) problems.push(`tunnel ${n} ${field} allows ${weak.join(", ")}`);
  };
  for (const phase of ["Phase1", "Phase2"]) {
    check(`${phase}EncryptionAlgorithms`, STRONG_IPSEC.aws.encryption);
    check(`${phase}IntegrityAlgorithms`, STRONG_IPSEC.aws.integrity);
    check(`${phase}DhGroupNumbers`, STRONG_IPSEC.aws.dhGroups);
  }
  return problems;
}

/** Problems of an OCI tunnel: custom phase configs with strong choices and PFS. */
function ociTunnelCrypto(props: Props): string[] {
  const one = obj(props.phaseOneDetails);
  const two = obj(props.phaseTwoDetails);
  const problems: string[] = [];
  if (one.isCustomPhaseOneConfig !== true)
    problems.push("phase one uses Oracle's default proposals (set isCustomPhaseOneConfig)");
  if (!STRONG_IPSEC.oci.encryption.includes(one.customEncryptionAlgorithm as never))
    problems.push(`phase one encryption is ${String(one.customEncryptionAlgorithm)}`);
  if (!STRONG_IPSEC.oci.authentication.includes(one.customAuthenticationAlgorithm as never))
    problems.push(`phase one authentication is ${String(one.customAuthenticationAlgorithm)}`);
  if (!STRONG_IPSEC.oci.dhGroups.includes(one.customDhGroup as never))
    problems.push(`phase one DH group is ${String(one.customDhGroup)}`);
  if (two.isCustomPhaseTwoConfig !== true)
    problems.push("phase two uses Oracle's default proposals (set isCustomPhaseTwoConfig)");
  if (!STRONG_IPSEC.oci.encryption.includes(two.customEncryptionAlgorithm as never))
    problems.push(`phase two encryption is ${String(two.customEncryptionAlgorithm)}`);
  if (two.isPfsEnabled !== true) problems.push("phase two has no perfect forward secrecy");
  else if (!STRONG_IPSEC.oci.dhGroups.includes(two.dhGroup as never))
    problems.push(`phase two PFS DH group is ${String(two.dhGroup)}`);
  return problems;
}

const vpnStrongCrypto = resourcePolicy(
  {
    name: "vpn-strong-crypto",
    description:
      "Both ends of every IPSec tunnel negotiate only AES-256, SHA-2 and DH groups 14–21 (2048-bit MODP and up, or ECP), with PFS in phase two.",
    cloud: "both",
    ...MANDATORY,
    remediation:
      "Use the shared IKE profile (components/interconnect/tunnels.ts IKE_PROFILE) on the AWS VPN connection and the OCI tunnel.",
  },
  [AWS.vpnConnection, OCI.ipsecTunnel],
  (props, args) =>
    args.type === AWS.vpnConnection
      ? [...awsTunnelCrypto(props, 1), ...awsTunnelCrypto(props, 2)]
      : ociTunnelCrypto(props),
);

/** In the order the pack lists them. */
export const bothPolicies: readonly MulticloudPolicy[] = [
  requiredTags,
  prodStateProtected,
  budgetsWithAlerts,
  vpnStrongCrypto,
];
