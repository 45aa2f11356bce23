// npm run test:file -- <file> [more]: mocha with the suite's .mocharc.json on just those files,
// refusing what would otherwise run nothing (no file named, or a path that does not exist).
const { spawnSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const path = require("node:path");

const args = process.argv.slice(2);
// Files are the arguments that name a script; the rest are mocha's options and their values.
const files = args.filter((arg) => !arg.startsWith("-") && /\.(ts|js|cjs|mjs)$/.test(arg));
if (files.length === 0) {
  console.error("usage: npm run test:file -- <test file> [more files] [mocha options], e.g. tests/unit/cidr.test.ts");
  process.exit(2);
}
const missing = files.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`no such test file: ${missing.join(", ")} (paths are relative to the repository root)`);
  process.exit(2);
}
const mocha = path.join(path.dirname(require.resolve("mocha/package.json")), "bin", "mocha.js");
const run = spawnSync(process.execPath, [mocha, ...args], { stdio: "inherit" });
process.exit(run.status ?? 1);
