/**
 * The optional Data Science scorer: an OCI Data Science model deployment orders rec_serve's
 * candidates instead of the SQL score. The same items are served (so the served log and the
 * feedback stay true); only their order changes. Pure parts: the request, the answer checked
 * (one finite score per item), the new order. A scorer that fails, answers wrongly or late leaves
 * the SQL order.
 */
import type { ScorerRequest, ScorerResponse } from "./contract";
import type { RecommendedItem } from "./store";

/** Sends one request to the model deployment and returns its parsed JSON answer. */
export type Predict = (request: ScorerRequest, timeoutMs: number) => Promise<unknown>;

export function scorerRequest(userId: string, items: readonly RecommendedItem[]): ScorerRequest {
  return { userId, items: items.map((i) => ({ itemId: i.itemId, score: i.score, source: i.source })) };
}

/** The scores, checked against the items they score. */
export function parseScorerResponse(answer: unknown, count: number): number[] {
  const scores = (answer as Partial<ScorerResponse> | null)?.scores;
  if (!Array.isArray(scores)) throw new Error('the scorer answered without "scores"');
  if (scores.length !== count) throw new Error(`the scorer answered ${scores.length} scores for ${count} items`);
  if (!scores.every((s) => typeof s === "number" && Number.isFinite(s)))
    throw new Error("the scorer answered a score that is not a finite number");
  return scores as number[];
}

/** The items by the scorer's scores, best first (ties keep the SQL order); each item's score is the scorer's. */
export function reorder(items: readonly RecommendedItem[], scores: readonly number[]): RecommendedItem[] {
  return items
    .map((item, i) => ({ item, i, score: scores[i] }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map(({ item, score }) => ({ ...item, score }));
}

export type ScoredOutcome =
  | { readonly scored: true; readonly items: RecommendedItem[] }
  | { readonly scored: false; readonly items: readonly RecommendedItem[]; readonly error: string };

/** The candidates ordered by the scorer within `timeoutMs`, or in their SQL order with why not. */
export async function scoreWith(
  predict: Predict,
  userId: string,
  items: readonly RecommendedItem[],
  timeoutMs: number,
): Promise<ScoredOutcome> {
  if (items.length < 2) return { scored: false, items, error: "nothing to order" };
  try {
    const answer = await predict(scorerRequest(userId, items), timeoutMs);
    return { scored: true, items: reorder(items, parseScorerResponse(answer, items.length)) };
  } catch (err) {
    return { scored: false, items, error: (err as Error).message };
  }
}
