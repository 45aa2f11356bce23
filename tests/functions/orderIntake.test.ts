/**
 * The order intake on a scripted producer: one connection for every publish (made again after a
 * failed one), each order sent to the orders topic keyed by its id with acks from every in-sync
 * replica, every failure an IntakeUnavailableError (503 with Retry-After), and a close that
 * disconnects only what was connected. The mock-cluster suite runs it against brokers.
 */
import { expect } from "chai";
import type { ProducerRecord } from "kafkajs";
import { ORDER_TOPICS } from "../../functions/aws/orders/contract";
import { serializeOrderEvent } from "../../functions/aws/orders/event";
import { IntakeUnavailableError, kafkaIntake } from "../../functions/aws/orders/intake";

const order = {
  kind: "created" as const,
  orderId: "O-1",
  customerId: "C-1",
  amount: "12.50",
  currency: "EUR",
  status: "pending" as const,
  orderDate: "2026-11-02",
  updatedAt: "2026-11-30T10:00:00Z",
};

/** A producer whose connect and send succeed or fail as scripted, recording every call. */
function scriptedProducer(script: { connect?: Array<Error | undefined>; send?: Array<Error | undefined> } = {}) {
  const calls = { connect: 0, disconnect: 0, sent: [] as ProducerRecord[] };
  let release: (() => void) | undefined;
  const producer = {
    hold: false,
    async connect() {
      calls.connect += 1;
      if (producer.hold) await new Promise<void>((r) => (release = r));
      const failure = script.connect?.shift();
      if (failure) throw failure;
    },
    async send(record: ProducerRecord) {
      const failure = script.send?.shift();
      if (failure) throw failure;
      calls.sent.push(record);
      return [];
    },
    async disconnect() {
      calls.disconnect += 1;
    },
  };
  return { producer, calls, release: () => release?.() };
}

async function refusal(promise: Promise<unknown>): Promise<IntakeUnavailableError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(IntakeUnavailableError);
    return err as IntakeUnavailableError;
  }
  throw new Error("expected the intake to refuse");
}

describe("order intake (scripted producer)", () => {
  it("sends each order to the orders topic, keyed by its id, acknowledged by every in-sync replica, over one connection", async () => {
    const { producer, calls } = scriptedProducer();
    const intake = kafkaIntake(producer);
    await intake.publish(order);
    await intake.publish({ ...order, orderId: "O-2", kind: "updated" });
    expect(calls.connect).to.equal(1);
    expect(calls.sent).to.deep.equal([
      { topic: ORDER_TOPICS.orders, acks: -1, messages: [{ key: "O-1", value: serializeOrderEvent(order) }] },
      {
        topic: ORDER_TOPICS.orders,
        acks: -1,
        messages: [{ key: "O-2", value: serializeOrderEvent({ ...order, orderId: "O-2", kind: "updated" }) }],
      },
    ]);
    expect(JSON.parse(String(calls.sent[0].messages[0].value))).to.include({ schemaVersion: 1, orderId: "O-1" });
  });

  it("publishes to another topic when given one", async () => {
    const { producer, calls } = scriptedProducer();
    await kafkaIntake(producer, "orders.test").publish(order);
    expect(calls.sent.map((r) => r.topic)).to.deep.equal(["orders.test"]);
  });

  it("shares one connect between publishes made while it is in flight", async () => {
    const scripted = scriptedProducer();
    scripted.producer.hold = true;
    const intake = kafkaIntake(scripted.producer);
    const both = Promise.all([intake.publish(order), intake.publish({ ...order, orderId: "O-2" })]);
    await new Promise((r) => setImmediate(r));
    scripted.release();
    await both;
    expect(scripted.calls.connect).to.equal(1);
    expect(scripted.calls.sent.length).to.equal(2);
  });

  it("refuses with IntakeUnavailableError (Retry-After 5 s) naming the cause when it cannot connect, and connects again next time", async () => {
    const cause = new Error("Connection timeout");
    const { producer, calls } = scriptedProducer({ connect: [cause] });
    const intake = kafkaIntake(producer);
    const err = await refusal(intake.publish(order));
    expect(err.message).to.equal("the order topic cannot take the order (Connection timeout)");
    expect(err.name).to.equal("IntakeUnavailableError");
    expect(err.retryAfterSeconds).to.equal(5);
    expect(err.cause).to.equal(cause);
    expect(calls.sent).to.deep.equal([]);
    await intake.publish(order);
    expect(calls.connect).to.equal(2);
    expect(calls.sent.length).to.equal(1);
  });

  it("refuses when the brokers do not acknowledge the order, and keeps the connection", async () => {
    const { producer, calls } = scriptedProducer({ send: [new Error("NOT_ENOUGH_REPLICAS")] });
    const intake = kafkaIntake(producer);
    const err = await refusal(intake.publish(order));
    expect(err.message).to.equal("the order topic cannot take the order (NOT_ENOUGH_REPLICAS)");
    await intake.publish(order);
    expect(calls.connect).to.equal(1);
    expect(calls.sent.length).to.equal(1);
  });

  it("disconnects on close only what it connected", async () => {
    const never = scriptedProducer();
    await kafkaIntake(never.producer).close();
    expect(never.calls.disconnect).to.equal(0);

    const used = scriptedProducer();
    const intake = kafkaIntake(used.producer);
    await intake.publish(order);
    await intake.close();
    expect(used.calls.disconnect).to.equal(1);

    const failed = scriptedProducer({ connect: [new Error("down")] });
    const broken = kafkaIntake(failed.producer);
    await refusal(broken.publish(order));
    await broken.close();
    expect(failed.calls.disconnect).to.equal(0);
  });

  it("closes without throwing while a connect that will fail is in flight", async () => {
    const scripted = scriptedProducer({ connect: [new Error("down")] });
    scripted.producer.hold = true;
    const intake = kafkaIntake(scripted.producer);
    const publishing = refusal(intake.publish(order));
    await new Promise((r) => setImmediate(r));
    const closing = intake.close();
    scripted.release();
    await closing;
    await publishing;
    expect(scripted.calls.disconnect).to.equal(0);
  });
});
