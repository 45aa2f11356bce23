/**
 * The feature store's DynamoDB calls and the batch's failure paths, against aws-sdk-client-mock
 * (for answers dynalite never gives: unprocessed keys, a conditional failure carrying the item).
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { FeatureCache, processBatch, writeBackoffMs } from "../../functions/aws/features/batch";
import { compareSeq, foldEvents, UserFeatures } from "../../functions/aws/features/features";
import { batchGetRetryMs, readManyFeatures, toItem, writeIfUnchanged } from "../../functions/aws/features/store";
import { kinesisRecord } from "./support/kinesis";

const T0 = Date.parse("2026-11-28T10:00:00.000Z");
const LATENESS = 15 * 60_000;
// Stubs every DynamoDBClient's send while this file's tests run; restored after them (the dynalite suites use real clients).
let ddbMock: ReturnType<typeof mockClient>;
const client = () => new DynamoDBClient({ region: "eu-west-1" });
const stateOf = (userId: string, version = 1): UserFeatures => ({
  ...(foldEvents(userId, undefined, [{ userId, eventType: "view", timeMs: T0, sequenceNumber: "1" }], LATENESS)
    .next as UserFeatures),
  version,
});
const conflict = (item?: Record<string, unknown>) =>
  Object.assign(
    new ConditionalCheckFailedException({ message: "conditional request failed", $metadata: {} }),
    item ? { Item: item } : {},
  );
const recordingLog = () => {
  const lines: string[] = [];
  return {
    lines,
    warn: (m: string, extra?: Record<string, unknown>) => void lines.push(`warn ${m} ${JSON.stringify(extra)}`),
    error: (m: string, extra?: Record<string, unknown>) => void lines.push(`error ${m} ${JSON.stringify(extra)}`),
  };
};

describe("feature store and batch with DynamoDB mocked", () => {
  before(() => {
    ddbMock = mockClient(DynamoDBClient);
  });
  after(() => ddbMock.restore());

  describe("feature store calls (DynamoDB mocked)", () => {
    beforeEach(() => ddbMock.reset());

    it("writes a new user only if absent, a known one only at the version it read", async () => {
      ddbMock.on(PutItemCommand).resolves({});
      expect(await writeIfUnchanged(client(), "t", stateOf("u"), undefined)).to.deep.equal({ written: true });
      expect(await writeIfUnchanged(client(), "t", stateOf("u", 4), 3)).to.deep.equal({ written: true });
      const [first, second] = ddbMock.commandCalls(PutItemCommand).map((c) => c.args[0].input);
      expect(first).to.deep.include({
        TableName: "t",
        ConditionExpression: "attribute_not_exists(userId)",
        ExpressionAttributeValues: undefined,
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      });
      expect(second).to.deep.include({
        ConditionExpression: "version = :expected",
        ExpressionAttributeValues: { ":expected": { N: "3" } },
      });
      expect(second.Item).to.deep.equal(toItem(stateOf("u", 4)));
    });

    it("on a lost race returns the item DynamoDB sent back, or reads it once when it sent none; other errors propagate", async () => {
      const current = stateOf("u", 7);
      ddbMock.on(PutItemCommand).rejects(conflict(toItem(current)));
      expect(await writeIfUnchanged(client(), "t", stateOf("u", 2), 1)).to.deep.equal({ written: false, current });
      expect(ddbMock.commandCalls(GetItemCommand)).to.have.length(0);
      ddbMock.reset();
      ddbMock.on(PutItemCommand).rejects(conflict());
      ddbMock.on(GetItemCommand).resolves({ Item: toItem(current) });
      expect(await writeIfUnchanged(client(), "t", stateOf("u", 2), 1)).to.deep.equal({ written: false, current });
      expect(ddbMock.commandCalls(GetItemCommand).map((c) => c.args[0].input)).to.deep.equal([
        { TableName: "t", Key: { userId: { S: "u" } }, ConsistentRead: true },
      ]);
      ddbMock.reset();
      ddbMock.on(PutItemCommand).rejects(new Error("throttled"));
      let thrown: unknown;
      await writeIfUnchanged(client(), "t", stateOf("u"), undefined).catch((err: unknown) => (thrown = err));
      expect((thrown as Error).message).to.equal("throttled");
    });

    it("retries unprocessed keys, consistently, until answered or out of attempts", async () => {
      ddbMock
        .on(BatchGetItemCommand)
        .resolvesOnce({
          Responses: { t: [toItem(stateOf("a"))] },
          UnprocessedKeys: { t: { Keys: [{ userId: { S: "b" } }, { userId: { S: "c" } }] } },
        })
        .resolvesOnce({
          Responses: { t: [toItem(stateOf("b"))] },
          UnprocessedKeys: { t: { Keys: [{ userId: { S: "c" } }] } },
        })
        .resolves({ Responses: { t: [] } });
      const found = await readManyFeatures(client(), "t", ["a", "b", "c"]);
      expect([...found.entries()].map(([k, v]) => [k, v?.userId])).to.deep.equal([
        ["a", "a"],
        ["b", "b"],
        ["c", undefined],
      ]);
      const requests = ddbMock.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input.RequestItems?.t);
      expect(requests).to.deep.equal([
        { Keys: [{ userId: { S: "a" } }, { userId: { S: "b" } }, { userId: { S: "c" } }], ConsistentRead: true },
        { Keys: [{ userId: { S: "b" } }, { userId: { S: "c" } }], ConsistentRead: true },
        { Keys: [{ userId: { S: "c" } }], ConsistentRead: true },
      ]);
      ddbMock.reset();
      ddbMock
        .on(BatchGetItemCommand)
        .resolves({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [{ userId: { S: "z" } }] } } });
      const gaveUp = await readManyFeatures(client(), "t", ["z"], 2);
      expect(
        [gaveUp.has("z"), ddbMock.commandCalls(BatchGetItemCommand).length],
        "absent after 2 attempts",
      ).to.deep.equal([false, 2]);
    });

    it("backs off: BatchGetItem retries at 80 and 160 ms; writes not at first, then jittered and doubling up to 640 ms", () => {
      expect([2, 3].map(batchGetRetryMs)).to.deep.equal([80, 160]);
      expect([1, 2, 3, 6, 9].map((a) => writeBackoffMs(a, 1))).to.deep.equal([0, 40, 80, 640, 640]);
      expect(writeBackoffMs(3, 0.5)).to.equal(40);
    });

    it("compares 128-bit sequence numbers exactly", () => {
      const big = "49590338271490256608559692538361571095921575989136588898";
      expect([
        compareSeq(big, big),
        compareSeq(big, `${big.slice(0, -1)}9`),
        compareSeq(`${big.slice(0, -1)}9`, big),
      ]).to.deep.equal([0, -1, 1]);
      expect(compareSeq("9007199254740993", "9007199254740992"), "beyond 2^53").to.equal(1);
    });
  });

  describe("feature batch failure paths (DynamoDB mocked)", () => {
    beforeEach(() => ddbMock.reset());
    const event = (userId: string, dt: number) =>
      kinesisRecord({ userId, eventType: "view", timestamp: new Date(T0 + dt).toISOString() });

    it("gives up on a user after maxAttempts lost races, reports its records and says so", async () => {
      ddbMock.on(BatchGetItemCommand).resolves({ Responses: { t: [] } });
      ddbMock.on(PutItemCommand).rejects(conflict(toItem(stateOf("u", 9))));
      const log = recordingLog();
      const records = [event("u", 1000), event("u", 2000)];
      const outcome = await processBatch(records, {
        ddb: client(),
        table: "t",
        cache: new FeatureCache(),
        log,
        allowedLatenessMs: LATENESS,
        maxAttempts: 1,
      });
      expect(outcome.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(
        records.map((r) => r.kinesis.sequenceNumber),
      );
      expect(ddbMock.commandCalls(PutItemCommand)).to.have.length(1);
      expect(log.lines).to.deep.equal(['warn gave up after repeated conflicting writes {"userId":"u","events":2}']);
    });

    it("logs a failed prefetch and a failed write, and reports the user's records", async () => {
      ddbMock.on(BatchGetItemCommand).rejects(new Error("no such table"));
      ddbMock.on(PutItemCommand).rejects(new Error("no such table"));
      const log = recordingLog();
      const outcome = await processBatch([event("u", 0)], {
        ddb: client(),
        table: "t",
        cache: new FeatureCache(),
        log,
        allowedLatenessMs: LATENESS,
      });
      expect(outcome.batchItemFailures).to.have.length(1);
      expect(log.lines).to.deep.equal([
        'warn prefetch failed {"users":1,"error":"no such table"}',
        'error feature write failed {"userId":"u","error":"no such table"}',
      ]);
    });

    it("warns about each malformed record with its sequence number and reason", async () => {
      const log = recordingLog();
      const bad = kinesisRecord("not json");
      const outcome = await processBatch([bad], {
        ddb: client(),
        table: "t",
        cache: new FeatureCache(),
        log,
        allowedLatenessMs: LATENESS,
      });
      expect(outcome).to.deep.equal({
        tooLateEvents: 0,
        batchItemFailures: [{ itemIdentifier: bad.kinesis.sequenceNumber }],
      });
      expect(log.lines).to.deep.equal([
        `warn malformed record {"sequenceNumber":"${bad.kinesis.sequenceNumber}","reason":"data is not JSON"}`,
      ]);
    });

    it("writes users in groups of `concurrency`, each once", async () => {
      ddbMock.on(BatchGetItemCommand).resolves({ Responses: { t: [] } });
      ddbMock.on(PutItemCommand).resolves({});
      const users = ["a", "b", "c", "d", "e"];
      const outcome = await processBatch(
        users.map((u, i) => event(u, i)),
        {
          ddb: client(),
          table: "t",
          cache: new FeatureCache(),
          log: recordingLog(),
          allowedLatenessMs: LATENESS,
          concurrency: 2,
        },
      );
      expect(outcome.batchItemFailures).to.deep.equal([]);
      expect(ddbMock.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.userId.S)).to.deep.equal(users);
    });

    it("a replay the cache already holds is a success with no write", async () => {
      const cache = new FeatureCache();
      const records = [event("u", 0)];
      ddbMock.on(BatchGetItemCommand).resolves({ Responses: { t: [] } });
      ddbMock.on(PutItemCommand).resolves({});
      await processBatch(records, {
        ddb: client(),
        table: "t",
        cache,
        log: recordingLog(),
        allowedLatenessMs: LATENESS,
      });
      ddbMock.reset();
      expect(
        await processBatch(records, {
          ddb: client(),
          table: "t",
          cache,
          log: recordingLog(),
          allowedLatenessMs: LATENESS,
        }),
      ).to.deep.equal({ tooLateEvents: 0, batchItemFailures: [] });
      expect(ddbMock.calls()).to.have.length(0);
    });
  });

  describe("feature cache", () => {
    it("keeps at most its capacity, dropping the least recently written user", () => {
      const cache = new FeatureCache(2);
      cache.set("a", stateOf("a"));
      cache.set("b", stateOf("b"));
      expect([cache.has("a"), cache.has("b")], "exactly at capacity").to.deep.equal([true, true]);
      cache.set("a", stateOf("a", 2));
      cache.set("c", stateOf("c"));
      expect([cache.has("a"), cache.has("b"), cache.has("c")]).to.deep.equal([true, false, true]);
      expect(cache.get("a")?.version).to.equal(2);
      cache.set("a", undefined);
      expect(cache.has("a")).to.equal(false);
    });
  });
});
