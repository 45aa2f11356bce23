/**
 * The OCI functions' images (the anomaly feature function's, the recommendation functions'), each checked by parsing its Dockerfile (no docker here): bases
 * pinned by digest, Node 22 to build, distroless Node 22 to run (nothing runs in it), one bundled
 * file from the build stage, every source the handler needs copied into the build, a numeric
 * non-root user, an exec-form start, and a lock file that pins what the build installs.
 */
import { expect } from "chai";
import { type Copy, DockerfileParser, type From } from "dockerfile-ast";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const FUNCTIONS = path.join(__dirname, "..", "..", "functions");

for (const folder of ["anomaly", "recommend"]) {
  const DIR = path.join(FUNCTIONS, "oci", folder);
  const dockerfile = DockerfileParser.parse(readFileSync(path.join(DIR, "Dockerfile"), "utf8"));
  const froms = dockerfile.getFROMs();
  const instructions = dockerfile.getInstructions();
  const stages = froms.map((from, i) => ({
    from,
    body: instructions.slice(
      instructions.indexOf(from) + 1,
      i + 1 < froms.length ? instructions.indexOf(froms[i + 1]) : instructions.length,
    ),
  }));
  const [build, runtime] = stages;

  describe(`OCI function image oci/${folder} (Dockerfile)`, () => {
    it("builds on Node 22 and runs on distroless Node 22, every base pinned by digest, nothing run at run time", () => {
      expect(stages).to.have.length(2);
      for (const from of froms as From[])
        expect(from.getImageDigest(), from.getImage() ?? "").to.match(/^sha256:[0-9a-f]{64}$/);
      expect(build.from.getImageTag()).to.match(/^22-/);
      expect([runtime.from.getImageName(), runtime.from.getImageTag()]).to.deep.equal([
        "distroless/nodejs22-debian12",
        "nonroot",
      ]);
      expect(runtime.body.map((i) => i.getKeyword())).to.not.include("RUN");
    });

    it("bundles the handler into one file and ships only that, as a numeric non-root user started in exec form", () => {
      const bundle = build.body
        .filter((i) => i.getKeyword() === "RUN")
        .map((i) => i.getArgumentsContent() ?? "")
        .find((r) => r.includes("esbuild"))!;
      expect(JSON.parse(bundle)).to.include.members([
        `oci/${folder}/handler.ts`,
        "--bundle",
        "--target=node22",
        "--outfile=dist/func.js",
      ]);
      expect(
        (runtime.body.filter((i) => i.getKeyword() === "COPY") as Copy[]).map((c) => [
          c.getFromFlag()?.getValue(),
          c.getArgumentsContent(),
        ]),
      ).to.deep.equal([["build", "/build/dist/func.js ./"]]);
      expect(runtime.body.find((i) => i.getKeyword() === "USER")?.getArgumentsContent()).to.match(
        /^[1-9][0-9]*:[1-9][0-9]*$/,
      );
      expect(JSON.parse(runtime.body.find((i) => i.getKeyword() === "CMD")?.getArgumentsContent() ?? "")).to.deep.equal(
        ["func.js"],
      );
    });

    it("copies into the build every file the handler imports from outside its folder", () => {
      const sources = (build.body.filter((i) => i.getKeyword() === "COPY") as Copy[]).map(
        (c) => c.getArgumentsContent()?.split(" ")[0],
      );
      const imports = readdirSync(DIR)
        .filter((f) => f.endsWith(".ts"))
        .flatMap((f) =>
          [...readFileSync(path.join(DIR, f), "utf8").matchAll(/from "(\.\.\/[^"]+)"/g)].map((m) =>
            path.relative(FUNCTIONS, path.resolve(DIR, m[1])),
          ),
        );
      // A source is copied by name or by its folder's *.ts.
      for (const file of new Set(imports))
        expect(sources.includes(`${file}.ts`) || sources.includes(`${path.dirname(file)}/*.ts`), file).to.equal(true);
      expect(sources).to.include(`oci/${folder}/*.ts`);
      // The shared folder's own imports from outside it are copied too.
      const common = path.join(FUNCTIONS, "oci", "common");
      const commonImports = readdirSync(common).flatMap((f) =>
        [...readFileSync(path.join(common, f), "utf8").matchAll(/from "(\.\.\/[^"]+)"/g)].map((m) =>
          path.relative(FUNCTIONS, path.resolve(common, m[1])),
        ),
      );
      for (const file of new Set(commonImports)) expect(sources, file).to.include(`${file}.ts`);
    });

    it("installs from a lock that pins the function's dependencies at the versions the repository tests", () => {
      const manifest = JSON.parse(readFileSync(path.join(DIR, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      const lock = JSON.parse(readFileSync(path.join(DIR, "package-lock.json"), "utf8")) as {
        packages: Record<string, { version?: string }>;
      };
      const root = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      for (const [name, version] of Object.entries(manifest.dependencies)) {
        expect(lock.packages[`node_modules/${name}`]?.version, name).to.equal(version);
        expect(root.dependencies[name], `${name} is tested at the same version`).to.equal(version);
      }
    });
  });
}
