/**
 * SIGTERM drain in a child process: the real serve() — readiness false, in-flight requests
 * finish, the pool closes, exit 0; a request longer than the drain time is cut, still exit 0.
 */
import { expect } from "chai";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";

interface Child {
  readonly process: ChildProcess;
  readonly port: number;
  /** Authorization headers with the child's test issuer's token for C-1. */
  readonly auth: { authorization: string };
  readonly lines: Array<Record<string, unknown>>;
}

async function start(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "support", "orderServer.ts")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: Array<Record<string, unknown>> = [];
  const reader = createInterface({ input: child.stdout! });
  const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening`)));
    reader.on("line", (line) => {
      const json = JSON.parse(line) as Record<string, unknown>;
      lines.push(json);
      if (typeof json.port === "number") resolve(json as { port: number; token: string });
    });
  });
  return { process: child, port, auth: { authorization: `Bearer ${token}` }, lines };
}

describe("order service drain on SIGTERM (child process)", function () {
  it("lets an in-flight request finish, closes the pool, refuses new work and exits 0", async () => {
    const child = await start({ DELAY_MS: "800", DRAIN_SECONDS: "10" });
    const base = `http://127.0.0.1:${child.port}`;
    expect((await fetch(`${base}/readyz`)).status).to.equal(200);
    const inFlight = fetch(`${base}/orders/O-1`, { headers: child.auth });
    await new Promise((r) => setTimeout(r, 200)); // the request is inside the store now
    child.process.kill("SIGTERM");
    const exited = once(child.process, "exit");
    const response = await inFlight;
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { orderId: string }).orderId).to.equal("O-1");
    const [code] = await exited;
    expect(code).to.equal(0);
    const events = child.lines.map((l) => l.event).filter(Boolean);
    expect(events).to.deep.equal(["shutdown.start", "intake.closed", "store.closed", "shutdown.done"]);
    expect(child.lines.find((l) => l.event === "shutdown.done")?.cutShort).to.equal(false);
    const refused = await fetch(`${base}/healthz`).then(
      (r) => r.status,
      () => "refused",
    );
    expect(refused).to.equal("refused");
  });

  it("cuts a request that outlives the drain time and still exits 0 (inside the grace period)", async () => {
    const child = await start({ DELAY_MS: "20000", DRAIN_SECONDS: "1" });
    const inFlight = fetch(`http://127.0.0.1:${child.port}/orders/O-1`, { headers: child.auth }).then(
      (r) => r.status,
      () => "cut",
    );
    await new Promise((r) => setTimeout(r, 200));
    child.process.kill("SIGTERM");
    const [code] = await once(child.process, "exit");
    expect(code).to.equal(0);
    expect(await inFlight).to.equal("cut");
    expect(child.lines.find((l) => l.event === "shutdown.done")?.cutShort).to.equal(true);
  });
});
