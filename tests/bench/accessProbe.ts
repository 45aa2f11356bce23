/** Prints the access evaluation of a stack: `npx tsx tests/bench/accessProbe.ts <stack>` (a debugging aid). */
import { loadStackConfig } from "../../offline/stacks";
import { runProgram } from "../../offline/engine";
import { accessReportOf } from "../../offline/policyHarness";

async function main() {
  const stack = process.argv[2] ?? "dev";
  const { config, secretKeys } = loadStackConfig(stack);
  const run = await runProgram({ stack, config, secretKeys });
  if (run.error) throw run.error;
  const report = accessReportOf(run);
  console.log(
    JSON.stringify(
      { ...report, stack: undefined, findings: report.findings.filter((f) => f.verdict !== "allowed").length },
      null,
      1,
    ),
  );
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
