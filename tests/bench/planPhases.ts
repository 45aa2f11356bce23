/**
 * One dev plan's phases in this process, as JSON on stdout: the program run as `up` (which bundles
 * the functions and makes the key pairs, from the disk cache when warm), the preview run, and the
 * policy evaluation. Spawned by bench:timings, once with MULTICLOUD_CACHE=off and once warm.
 */
import { runProgram } from "../../offline/engine";
import { evaluatePolicies } from "../../offline/policyHarness";
import { loadStackConfig } from "../../offline/stacks";

async function main(): Promise<void> {
  const stack = process.argv[2] ?? "dev";
  const { config, secretKeys } = loadStackConfig(stack);
  const seconds = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = process.hrtime.bigint();
    const result = await work();
    return [result, Number(process.hrtime.bigint() - started) / 1e9];
  };
  // The environment stacks run the org program first for their StackReference: timed on its own.
  const [, org] = await seconds(() => runProgram({ stack: "org", ...loadStackConfig("org") }));
  const [up, upSeconds] = await seconds(() => runProgram({ stack, config, secretKeys }));
  if (up.error) throw up.error;
  const [, preview] = await seconds(() => runProgram({ stack, config, secretKeys, preview: true }));
  const [, policies] = await seconds(() => evaluatePolicies(up));
  process.stdout.write(`${JSON.stringify({ org, up: upSeconds, preview, policies })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
