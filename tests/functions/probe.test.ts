/**
 * The cross-cloud link probe against real sockets on loopback: a listener that accepts (success,
 * connect time), a closed port (refused), a listener that never completes the handshake within
 * the timeout (a full backlog stands in for a dead link); the embedded-metric-format record; the
 * configuration's errors.
 */
import { expect } from "chai";
import { once } from "node:events";
import net from "node:net";
import { PROBE_METRICS } from "../../functions/aws/probe/contract";
import { emfRecord, type ProbeSocket, probeSettings, probeTcp } from "../../functions/aws/probe/probe";

async function listener(): Promise<{ port: number; close(): void }> {
  const server = net.createServer((socket) => socket.end());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

describe("cross-cloud link probe (real sockets on loopback)", () => {
  it("connects to a listener and times the connect", async () => {
    const l = await listener();
    try {
      const result = await probeTcp("127.0.0.1", l.port, 2_000);
      expect(result.ok).to.equal(true);
      expect(result.connectMs).to.be.a("number").and.at.least(0);
    } finally {
      l.close();
    }
  });

  it("reports a refused connection with its code, and a connect that does not complete in time as a timeout", async () => {
    const l = await listener();
    l.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await probeTcp("127.0.0.1", l.port, 2_000)).to.deep.equal({ ok: false, error: "ECONNREFUSED" });
    // A handshake that never completes (SYNs lost in a dead tunnel): the socket is held open and destroyed at the timeout.
    let destroyed = false;
    const silent = { once: () => silent, destroy: () => void (destroyed = true) };
    expect(await probeTcp("db.example", 1522, 150, () => silent)).to.deep.equal({
      ok: false,
      error: "no connection within 150 ms",
    });
    expect(destroyed).to.equal(true);
  });

  it("writes ProbeFailed always and ConnectMs on success, in CloudWatch's embedded metric format", () => {
    const settings = { stack: "multicloud-dev", host: "db.example", port: 1522 };
    expect(emfRecord({ ok: true, connectMs: 12.5 }, settings, 1_700_000_000_000)).to.deep.equal({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: PROBE_METRICS.namespace,
            Dimensions: [["Stack", "Target"]],
            Metrics: [
              { Name: "ProbeFailed", Unit: "Count" },
              { Name: "ConnectMs", Unit: "Milliseconds" },
            ],
          },
        ],
      },
      Stack: "multicloud-dev",
      Target: "oci-database-listener",
      ProbeFailed: 0,
      ConnectMs: 12.5,
      endpoint: "db.example:1522",
    });
    const failed = emfRecord({ ok: false, error: "ETIMEDOUT" }, settings, 1);
    expect([failed.ProbeFailed, failed.error, "ConnectMs" in failed]).to.deep.equal([1, "ETIMEDOUT", false]);
    expect(
      (failed._aws as { CloudWatchMetrics: Array<{ Metrics: unknown[] }> }).CloudWatchMetrics[0].Metrics,
    ).to.deep.equal([{ Name: "ProbeFailed", Unit: "Count" }]);
  });

  it("reads its configuration, naming every wrong value", () => {
    expect(probeSettings({ PROBE_HOST: "db.internal", PROBE_PORT: "1522", PROBE_STACK: "mc" })).to.deep.equal({
      host: "db.internal",
      port: 1522,
      timeoutMs: 3000,
      stack: "mc",
    });
    expect(() => probeSettings({ PROBE_HOST: "db internal", PROBE_PORT: "70000", PROBE_TIMEOUT_MS: "5" })).to.throw(
      [
        "the link probe's configuration is wrong:",
        '  PROBE_HOST is "db internal"; expected a host name',
        '  PROBE_PORT is "70000"; expected a TCP port',
        '  PROBE_TIMEOUT_MS is "5"; expected milliseconds from 100 to 30000',
        "  PROBE_STACK is not set; expected the stack's name prefix",
      ].join("\n"),
    );
  });

  it("takes the ports and timeouts at their bounds and refuses one past them", () => {
    const base = { PROBE_HOST: "db.internal", PROBE_PORT: "1522", PROBE_STACK: "mc" };
    const refusal = (env: Record<string, string | undefined>) => {
      try {
        probeSettings(env);
        return "accepted";
      } catch (err) {
        return (err as Error).message.split("\n").slice(1).join("\n");
      }
    };
    for (const port of ["1", "65535"]) expect(refusal({ ...base, PROBE_PORT: port }), port).to.equal("accepted");
    for (const port of ["0", "65536", "15.5", "x"])
      expect(refusal({ ...base, PROBE_PORT: port }), port).to.equal(`  PROBE_PORT is "${port}"; expected a TCP port`);
    expect(refusal({ ...base, PROBE_PORT: undefined })).to.equal("  PROBE_PORT is null; expected a TCP port");
    for (const ms of ["100", "30000"]) expect(refusal({ ...base, PROBE_TIMEOUT_MS: ms }), ms).to.equal("accepted");
    for (const ms of ["99", "30001", "150.5"])
      expect(refusal({ ...base, PROBE_TIMEOUT_MS: ms }), ms).to.equal(
        `  PROBE_TIMEOUT_MS is "${ms}"; expected milliseconds from 100 to 30000`,
      );
    expect(refusal({ ...base, PROBE_HOST: undefined })).to.equal("  PROBE_HOST is null; expected a host name");
  });

  it("times the connect to a tenth of a millisecond from the clock it is given, and settles once, closing the socket", async () => {
    const listeners: Record<string, (arg?: unknown) => void> = {};
    let destroyed = 0;
    const socket = {
      once: (event: string, listener: (arg?: unknown) => void) => void (listeners[event] = listener),
      destroy: () => void (destroyed += 1),
    } as unknown as ProbeSocket;
    const clock = [1000, 1012.345];
    const probing = probeTcp(
      "db.internal",
      1522,
      5_000,
      () => socket,
      () => clock.shift()!,
    );
    listeners.connect();
    listeners.error({ code: "ECONNRESET" }); // after the connect: ignored
    expect(await probing).to.deep.equal({ ok: true, connectMs: 12.3 });
    expect(destroyed).to.equal(1);
    const failing = probeTcp(
      "db.internal",
      1522,
      5_000,
      () => socket,
      () => 0,
    );
    listeners.error(Object.assign(new Error("getaddrinfo failed"), { code: undefined }));
    expect(await failing).to.deep.equal({ ok: false, error: "getaddrinfo failed" });
  });
});
