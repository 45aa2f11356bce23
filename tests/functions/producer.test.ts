import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import { eventSchema } from "../../functions/aws/features/features";
import { makeEvents, putEvents } from "../../functions/aws/producer/putEvents";
import { REPO_ROOT } from "../../offline/stacks";

interface KinesaliteServer {
  listen(port: number, callback: () => void): void;
  close(callback: () => void): void;
  address(): AddressInfo;
}
// kinesalite ships no types; it exports a server factory.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require("kinesalite") as (options: {
  createStreamMs: number;
  deleteStreamMs: number;
  updateStreamMs: number;
  shardLimit: number;
}) => KinesaliteServer;

describe("event producer against kinesalite (real Kinesis API)", () => {
  let server: KinesaliteServer;
  let kinesis: KinesisClient;
  let endpoint: string;

  before(async () => {
    server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 10 });
    await new Promise<void>((resolve) => server.listen(0, resolve));
    endpoint = `http://127.0.0.1:${server.address().port}`;
    // kinesalite speaks HTTP/1.1 only; the SDK's default handler would try HTTP/2.
    kinesis = new KinesisClient({
      endpoint,
      region: "eu-west-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      requestHandler: new NodeHttpHandler(),
    });
  });
  after(async () => {
    kinesis.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function createStream(name: string, shards: number) {
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    for (;;) {
      const d = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
      if (d.StreamDescription?.StreamStatus === "ACTIVE") return d.StreamDescription.Shards ?? [];
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function readAll(name: string, shardIds: string[]) {
    const out: Array<{ partitionKey: string; data: unknown }> = [];
    for (const ShardId of shardIds) {
      let iterator = (
        await kinesis.send(
          new GetShardIteratorCommand({ StreamName: name, ShardId, ShardIteratorType: "TRIM_HORIZON" }),
        )
      ).ShardIterator;
      for (;;) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
        for (const r of page.Records ?? [])
          out.push({
            partitionKey: r.PartitionKey ?? "",
            data: JSON.parse(Buffer.from(r.Data ?? new Uint8Array()).toString("utf8")),
          });
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    return out;
  }

  it("puts every event, valid for the feature Lambda, keyed by user, in chunks of at most 500", async () => {
    const shards = await createStream("events-a", 2);
    const events = makeEvents(1200, 25, Date.parse("2026-11-28T10:00:00Z"));
    const summary = await putEvents(kinesis, "events-a", events);
    expect(summary).to.deep.equal({ sent: 1200, calls: 3, retriedRecords: 0 });
    const read = await readAll(
      "events-a",
      shards.map((s) => s.ShardId ?? ""),
    );
    expect(read).to.have.length(1200);
    for (const r of read) {
      expect(eventSchema.safeParse(r.data).success).to.equal(true);
      expect(r.partitionKey).to.equal((r.data as { userId: string }).userId);
    }
    // A user's events stay on one shard, in the order they were put.
    const byUser = new Map<string, string[]>();
    for (const r of read)
      byUser.set(r.partitionKey, [...(byUser.get(r.partitionKey) ?? []), (r.data as { timestamp: string }).timestamp]);
    for (const times of byUser.values()) expect(times).to.deep.equal([...times].sort());
  });

  // Async child processes: kinesalite runs in this process, so a blocking spawnSync would starve it.
  const run = promisify(execFile);
  async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    try {
      const out = await run(process.execPath, ["--import", "tsx", "functions/aws/producer/cli.ts", ...args], {
        cwd: REPO_ROOT,
        timeout: 30_000,
        env: { ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" },
      });
      return { status: 0, stdout: out.stdout, stderr: out.stderr };
    } catch (err) {
      const failed = err as { code?: number; stdout?: string; stderr?: string };
      return { status: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  it("runs as `npm run events:put` and says what it did", async () => {
    const shards = await createStream("events-b", 1);
    const ok = await cli([
      "--stream",
      "events-b",
      "--count",
      "42",
      "--users",
      "3",
      "--region",
      "eu-west-1",
      "--endpoint",
      endpoint,
    ]);
    expect(ok.status, ok.stderr).to.equal(0);
    expect(ok.stdout.trim()).to.equal("put 42 events on events-b in 1 PutRecords call(s), 0 record(s) retried");
    const read = await readAll(
      "events-b",
      shards.map((s) => s.ShardId ?? ""),
    );
    expect(read).to.have.length(42);
    expect(new Set(read.map((r) => r.partitionKey)).size).to.be.at.most(3);
  });

  it("refuses bad arguments with the usage line", async () => {
    const bad = await cli(["--count", "x"]);
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.contain("usage: npm run events:put -- --stream NAME --count N");
  });
});
