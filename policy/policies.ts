/**
 * The platform's CrossGuard policies, exported apart from the pack entry (policy/index.ts) so that
 * tests and the offline plan can evaluate them without starting the analyzer. Split by cloud:
 * both.ts, aws.ts, kubernetes.ts (workloads on EKS), oci.ts; shapes and factories in framework.ts.
 *
 * Each policy has a default level and, where production is stricter, a production level; the
 * per-stack pack config files in policy/config/ are generated from these for each stack's
 * environment (npm run policy:generate).
 */
import { accessPolicies } from "./access";
import { awsPolicies } from "./aws";
import { bothPolicies } from "./both";
import { MulticloudPolicy } from "./framework";
import { kubernetesPolicies } from "./kubernetes";
import { ociPolicies } from "./oci";

export { enforcementFor, refersTo } from "./framework";
export type { MulticloudPolicy, PolicyMetadata } from "./framework";
export { adminStatements, EKS_REQUIRED_LOGS } from "./aws";
export { BUDGET_ALERTS, effectiveTags, POLICY_REQUIRED_TAGS } from "./both";
export { OCI_PROTECTED_PORTS, protectedPortsOpened } from "./oci";

export const policies: readonly MulticloudPolicy[] = [
  ...bothPolicies,
  ...awsPolicies,
  ...kubernetesPolicies,
  ...ociPolicies,
  ...accessPolicies,
];
