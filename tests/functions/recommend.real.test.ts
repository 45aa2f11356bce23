/**
 * The recommendation engine's SQL against a real Oracle AI Database (26ai has VECTOR), when
 * ORACLE_TEST_DSN is set; skipped, saying why, when it is not. Migrates the schema; as MC_FN (the
 * functions' login) changes the catalogue through rec_upsert_items and stores interactions through
 * the consumer's store; gives the items known embeddings as the admin (no ONNX model is loaded in
 * a test database: the vectors stand in for the model's, two clusters); runs the refresh; then
 * serves through rec_serve: the vector neighbour and co-occurring items first, bought and just-seen items never,
 * popular items for a new user, an item ignored twice dropped, every list logged.
 * Point it only at a throw-away database.
 */
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import oracledb from "oracledb";
import { RECOMMEND_LIMITS } from "../../functions/oci/recommend/contract";
import { handleInteractions } from "../../functions/oci/recommend/interactions";
import { type RecommendConnection, recommendStore } from "../../functions/oci/recommend/store";
import { migrateRealOracle, REAL_ORACLE, realOracleSessions, realOracleTitle } from "./support/realOracle";

/** A unit vector near axis `axis` (0 or 1), nudged by `nudge` towards the other: cluster members are close. */
function vector(axis: number, nudge: number): string {
  const v = new Array<number>(RECOMMEND_LIMITS.embeddingDimensions).fill(0);
  v[axis] = 1;
  v[1 - axis] = nudge;
  const norm = Math.hypot(...v);
  return `[${v.map((x) => x / norm).join(",")}]`;
}

describe(realOracleTitle("recommendation engine SQL"), function () {
  const sessions = realOracleSessions();
  const connect = sessions.connect;

  before(async function () {
    if (!REAL_ORACLE.dsn) return this.skip();
    await migrateRealOracle();
  });
  after(() => sessions.closeAll());

  it("serves vector neighbours and co-occurring items, never what was bought, popular items to a new user, and learns from ignores", async () => {
    const run = randomUUID().slice(0, 8);
    const id = (name: string) => `${name}-${run}`;
    const fn = await connect("MC_FN", REAL_ORACLE.passwords.functions_password);
    const store = recommendStore(fn as unknown as RecommendConnection);
    const items = ["a1", "a2", "a3", "b1", "b2"].map((n) => ({
      itemId: id(n),
      title: `Item ${n}`,
      category: n[0] === "a" ? "shoes" : "tents",
    }));
    expect(await store.upsertItems(JSON.stringify(items))).to.equal(5);
    expect(await store.upsertItems(JSON.stringify(items))).to.equal(0);
    expect(await store.upsertItems(JSON.stringify([{ ...items[4], title: "Item b2, new" }]))).to.equal(1);

    const admin = await connect(REAL_ORACLE.adminUser, REAL_ORACLE.adminPassword);
    const embeddings: Array<[string, string]> = [
      [id("a1"), vector(0, 0.05)],
      [id("a2"), vector(0, 0.1)],
      [id("a3"), vector(0, 0.15)],
      [id("b1"), vector(1, 0.05)],
      [id("b2"), vector(1, 0.1)],
    ];
    await admin.executeMany(
      "UPDATE rec_items SET embedding = TO_VECTOR(:v, 384, FLOAT32), embedded_hash = content_hash WHERE item_id = :id",
      embeddings.map(([itemId, v]) => ({ id: itemId, v })),
      { autoCommit: true },
    );

    const at = (minute: number) => new Date(Date.now() - (60 - minute) * 60_000).toISOString();
    const events = [
      { eventId: id("e1"), userId: id("u1"), itemId: id("a1"), kind: "view", occurredAt: at(1) },
      { eventId: id("e2"), userId: id("u1"), itemId: id("a2"), kind: "purchase", occurredAt: at(2) },
      { eventId: id("e3"), userId: id("u2"), itemId: id("a1"), kind: "view", occurredAt: at(3) },
      { eventId: id("e4"), userId: id("u2"), itemId: id("a3"), kind: "click", occurredAt: at(4) },
      { eventId: id("e5"), userId: id("u2"), itemId: id("b1"), kind: "purchase", occurredAt: at(5) },
    ];
    const body = events.map((e, i) => ({
      stream: "user-events",
      partition: "0",
      offset: i,
      value: Buffer.from(JSON.stringify(e)).toString("base64"),
    }));
    expect(await handleInteractions(body, store)).to.deep.include({ inserted: 5, refused: 0 });
    expect(await handleInteractions(body, store)).to.deep.include({ inserted: 0, duplicates: 5 });

    const out = { dir: oracledb.BIND_OUT, type: oracledb.NUMBER };
    const refresh = await admin.execute("BEGIN rec_refresh(:pairs, :profiles, :popular); END;", {
      pairs: out,
      profiles: out,
      popular: out,
    });
    const counts = refresh.outBinds as { pairs: number; profiles: number; popular: number };
    expect(counts.pairs).to.be.at.least(6);
    expect(counts.profiles).to.be.at.least(2);
    expect(counts.popular).to.be.at.least(4);

    const first = await store.serve({ recId: randomUUID(), userId: id("u1"), limit: 3 });
    expect(first.strategy).to.equal("personal");
    const served = first.items.map((i) => i.itemId);
    expect(served).to.not.include.members([id("a2"), id("a1")]);
    expect(served[0]).to.equal(id("a3"));
    expect(first.items[0].source).to.equal("blend");

    const newcomer = await store.serve({ recId: randomUUID(), userId: id("new"), limit: 2 });
    expect(newcomer.strategy).to.equal("popular");
    expect(newcomer.items).to.have.length(2);
    expect(newcomer.items.every((i) => i.source === "popular")).to.equal(true);

    const recId = randomUUID();
    await store.serve({ recId, userId: id("u1"), limit: 3 });
    const ignores = [0, 1].map((n) => ({
      eventId: id(`ig${n}`),
      userId: id("u1"),
      itemId: id("a3"),
      kind: "rec_ignore",
      recId,
      occurredAt: at(10 + n),
    }));
    await handleInteractions(
      ignores.map((e, i) => ({
        stream: "user-events",
        partition: "0",
        offset: 100 + i,
        value: Buffer.from(JSON.stringify(e)).toString("base64"),
      })),
      store,
    );
    const after = await store.serve({ recId: randomUUID(), userId: id("u1"), limit: 3 });
    expect(after.items.map((i) => i.itemId)).to.not.include(id("a3"));

    const logged = await admin.execute<[number]>("SELECT COUNT(*) FROM rec_served WHERE user_id = :u", { u: id("u1") });
    expect(logged.rows?.[0][0]).to.equal(3);
    const feedback = await admin.execute<[number]>(
      "SELECT SUM(items_ignored) FROM rec_feedback f WHERE EXISTS (SELECT 1 FROM rec_served s WHERE s.rec_id = :r)",
      { r: recId },
    );
    expect(feedback.rows?.[0][0]).to.be.at.least(1);
  });
});
