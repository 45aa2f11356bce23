/**
 * The offline plan: runs a stack's program on the offline engine, evaluates the policies, and
 * writes plan/<stack>.json (every resource, inputs with secrets redacted, dependencies) and
 * plan/<stack>.md (summary, Mermaid diagram, policy verdicts), and runs the program once more as a
 * preview (computed values unknown) to list the outputs unknown until `up`. Deterministic: no timestamps,
 * everything sorted, canonical JSON.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RunResult, runProgram } from "./engine";
import { accessReportOf, evaluatePolicies, PolicyReport } from "./policyHarness";
import * as pulumi from "@pulumi/pulumi";
import { redactSecrets, unwrapSecrets } from "./secrets";
import { loadStackConfig, REPO_ROOT, StackConfig } from "./stacks";
import { buildGraph, ComponentGraph, mermaidDiagram } from "./graph";

export interface PlanOptions {
  readonly stack: string;
  /** Where plan files go; default `<repo>/plan`. */
  readonly outDir?: string;
  /** Config to use instead of Pulumi.<stack>.yaml (fixtures). */
  readonly stackConfig?: StackConfig;
  /** Program to run instead of index.ts (fixtures). */
  readonly program?: () => Promise<unknown>;
}

export interface PlanResult {
  /** 0: clean; 1: the program or its config failed; 2: a mandatory policy is violated. */
  readonly exitCode: 0 | 1 | 2;
  readonly text: string;
  readonly files: readonly string[];
}

/** JSON with object keys sorted at every level, so equal plans are equal bytes. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

function planDocument(run: RunResult, graph: ComponentGraph, report: PolicyReport) {
  const componentOf = new Map<string, string>();
  for (const c of graph.components) for (const r of c.resources) componentOf.set(r.urn, c.name);
  return {
    project: run.project,
    stack: run.stack,
    summary: {
      resources: run.resources.filter((r) => r.custom).length,
      components: graph.components.map((c) => ({
        name: c.name,
        type: c.type,
        cloud: c.cloud,
        resources: c.resources.filter((r) => r.custom).length,
      })),
      crossCloudLinks: graph.links.filter((l) => l.crossCloud).map((l) => ({ from: l.from, to: l.to, label: l.label })),
    },
    resources: run.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      component: componentOf.get(r.urn) ?? null,
      parent: r.parent ?? null,
      provider: r.provider ?? null,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      deleteBeforeReplace: r.deleteBeforeReplace,
      ...(r.importId ? { importId: r.importId } : {}),
      ignoreChanges: r.ignoreChanges,
      aliases: r.aliases,
      read: r.read,
      dependencies: r.dependencies,
      inputs: redactSecrets(r.rawInputs),
    })),
    outputs: redactSecrets(run.rawOutputs),
    policies: report,
  };
}

/** What the access section states: the evaluation of the run, and how many calls a preview cannot decide. */
export interface AccessSummary {
  readonly report: ReturnType<typeof accessReportOf>;
  readonly undecidableInPreview: number;
}

/** The plan's access-path section: every call's verdict counted, exempt roles, and each grant no call uses. */
export function accessSection({ report, undecidableInPreview }: AccessSummary): string[] {
  const count = (verdict: string) => report.findings.filter((f) => f.verdict === verdict).length;
  const implied = report.findings.filter((f) => f.impliedBy).length;
  const lines = [
    "## Access paths (declared runtime calls)",
    "",
    `${new Set(report.findings.map((f) => f.call)).size} declared calls, ${report.findings.length} requests evaluated (${implied} KMS requests they imply): ` +
      `${count("allowed")} allowed, ${count("denied")} denied, ${count("undecidable")} undecidable. ` +
      `In a preview of a new stack (ARNs unknown) ${undecidableInPreview} are undecidable: reported by \`runtime-calls-decidable\`, never passed. ` +
      `OCI: ${report.oci.length} declared calls, ${report.oci.filter((f) => f.verdict === "allowed").length} granted, ${report.oci.filter((f) => f.verdict === "denied").length} denied, ${report.oci.filter((f) => f.verdict === "undecidable").length} undecidable.`,
    "",
    `### Grants no declared call uses: ${report.unused.length}`,
    "",
  ];
  if (report.unused.length === 0) lines.push("None among the policies this program writes.");
  else {
    lines.push("| role | policy | statement | action | resources |", "|---|---|---|---|---|");
    for (const u of report.unused)
      lines.push(`| ${u.role} | ${u.policy} | ${u.statement} | \`${u.action}\` | ${u.resources.join(", ")} |`);
  }
  for (const line of report.unmeasured) lines.push(`- not measured: ${line}`);
  lines.push("", `### OCI statements no declared call uses: ${report.unusedOci.length}`, "");
  if (report.unusedOci.length === 0) lines.push("None among the policies this program writes.");
  else {
    lines.push("| policy | statement |", "|---|---|");
    for (const u of report.unusedOci) lines.push(`| ${u.policy} | \`${u.statement}\` |`);
  }
  lines.push(
    "",
    "### Roles and policies not measured call by call (one line each)",
    "",
    "| role or policy | why |",
    "|---|---|",
  );
  for (const e of report.exempt) lines.push(`| ${e.role} | ${e.reason} |`);
  return lines;
}

