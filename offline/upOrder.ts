/**
 * The order a first `pulumi up` creates a stack in, from the recorded dependency graph: each
 * resource starts once everything it depends on exists (a dependency on a component stands for
 * every resource under it), so resources fall into waves that Pulumi runs in parallel. The slow
 * chain is the path with the largest sum of typical create times (SLOW_CREATE_MINUTES: the
 * providers' documented or commonly reported durations, not measured here).
 */
import type { DocSection } from "./docSections";
import { directDependencies, graphIndex, type RecordedResource } from "./recorded";
import { REPLACEMENTS, replacementDocs } from "../components/shared/replacements";
import path from "node:path";
import { REPO_ROOT } from "./stacks";

/** Typical minutes to create, for the types that take more than a few seconds. */
export const SLOW_CREATE_MINUTES: Readonly<Record<string, number>> = {
  "aws:msk/cluster:Cluster": 30,
  "aws:eks/cluster:Cluster": 12,
  "aws:sagemaker/endpoint:Endpoint": 10,
  "oci:Database/autonomousDatabase:AutonomousDatabase": 8,
  "aws:eks/nodeGroup:NodeGroup": 5,
  "aws:ec2/vpnConnection:VpnConnection": 5,
  "aws:grafana/workspace:Workspace": 5,
  "pulumi-nodejs:dynamic/multicloud:VpnCustomerGatewaySwap": 5,
  "aws:eks/addon:Addon": 3,
  "kubernetes:helm.sh/v3:Release": 3,
  "awsx:ecr:Image": 3,
  "docker-build:index:Image": 3,
  "aws:ec2/natGateway:NatGateway": 2,
  "aws:ec2/vpcEndpoint:VpcEndpoint": 2,
  "aws:lambda/invocation:Invocation": 2,
  "oci:Streaming/streamPool:StreamPool": 2,
  "oci:Core/virtualCircuit:VirtualCircuit": 2,
  "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface": 2,
  "kubernetes:apps/v1:Deployment": 2,
  "aws:lambda/function:Function": 1,
  "oci:Functions/function:Function": 1,
  "oci:ApiGateway/gateway:Gateway": 1,
};
/** The gate waits until the link is up: minutes when it already is, its timeout when it never comes. */
const GATE = "pulumi-nodejs:dynamic/multicloud:LinkReadiness";
const minutesOf = (type: string) => (type === GATE ? 1 : (SLOW_CREATE_MINUTES[type] ?? 0.1));

export interface UpOrder {
  /** Custom resources per wave, in creation order. */
  readonly waves: readonly (readonly RecordedResource[])[];
  /** The slowest chain, first to last, with the minutes it has taken by each step's end. */
  readonly slowChain: readonly ChainStep[];
  /** The slowest chain that ends at a link-readiness gate (empty without one). */
  readonly gateChain: readonly ChainStep[];
}

export interface ChainStep {
  readonly resource: RecordedResource;
  readonly minutes: number;
}

/** Waves and the slow chain of a run's custom resources (providers left out: they exist first). */
export function upOrder(resources: readonly RecordedResource[]): UpOrder {
  const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !r.read);
  const { byUrn, children } = graphIndex(resources);
  /** The custom resources a dependency on `urn` waits for. */
  const expand = (urn: string, seen = new Set<string>()): string[] => {
    if (seen.has(urn)) return [];
    seen.add(urn);
    const r = byUrn.get(urn);
    if (!r) return [];
    if (r.custom) return r.type.startsWith("pulumi:providers:") ? [] : [urn];
    return (children.get(urn) ?? []).flatMap((c) => expand(c, seen));
  };
  const direct = new Map(
    custom.map((r) => [
      r.urn,
      [...new Set(directDependencies(r).flatMap((d) => expand(d)))].filter((d) => d !== r.urn),
    ]),
  );
  const level = new Map<string, number>();
  const finish = new Map<string, { minutes: number; via?: string }>();
  const visit = (urn: string, stack: Set<string>): number => {
    const known = level.get(urn);
    if (known !== undefined) return known;
    if (stack.has(urn)) throw new Error(`dependency cycle through ${urn}`);
    stack.add(urn);
    let wave = 0;
    let start = 0;
    let via: string | undefined;
    for (const d of direct.get(urn) ?? []) {
      wave = Math.max(wave, visit(d, stack) + 1);
      const done = finish.get(d)?.minutes ?? 0;
      if (done > start) [start, via] = [done, d];
    }
    stack.delete(urn);
    level.set(urn, wave);
    finish.set(urn, { minutes: start + minutesOf(String(byUrn.get(urn)?.type)), via });
    return wave;
  };
  for (const r of custom) visit(r.urn, new Set());
  const waves: RecordedResource[][] = [];
  for (const r of custom) (waves[level.get(r.urn) ?? 0] ??= []).push(r);
  const chainTo = (end: string | undefined): ChainStep[] => {
    const chain: ChainStep[] = [];
    for (let at = end; at !== undefined;) {
      const step = finish.get(at);
      const resource = byUrn.get(at);
      if (!step || !resource) break;
      chain.unshift({ resource, minutes: step.minutes });
      at = step.via;
    }
    return chain;
  };
  const slowest = (urns: readonly string[]) =>
    urns.reduce<string | undefined>(
      (best, u) => ((finish.get(u)?.minutes ?? 0) > (best ? (finish.get(best)?.minutes ?? 0) : -1) ? u : best),
      undefined,
    );
  return {
    waves,
    slowChain: chainTo(slowest(custom.map((r) => r.urn))),
    gateChain: chainTo(slowest(custom.filter((r) => r.type === GATE).map((r) => r.urn))),
  };
}

