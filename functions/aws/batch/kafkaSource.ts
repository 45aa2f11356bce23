/**
 * The export's TopicSource on kafkajs: offsets from the brokers' time index (ListOffsets by
 * timestamp), and a bounded read of each range with a consumer that commits nothing (a group of
 * its own per run, so runs never share or move a position).
 */
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { EXPORT_GROUP_PREFIX } from "./contract";
import type { TopicMessage, TopicSource } from "./exportDay";

export function kafkaTopicSource(kafka: Kafka, topic: string): TopicSource {
  return {
    async offsetsAt(ms) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, ms);
        return new Map(offsets.map((o) => [o.partition, o.offset]));
      } finally {
        await admin.disconnect();
      }
    },
    async read(ranges) {
      if (ranges.length === 0) return [];
      const consumer = kafka.consumer({
        groupId: `${EXPORT_GROUP_PREFIX}-${randomUUID()}`,
        maxWaitTimeInMs: 500,
        allowAutoTopicCreation: false,
      });
      const messages: TopicMessage[] = [];
      const pending = new Map(ranges.map((r) => [r.partition, r]));
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic] });
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => (finish = resolve));
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const range = pending.get(batch.partition);
            if (!range) return;
            const to = BigInt(range.to);
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= to) break;
              if (BigInt(m.offset) >= BigInt(range.from)) {
                messages.push({
                  partition: batch.partition,
                  offset: m.offset,
                  timestamp: m.timestamp,
                  key: m.key?.toString(),
                  value: m.value?.toString(),
                });
              }
            }
            // Done with the partition once its batch reaches the range's end (or the log's end: compaction and markers leave gaps).
            const last = BigInt(batch.lastOffset());
            if (last >= to - 1n || BigInt(batch.highWatermark) <= last + 1n) {
              pending.delete(batch.partition);
              consumer.pause([{ topic, partitions: [batch.partition] }]);
              if (pending.size === 0) finish();
            }
          },
        });
        for (const r of ranges) consumer.seek({ topic, partition: r.partition, offset: r.from });
        await finished;
      } finally {
        await consumer.disconnect();
      }
      return messages;
    },
  };
}
