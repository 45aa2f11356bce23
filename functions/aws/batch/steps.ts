/**
 * What each step of the batch workflow reads from the state the workflow hands it (the execution's
 * input plus the results so far), checked with errors that name the field. Pure.
 */
import { dayObjectKey } from "./contract";
import { dayOf } from "./day";

/** The copy's and the load's view of the state: the day (set after the export) and the export's object. */
export interface AfterExport {
  readonly date: string;
  readonly key: string;
}

export function afterExport(state: unknown): AfterExport {
  const s = (state ?? {}) as { date?: unknown; export?: { result?: { key?: unknown; date?: unknown } } };
  if (typeof s.date !== "string")
    throw new Error("state.date is missing: the workflow sets it from the export's result (Day state)");
  dayOf(s.date);
  const key = s.export?.result?.key;
  if (typeof key !== "string")
    throw new Error("state.export.result.key is missing: the export step's result names the day's object");
  if (key !== dayObjectKey(s.date))
    throw new Error(`state.export.result.key ${key} is not the object of ${s.date} (${dayObjectKey(s.date)})`);
  return { date: s.date, key };
}

/** A required environment variable, or an error naming it and who sets it. */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set (the BatchSync component sets it)`);
  return value;
}
