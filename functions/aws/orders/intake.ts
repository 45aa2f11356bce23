/**
 * Where `POST /orders` puts an accepted order: the `orders` topic, keyed by order id, with an
 * idempotent producer (acks from all in-sync replicas, retries that never duplicate). The API
 * answers 202 once the brokers have the event, so orders are accepted while the database or the
 * interconnect is down; the sync consumer writes them to the database.
 */
import type { Producer } from "kafkajs";
import { ORDER_TOPICS } from "./contract";
import { type OrderEvent, serializeOrderEvent } from "./event";

export interface OrderIntake {
  /** Resolves once the event is durable on the brokers; rejects with IntakeUnavailableError otherwise. */
  publish(event: Omit<OrderEvent, "schemaVersion">): Promise<void>;
  /** Flushes and disconnects (after the HTTP server has drained). */
  close(): Promise<void>;
}

/** The brokers cannot take the order now: answer 503 with Retry-After. */
export class IntakeUnavailableError extends Error {
  readonly retryAfterSeconds = 5;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "IntakeUnavailableError";
  }
}

/** An intake over a kafkajs producer, connected on first use (and again after a failed connect). */
export function kafkaIntake(
  producer: Pick<Producer, "connect" | "send" | "disconnect">,
  topic: string = ORDER_TOPICS.orders,
): OrderIntake {
  let connecting: Promise<void> | undefined;
  const connected = () => {
    connecting ??= producer.connect().catch((err: unknown) => {
      connecting = undefined;
      throw err;
    });
    return connecting;
  };
  return {
    async publish(event) {
      try {
        await connected();
        // acks -1: every in-sync replica has it (min.insync.replicas 2 where there are three brokers).
        await producer.send({ topic, acks: -1, messages: [{ key: event.orderId, value: serializeOrderEvent(event) }] });
      } catch (err) {
        throw new IntakeUnavailableError(`the order topic cannot take the order (${(err as Error).message})`, {
          cause: err,
        });
      }
    },
    async close() {
      if (connecting)
        await connecting.then(
          () => producer.disconnect(),
          () => undefined,
        );
    },
  };
}
