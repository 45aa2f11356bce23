/**
 * `npm run plan:diff -- <git-ref> [--stack NAME …]`: plans each stack at a git ref and at the work
 * tree on the offline engine and compares what `pulumi up` would see: every resource (by URN:
 * type, name, parent, provider, protect, ignoreChanges), its inputs (secrets redacted) and
 * dependencies, and the stack outputs. A resource whose URN changed counts as a difference unless
 * the new one lists the old URN in its aliases (then it is shown as moved, which Pulumi carries
 * over without replacing). Each changed resource is marked update, replace (naming the inputs that
 * force it) or `replace: unknown` (components/shared/replacements.ts). Prints every difference;
 * exits 3 when a protected resource would be replaced (pulumi up refuses it), else 1 when there is
 * any difference, 0 otherwise.
 *
 * `--before DIR --after DIR` compares plan files already written (`npm run plan -- --out DIR`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPLACEMENTS } from "../components/shared/replacements";
import { REPO_ROOT, stackNames } from "./stacks";

/** A resource as the plan file lists it (fields older plan files lack are optional). */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly provider: string | null;
  readonly protect: boolean;
  readonly ignoreChanges?: readonly string[];
  readonly aliases?: readonly string[];
  readonly dependencies: readonly string[];
  readonly inputs: unknown;
}

export interface PlanDocument {
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  readonly outputs: unknown;
}

export interface PlanDifference {
  /** added, removed, moved (aliased: carried over), changed (same URN, something differs). */
  readonly kind: "added" | "removed" | "moved" | "changed";
  readonly urn: string;
  /**
   * For a changed resource, what `pulumi up` does with it: an update in place, a replacement
   * naming the inputs that force it (components/shared/replacements.ts), or `replace: unknown`
   * for a type without a row. A replacement of a protected resource is refused by Pulumi.
   */
  readonly action?: string;
  /** A replacement `pulumi up` would refuse: the resource is protected (kept in production). */
  readonly refused?: boolean;
  /** What differs, one line each (`inputs.tags.Name: "a" → "b"`). */
  readonly details: readonly string[];
}

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? "(absent)" : text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/** Paths where two JSON values differ, each with both values. */
export function valueDifferences(before: unknown, after: unknown, at: string): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return [`${at}: ${show(before)} → ${show(after)}`];
    return before.flatMap((item, i) => valueDifferences(item, after[i], `${at}[${i}]`));
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => valueDifferences(before[key], after[key], at ? `${at}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${at}: ${show(before)} → ${show(after)}`];
}

/** Everything `pulumi up` would do differently between two plans of one stack. */
export function diffPlans(before: PlanDocument, after: PlanDocument): PlanDifference[] {
  const differences: PlanDifference[] = [];
  const afterByUrn = new Map(after.resources.map((r) => [r.urn, r]));
  const beforeByUrn = new Map(before.resources.map((r) => [r.urn, r]));
  const movedTo = new Map<string, PlannedResource>();
  for (const r of after.resources)
    for (const alias of r.aliases ?? []) if (beforeByUrn.has(alias) && !afterByUrn.has(alias)) movedTo.set(alias, r);
  // A dependency on a moved resource is the same dependency.
  const renamed = (urn: string) => movedTo.get(urn)?.urn ?? urn;

  for (const old of before.resources) {
    const moved = movedTo.get(old.urn);
    const current = afterByUrn.get(old.urn) ?? moved;
    if (!current) {
      differences.push({
        kind: "removed",
        urn: old.urn,
        details: ["not in the new plan: pulumi up deletes it (add an alias if it was renamed or re-parented)"],
      });
      continue;
    }
    const details = [
      ...valueDifferences(old.type, current.type, "type"),
      ...valueDifferences(old.name, current.name, "name"),
      ...valueDifferences(old.parent && renamed(old.parent), current.parent, "parent"),
      ...valueDifferences(old.provider, current.provider, "provider"),
      ...valueDifferences(old.protect, current.protect, "protect"),
      ...valueDifferences(old.ignoreChanges ?? [], current.ignoreChanges ?? [], "ignoreChanges"),
      ...valueDifferences([...old.dependencies].map(renamed).sort(), [...current.dependencies].sort(), "dependencies"),
      ...valueDifferences(old.inputs, current.inputs, "inputs"),
    ];
    if (moved)
      differences.push({
        kind: "moved",
        urn: old.urn,
        details: [`now ${moved.urn} (aliased: state carried over, no replacement)`, ...details],
      });
    else if (details.length > 0) {
      const action = changeAction(current.type, old.inputs, current.inputs);
      const refused = action.startsWith("replace") && current.protect;
      differences.push({
        kind: "changed",
        urn: old.urn,
        action,
        ...(refused ? { refused } : {}),
        details: refused
          ? [
              `refused: protected (KEPT_IN_PRODUCTION); pulumi up fails rather than ${action} — lift the protection on purpose or change the input back`,
              ...details,
            ]
          : details,
      });
    }
  }
  const carried = new Set([...movedTo.values()].map((r) => r.urn));
  for (const r of after.resources) {
    if (!beforeByUrn.has(r.urn) && !carried.has(r.urn))
      differences.push({ kind: "added", urn: r.urn, details: [`new ${r.type}`] });
  }
  const outputs = valueDifferences(before.outputs, after.outputs, "outputs");
  if (outputs.length > 0) differences.push({ kind: "changed", urn: "(stack outputs)", details: outputs });
  return differences;
}

