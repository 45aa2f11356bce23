import { loadStackConfig } from "../../offline/stacks";
import { runProgram } from "../../offline/engine";
import { evaluatePolicies } from "../../offline/policyHarness";
async function main() {
  const stack = process.argv[2] ?? "dev";
  const { config, secretKeys } = loadStackConfig(stack);
  const run = await runProgram({ stack, config, secretKeys });
  if (run.error) throw run.error;
  console.log("calls", run.access.calls.length, "exempt", run.access.exempt.length);
  const report = await evaluatePolicies(run);
  for (const v of report.violations.filter((v) => v.policy.includes("runtime") )) console.log(v.level, v.policy, v.message);
}
if (!process.argv[3]) main().catch((e) => { console.error(e); process.exit(1); });
// debug
export async function dump(stack: string, by: string) {
  const { config, secretKeys } = loadStackConfig(stack);
  const run = await runProgram({ stack, config, secretKeys });
  for (const c of run.access.calls.filter((x) => x.by.includes(by))) console.log(JSON.stringify(c));
  const t = run.resources.find((r) => r.type === "aws:sns/topic:Topic" && r.name === "alarms-topic");
  console.log(t?.state.arn, JSON.stringify(t?.propertyDependencies));
}
if (process.argv[3]) void dump(process.argv[2], process.argv[3]);
