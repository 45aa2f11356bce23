/**
 * The cross-cloud link probe: one TCP connect to the database listener over the interconnect,
 * timed and bounded, and the result as a CloudWatch embedded-metric-format record. Pure apart from
 * the socket (injected in tests as a real listener on loopback).
 */
import net from "node:net";
import { PROBE_ENV, PROBE_METRICS } from "./contract";

export interface ProbeResult {
  readonly ok: boolean;
  readonly connectMs?: number;
  /** Why it failed: the socket error's code, or the timeout. */
  readonly error?: string;
}

export interface ProbeSettings {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly stack: string;
}

/** The probe's configuration, every wrong value named. */
export function probeSettings(env: NodeJS.ProcessEnv): ProbeSettings {
  const problems: string[] = [];
  const host = env[PROBE_ENV.host] ?? "";
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(host))
    problems.push(`${PROBE_ENV.host} is ${JSON.stringify(env[PROBE_ENV.host] ?? null)}; expected a host name`);
  const port = Number(env[PROBE_ENV.port]);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    problems.push(`${PROBE_ENV.port} is ${JSON.stringify(env[PROBE_ENV.port] ?? null)}; expected a TCP port`);
  const timeoutMs = Number(env[PROBE_ENV.timeoutMs] ?? "3000");
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 30_000)
    problems.push(
      `${PROBE_ENV.timeoutMs} is ${JSON.stringify(env[PROBE_ENV.timeoutMs])}; expected milliseconds from 100 to 30000`,
    );
  const stack = env[PROBE_ENV.stack] ?? "";
  if (!stack) problems.push(`${PROBE_ENV.stack} is not set; expected the stack's name prefix`);
  if (problems.length) throw new Error(`the link probe's configuration is wrong:\n  ${problems.join("\n  ")}`);
  return { host, port, timeoutMs, stack };
}

/** The part of a socket the probe uses (node's, or one a test holds). */
export interface ProbeSocket {
  once(event: "connect", listener: () => void): unknown;
  once(event: "error", listener: (err: NodeJS.ErrnoException) => void): unknown;
  destroy(): void;
}

/** Opens and closes one TCP connection; never throws. */
export function probeTcp(
  host: string,
  port: number,
  timeoutMs: number,
  open: (host: string, port: number) => ProbeSocket = (h, p) => net.createConnection({ host: h, port: p }),
  now: () => number = () => performance.now(),
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const started = now();
    const socket = open(host, port);
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, error: `no connection within ${timeoutMs} ms` }), timeoutMs);
    socket.once("connect", () => finish({ ok: true, connectMs: Math.round((now() - started) * 10) / 10 }));
    socket.once("error", (err: NodeJS.ErrnoException) => finish({ ok: false, error: err.code ?? err.message }));
  });
}

/** The result as an embedded-metric-format log record: ProbeFailed always, ConnectMs when it connected. */
export function emfRecord(
  result: ProbeResult,
  settings: Pick<ProbeSettings, "stack" | "host" | "port">,
  timestampMs: number,
): Record<string, unknown> {
  const metrics = [
    { Name: PROBE_METRICS.failed, Unit: "Count" },
    ...(result.ok ? [{ Name: PROBE_METRICS.connectMs, Unit: "Milliseconds" }] : []),
  ];
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [{ Namespace: PROBE_METRICS.namespace, Dimensions: [["Stack", "Target"]], Metrics: metrics }],
    },
    Stack: settings.stack,
    Target: PROBE_METRICS.target,
    [PROBE_METRICS.failed]: result.ok ? 0 : 1,
    ...(result.ok ? { [PROBE_METRICS.connectMs]: result.connectMs } : { error: result.error }),
    endpoint: `${settings.host}:${settings.port}`,
  };
}
