/**
 * The inference API's logic: validate the request, read the user's features, ask the model, and
 * answer with a defined status for every case (400 bad input, 404 no features yet, 502 model
 * error, 504 model timeout).
 */
import * as z from "zod/mini";
import type { UserFeatures } from "../features/features";

const USER_ID = "a string of 1 to 128 characters";
const INPUT_VALUE = "a number, string or boolean";

/** The request body; each message says what the field must be. */
export const requestSchema = z.strictObject(
  {
    userId: z.string({ error: USER_ID }).check(z.minLength(1, USER_ID), z.maxLength(128, USER_ID)),
    input: z.optional(
      z.record(z.string(), z.union([z.number(), z.string(), z.boolean()], { error: INPUT_VALUE }), {
        error: "a map of names to numbers, strings or booleans",
      }),
    ),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field(s) ${issue.keys.join(", ")}; the body has userId and optional input`
        : "a JSON object with userId and optional input",
  },
);

export interface HttpResult {
  readonly statusCode: number;
  readonly body: Record<string, unknown>;
}

export interface InferenceDeps {
  getFeatures(userId: string): Promise<UserFeatures | undefined>;
  /** Invokes the model endpoint with a JSON payload and returns its parsed JSON answer. */
  invokeModel(payload: Record<string, unknown>): Promise<unknown>;
  now(): number;
}

/** The features the model sees (no bookkeeping fields). */
export function modelFeatures(f: UserFeatures, nowMs: number) {
  return {
    lastEventType: f.lastEventType,
    recentEventCount: f.recentEventCount,
    secondsSinceLastEvent: Math.max(0, Math.round((nowMs - f.lastEventTimeMs) / 1000)),
  };
}

export async function handleRequest(rawBody: string | undefined, deps: InferenceDeps): Promise<HttpResult> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody ?? "");
  } catch {
    return { statusCode: 400, body: { error: 'body must be JSON: {"userId": "...", "input": {...}}' } };
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) {
    return {
      statusCode: 400,
      body: {
        error: "invalid request",
        details: parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`),
      },
    };
  }
  const { userId, input } = parsed.data;
  const stored = await deps.getFeatures(userId);
  if (!stored)
    return {
      statusCode: 404,
      body: { userId, error: `no features for user ${userId} yet; they appear after the user's first event` },
    };
  const features = modelFeatures(stored, deps.now());
  try {
    const prediction = await deps.invokeModel({ userId, features, input: input ?? {} });
    return { statusCode: 200, body: { userId, features, prediction } };
  } catch (err) {
    const name = (err as { name?: string }).name ?? "";
    if (name === "TimeoutError" || name === "AbortError")
      return { statusCode: 504, body: { userId, error: "the model did not answer in time" } };
    return { statusCode: 502, body: { userId, error: "the model endpoint failed", cause: name || "unknown" } };
  }
}
