/**
 * What Connector Hub hands a function from a Streaming source: a JSON array of the stream's
 * messages, each with its key and value base64-encoded. Pure: a payload that is not that is
 * refused whole (Connector Hub retries it; nothing is half-processed), a message whose value is
 * not an event is refused alone with its reason and its position.
 */
export interface StreamMessage {
  readonly stream: string;
  readonly partition: string;
  readonly offset: number;
  /** The message's value, decoded from base64 as UTF-8. */
  readonly value: string;
  readonly key?: string;
}

/** Decodes one delivery; `maxBatch` is the connector's batch size (more messages than that is not Connector Hub's payload). */
export function decodeConnectorBatch(body: unknown, maxBatch: number): StreamMessage[] {
  if (!Array.isArray(body)) throw new Error("the Connector Hub payload is not a JSON array of stream messages");
  if (body.length > maxBatch)
    throw new Error(`the batch holds ${body.length} messages; the connector's batch size is at most ${maxBatch}`);
  return body.map((raw, i) => {
    const m = (raw ?? {}) as Record<string, unknown>;
    if (typeof m.value !== "string") throw new Error(`message ${i}: value is missing or not base64 text`);
    if (typeof m.offset !== "number" || typeof m.partition !== "string" || typeof m.stream !== "string")
      throw new Error(`message ${i}: stream, partition and offset are required`);
    return {
      stream: m.stream,
      partition: m.partition,
      offset: m.offset,
      value: Buffer.from(m.value, "base64").toString("utf8"),
      ...(typeof m.key === "string" ? { key: Buffer.from(m.key, "base64").toString("utf8") } : {}),
    };
  });
}
