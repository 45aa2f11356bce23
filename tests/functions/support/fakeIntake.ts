/** The orders topic for the HTTP tests: what the API published, in order; failures on demand. */
import type { OrderEvent } from "../../../functions/aws/orders/event";
import { IntakeUnavailableError, type OrderIntake } from "../../../functions/aws/orders/intake";

export class FakeIntake implements OrderIntake {
  readonly published: Array<Omit<OrderEvent, "schemaVersion">> = [];
  /** Thrown (as IntakeUnavailableError) by the next publishes, in order. */
  readonly failures: Error[] = [];
  closed = false;

  async publish(event: Omit<OrderEvent, "schemaVersion">): Promise<void> {
    const failure = this.failures.shift();
    if (failure)
      throw new IntakeUnavailableError(`the order topic cannot take the order (${failure.message})`, {
        cause: failure,
      });
    this.published.push(event);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