/**
 * What `pulumi up` does to a resource whose inputs changed from `before` to `after`: `update` (in
 * place), `replace: <inputs>` (those that force it, per REPLACEMENTS), or `replace: unknown`
 * (a type without a row: nothing says the change is safe).
 */
export function changeAction(type: string, before: unknown, after: unknown): string {
  const changed = valueDifferences(before, after, "").map((line) => line.slice(0, line.indexOf(": ")));
  if (changed.length === 0) return "update";
  const row = REPLACEMENTS[type];
  if (!row) return "replace: unknown";
  const forcing = row.replaces.filter((property) =>
    changed.some((path) => path === property || path.startsWith(`${property}.`) || path.startsWith(`${property}[`)),
  );
  return forcing.length > 0 ? `replace: ${forcing.join(", ")}` : "update";
}

/** What an alias exists to change: the logical name, the parent, the type (and so the URN). */
const MOVE_DETAIL = /^(now |name: |parent: |type: )/;

/** Whether a difference fails the comparison: everything except an aliased move that changes nothing else. */
export function isFailure(difference: PlanDifference): boolean {
  return difference.kind !== "moved" || difference.details.some((detail) => !MOVE_DETAIL.test(detail));
}

export function formatDifferences(stack: string, differences: readonly PlanDifference[]): string {
  if (differences.length === 0) return `${stack}: no difference`;
  const lines = [
    `${stack}: ${differences.filter(isFailure).length} difference(s), ${differences.filter((d) => !isFailure(d)).length} aliased move(s)`,
  ];
  for (const d of differences) {
    lines.push(`  ${d.kind.padEnd(7)} ${d.urn}${d.action ? `  [${d.refused ? "REFUSED " : ""}${d.action}]` : ""}`);
    for (const detail of d.details) lines.push(`            ${detail}`);
  }
  return lines.join("\n");
}

/** Writes the plan of `stack` for the checkout at `root` into `outDir` with that checkout's own plan command. */
function planAt(root: string, stack: string, outDir: string): void {
  const result = spawnSync("npm", ["run", "--silent", "plan", "--", "--stack", stack, "--out", outDir], {
    cwd: root,
    encoding: "utf8",
  });
  // Exit 2 (a mandatory policy violation) still writes the plan; only 1 means no plan.
  if (result.status !== 0 && result.status !== 2) {
    throw new Error(`planning ${stack} in ${root} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  }
}

/** The tree of `ref` in a temporary folder that shares this checkout's node_modules. */
function checkoutAt(ref: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "plan-diff-"));
  const archive = execFileSync("git", ["archive", "--format=tar", ref], {
    cwd: REPO_ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

const readPlan = (dir: string, stack: string) =>
  JSON.parse(readFileSync(path.join(dir, `${stack}.json`), "utf8")) as PlanDocument;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { stack: { type: "string", multiple: true }, before: { type: "string" }, after: { type: "string" } },
  });
  const byDirs = values.before !== undefined && values.after !== undefined;
  if ((!byDirs && positionals.length !== 1) || (byDirs && positionals.length > 0)) {
    console.error(
      "usage: npm run plan:diff -- <git-ref> [--stack NAME ...]   or   npm run plan:diff -- --before DIR --after DIR [--stack NAME ...]",
    );
    return 1;
  }
  const stacks = values.stack ?? (byDirs ? [] : ["dev", "prod"]);
  let before = values.before;
  let after = values.after;
  let checkout: string | undefined;
  if (!byDirs) {
    checkout = checkoutAt(positionals[0]);
    before = path.join(checkout, "plan-out");
    after = mkdtempSync(path.join(tmpdir(), "plan-diff-worktree-"));
    mkdirSync(before, { recursive: true });
    for (const stack of stacks) {
      if (!stackNames().includes(stack))
        throw new Error(`no stack ${stack} in the work tree; known stacks: ${stackNames().join(", ")}`);
      planAt(checkout, stack, before);
      planAt(REPO_ROOT, stack, after);
    }
  }
  const compared =
    stacks.length > 0 ? stacks : stackNames().filter((s) => existsSync(path.join(String(before), `${s}.json`)));
  let failures = 0;
  let refusals = 0;
  for (const stack of compared) {
    const differences = diffPlans(readPlan(String(before), stack), readPlan(String(after), stack));
    failures += differences.filter(isFailure).length;
    refusals += differences.filter((d) => d.refused).length;
    console.log(formatDifferences(stack, differences));
  }
  if (checkout) {
    rmSync(checkout, { recursive: true, force: true });
    rmSync(String(after), { recursive: true, force: true });
  }
  console.log(failures === 0 ? "Plans match." : `${failures} difference(s): pulumi up would change what it manages.`);
  if (refusals > 0)
    console.log(`${refusals} replacement(s) of protected resources: pulumi up would refuse them (exit 3).`);
  return refusals > 0 ? 3 : failures === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
