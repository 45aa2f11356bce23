/**
 * The feature table, one item per user. Writes are whole-item PutItems conditional on the version
 * the writer started from, so concurrent writers never overwrite each other: the loser re-reads
 * (DynamoDB returns the current item with the failure) and folds its events onto it.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { UserFeatures } from "./features";

type Item = Record<string, AttributeValue>;

export function toItem(f: UserFeatures): Item {
  return {
    userId: { S: f.userId },
    lastEventTime: { S: f.lastEventTime },
    lastEventTimeMs: { N: String(f.lastEventTimeMs) },
    lastEventType: { S: f.lastEventType },
    recentEventCount: { N: String(f.recentEventCount) },
    appliedSequenceNumbers: { L: f.appliedSequenceNumbers.map((s) => ({ S: s })) },
    version: { N: String(f.version) },
  };
}

export function fromItem(item: Item | undefined): UserFeatures | undefined {
  if (!item?.userId?.S) return undefined;
  return {
    userId: item.userId.S,
    lastEventTime: item.lastEventTime?.S ?? "",
    lastEventTimeMs: Number(item.lastEventTimeMs?.N ?? 0),
    lastEventType: item.lastEventType?.S ?? "",
    recentEventCount: Number(item.recentEventCount?.N ?? 0),
    appliedSequenceNumbers: (item.appliedSequenceNumbers?.L ?? []).map((v) => v.S ?? ""),
    version: Number(item.version?.N ?? 0),
  };
}

export type WriteOutcome = { readonly written: true } | { readonly written: false; readonly current: UserFeatures | undefined };

/**
 * Writes `next` if the stored item is still at `expectedVersion` (undefined: no item yet).
 * On a lost race returns the item as it is now (from the failure, or one consistent read when the
 * service does not return it).
 */
export async function writeIfUnchanged(ddb: DynamoDBClient, table: string, next: UserFeatures, expectedVersion: number | undefined): Promise<WriteOutcome> {
  try {
    await ddb.send(
      new PutItemCommand({
        TableName: table,
        Item: toItem(next),
        ConditionExpression: expectedVersion === undefined ? "attribute_not_exists(userId)" : "version = :expected",
        ExpressionAttributeValues: expectedVersion === undefined ? undefined : { ":expected": { N: String(expectedVersion) } },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { written: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    if (err.Item) return { written: false, current: fromItem(err.Item) };
    const read = await ddb.send(new GetItemCommand({ TableName: table, Key: { userId: { S: next.userId } }, ConsistentRead: true }));
    return { written: false, current: fromItem(read.Item) };
  }
}

export async function readFeatures(ddb: DynamoDBClient, table: string, userId: string): Promise<UserFeatures | undefined> {
  const read = await ddb.send(new GetItemCommand({ TableName: table, Key: { userId: { S: userId } }, ConsistentRead: true }));
  return fromItem(read.Item);
}
