/** Shared helpers for tests that run the program on the offline engine. */
import { RecordedResource, RunResult, runProgram } from "../../offline/engine";
import { loadStackConfig, withConfigChange } from "../../offline/stacks";

export { withConfigChange };

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
export async function runWithConfigChange(
  stack: string,
  key: string,
  path: readonly string[],
  value: unknown,
): Promise<RunResult> {
  const { config, secretKeys } = loadStackConfig(stack);
  return runProgram({ stack, config: withConfigChange(config, key, path, value), secretKeys });
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
