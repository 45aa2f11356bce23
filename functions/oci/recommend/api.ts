/**
 * The recommendation API behind API Gateway, as pure request → response logic with its database
 * and clock injected. GET /recommendations answers the gateway-authenticated user (the gateway
 * sets RECOMMEND_API.userHeader from the token's subject) within a deadline: the personal list
 * from the database, or — when the database is late or down — the instance's cached popular list
 * (marked "fallback", not personalised), or 503 when there is none yet. PUT /items changes the
 * catalogue. Bad input is a 400 naming the field; no error ever carries a stack trace.
 */
import { RECOMMEND_API, RECOMMEND_LIMITS } from "./contract";
import { ID, USER_ID } from "./event";
import { type Predict, scoreWith } from "./scorer";
import type { RecommendedItem, RecommendStore, ServedList } from "./store";

export interface ApiRequest {
  readonly method: string;
  /** The gateway's request URL (path and query; the deployment's path prefix included). */
  readonly url: string;
  header(name: string): string | null;
  /** The body as text ("" when none). */
  readonly body: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** The popular list an instance keeps for answering without the database. */
export interface PopularCache {
  items: readonly string[];
  /** When it was read (ms since the epoch); 0 when never. */
  readAt: number;
}

export interface ApiDeps {
  readonly store: Pick<RecommendStore, "serve" | "popular" | "upsertItems">;
  /** Milliseconds a recommendation may take in the database before the fallback answers. */
  readonly deadlineMs: number;
  readonly cache: PopularCache;
  /** How old the cache may get before a request with time to spare reads it again. */
  readonly cacheMaxAgeMs: number;
  /** The Data Science scorer, when one orders the candidates (multicloud:recommendations.scorer). */
  readonly predict?: Predict;
  now(): number;
  newRecId(): string;
  log(entry: Record<string, unknown>): void;
}

const JSON_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store" } as const;

const reply = (status: number, body: unknown, extra: Record<string, string> = {}): ApiResponse => ({
  status,
  headers: { ...JSON_HEADERS, ...extra },
  body,
});
const badRequest = (field: string, message: string): ApiResponse => reply(400, { error: message, field });

class DeadlineExceeded extends Error {}

/** Settles with the promise, or rejects with DeadlineExceeded after `ms` (the promise is left to finish). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The request's query: `limit` only, an integer from 1 to RECOMMEND_LIMITS.maxItems. */
export function parseRecommendationQuery(
  search: URLSearchParams,
): { ok: true; limit: number } | { ok: false; response: ApiResponse } {
  for (const key of new Set(search.keys())) {
    // A parameter without a name (`?=1`, `?&=`) is named by where it is: the query.
    if (key === "")
      return { ok: false, response: badRequest("query", "a query parameter has no name; the only one is limit") };
    if (key !== "limit")
      return { ok: false, response: badRequest(key, `unknown query parameter "${key}"; the only one is limit`) };
  }
  const values = search.getAll("limit");
  if (values.length > 1) return { ok: false, response: badRequest("limit", "limit is given more than once") };
  if (values.length === 0) return { ok: true, limit: RECOMMEND_LIMITS.defaultItems };
  const limit = /^[0-9]{1,3}$/.test(values[0]) ? Number(values[0]) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > RECOMMEND_LIMITS.maxItems)
    return {
      ok: false,
      response: badRequest("limit", `limit must be an integer from 1 to ${RECOMMEND_LIMITS.maxItems}`),
    };
  return { ok: true, limit };
}

export interface CatalogItem {
  readonly itemId: string;
  readonly title: string;
  readonly description?: string;
  readonly category?: string;
  readonly active?: boolean;
}

const ITEM_FIELDS = new Set(["itemId", "title", "description", "category", "active"]);

/** PUT /items's body: a JSON array of 1 to RECOMMEND_LIMITS.maxCatalogItems items, every problem named with its index. */
export function parseCatalogItems(
  body: string,
): { ok: true; items: CatalogItem[] } | { ok: false; response: ApiResponse } {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, response: badRequest("body", "the body is not JSON; send a JSON array of items") };
  }
  if (!Array.isArray(doc) || doc.length === 0 || doc.length > RECOMMEND_LIMITS.maxCatalogItems) {
    return {
      ok: false,
      response: badRequest("body", `the body must be a JSON array of 1 to ${RECOMMEND_LIMITS.maxCatalogItems} items`),
    };
  }
  const seen = new Set<string>();
  for (const [i, raw] of doc.entries()) {
    const at = (field: string) => `[${i}].${field}`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      return { ok: false, response: badRequest(`[${i}]`, "each item must be a JSON object") };
    const it = raw as Record<string, unknown>;
    const unknown = Object.keys(it).find((k) => !ITEM_FIELDS.has(k));
    if (unknown)
      return {
        ok: false,
        response: badRequest(
          at(unknown),
          `unknown field "${unknown}"; an item has itemId, title, description, category and active`,
        ),
      };
    if (typeof it.itemId !== "string" || !ID.test(it.itemId))
      return {
        ok: false,
        response: badRequest(
          at("itemId"),
          `itemId must be 1 to ${RECOMMEND_LIMITS.maxIdLength} letters, digits, . _ : or -`,
        ),
      };
    if (seen.has(it.itemId))
      return { ok: false, response: badRequest(at("itemId"), `item ${it.itemId} is listed twice`) };
    seen.add(it.itemId);
    if (typeof it.title !== "string" || it.title.trim() === "" || it.title.length > 400)
      return {
        ok: false,
        response: badRequest(at("title"), "title must be a non-empty string of at most 400 characters"),
      };
    if (it.description !== undefined && (typeof it.description !== "string" || it.description.length > 4000))
      return {
        ok: false,
        response: badRequest(at("description"), "description must be a string of at most 4000 characters"),
      };
    if (it.category !== undefined && (typeof it.category !== "string" || it.category.length > 100))
      return { ok: false, response: badRequest(at("category"), "category must be a string of at most 100 characters") };
    if (it.active !== undefined && typeof it.active !== "boolean")
      return { ok: false, response: badRequest(at("active"), "active must be true or false") };
  }
  return { ok: true, items: doc as CatalogItem[] };
}

