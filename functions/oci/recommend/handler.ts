/**
 * The recommendation image's entry (OCI Functions, Node 22, FDK http-stream). One image, two
 * functions, told apart by RECOMMEND_ROLE: "interactions" takes Connector Hub batches of user
 * events (a failed batch is answered with the FDK's error and delivered again); "api" answers API
 * Gateway (status and headers through the FDK's HTTP gateway context). The database credential
 * comes from Vault with the function's resource principal; a pool per instance; a JSON log line
 * per call, without credentials.
 */
import fdk from "@fnproject/fdk";
import { DefaultRequestSigner, ResourcePrincipalAuthenticationDetailsProvider } from "oci-common";
import { randomUUID } from "node:crypto";
import type oracledb from "oracledb";
import { vaultPool } from "../common/pool";
import type { PopularCache } from "./api";
import { answerGateway, type GatewayContext } from "./gateway";
import { handleInteractions } from "./interactions";
import { ociPredict } from "./predict";
import type { Predict } from "./scorer";
import { recommendSettings } from "./settings";
import { type RecommendConnection, recommendStore } from "./store";

const settings = recommendSettings(process.env);
const pool = vaultPool(settings);
const cache: PopularCache = { items: [], readAt: 0 };

/** The Data Science scorer, signed with the function's resource principal, when configured. */
let signer: DefaultRequestSigner | undefined;
const predict: Predict | undefined = settings.scorerUrl
  ? async (request, timeoutMs) => {
      signer ??= new DefaultRequestSigner(ResourcePrincipalAuthenticationDetailsProvider.builder());
      return ociPredict(settings.scorerUrl!, signer)(request, timeoutMs);
    }
  : undefined;

async function withConnection<T>(
  timeoutMs: number | undefined,
  use: (conn: oracledb.Connection) => Promise<T>,
): Promise<T> {
  const conn = await pool.connection();
  // A call that outlives the API's deadline is abandoned by the driver too; the connection is then dropped, not reused.
  if (timeoutMs !== undefined) conn.callTimeout = timeoutMs;
  let healthy = true;
  try {
    return await use(conn);
  } catch (err) {
    healthy = false;
    throw err;
  } finally {
    await conn.close({ drop: !healthy }).catch(() => undefined);
  }
}

async function interactions(input: unknown): Promise<unknown> {
  const outcome = await withConnection(undefined, (conn) =>
    handleInteractions(JSON.parse(String(input)), recommendStore(conn as unknown as RecommendConnection)),
  );
  console.log(JSON.stringify({ event: "interactions.stored", ...outcome }));
  return outcome;
}

function api(input: unknown, ctx: GatewayContext): Promise<unknown> {
  const store = {
    serve: (r: { recId: string; userId: string; limit: number }) =>
      withConnection(settings.deadlineMs, (conn) => recommendStore(conn as unknown as RecommendConnection).serve(r)),
    popular: () =>
      withConnection(settings.deadlineMs, (conn) => recommendStore(conn as unknown as RecommendConnection).popular()),
    upsertItems: (json: string) =>
      withConnection(undefined, (conn) => recommendStore(conn as unknown as RecommendConnection).upsertItems(json)),
  };
  return answerGateway(input, ctx, {
    store,
    deadlineMs: settings.deadlineMs,
    cache,
    cacheMaxAgeMs: 5 * 60_000,
    ...(predict ? { predict } : {}),
    now: Date.now,
    newRecId: randomUUID,
    log: (entry) => console.log(JSON.stringify(entry)),
  });
}

fdk.handle(
  (input: unknown, ctx: unknown) => (settings.role === "api" ? api(input, ctx as GatewayContext) : interactions(input)),
  { inputMode: "string" },
);