function markdown(
  run: RunResult,
  graph: ComponentGraph,
  report: PolicyReport,
  unknownUntilUp: readonly string[],
  access: AccessSummary,
): string {
  const lines = [
    `# Offline plan: ${run.project} / ${run.stack}`,
    "",
    `Made by \`npm run plan -- --stack ${run.stack}\` on the offline engine: no cloud call, values are the engine's models.`,
    "",
    "## Components and cross-cloud links",
    "",
    "```mermaid",
    mermaidDiagram(graph),
    "```",
    "",
    "## Resources by component",
    "",
    "| component | type | count |",
    "|---|---|---|",
  ];
  const rows = new Map<string, number>();
  for (const c of graph.components)
    for (const r of c.resources.filter((x) => x.custom))
      rows.set(`| ${c.name} | \`${r.type}\` |`, (rows.get(`| ${c.name} | \`${r.type}\` |`) ?? 0) + 1);
  for (const r of graph.loose)
    rows.set(`| (stack) | \`${r.type}\` |`, (rows.get(`| (stack) | \`${r.type}\` |`) ?? 0) + 1);
  for (const [row, count] of [...rows.entries()].sort()) lines.push(`${row} ${count} |`);
  lines.push("", "## Policies", "", "| policy | cloud | level | violations |", "|---|---|---|---|");
  for (const p of report.evaluated) {
    lines.push(
      `| ${p.name} | ${p.cloud} | ${p.level} | ${report.violations.filter((v) => v.policy === p.name).length} |`,
    );
  }
  if (report.violations.length > 0) {
    lines.push("", "### Violations", "");
    for (const v of report.violations)
      lines.push(
        `- **${v.level}** \`${v.policy}\` ${v.resource ? `${v.resource.type} \`${v.resource.name}\`` : "(stack)"}: ${v.message}. ${v.remediation}`,
      );
  }
  lines.push("", ...accessSection(access));
  lines.push(
    "",
    "## Stack outputs (secrets redacted)",
    "",
    "```json",
    canonicalJson(redactSecrets(run.rawOutputs)).trimEnd(),
    "```",
    "",
  );
  lines.push(
    "## Outputs unknown until `pulumi up`",
    "",
    "A preview shows these as unknown: the clouds compute them when the resources are created.",
    "",
  );
  lines.push(...(unknownUntilUp.length ? unknownUntilUp.map((p) => `- \`${p}\``) : ["(none)"]), "");
  return lines.join("\n");
}

