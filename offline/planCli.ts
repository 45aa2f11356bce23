/** `npm run plan -- --stack dev|prod [--out DIR]`: the credential-free offline plan. */
import { parseArgs } from "node:util";
import { stackNames } from "./stacks";
import { makePlan } from "./plan";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stack: { type: "string" }, out: { type: "string" } } });
  const known = stackNames();
  if (!values.stack || !known.includes(values.stack)) {
    console.error(
      `usage: npm run plan -- --stack <${known.join("|")}> [--out DIR]${values.stack ? ` (no Pulumi.${values.stack}.yaml)` : ""}`,
    );
    return 1;
  }
  const started = Date.now();
  const result = await makePlan({ stack: values.stack, outDir: values.out });
  (result.exitCode === 0 ? console.log : console.error)(result.text);
  console.log(`Plan finished in ${((Date.now() - started) / 1000).toFixed(1)} s with exit code ${result.exitCode}.`);
  return result.exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