const round = (m: number) => (m < 1 ? m.toFixed(1) : String(Math.round(m)));

/** One stack's order as Markdown: the waves (slow and gating resources named), then the slow chain. */
export function upOrderMarkdown(stack: string, order: UpOrder): string {
  const notable = (r: RecordedResource) => r.type === GATE || (SLOW_CREATE_MINUTES[r.type] ?? 0) >= 2;
  const total = order.waves.reduce((n, w) => n + w.length, 0);
  const lines = [
    `#### ${stack}: ${total} resources in ${order.waves.length} waves; slow chain ≈ ${round(order.slowChain.at(-1)?.minutes ?? 0)} min`,
    "",
    "| wave | resources | slow or gating ones that start in it |",
    "|---|---|---|",
  ];
  order.waves.forEach((wave, i) => {
    const named = wave
      .filter(notable)
      .map((r) => `${r.type === GATE ? "**gate** " : ""}\`${r.name}\` (${r.type.split(":").pop()})`);
    lines.push(`| ${i + 1} | ${wave.length} | ${named.join(", ") || "—"} |`);
  });
  const chain = (steps: readonly ChainStep[]) =>
    steps
      .filter((s) => notable(s.resource) || s === steps.at(-1))
      .map((s) => `${s.resource.type === GATE ? "**gate** " : ""}\`${s.resource.name}\` (by ${round(s.minutes)} min)`)
      .join(" → ");
  lines.push("", `Slow chain: ${chain(order.slowChain)}.`);
  if (order.gateChain.length > 0)
    lines.push("", `To the gate: ${chain(order.gateChain)}, then as long as the link takes.`);
  return lines.join("\n");
}

export const UP_ORDER_SECTION: DocSection = {
  file: path.join(REPO_ROOT, "docs", "architecture.md"),
  begin: "<!-- up-order:begin (npm run docs:generate) -->",
  end: "<!-- up-order:end -->",
};

export const REPLACEMENTS_SECTION: DocSection = {
  file: path.join(REPO_ROOT, "docs", "architecture.md"),
  begin: "<!-- replacements:begin (npm run docs:generate) -->",
  end: "<!-- replacements:end -->",
};

/** The replacement table: one row per type the stacks create. */
export function replacementsMarkdown(): string {
  const lines = [
    "| type | replaced when these inputs change | unique name (delete before replace) | documentation |",
    "|---|---|---|---|",
  ];
  for (const [type, row] of Object.entries(REPLACEMENTS).sort(([a], [b]) => a.localeCompare(b))) {
    const docs = replacementDocs(type);
    lines.push(
      `| \`${type}\` | ${row.replaces.map((p) => `\`${p}\``).join(", ") || "— (updated in place)"}${row.note ? `; ${row.note}` : ""} | ${row.uniqueName ? `\`${row.uniqueName}\`` : "—"} | ${docs.startsWith("https:") ? `<${docs}>` : `\`${docs}\``} |`,
    );
  }
  return lines.join("\n");
}
