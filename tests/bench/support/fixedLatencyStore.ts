/**
 * The benchmark's database: an OrderStore whose every call holds one of `size` connections for
 * `latencyMs` — a pool of fixed size in front of a database of fixed latency. A request that cannot
 * get a connection within `queueTimeoutMs` fails as the real pool does (NJS-040 → 503, Retry-After 1).
 */
import type { Order } from "../../../functions/aws/orders/orders";
import type { KeyReservation, OrderStore, PoolStats, ReservationOutcome } from "../../../functions/aws/orders/store";
import { DatabaseUnavailableError } from "../../../functions/aws/orders/store";

const ORDER: Order = {
  orderId: "O-1",
  customerId: "C-1",
  amount: "10.00",
  currency: "USD",
  status: "pending",
  orderDate: "2026-11-01",
  updatedAt: "2026-11-01T00:00:00.000Z",
};

export class FixedLatencyStore implements OrderStore {
  private inUse = 0;
  private readonly waiters: Array<{ grant: () => void; timer: NodeJS.Timeout }> = [];

  constructor(
    private readonly size: number,
    private readonly latencyMs: number,
    private readonly queueTimeoutMs: number,
  ) {}

  private async acquire(): Promise<void> {
    if (this.inUse < this.size) {
      this.inUse++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new DatabaseUnavailableError("no database connection free within the queue timeout (NJS-040)", 1));
        }, this.queueTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private giveBack(): void {
    const next = this.waiters.shift();
    if (next)
      next.grant(); // the connection passes straight to the next waiter
    else this.inUse--;
  }

  /** How long each call really held its connection (ms): timers fire late or, by the loop's clock, early. */
  readonly holds: number[] = [];

  private async call<T>(result: T): Promise<T> {
    await this.acquire();
    const start = process.hrtime.bigint();
    try {
      await new Promise((r) => setTimeout(r, this.latencyMs));
      return result;
    } finally {
      this.holds.push(Number(process.hrtime.bigint() - start) / 1e6);
      this.giveBack();
    }
  }

  get(): Promise<Order | undefined> {
    return this.call(ORDER);
  }
  list(): Promise<Order[]> {
    return this.call([ORDER]);
  }
  reserve(r: KeyReservation): Promise<ReservationOutcome> {
    return this.call({ kind: "reserved", acceptedAt: r.acceptedAt });
  }
  markPublished(): Promise<void> {
    return this.call(undefined);
  }
  release(): Promise<void> {
    return this.call(undefined);
  }
  ping(): Promise<void> {
    return this.call(undefined);
  }
  stats(): PoolStats {
    return { size: this.size, inUse: this.inUse, queued: this.waiters.length };
  }
  async close(): Promise<void> {}
}
