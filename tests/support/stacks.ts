/** Shared helpers for tests that run the program on the offline engine. */
import { RecordedResource, RunResult, runProgram } from "../../offline/engine";
import { loadStackConfig } from "../../offline/stacks";

const runs = new Map<string, Promise<RunResult>>();

/** The stack's program run with its real stack file, once per test process. */
export function runStack(stack: string): Promise<RunResult> {
  let run = runs.get(stack);
  if (!run) {
    const { config, secretKeys } = loadStackConfig(stack);
    run = runProgram({ stack, config, secretKeys });
    runs.set(stack, run);
  }
  return run;
}

/** Runs the stack with one structured config value changed: `value` undefined deletes the field. */
export async function runWithConfigChange(stack: string, key: string, path: readonly string[], value: unknown): Promise<RunResult> {
  const { config, secretKeys } = loadStackConfig(stack);
  return runProgram({ stack, config: withConfigChange(config, key, path, value), secretKeys });
}

/** A copy of the flat config with one value changed; an empty path replaces (or deletes) the whole key. */
export function withConfigChange(config: Record<string, string>, key: string, path: readonly string[], value: unknown): Record<string, string> {
  const next = { ...config };
  if (path.length === 0) {
    if (value === undefined) delete next[key];
    else next[key] = typeof value === "string" ? value : JSON.stringify(value);
    return next;
  }
  const root = JSON.parse(next[key] ?? "{}") as Record<string, unknown>;
  let node = root;
  for (const part of path.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  next[key] = JSON.stringify(root);
  return next;
}

/** Custom (cloud) resources of a type, in URN order. */
export function ofType(run: RunResult, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource of a type with that logical name; fails loudly when absent. */
export function named(run: RunResult, type: string, name: string): RecordedResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name} in stack ${run.stack}`);
  return found;
}

/** The resource whose id (or URN) is `ref`; fails loudly when absent. */
export function byId(run: RunResult, ref: unknown): RecordedResource {
  const found = run.resources.find((r) => r.id === ref || r.urn === ref);
  if (!found) throw new Error(`no resource with id ${String(ref)} in stack ${run.stack}`);
  return found;
}

/** Resources registered by the program itself (everything except the root stack resource). */
export function programResources(run: RunResult): RecordedResource[] {
  return run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
}
