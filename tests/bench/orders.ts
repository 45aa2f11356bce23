/**
 * `npm run bench:orders`: load against the order API on loopback, the database replaced by a
 * fixed-latency fake behind a pool of 4, 8 and 16 connections (tests/bench/support; the server is
 * a child process, so it has a core of its own). Per pool size it prints:
 *  - saturated throughput: autocannon, closed loop, 4 clients per connection, next to Little's-law
 *    limit pool size ÷ latency (goal ≥ 90 %);
 *  - the HTTP overhead below saturation (open-loop load at half the limit): the client's p50 and
 *    p99 next to the fake's own hold times (a 5 ms timer holds 4–6 ms by the wall clock);
 *  - at twice the limit's offered load (open loop): the 503 share and the p99, which the queue
 *    timeout must bound.
 * Every request carries a bearer token the server verifies (ES256, keys cached); the token check's
 * own p50/p99 is printed first.
 * Latency runs use an open-loop client timed with hrtime: autocannon's latency figures under
 * `overallRate` were wrong here (a 1 ms minimum against a 5 ms database). A benchmark, not a test:
 * figures depend on the machine (docs/orders.md records ours).
 */
import autocannon from "autocannon";
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { signingKey, TestIssuer } from "../functions/support/testIssuer";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5);
const QUEUE_TIMEOUT_MS = Number(process.env.BENCH_QUEUE_TIMEOUT_MS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const POOL_SIZES = (process.env.BENCH_POOL_SIZES ?? "4,8,16").split(",").map(Number);
const PATH = "/orders/O-1";

interface Server {
  readonly port: number;
  /** A bearer token the server's verifier accepts: every request carries it. */
  readonly token: string;
  readonly child: ChildProcess;
}

async function startServer(poolSize: number): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "support", "ordersServer.ts")], {
    env: {
      ...process.env,
      POOL_SIZE: String(poolSize),
      LATENCY_MS: String(LATENCY_MS),
      QUEUE_TIMEOUT_MS: String(QUEUE_TIMEOUT_MS),
    },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const { port, token } = await new Promise<{ port: number; token: string }>((resolve) =>
    createInterface({ input: child.stdout! }).once("line", (line) =>
      resolve(JSON.parse(line) as { port: number; token: string }),
    ),
  );
  return { port, token, child };
}

/** The fake database's hold times since the last call (ms). */
function holds(server: Server): Promise<number[]> {
  return new Promise((resolve) => {
    server.child.once("message", (m) => resolve((m as { holds: number[] }).holds));
    server.child.send("holds");
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : Number.NaN;
}

interface OpenLoopResult {
  readonly sent: number;
  readonly latencies: number[];
  readonly statuses: Map<number, number>;
  readonly errors: number;
}

/**
 * Starts requests at `rate` per second for `seconds`, whatever the responses do (open loop: a
 * slow server cannot slow the load down and hide its queue), and times each with hrtime.
 */
async function openLoop(server: Server, rate: number, seconds: number): Promise<OpenLoopResult> {
  const { port } = server;
  const headers = { authorization: `Bearer ${server.token}` };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let sent = 0;
  const inFlight: Promise<void>[] = [];
  const request = () =>
    new Promise<void>((resolve) => {
      const start = process.hrtime.bigint();
      const req = http.get({ host: "127.0.0.1", port, path: PATH, agent, headers }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  const began = process.hrtime.bigint();
  const total = Math.round(rate * seconds);
  while (sent < total) {
    const due = Math.min(total, Math.floor((Number(process.hrtime.bigint() - began) / 1e9) * rate));
    for (; sent < due; sent++) inFlight.push(request());
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent, latencies, statuses, errors };
}

const f = (value: number) => value.toFixed(2).padStart(6);

/**
 * What checking a bearer token costs per request, in-process: the real verifier (jose) with the
 * issuer's keys cached in memory, for the two algorithms issuers use most. Its p50 is part of the
 * HTTP overhead printed below (every bench request carries an ES256 token).
 */
async function tokenCost(): Promise<void> {
  const runs = Number(process.env.BENCH_TOKEN_RUNS ?? 3000);
  for (const alg of ["ES256", "RS256"] as const) {
    const key = await signingKey(`bench-${alg}`, alg);
    const issuer = new TestIssuer([key]);
    const verify = issuer.auth().verify;
    const token = await issuer.customer("C-1", ["orders:read"]);
    for (let i = 0; i < 200; i++) await verify(token); // warm-up (JIT, key import cache)
    const micros: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      await verify(token);
      micros.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    micros.sort((a, b) => a - b);
    console.log(
      `token verification ${alg}: p50 ${percentile(micros, 50).toFixed(0)} µs, p99 ${percentile(micros, 99).toFixed(0)} µs over ${runs} tokens`,
    );
  }
  console.log("");
}

async function main(): Promise<void> {
  console.log(
    `order API bench: fake database latency ${LATENCY_MS} ms, queue timeout ${QUEUE_TIMEOUT_MS} ms, ${SECONDS} s per run, GET ${PATH}, node ${process.version}\n`,
  );
  await tokenCost();
  for (const size of POOL_SIZES) {
    const limit = (size * 1000) / LATENCY_MS;
    const server = await startServer(size);
    try {
      const url = `http://127.0.0.1:${server.port}${PATH}`;
      const headers = { authorization: `Bearer ${server.token}` };
      await autocannon({ url, headers, connections: size * 4, duration: 2 }); // warm-up
      const saturated = await autocannon({ url, headers, connections: size * 4, duration: SECONDS });
      await holds(server);
      const below = await openLoop(server, limit / 2, SECONDS);
      const belowHolds = (await holds(server)).sort((a, b) => a - b);
      const over = await openLoop(server, limit * 2, SECONDS);
      const unavailable = over.statuses.get(503) ?? 0;
      const other = over.latencies.length - unavailable - (over.statuses.get(200) ?? 0);
      console.log(
        [
          `pool ${String(size).padStart(2)}`,
          `limit ${limit.toFixed(0).padStart(5)} req/s`,
          `saturated ${saturated.requests.average.toFixed(0).padStart(5)} req/s = ${((100 * saturated.requests.average) / limit).toFixed(1)} % of the limit`,
          `at ${(limit / 2).toFixed(0)} req/s: client p50 ${f(percentile(below.latencies, 50))} / p99 ${f(percentile(below.latencies, 99))} ms, database hold p50 ${f(percentile(belowHolds, 50))} / p99 ${f(percentile(belowHolds, 99))} ms → overhead p50 ${f(percentile(below.latencies, 50) - percentile(belowHolds, 50))} / p99 ${f(percentile(below.latencies, 99) - percentile(belowHolds, 99))} ms`,
          `at ${(2 * limit).toFixed(0)} req/s offered: 503 ${((100 * unavailable) / Math.max(1, over.latencies.length)).toFixed(1)} %, p99 ${f(percentile(over.latencies, 99))} ms, max ${f(over.latencies[over.latencies.length - 1] ?? Number.NaN)} ms, other statuses ${other}, connection errors ${over.errors}`,
        ].join(" | "),
      );
    } finally {
      server.child.kill("SIGKILL");
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
