/**
 * The order service's Dockerfile, parsed (no docker here): multi-stage, Node 22, production
 * dependencies only in the image, bases pinned by digest, a distroless (shell-less) runtime as a
 * numeric non-root user, exec-form CMD, and a build that compiles every source file.
 */
import { expect } from "chai";
import { type Copy, DockerfileParser, type From } from "dockerfile-ast";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ORDERS_HTTP } from "../../functions/aws/orders/contract";

const DIR = path.join(__dirname, "..", "..", "functions", "aws", "orders");
const dockerfile = DockerfileParser.parse(readFileSync(path.join(DIR, "Dockerfile"), "utf8"));
const froms = dockerfile.getFROMs();
const instructions = dockerfile.getInstructions();
/** The instructions of each stage, by its FROM's index. */
const stages = froms.map((from, i) => {
  const start = instructions.indexOf(from);
  const end = i + 1 < froms.length ? instructions.indexOf(froms[i + 1]) : instructions.length;
  return { from, body: instructions.slice(start + 1, end) };
});
const final = stages[stages.length - 1];
const stageNamed = (name: string | undefined) => stages.find((s) => s.from.getBuildStage() === name);

describe("order service image (Dockerfile)", () => {
  it("is multi-stage with every base pinned by digest", () => {
    expect(froms.length).to.be.at.least(2);
    for (const from of froms as From[]) {
      expect(from.getImageDigest(), from.getImage() ?? "").to.match(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it("builds on Node 22 and runs on distroless Node 22: no shell, no package manager", () => {
    for (const stage of stages.slice(0, -1)) expect(stage.from.getImageTag()).to.match(/^22-/);
    expect(final.from.getImageName()).to.equal("distroless/nodejs22-debian12");
    expect(final.from.getImageTag()).to.equal("nonroot");
    expect(
      final.body.map((i) => i.getKeyword()),
      "nothing runs inside the runtime stage",
    ).to.not.include("RUN");
  });

  it("ships production dependencies only: node_modules comes from a stage that installs with --omit=dev", () => {
    const copies = final.body.filter((i) => i.getKeyword() === "COPY") as Copy[];
    const modules = copies.find((c) => c.getArgumentsContent()?.includes("node_modules"));
    const source = stageNamed(modules?.getFromFlag()?.getValue() ?? undefined);
    expect(source, "node_modules is copied from a named stage").to.not.equal(undefined);
    const installs = source!.body.filter((i) => i.getKeyword() === "RUN").map((i) => i.getArgumentsContent() ?? "");
    expect(installs).to.deep.equal(["npm ci --omit=dev --ignore-scripts --no-audit --no-fund"]);
    // Everything else the runtime gets is the compiled output.
    expect(copies.map((c) => c.getArgumentsContent())).to.deep.equal([
      "/app/node_modules ./node_modules",
      "/app/dist ./",
    ]);
  });

  it("runs as a numeric non-root user, exposes the contract's port and starts with an exec-form CMD", () => {
    const user = final.body.find((i) => i.getKeyword() === "USER")?.getArgumentsContent();
    expect(user).to.match(/^[1-9][0-9]*:[1-9][0-9]*$/);
    expect(final.body.find((i) => i.getKeyword() === "EXPOSE")?.getArgumentsContent()).to.equal(
      String(ORDERS_HTTP.port),
    );
    const cmd = final.body.find((i) => i.getKeyword() === "CMD")?.getArgumentsContent() ?? "";
    expect(JSON.parse(cmd)).to.deep.equal(["server.js"]);
  });

  it("compiles every source file of the service (a new file cannot be left out of the image)", () => {
    const build = stageNamed("build")!;
    const compile = build.body
      .filter((i) => i.getKeyword() === "RUN")
      .map((i) => i.getArgumentsContent() ?? "")
      .find((r) => r.includes("esbuild"))!;
    const files = (JSON.parse(compile) as string[]).filter((a) => a.endsWith(".ts"));
    const sources = readdirSync(DIR)
      .filter((f) => f.endsWith(".ts"))
      .sort();
    expect(files.sort()).to.deep.equal(sources);
  });

  it("pins the service's dependencies to the versions the repository tests with", () => {
    const service = JSON.parse(readFileSync(path.join(DIR, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const root = JSON.parse(readFileSync(path.join(DIR, "..", "..", "..", "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries({ ...service.dependencies, ...service.devDependencies })) {
      expect(version, name).to.equal(root.dependencies[name] ?? root.devDependencies[name]);
    }
    const lock = JSON.parse(readFileSync(path.join(DIR, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    for (const [name, version] of Object.entries(service.dependencies))
      expect(lock.packages[`node_modules/${name}`]?.version, `${name} in the lock`).to.equal(version);
  });
});
