import { runProgram } from "./tests/engine/engine";
import { loadStackConfig } from "./tests/engine/stackConfig";
(async () => { for (const stack of ["dev","prod"]) { const { config } = loadStackConfig(stack); const r = await runProgram({ stack, config }); console.log(stack, r.resources.length, r.error?.message?.slice(0, 400)); } })();
