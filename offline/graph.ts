/**
 * The component graph of a run: each resource attributed to its top-level component, each
 * component to a cloud, and the links between components (dependencies, and references to the
 * other cloud's network range). Feeds the plan's summary and Mermaid diagram.
 */
// An address with host bits (a tunnel's inside address) is not a network a rule names.
import { cidrProblem, cidrWithin } from "../components/shared/cidr";
import { RecordedResource, RunResult } from "./engine";

export type Cloud = "aws" | "oci" | "cross-cloud" | "none";

export interface ComponentNode {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly cloud: Cloud;
  readonly resources: readonly RecordedResource[];
}

export interface ComponentLink {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly crossCloud: boolean;
}

export interface ComponentGraph {
  readonly components: readonly ComponentNode[];
  /** Providers and anything registered outside a component. */
  readonly loose: readonly RecordedResource[];
  readonly links: readonly ComponentLink[];
  readonly regions: Readonly<Partial<Record<"aws" | "oci", string>>>;
  readonly networkRanges: Readonly<Partial<Record<"aws" | "oci", readonly string[]>>>;
}

/** The cloud a resource lives in; Kubernetes objects run on the platform's EKS cluster, in AWS. */
function cloudOf(type: string): "aws" | "oci" | undefined {
  return type.startsWith("aws:") || type.startsWith("kubernetes:") || type.startsWith("awsx:")
    ? "aws"
    : type.startsWith("oci:")
      ? "oci"
      : undefined;
}

const CIDR = /^\d+\.\d+\.\d+\.\d+\/\d+$/;

