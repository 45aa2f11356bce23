/**
 * An in-memory OrderStore for the HTTP tests: the interface's contract (newest first, keyset
 * after a cursor, the first request of each idempotency key) without a database. It stands in for the
 * database at the HTTP layer only; the Oracle store's SQL is tested in orderStore.test.ts and,
 * against a real database, in orders.real.test.ts.
 */
import type { OrderEvent } from "../../../functions/aws/orders/event";
import type { Order, OrderQuery } from "../../../functions/aws/orders/orders";
import type { AcceptedRequest, OrderStore, PoolStats } from "../../../functions/aws/orders/store";

export class FakeOrderStore implements OrderStore {
  readonly orders = new Map<string, Order>();
  readonly keys = new Map<string, { hash: string; orderId: string }>();
  /** Thrown by the next calls, in order. */
  readonly failures: unknown[] = [];
  /** Each call waits this long first (ms): in-flight requests for the drain test. */
  delayMs = 0;
  closedWith: number | undefined;
  calls = 0;

  add(order: Partial<Order> & Pick<Order, "orderId" | "customerId" | "orderDate">): Order {
    const full: Order = {
      amount: "10.00",
      currency: "USD",
      status: "pending",
      updatedAt: "2026-11-01T00:00:00.000Z",
      ...order,
    };
    this.orders.set(full.orderId, full);
    return full;
  }

  private async step(): Promise<void> {
    this.calls++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const failure = this.failures.shift();
    if (failure) throw failure;
  }

  async get(orderId: string): Promise<Order | undefined> {
    await this.step();
    return this.orders.get(orderId);
  }

  async list(query: OrderQuery): Promise<Order[]> {
    await this.step();
    const key = (o: Pick<Order, "orderDate" | "orderId">) => `${o.orderDate}|${o.orderId}`;
    return [...this.orders.values()]
      .filter((o) => o.customerId === query.customerId)
      .filter(
        (o) =>
          (query.from === undefined || o.orderDate >= query.from) &&
          (query.to === undefined || o.orderDate <= query.to),
      )
      .filter((o) => query.after === undefined || key(o) < key(query.after))
      .sort((a, b) => (key(a) < key(b) ? 1 : -1))
      .slice(0, query.limit);
  }

  async acceptedRequest(idempotencyKey: string): Promise<AcceptedRequest | undefined> {
    await this.step();
    const earlier = this.keys.get(idempotencyKey);
    return earlier && { requestHash: earlier.hash, order: this.orders.get(earlier.orderId)! };
  }

  /** What the sync's merge does with published creates: the first request of a key makes the order. */
  sync(events: ReadonlyArray<Omit<OrderEvent, "schemaVersion">>): void {
    for (const { kind, idempotencyKey, requestHash, ...order } of events) {
      if (kind !== "created" || this.keys.has(idempotencyKey!)) continue;
      this.orders.set(order.orderId, order);
      this.keys.set(idempotencyKey!, { hash: requestHash!, orderId: order.orderId });
    }
  }

  async ping(): Promise<void> {
    await this.step();
  }

  stats(): PoolStats {
    return { size: 4, inUse: 1, queued: 2 };
  }

  async close(drainSeconds: number): Promise<void> {
    this.closedWith = drainSeconds;
  }
}
