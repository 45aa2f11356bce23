/**
 * The feature table, one item per user. Writes are whole-item PutItems conditional on the version
 * the writer started from, so concurrent writers never overwrite each other: the loser re-reads
 * (DynamoDB returns the current item with the failure) and folds its events onto it.
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { FEATURE_TABLE_KEY } from "./contract";
import { UserFeatures } from "./features";

type Item = Record<string, AttributeValue>;

export function toItem(f: UserFeatures): Item {
  return {
    userId: { S: f.userId },
    lastEventTime: { S: f.lastEventTime },
    lastEventTimeMs: { N: String(f.lastEventTimeMs) },
    lastEventType: { S: f.lastEventType },
    lastSequenceNumber: { S: f.lastSequenceNumber },
    recentEventCount: { N: String(f.recentEventCount) },
    recentRuns: {
      L: f.recentRuns.map((r) => ({
        M: { startMs: { N: String(r.startMs) }, endMs: { N: String(r.endMs) }, count: { N: String(r.count) } },
      })),
    },
    appliedSequenceNumbers: { L: f.appliedSequenceNumbers.map((s) => ({ S: s })) },
    version: { N: String(f.version) },
  };
}

/** A stored item that is not what toItem writes (a manual edit, an old shape): its user's records fail and are retried, never folded onto guesses. */
export class MalformedFeatureItem extends Error {}

function numberAt(value: AttributeValue | undefined, attribute: string): number {
  const n = value?.N === undefined ? NaN : Number(value.N);
  if (!Number.isFinite(n)) throw new MalformedFeatureItem(`attribute ${attribute} is not a number`);
  return n;
}

function stringAt(value: AttributeValue | undefined, attribute: string): string {
  if (value?.S === undefined) throw new MalformedFeatureItem(`attribute ${attribute} is not a string`);
  return value.S;
}

function listAt(value: AttributeValue | undefined, attribute: string): AttributeValue[] {
  if (value?.L === undefined) throw new MalformedFeatureItem(`attribute ${attribute} is not a list`);
  return value.L;
}

export function fromItem(item: Item | undefined): UserFeatures | undefined {
  if (!item) return undefined;
  const userId = stringAt(item.userId, "userId");
  try {
    return {
      userId,
      lastEventTime: stringAt(item.lastEventTime, "lastEventTime"),
      lastEventTimeMs: numberAt(item.lastEventTimeMs, "lastEventTimeMs"),
      lastEventType: stringAt(item.lastEventType, "lastEventType"),
      lastSequenceNumber: stringAt(item.lastSequenceNumber, "lastSequenceNumber"),
      recentEventCount: numberAt(item.recentEventCount, "recentEventCount"),
      recentRuns: listAt(item.recentRuns, "recentRuns").map((run, i) => ({
        startMs: numberAt(run.M?.startMs, `recentRuns[${i}].startMs`),
        endMs: numberAt(run.M?.endMs, `recentRuns[${i}].endMs`),
        count: numberAt(run.M?.count, `recentRuns[${i}].count`),
      })),
      appliedSequenceNumbers: listAt(item.appliedSequenceNumbers, "appliedSequenceNumbers").map((v, i) =>
        stringAt(v, `appliedSequenceNumbers[${i}]`),
      ),
      version: numberAt(item.version, "version"),
    };
  } catch (err) {
    if (err instanceof MalformedFeatureItem)
      throw new MalformedFeatureItem(`feature item of user ${userId}: ${err.message}`);
    throw err;
  }
}

export type WriteOutcome =
  { readonly written: true } | { readonly written: false; readonly current: UserFeatures | undefined };

/**
 * Writes `next` if the stored item is still at `expectedVersion` (undefined: no item yet).
 * On a lost race returns the item as it is now (from the failure, or one consistent read when the
 * service does not return it).
 */
export async function writeIfUnchanged(
  ddb: DynamoDBClient,
  table: string,
  next: UserFeatures,
  expectedVersion: number | undefined,
): Promise<WriteOutcome> {
  try {
    await ddb.send(
      new PutItemCommand({
        TableName: table,
        Item: toItem(next),
        ConditionExpression:
          expectedVersion === undefined ? `attribute_not_exists(${FEATURE_TABLE_KEY})` : "version = :expected",
        ExpressionAttributeValues:
          expectedVersion === undefined ? undefined : { ":expected": { N: String(expectedVersion) } },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { written: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    if (err.Item) return { written: false, current: fromItem(err.Item) };
    const read = await ddb.send(
      new GetItemCommand({ TableName: table, Key: { [FEATURE_TABLE_KEY]: { S: next.userId } }, ConsistentRead: true }),
    );
    return { written: false, current: fromItem(read.Item) };
  }
}

export async function readFeatures(
  ddb: DynamoDBClient,
  table: string,
  userId: string,
): Promise<UserFeatures | undefined> {
  const read = await ddb.send(
    new GetItemCommand({ TableName: table, Key: { [FEATURE_TABLE_KEY]: { S: userId } }, ConsistentRead: true }),
  );
  return fromItem(read.Item);
}

/** BatchGetItem's key limit per request. */
export const BATCH_GET_LIMIT = 100;

/**
 * Consistent reads of many users, 100 keys per request. The map has an entry for every user
 * DynamoDB answered for (undefined: no item yet); keys it still left unprocessed after
 * `maxAttempts` are absent, and the caller's conditional write finds their state instead.
 */
/** Milliseconds before a BatchGetItem retry of unprocessed keys (attempt 2, 3, …): 80, 160, … */
export function batchGetRetryMs(attempt: number): number {
  return 20 * 2 ** attempt;
}

export async function readManyFeatures(
  ddb: DynamoDBClient,
  table: string,
  userIds: readonly string[],
  maxAttempts = 3,
): Promise<Map<string, UserFeatures | undefined>> {
  const found = new Map<string, UserFeatures | undefined>();
  for (let i = 0; i < userIds.length; i += BATCH_GET_LIMIT) {
    let keys = userIds.slice(i, i + BATCH_GET_LIMIT).map((userId) => ({ [FEATURE_TABLE_KEY]: { S: userId } }));
    for (let attempt = 1; keys.length > 0 && attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, batchGetRetryMs(attempt)));
      const out = await ddb.send(
        new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      const items = new Map(
        (out.Responses?.[table] ?? []).map((item) => [stringAt(item.userId, "userId"), fromItem(item)]),
      );
      const unprocessed = new Set((out.UnprocessedKeys?.[table]?.Keys ?? []).map((k) => k.userId?.S ?? ""));
      for (const key of keys) if (!unprocessed.has(key.userId.S)) found.set(key.userId.S, items.get(key.userId.S));
      keys = keys.filter((k) => unprocessed.has(k.userId.S));
    }
  }
  return found;
}