function consoleText(
  run: RunResult,
  graph: ComponentGraph,
  report: PolicyReport,
  files: string[],
  unknownUntilUp: readonly string[],
): string {
  const out = [
    `Offline plan for ${run.project}/${run.stack}: ${run.resources.filter((r) => r.custom).length} resources in ${graph.components.length} components`,
  ];
  for (const c of graph.components) {
    out.push(`  ${c.name} (${c.type}, ${c.cloud})`);
    const counts = new Map<string, number>();
    for (const r of c.resources.filter((x) => x.custom)) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    for (const [type, count] of [...counts.entries()].sort()) out.push(`    ${String(count).padStart(3)} × ${type}`);
  }
  out.push("  (stack)");
  for (const r of graph.loose) out.push(`      1 × ${r.type} ${r.name}`);
  for (const link of graph.links.filter((l) => l.crossCloud)) {
    out.push(`  cross-cloud: ${link.from.split("::").pop()} → ${link.to.split("::").pop()}: ${link.label}`);
  }
  out.push("Stack outputs (secrets redacted):", canonicalJson(redactSecrets(run.rawOutputs)).trimEnd());
  out.push(`Unknown until pulumi up (${unknownUntilUp.length}): ${unknownUntilUp.join(", ")}`);
  out.push(`Policies (${report.evaluated.length}):`);
  for (const p of report.evaluated) {
    const count = report.violations.filter((v) => v.policy === p.name).length;
    const verdict = p.level === "disabled" ? "off " : count === 0 ? "pass" : p.level === "mandatory" ? "FAIL" : "warn";
    out.push(`  ${verdict}  ${p.name} [${p.level}, ${p.cloud}]${count ? `: ${count} violation(s)` : ""}`);
  }
  for (const v of report.violations)
    out.push(
      `    - ${v.resource ? `${v.resource.type} ${v.resource.name}` : "(stack)"}: ${v.message} → ${v.remediation}`,
    );
  out.push(...files.map((f) => `Wrote ${path.relative(REPO_ROOT, f)}`));
  return out.join("\n");
}

/**
 * Dotted paths of the stack outputs a preview cannot know (they come from what the clouds compute),
 * in output order. Secret wrappers are looked through.
 */
export function unknownOutputPaths(value: unknown, path = ""): string[] {
  const plain = unwrapSecrets(value).value;
  if (pulumi.isUnknown(plain)) return [path];
  if (Array.isArray(plain)) return plain.flatMap((v, i) => unknownOutputPaths(v, `${path}[${i}]`));
  if (plain && typeof plain === "object")
    return Object.entries(plain).flatMap(([k, v]) => unknownOutputPaths(v, path ? `${path}.${k}` : k));
  return [];
}

export async function makePlan(options: PlanOptions): Promise<PlanResult> {
  const { config, secretKeys } = options.stackConfig ?? loadStackConfig(options.stack);
  const run = await runProgram({ stack: options.stack, config, secretKeys, program: options.program });
  if (run.error) {
    return { exitCode: 1, text: `Plan for stack "${options.stack}" failed:\n${run.error.message}`, files: [] };
  }
  // What `pulumi preview` sees: the same program with every computed value unknown.
  const preview = await runProgram({
    stack: options.stack,
    config,
    secretKeys,
    program: options.program,
    preview: true,
  });
  if (preview.error) {
    return {
      exitCode: 1,
      text: `Preview of stack "${options.stack}" failed (computed values unknown):\n${preview.error.message}`,
      files: [],
    };
  }
  const unknownUntilUp = unknownOutputPaths(preview.rawOutputs);
  const graph = buildGraph(run);
  const report = await evaluatePolicies(run);
  const outDir = options.outDir ?? path.join(REPO_ROOT, "plan");
  mkdirSync(outDir, { recursive: true });
  const jsonFile = path.join(outDir, `${options.stack}.json`);
  const mdFile = path.join(outDir, `${options.stack}.md`);
  writeFileSync(jsonFile, canonicalJson({ ...planDocument(run, graph, report), unknownUntilUp }));
  const access: AccessSummary = {
    report: accessReportOf(run),
    undecidableInPreview: ((r) => [...r.findings, ...r.oci].filter((f) => f.verdict === "undecidable").length)(
      accessReportOf(preview),
    ),
  };
  writeFileSync(mdFile, markdown(run, graph, report, unknownUntilUp, access));
  const files = [jsonFile, mdFile];
  const text = consoleText(run, graph, report, files, unknownUntilUp);
  if (report.mandatoryViolations > 0) {
    return {
      exitCode: 2,
      text: `${text}\n${report.mandatoryViolations} mandatory policy violation(s): the plan fails.`,
      files,
    };
  }
  return { exitCode: 0, text, files };
}
