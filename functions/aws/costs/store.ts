/**
 * The cost table in S3, one object per day: `costs/date=YYYY-MM-DD/costs.jsonl`. Writing a day
 * replaces that object, so re-running a day (late-arriving usage, a retry) replaces it and never
 * duplicates a row; reading a range reads one object per day and says which days are missing.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CostRow } from "./collect";

export const dayKey = (date: string) => `costs/date=${date}/costs.jsonl`;

/** Writes each day's rows as its own object (the days named, even with no rows: a day with no spend is data). */
export async function writeDays(s3: Pick<S3Client, "send">, bucket: string, days: readonly string[], rows: readonly CostRow[]): Promise<number> {
  for (const row of rows) if (!days.includes(row.date)) throw new Error(`row of ${row.date} is outside the days written (${days[0]} … ${days[days.length - 1]})`);
  for (const day of days) {
    const body = rows
      .filter((r) => r.date === day)
      .map((r) => JSON.stringify(r))
      .join("\n");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: dayKey(day), Body: body, ContentType: "application/x-ndjson" }));
  }
  return days.length;
}

/** The rows of the days asked, and the days that have no object yet. */
export async function readDays(s3: Pick<S3Client, "send">, bucket: string, days: readonly string[]): Promise<{ rows: CostRow[]; missing: string[] }> {
  const rows: CostRow[] = [];
  const missing: string[] = [];
  for (const day of days) {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: dayKey(day) }));
      const text = (await object.Body?.transformToString("utf8")) ?? "";
      for (const line of text.split("\n").filter(Boolean)) rows.push(JSON.parse(line) as CostRow);
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === "NoSuchKey") missing.push(day);
      else throw err;
    }
  }
  return { rows, missing };
}