/** Every string found anywhere in a value. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
  else if (typeof value === "object" && value !== null) Object.values(value).forEach((v) => stringsIn(v, out));
  return out;
}

function shortType(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}

export function buildGraph(run: RunResult): ComponentGraph {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const stackUrn = run.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const topComponentOf = (r: RecordedResource): string | undefined => {
    let current: RecordedResource | undefined = r;
    while (current && current.parent && current.parent !== stackUrn) current = byUrn.get(current.parent);
    return current && !current.custom && current.type !== "pulumi:pulumi:Stack" ? current.urn : undefined;
  };

  const members = new Map<string, RecordedResource[]>();
  const loose: RecordedResource[] = [];
  for (const r of run.resources) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    const top = topComponentOf(r);
    if (top === undefined) loose.push(r);
    else if (top !== r.urn) members.set(top, [...(members.get(top) ?? []), r]);
    else members.set(top, members.get(top) ?? []);
  }

  const components: ComponentNode[] = [...members.entries()].map(([urn, resources]) => {
    const self = byUrn.get(urn) as RecordedResource;
    const clouds = new Set(resources.map((r) => cloudOf(r.type)).filter(Boolean));
    const cloud: Cloud =
      clouds.size > 1 ? "cross-cloud" : ((clouds.values().next().value as Cloud | undefined) ?? "none");
    return { urn, type: self.type, name: self.name, cloud, resources };
  });
  components.sort((a, b) => a.urn.localeCompare(b.urn));
  const componentOf = new Map<string, ComponentNode>();
  for (const c of components) for (const r of c.resources) componentOf.set(r.urn, c);

  const regions: Partial<Record<"aws" | "oci", string>> = {};
  for (const r of loose) {
    if (r.type === "pulumi:providers:aws") regions.aws = String(r.inputs.region);
    if (r.type === "pulumi:providers:oci") regions.oci = String(r.inputs.region);
  }
  const networkRanges: Partial<Record<"aws" | "oci", string[]>> = {
    aws: run.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc").map((r) => String(r.inputs.cidrBlock)),
    oci: run.resources
      .filter((r) => r.type === "oci:Core/vcn:Vcn")
      .flatMap((r) => (r.inputs.cidrBlocks as string[] | undefined) ?? []),
  };

  const linkLabels = new Map<
    string,
    { from: string; to: string; crossCloud: boolean; labels: Set<string>; ranges: Map<string, Set<string>> }
  >();
  const addLink = (from: ComponentNode, to: ComponentNode, label: string, ranges: readonly string[] = []) => {
    if (from.urn === to.urn) return;
    const key = `${from.urn}→${to.urn}`;
    const entry = linkLabels.get(key) ?? {
      from: from.urn,
      to: to.urn,
      crossCloud: from.cloud !== to.cloud,
      labels: new Set<string>(),
      ranges: new Map<string, Set<string>>(),
    };
    // Ranges are gathered per resource type: one "Type → a, b" however many resources name them.
    if (ranges.length) entry.ranges.set(label, new Set([...(entry.ranges.get(label) ?? []), ...ranges]));
    else entry.labels.add(label);
    linkLabels.set(key, entry);
  };
  for (const c of components) {
    for (const r of c.resources) {
      for (const dep of r.dependencies) {
        const target = componentOf.get(dep);
        if (target) addLink(c, target, "uses outputs");
      }
      // A resource naming the other cloud's network range is a route or rule across the link.
      const mine = cloudOf(r.type);
      const other = mine === "aws" ? "oci" : mine === "oci" ? "aws" : undefined;
      if (!other) continue;
      // The other cloud's network range, or a block inside it (a subnet a rule or policy names).
      const ranges = networkRanges[other] ?? [];
      const mentioned = [
        ...new Set(
          stringsIn(r.inputs).filter(
            (s) =>
              CIDR.test(s) &&
              cidrProblem(s) === undefined &&
              ranges.some((range) => s === range || cidrWithin(s, range)),
          ),
        ),
      ];
      const owner = components.find((x) =>
        x.resources.some(
          (y) => cloudOf(y.type) === other && (y.type === "aws:ec2/vpc:Vpc" || y.type === "oci:Core/vcn:Vcn"),
        ),
      );
      if (mentioned.length > 0 && owner) addLink(c, owner, shortType(r.type), mentioned);
    }
  }
  const links = [...linkLabels.values()]
    .map((l) => ({
      from: l.from,
      to: l.to,
      crossCloud: l.crossCloud,
      label: [...l.labels, ...[...l.ranges].map(([type, ranges]) => `${type} → ${[...ranges].join(", ")}`)]
        .sort()
        .join("; "),
    }))
    .sort((a, b) => `${a.from}→${a.to}`.localeCompare(`${b.from}→${b.to}`));
  return { components, loose, links, regions, networkRanges };
}

function mermaidId(urn: string): string {
  return `c_${urn.slice(urn.lastIndexOf("::") + 2).replace(/[^A-Za-z0-9]/g, "_")}`;
}

function escapeLabel(text: string): string {
  return text.replace(/"/g, "'");
}

/** A Mermaid flowchart: one subgraph per cloud, components inside, links between them. */
export function mermaidDiagram(graph: ComponentGraph): string {
  const lines = ["flowchart LR"];
  const groups: Array<{ cloud: Cloud; title: string }> = [
    { cloud: "aws", title: `AWS · ${graph.regions.aws ?? "?"} · ${(graph.networkRanges.aws ?? []).join(", ")}` },
    // The link, and the components with resources on both clouds (budgets, cost intelligence, Grafana, batch sync).
    { cloud: "cross-cloud", title: "Both clouds: the link and what spans it" },
    { cloud: "oci", title: `OCI · ${graph.regions.oci ?? "?"} · ${(graph.networkRanges.oci ?? []).join(", ")}` },
  ];
  for (const group of groups) {
    const members = graph.components.filter((c) => c.cloud === group.cloud);
    if (members.length === 0 && group.cloud === "cross-cloud") continue;
    lines.push(`  subgraph ${group.cloud.replace("-", "_")}["${escapeLabel(group.title)}"]`);
    for (const c of members) {
      lines.push(
        `    ${mermaidId(c.urn)}["${shortType(c.type)}<br/>${escapeLabel(c.name)}<br/>${c.resources.filter((r) => r.custom).length} resources"]`,
      );
    }
    lines.push("  end");
  }
  for (const link of graph.links) {
    const arrow = link.crossCloud ? `-. "${escapeLabel(link.label)}" .->` : `-- "${escapeLabel(link.label)}" -->`;
    lines.push(`  ${mermaidId(link.from)} ${arrow} ${mermaidId(link.to)}`);
  }
  return lines.join("\n");
}
