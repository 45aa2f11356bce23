/**
 * An in-memory OrderStore for the HTTP tests: the interface's contract (newest first, keyset
 * after a cursor, one reservation per (client, key), the merge's first-request-wins and its
 * conflicts) without a database. It stands in for the database at the HTTP layer only; the Oracle
 * store's SQL is tested in orderStore.test.ts and, against a real database, in orders.real.test.ts.
 */
import type { OrderEvent } from "../../../functions/aws/orders/event";
import { LEGACY_CLIENT, type Order, type OrderQuery } from "../../../functions/aws/orders/orders";
import type {
  KeyReservation,
  OrderConflict,
  OrderStore,
  PoolStats,
  ReservationOutcome,
  StoredOrder,
} from "../../../functions/aws/orders/store";

interface HeldKey {
  hash: string;
  orderId: string;
  state: "reserved" | "published";
  acceptedAt: string;
  /** The lease is over (a test stands in for the clock). */
  leaseOver?: boolean;
}

export class FakeOrderStore implements OrderStore {
  readonly orders = new Map<string, Order>();
  /** order_requests, by `${client}\u0000${key}`. */
  readonly keys = new Map<string, HeldKey>();
  /** order_conflicts, by order id. */
  readonly conflicts = new Map<string, OrderConflict[]>();
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

  async get(orderId: string): Promise<StoredOrder | undefined> {
    await this.step();
    const order = this.orders.get(orderId);
    const conflicts = this.conflicts.get(orderId);
    return order && conflicts ? { ...order, conflicts } : order;
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

  /** Atomic as the primary key makes it: no await between the look and the claim. */
  async reserve(r: KeyReservation): Promise<ReservationOutcome> {
    await this.step();
    const id = `${r.client}\u0000${r.idempotencyKey}`;
    const held = this.keys.get(id);
    if (!held) {
      this.keys.set(id, { hash: r.requestHash, orderId: r.orderId, state: "reserved", acceptedAt: r.acceptedAt });
      return { kind: "reserved", acceptedAt: r.acceptedAt };
    }
    if (held.hash !== r.requestHash) return { kind: "reused" };
    if (held.state === "published")
      return { kind: "replay", acceptedAt: held.acceptedAt, order: this.orders.get(held.orderId) };
    if (!held.leaseOver) return { kind: "inProgress" };
    held.leaseOver = false;
    return { kind: "reserved", acceptedAt: held.acceptedAt };
  }

  async markPublished(r: KeyReservation): Promise<void> {
    await this.step();
    const held = this.keys.get(`${r.client}\u0000${r.idempotencyKey}`);
    if (held && held.hash === r.requestHash) held.state = "published";
  }

  async release(r: KeyReservation): Promise<void> {
    await this.step();
    const id = `${r.client}\u0000${r.idempotencyKey}`;
    const held = this.keys.get(id);
    if (held && held.hash === r.requestHash && held.state === "reserved") this.keys.delete(id);
  }

  /**
   * What the sync's merge (V021) does with published creates: a create whose key another request
   * holds is a conflict, not an order; a key nobody holds is recorded for its first request.
   */
  sync(events: ReadonlyArray<Omit<OrderEvent, "schemaVersion">>): void {
    for (const { kind, idempotencyKey, requestHash, clientId, ...order } of events) {
      if (kind !== "created") continue;
      const id = `${clientId ?? LEGACY_CLIENT}\u0000${idempotencyKey}`;
      const held = this.keys.get(id);
      if (held && held.hash !== requestHash) {
        const list = this.conflicts.get(order.orderId) ?? [];
        if (!list.some((c) => c.requestHash === requestHash))
          list.push({ requestHash: requestHash!, reason: "key_reused", at: order.updatedAt });
        this.conflicts.set(order.orderId, list);
        continue;
      }
      if (!this.orders.has(order.orderId)) this.orders.set(order.orderId, order);
      if (held) held.state = "published";
      else
        this.keys.set(id, {
          hash: requestHash!,
          orderId: order.orderId,
          state: "published",
          acceptedAt: order.updatedAt,
        });
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