function route(url: string): { path: "recommendations" | "items" | undefined; search: URLSearchParams } {
  const parsed = new URL(url, "http://gateway.invalid");
  const path = parsed.pathname.replace(/\/+$/, "");
  const kind = path.endsWith(RECOMMEND_API.recommendationsPath)
    ? "recommendations"
    : path.endsWith(RECOMMEND_API.itemsPath)
      ? "items"
      : undefined;
  return { path: kind, search: parsed.searchParams };
}

async function recommend(request: ApiRequest, search: URLSearchParams, deps: ApiDeps): Promise<ApiResponse> {
  const userId = request.header(RECOMMEND_API.userHeader);
  if (userId === null || userId === "")
    return badRequest(
      RECOMMEND_API.userHeader,
      `the ${RECOMMEND_API.userHeader} header is missing; API Gateway sets it from the token's subject`,
    );
  if (!USER_ID.test(userId))
    return badRequest(
      RECOMMEND_API.userHeader,
      `the token's subject is not a user id (1 to ${RECOMMEND_LIMITS.maxIdLength} letters, digits, . _ : @ | or -)`,
    );
  const query = parseRecommendationQuery(search);
  if (!query.ok) return query.response;
  const started = deps.now();
  const recId = deps.newRecId();
  let served: ServedList;
  try {
    served = await within(deps.store.serve({ recId, userId, limit: query.limit }), deps.deadlineMs);
  } catch (err) {
    const reason = err instanceof DeadlineExceeded ? "deadline" : "database";
    deps.log({ event: "recommend.fallback", recId, reason, error: (err as Error).message, ms: deps.now() - started });
    if (deps.cache.items.length === 0)
      return reply(503, { error: "recommendations are unavailable; retry shortly" }, { "Retry-After": "2" });
    const items: RecommendedItem[] = deps.cache.items
      .slice(0, query.limit)
      .map((itemId) => ({ itemId, score: 0, source: "popular" }));
    return reply(200, { recId, userId, strategy: "fallback", items });
  }
  let items = served.items;
  let scorer: "sql" | "dataScience" = "sql";
  if (deps.predict) {
    // The scorer gets what is left of the deadline; late or wrong, the SQL order stands.
    const outcome = await scoreWith(deps.predict, userId, items, Math.max(1, deps.deadlineMs - (deps.now() - started)));
    items = outcome.items;
    if (outcome.scored) scorer = "dataScience";
    else if (outcome.error !== "nothing to order")
      deps.log({ event: "recommend.scorer_failed", recId, error: outcome.error });
  }
  const elapsed = deps.now() - started;
  deps.log({ event: "recommend.served", recId, strategy: served.strategy, scorer, items: items.length, ms: elapsed });
  // The fallback list, read again when stale and there is time left (at most once per max age).
  if (deps.now() - deps.cache.readAt > deps.cacheMaxAgeMs && elapsed < deps.deadlineMs / 2) {
    try {
      deps.cache.items = await within(deps.store.popular(), deps.deadlineMs - elapsed);
      deps.cache.readAt = deps.now();
    } catch (err) {
      deps.log({ event: "recommend.cache_refresh_failed", error: (err as Error).message });
    }
  }
  return reply(200, { recId, userId, strategy: served.strategy, ...(deps.predict ? { scorer } : {}), items });
}

async function putItems(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const parsed = parseCatalogItems(request.body);
  if (!parsed.ok) return parsed.response;
  try {
    const changed = await deps.store.upsertItems(JSON.stringify(parsed.items));
    deps.log({ event: "items.upserted", received: parsed.items.length, changed });
    return reply(200, { received: parsed.items.length, changed });
  } catch (err) {
    deps.log({ event: "items.failed", error: (err as Error).message });
    return reply(503, { error: "the catalogue could not be changed; retry" }, { "Retry-After": "5" });
  }
}

export async function handleApi(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const { path, search } = route(request.url);
  if (path === "recommendations")
    return request.method === "GET"
      ? recommend(request, search, deps)
      : reply(405, { error: "use GET" }, { Allow: "GET" });
  if (path === "items")
    return request.method === "PUT" ? putItems(request, deps) : reply(405, { error: "use PUT" }, { Allow: "PUT" });
  return reply(404, { error: `no route for ${new URL(request.url, "http://gateway.invalid").pathname}` });
}
