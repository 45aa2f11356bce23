/**
 * `npm run bench:features`: the same 10 000 events (1 000 users, batches of 100) through our
 * feature handler and through the article's algorithm (per record: GetItem, compute, PutItem),
 * both against dynalite. Prints DynamoDB requests per batch and wall time for each, and the ratio.
 * A benchmark, not a test: wall times depend on the machine; request counts do not.
 */
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { FeatureCache, processBatch } from "../../functions/aws/features/batch";
import { makeEvents } from "../../functions/aws/producer/putEvents";
import { createFeatureTable, LocalDynamo, startDynalite } from "../functions/support/dynalite";
import { kinesisRecord } from "../functions/support/kinesis";

const EVENTS = 10_000;
const USERS = 1_000;
const BATCH = 100;
const quietLog = { warn: () => undefined, error: () => undefined };

interface Run {
  readonly name: string;
  readonly requests: number;
  readonly batches: number;
  readonly distinctUsersPerBatch: number;
  /** Most requests any one batch sent beyond its number of distinct users. */
  readonly maxOverDistinct: number;
  readonly ms: number;
}

type Event = ReturnType<typeof makeEvents>[number];

/** The article's handler, record by record (its five-minute rule included), in TypeScript. */
async function articleBatch(dynamo: LocalDynamo, table: string, batch: readonly Event[]): Promise<void> {
  for (const e of batch) {
    const item = (await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { userId: { S: e.userId } } })))
      .Item;
    const ts = Date.parse(e.timestamp);
    const then = item?.lastUpdate?.S ? Date.parse(item.lastUpdate.S) : ts;
    const count = ts - then < 5 * 60_000 ? Number(item?.count5min?.N ?? 0) + 1 : 1;
    await dynamo.client.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          userId: { S: e.userId },
          lastEventType: { S: e.eventType },
          count5min: { N: String(count) },
          lastUpdate: { S: e.timestamp },
        },
      }),
    );
  }
}

async function measure(
  name: string,
  dynamo: LocalDynamo,
  batches: readonly Event[][],
  run: (batch: readonly Event[]) => Promise<void>,
): Promise<Run> {
  let requests = 0;
  let distinctTotal = 0;
  let maxOverDistinct = -Infinity;
  let ms = 0;
  for (const batch of batches) {
    dynamo.resetCount();
    const started = process.hrtime.bigint();
    await run(batch);
    ms += Number(process.hrtime.bigint() - started) / 1e6;
    const distinct = new Set(batch.map((e) => e.userId)).size;
    requests += dynamo.total();
    distinctTotal += distinct;
    maxOverDistinct = Math.max(maxOverDistinct, dynamo.total() - distinct);
  }
  return {
    name,
    requests,
    batches: batches.length,
    distinctUsersPerBatch: distinctTotal / batches.length,
    maxOverDistinct,
    ms,
  };
}

async function main(): Promise<void> {
  const events = makeEvents(EVENTS, USERS, Date.parse("2026-11-28T10:00:00Z"), 200);
  const batches = Array.from({ length: EVENTS / BATCH }, (_, i) => events.slice(i * BATCH, (i + 1) * BATCH));
  const dynamo = await startDynalite();
  try {
    await createFeatureTable(dynamo.client, "ours-warm");
    await createFeatureTable(dynamo.client, "ours-cold");
    await createFeatureTable(dynamo.client, "article");
    const warmCache = new FeatureCache();
    const runs = [
      await measure("ours (warm container: cached versions)", dynamo, batches, async (batch) => {
        const out = await processBatch(
          batch.map((e) => kinesisRecord(e)),
          { ddb: dynamo.client, table: "ours-warm", cache: warmCache, log: quietLog, allowedLatenessMs: 15 * 60_000 },
        );
        if (out.batchItemFailures.length) throw new Error(`ours: ${out.batchItemFailures.length} failures`);
      }),
      // A fresh container per batch: every write to a known user starts blind and loses once.
      await measure("ours (cold container every batch)", dynamo, batches, async (batch) => {
        const out = await processBatch(
          batch.map((e) => kinesisRecord(e)),
          {
            ddb: dynamo.client,
            table: "ours-cold",
            cache: new FeatureCache(),
            log: quietLog,
            allowedLatenessMs: 15 * 60_000,
          },
        );
        if (out.batchItemFailures.length) throw new Error(`ours: ${out.batchItemFailures.length} failures`);
      }),
      await measure("article (GetItem + PutItem per record)", dynamo, batches, (batch) =>
        articleBatch(dynamo, "article", batch),
      ),
    ];
    const article = runs[2];
    console.log(
      `${EVENTS} events, ${USERS} users, ${batches.length} batches of ${BATCH}; distinct users per batch ${runs[0].distinctUsersPerBatch.toFixed(1)} (mean)`,
    );
    console.log(
      "| handler | DynamoDB requests / batch | most over distinct users in a batch | wall time | requests vs article | time vs article |",
    );
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const r of runs) {
      const perBatch = r.requests / r.batches;
      console.log(
        `| ${r.name} | ${perBatch.toFixed(1)} | ${r.maxOverDistinct} | ${(r.ms / 1000).toFixed(2)} s | ${(r.requests / article.requests).toFixed(2)}× | ${(r.ms / article.ms).toFixed(2)}× |`,
      );
    }
  } finally {
    await dynamo.stop();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
