/**
 * The recommendation API behind the real FDK (`@fnproject/fdk`, http-stream on FN_LISTENER's unix
 * socket): answerGateway over the recording model, with a popular list cached and a database
 * that is late for the user "slow-user" — what the Functions service runs, minus Vault and the pool.
 */
import fdk from "@fnproject/fdk";
import { type PopularCache } from "../../../functions/oci/recommend/api";
import { answerGateway, type GatewayContext } from "../../../functions/oci/recommend/gateway";
import { recommendStore } from "../../../functions/oci/recommend/store";
import { FakeRecommendDb } from "./fakeRecommendDb";

const db = new FakeRecommendDb();
db.serveResult = JSON.stringify({ strategy: "personal", items: [{ itemId: "sku-2", score: 0.91, source: "blend" }] });
const store = recommendStore(db);
const cache: PopularCache = { items: ["sku-9", "sku-8"], readAt: Date.now() };
let ids = 0;

fdk.handle(
  (input: unknown, ctx: unknown) =>
    answerGateway(input, ctx as GatewayContext, {
      store: {
        ...store,
        serve: (r) => (r.userId === "slow-user" ? new Promise(() => undefined) : store.serve(r)),
      },
      deadlineMs: 200,
      cache,
      cacheMaxAgeMs: 60_000,
      now: Date.now,
      newRecId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`,
      log: () => undefined,
    }),
  { inputMode: "string" },
);
