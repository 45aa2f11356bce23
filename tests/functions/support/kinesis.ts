/** Kinesis records shaped as Lambda delivers them, for feeding handlers directly. */
import type { KinesisStreamRecord } from "aws-lambda";

let nextSeq = 49650000000000000000000000000000000000000000000000000n;

/** A Kinesis record as Lambda delivers it; `payload` may be any JSON value or raw text. */
export function kinesisRecord(payload: unknown, seq?: bigint): KinesisStreamRecord {
  const sequenceNumber = String(seq ?? nextSeq++);
  const data = Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)).toString("base64");
  return {
    kinesis: { kinesisSchemaVersion: "1.0", partitionKey: "p", sequenceNumber, data, approximateArrivalTimestamp: 0 },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: "arn:aws:iam::111111111111:role/features",
    awsRegion: "eu-west-1",
    eventSourceARN: "arn:aws:kinesis:eu-west-1:111111111111:stream/events",
  };
}
