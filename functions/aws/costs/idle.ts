/**
 * Idle spend: the program's costly resources whose utilisation stayed low all week. Per-resource
 * cost comes from the clouds' resource-level data where there is some (resourceCost.ts: Cost
 * Explorer's, when the account enabled it; the OCI Usage API's), otherwise from the service's unit
 * price × size (list prices below); each finding says which, and why it fell back. A resource is
 * idle when every one of the last 7 days is under its kind's threshold and it costs at least
 * IDLE_MIN_WEEKLY_COST in the week.
 */
import type { InventoryItem } from "./contract";
import { COST_SOURCES, CostSource, MeasuredCost } from "./resourceCost";

export type { InventoryItem } from "./contract";

/** On-demand list prices per hour (USD, eu-west-1, 2026-11): instance types the stacks use, and the Autonomous Database ECPU. */
export const UNIT_PRICES_PER_HOUR: Readonly<Record<string, number>> = {
  "ml.t2.medium": 0.063,
  "ml.m5.large": 0.134,
  "ml.m5.xlarge": 0.269,
  "m7i.large": 0.1176,
  "m7i.xlarge": 0.2352,
  "adb.ecpu": 0.336,
};

/** The utilisation measure per kind and the level under which a day counts as idle. */
export const IDLE_RULES = {
  sagemakerEndpoint: { metric: "invocations per day", below: 10 },
  eksNodes: { metric: "average CPU %", below: 10 },
  autonomousDatabase: { metric: "average CPU %", below: 5 },
} as const;

export const IDLE_DAYS = 7;
export const IDLE_MIN_WEEKLY_COST = 10;

export interface IdleFinding {
  readonly kind: InventoryItem["kind"];
  readonly id: string;
  readonly label: string;
  readonly weeklyCost: number;
  /** The measured cost's currency; absent for unit prices (the cloud's budget currency, list prices in USD). */
  readonly currency?: string;
  readonly costSource: CostSource;
  /** Why a unit price was used when resource-level data was asked for. */
  readonly fallbackReason?: string;
  readonly metric: string;
  /** The week's daily values, oldest first. */
  readonly utilisation: readonly number[];
}

/** The item's cost per day from the unit prices; an instance type without a price is an error naming it. */
export function dailyCost(item: InventoryItem): number {
  const price = (key: string) => {
    const p = UNIT_PRICES_PER_HOUR[key];
    if (p === undefined)
      throw new Error(`no unit price for ${key} (${item.kind} ${item.id}); add it to UNIT_PRICES_PER_HOUR`);
    return p;
  };
  switch (item.kind) {
    case "sagemakerEndpoint":
      return 24 * price(item.instanceType) * item.instanceCount;
    case "eksNodes":
      return 24 * price(item.instanceType) * item.nodes;
    case "autonomousDatabase":
      return 24 * price("adb.ecpu") * item.ecpus;
  }
}

const labelOf = (item: InventoryItem) => (item.kind === "autonomousDatabase" ? item.label : item.id);

/**
 * The idle ones: a full week of data, every day under the threshold, and the week's cost at least
 * the minimum. A resource without a full week is not judged. The cost is the measured one when
 * `costs` has it, else unit price × size (with the reason from `fallbacks`, if any).
 */
export function findIdle(
  inventory: readonly InventoryItem[],
  utilisation: ReadonlyMap<string, readonly number[]>,
  costs: { measured: ReadonlyMap<string, MeasuredCost>; fallbacks: ReadonlyMap<string, string> } = {
    measured: new Map(),
    fallbacks: new Map(),
  },
): IdleFinding[] {
  const findings: IdleFinding[] = [];
  for (const item of inventory) {
    const values = utilisation.get(item.id) ?? [];
    if (values.length < IDLE_DAYS) continue;
    const week = values.slice(-IDLE_DAYS);
    const rule = IDLE_RULES[item.kind];
    const measured = costs.measured.get(item.id);
    const reason = costs.fallbacks.get(item.id);
    const cost = measured
      ? { weeklyCost: measured.amount, currency: measured.currency, costSource: measured.source }
      : {
          weeklyCost: IDLE_DAYS * dailyCost(item),
          costSource: COST_SOURCES.unitPrice,
          ...(reason ? { fallbackReason: reason } : {}),
        };
    if (week.every((v) => v < rule.below) && cost.weeklyCost >= IDLE_MIN_WEEKLY_COST) {
      findings.push({
        kind: item.kind,
        id: item.id,
        label: labelOf(item),
        ...cost,
        metric: rule.metric,
        utilisation: week,
      });
    }
  }
  return findings.sort((a, b) => b.weeklyCost - a.weeklyCost);
}

export type RemediationMode = "off" | "dryRun" | "act";

export interface RemediationAction {
  readonly id: string;
  readonly label: string;
  readonly action:
    | "stop database"
    | "scale nodes to zero"
    | "none: a real-time endpoint cannot be stopped, only deleted — listed for a person to decide";
  readonly reason: string;
}

/**
 * What remediation would do: only outside production, only for idle resources of a cloud whose
 * month-end forecast is over its budget (everything in the inventory is the stack's own, tagged
 * resource). Off → nothing; dryRun → the list; act → the same list, which the job then carries out.
 */
export function remediationPlan(args: {
  mode: RemediationMode;
  isProduction: boolean;
  idle: readonly IdleFinding[];
  overBudget: { aws: boolean; oci: boolean };
}): RemediationAction[] {
  if (args.mode === "off" || args.isProduction) return [];
  return args.idle.flatMap((f): RemediationAction[] => {
    const cloud = f.kind === "autonomousDatabase" ? "oci" : "aws";
    if (!args.overBudget[cloud]) return [];
    const reason = `idle for ${IDLE_DAYS} days (${f.metric} under ${IDLE_RULES[f.kind].below}), ${f.weeklyCost.toFixed(2)}/week, ${cloud.toUpperCase()} forecast over budget`;
    if (f.kind === "autonomousDatabase") return [{ id: f.id, label: f.label, action: "stop database", reason }];
    if (f.kind === "eksNodes") return [{ id: f.id, label: f.label, action: "scale nodes to zero", reason }];
    return [
      {
        id: f.id,
        label: f.label,
        action: "none: a real-time endpoint cannot be stopped, only deleted — listed for a person to decide",
        reason,
      },
    ];
  });
}
