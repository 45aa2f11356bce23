/**
 * The cost table in S3, one object per day: `costs/date=YYYY-MM-DD/costs.jsonl`. Writing a day
 * replaces that object, so re-running a day (late-arriving usage, a retry) replaces it and never
 * duplicates a row; reading a range reads one object per day and says which days are missing.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CostRow } from "./collect";

export const dayKey = (date: string) => `costs/date=${date}/costs.jsonl`;

/** Objects read or written at once: a year of history is ~400 objects, one request each. */
export const S3_IN_FLIGHT = 16;

/** `work` over the items with at most `limit` running at once; results in the items' order. */
export async function mapInFlight<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Writes each day's rows as its own object (the days named, even with no rows: a day with no spend is data). */
export async function writeDays(
  s3: Pick<S3Client, "send">,
  bucket: string,
  days: readonly string[],
  rows: readonly CostRow[],
): Promise<number> {
  for (const row of rows)
    if (!days.includes(row.date))
      throw new Error(`row of ${row.date} is outside the days written (${days[0]} … ${days[days.length - 1]})`);
  await mapInFlight(days, S3_IN_FLIGHT, (day) => {
    const body = rows
      .filter((r) => r.date === day)
      .map((r) => JSON.stringify(r))
      .join("\n");
    return s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: dayKey(day), Body: body, ContentType: "application/x-ndjson" }),
    );
  });
  return days.length;
}

/** The rows of the days asked (in day order), and the days that have no object yet. */
export async function readDays(
  s3: Pick<S3Client, "send">,
  bucket: string,
  days: readonly string[],
): Promise<{ rows: CostRow[]; missing: string[] }> {
  const perDay = await mapInFlight(days, S3_IN_FLIGHT, async (day): Promise<CostRow[] | undefined> => {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: dayKey(day) }));
      const text = (await object.Body?.transformToString("utf8")) ?? "";
      return text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as CostRow);
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === "NoSuchKey") return undefined;
      throw err;
    }
  });
  return { rows: perDay.flatMap((r) => r ?? []), missing: days.filter((_, i) => perDay[i] === undefined) };
}
