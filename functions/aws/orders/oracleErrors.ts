/**
 * Which database errors are about a row's data — the row will be refused every time, so it goes to
 * the dead letters with its reason — and which are not. **Default deny**: only the codes written
 * below are data errors; every other error (a missing or invalid object during a rollout —
 * ORA-00942, ORA-04068, ORA-06550, PLS-00306 —, a switchover — ORA-01034, ORA-16000 —, a lost
 * connection — NJS-5xx —, anything unknown) retries, because dead-lettering a good row for a
 * transient reason loses it, while retrying a bad row only delays its batch until it is found.
 * Pure (no driver): the sync consumer and the OCI consumers share it.
 */

export interface DataError {
  readonly code: string;
  /** What the row did wrong, as people read it in a dead letter. */
  readonly meaning: string;
  /** The Oracle error reference. */
  readonly source: string;
}

const ref = (code: string) => `https://docs.oracle.com/en/error-help/db/${code.toLowerCase()}/`;

/** The data errors: the only codes a row is dead-lettered for. */
export const DATA_ERRORS: readonly DataError[] = [
  { code: "ORA-01400", meaning: "a required value is missing (NOT NULL)" },
  { code: "ORA-01438", meaning: "a number is larger than the column's precision allows" },
  { code: "ORA-01841", meaning: "a year is 0 or outside -4713 to 9999" },
  { code: "ORA-01843", meaning: "a month is not valid" },
  { code: "ORA-01847", meaning: "a day is outside its month" },
  { code: "ORA-01850", meaning: "an hour is outside 0 to 23" },
  { code: "ORA-01851", meaning: "a minute is outside 0 to 59" },
  { code: "ORA-01852", meaning: "a second is outside 0 to 59" },
  { code: "ORA-01861", meaning: "a value does not match its date format" },
  { code: "ORA-01722", meaning: "a value is not a number" },
  { code: "ORA-01874", meaning: "a time zone hour is outside -15 to 15" },
  { code: "ORA-01875", meaning: "a time zone minute is outside 0 to 59" },
  { code: "ORA-01878", meaning: "a local time does not exist in its time zone" },
  { code: "ORA-02290", meaning: "a value breaks a check constraint" },
  { code: "ORA-02291", meaning: "a referenced row does not exist (foreign key)" },
  { code: "ORA-12899", meaning: "a value is too long for its column" },
  { code: "ORA-40441", meaning: "a JSON value is not valid JSON" },
].map((e) => ({ ...e, source: ref(e.code) }));

const DATA_CODES = new Map(DATA_ERRORS.map((e) => [e.code, e]));

/** The error's Oracle or driver code: `ORA-01841`, `NJS-115`, `PLS-00306`, or undefined. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { errorNum?: unknown; code?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === "string" && /^(ORA|NJS|DPI|PLS)-\d+$/.test(e.code)) return e.code;
  if (typeof e?.errorNum === "number" && e.errorNum > 0) return `ORA-${String(e.errorNum).padStart(5, "0")}`;
  return /\b((?:ORA|NJS|DPI|PLS)-\d{3,5})\b/.exec(typeof e?.message === "string" ? e.message : "")?.[1];
}

/** The data error this is, or undefined: anything else is retried. */
export function dataErrorOf(err: unknown): DataError | undefined {
  const code = errorCode(err);
  return code ? DATA_CODES.get(code) : undefined;
}

/** The reason a dead letter carries for a row the database refused. */
export function refusalReason(err: unknown): string {
  const data = dataErrorOf(err);
  const message = String((err as { message?: unknown })?.message ?? err).split("\n")[0];
  return data ? `the database refused it: ${data.code} ${data.meaning} (${message})` : message;
}
