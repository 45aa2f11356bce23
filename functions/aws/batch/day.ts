/**
 * Which day a batch run covers. A scheduled run (EventBridge Scheduler passes the scheduled time)
 * covers the UTC day before it; a manual run names its day. Pure.
 */
export interface BatchInput {
  /** YYYY-MM-DD: re-run this day. */
  readonly date?: string;
  /** ISO 8601: when the schedule fired (`<aws.scheduler.scheduled-time>`). */
  readonly scheduledTime?: string;
}

export interface Day {
  readonly date: string;
  /** [start, end) in epoch milliseconds, UTC. */
  readonly startMs: number;
  readonly endMs: number;
}

const DAY_MS = 86_400_000;

export function dayOf(date: string): Day {
  const startMs = Date.parse(`${date}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(startMs) ||
    new Date(startMs).toISOString().slice(0, 10) !== date
  ) {
    throw new Error(`date ${JSON.stringify(date)} is not a calendar day (YYYY-MM-DD)`);
  }
  return { date, startMs, endMs: startMs + DAY_MS };
}

export function resolveDay(input: BatchInput, now: number = Date.now()): Day {
  if (input.date !== undefined) {
    const day = dayOf(input.date);
    // A day not over yet would be exported half: the next run would then be the only complete one.
    if (day.endMs > now)
      throw new Error(`date ${input.date} is not over yet (UTC); run it after ${new Date(day.endMs).toISOString()}`);
    return day;
  }
  if (input.scheduledTime === undefined)
    throw new Error('the input names no day: pass {"date": "YYYY-MM-DD"} (or the schedule\'s {"scheduledTime": …})');
  const at = Date.parse(input.scheduledTime);
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T/.test(input.scheduledTime))
    throw new Error(`scheduledTime ${JSON.stringify(input.scheduledTime)} is not an ISO 8601 time`);
  return dayOf(new Date(at - DAY_MS).toISOString().slice(0, 10));
}
