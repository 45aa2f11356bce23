-- The recommendation engine (issue 14, seed 08 done properly). Items carry an embedding computed
-- in the database by an ONNX embedding model (VECTOR_EMBEDDING; the deployment loads the model,
-- see rec_settings) whenever their text changes, behind an IVF vector index. Interactions arrive
-- from the user-events stream in batches (the consumer function; idempotent on the event id).
-- Serving is one call of rec_serve per request: candidates by VECTOR_DISTANCE from the user's
-- recent items plus item-to-item co-occurrence, bought and repeatedly ignored items excluded,
-- popular items as the fill and the new-user fallback; what it served is logged in the same
-- transaction. A scheduler job refreshes co-occurrence, profile vectors and popularity set-based.
CREATE TABLE IF NOT EXISTS rec_items (
  item_id       VARCHAR2(64) NOT NULL,
  title         VARCHAR2(400) NOT NULL,
  description   VARCHAR2(4000),
  category      VARCHAR2(100),
  is_active     NUMBER(1) DEFAULT 1 NOT NULL,
  -- SHA-256 of the text the embedding is computed from; embedded_hash is the one it was computed from.
  content_hash  VARCHAR2(64) NOT NULL,
  embedded_hash VARCHAR2(64),
  embedding     VECTOR(384, FLOAT32),
  updated_at    TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT rec_items_pk PRIMARY KEY (item_id),
  CONSTRAINT rec_items_active_ck CHECK (is_active IN (0, 1))
);

-- IVF (neighbor partitions), not HNSW: the catalogue changes all day, IVF takes DML as it comes
-- and lives on disk, where HNSW is an in-memory graph sized into the vector pool. Cosine, as the
-- embedding model's vectors are compared.
DECLARE
  index_count NUMBER;
BEGIN
  SELECT COUNT(*) INTO index_count FROM user_indexes WHERE index_name = 'REC_ITEMS_EMBEDDING_IVF';
  IF index_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE VECTOR INDEX rec_items_embedding_ivf ON rec_items (embedding) ORGANIZATION NEIGHBOR PARTITIONS DISTANCE COSINE WITH TARGET ACCURACY 95';
  END IF;
END;
/

CREATE TABLE IF NOT EXISTS rec_interactions (
  event_id     VARCHAR2(64) NOT NULL,
  user_id      VARCHAR2(64) NOT NULL,
  item_id      VARCHAR2(64) NOT NULL,
  kind         VARCHAR2(16) NOT NULL,
  -- The served recommendation a rec_click or rec_ignore answers (and only those carry one).
  rec_id       VARCHAR2(36),
  occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  received_at  TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT rec_interactions_pk PRIMARY KEY (event_id),
  CONSTRAINT rec_interactions_kind_ck CHECK (kind IN ('view', 'click', 'purchase', 'rec_click', 'rec_ignore')),
  CONSTRAINT rec_interactions_rec_ck CHECK ((kind IN ('rec_click', 'rec_ignore') AND rec_id IS NOT NULL) OR (kind IN ('view', 'click', 'purchase') AND rec_id IS NULL))
);

CREATE INDEX IF NOT EXISTS rec_interactions_user_ix ON rec_interactions (user_id, occurred_at);

CREATE INDEX IF NOT EXISTS rec_interactions_time_ix ON rec_interactions (occurred_at);

-- Messages the consumer refused, once per stream position, with why.
CREATE TABLE IF NOT EXISTS rec_rejects (
  stream        VARCHAR2(255) NOT NULL,
  partition_id  VARCHAR2(32) NOT NULL,
  offset_no     NUMBER NOT NULL,
  reason        VARCHAR2(400) NOT NULL,
  rejected_at   TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT rec_rejects_pk PRIMARY KEY (stream, partition_id, offset_no)
);

-- Every list served, and its items in order with where each came from: the feedback's other half.
CREATE TABLE IF NOT EXISTS rec_served (
  rec_id     VARCHAR2(36) NOT NULL,
  user_id    VARCHAR2(64) NOT NULL,
  strategy   VARCHAR2(16) NOT NULL,
  served_at  TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT rec_served_pk PRIMARY KEY (rec_id),
  CONSTRAINT rec_served_strategy_ck CHECK (strategy IN ('personal', 'popular'))
);

CREATE INDEX IF NOT EXISTS rec_served_time_ix ON rec_served (served_at);

CREATE TABLE IF NOT EXISTS rec_served_items (
  rec_id    VARCHAR2(36) NOT NULL,
  position  NUMBER(3) NOT NULL,
  item_id   VARCHAR2(64) NOT NULL,
  score     NUMBER NOT NULL,
  source    VARCHAR2(16) NOT NULL,
  CONSTRAINT rec_served_items_pk PRIMARY KEY (rec_id, position),
  CONSTRAINT rec_served_items_fk FOREIGN KEY (rec_id) REFERENCES rec_served (rec_id) ON DELETE CASCADE,
  CONSTRAINT rec_served_items_source_ck CHECK (source IN ('vector', 'cooccurrence', 'blend', 'popular'))
);

-- Item to item: how strongly the same users engaged with both (the refresh job rebuilds it).
CREATE TABLE IF NOT EXISTS rec_cooccurrence (
  item_id   VARCHAR2(64) NOT NULL,
  other_id  VARCHAR2(64) NOT NULL,
  score     NUMBER NOT NULL,
  CONSTRAINT rec_cooccurrence_pk PRIMARY KEY (item_id, other_id)
) ORGANIZATION INDEX;

-- A user's taste: the centroid of the items they engaged with over the history window.
CREATE TABLE IF NOT EXISTS rec_user_profiles (
  user_id       VARCHAR2(64) NOT NULL,
  profile       VECTOR(384, FLOAT32) NOT NULL,
  items_used    NUMBER NOT NULL,
  refreshed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT rec_user_profiles_pk PRIMARY KEY (user_id)
);

CREATE TABLE IF NOT EXISTS rec_popular (
  rank_no  NUMBER(4) NOT NULL,
  item_id  VARCHAR2(64) NOT NULL,
  score    NUMBER NOT NULL,
  CONSTRAINT rec_popular_pk PRIMARY KEY (rank_no)
);

-- One row: the history the refresh job looks at, and the embedding model the deployment loaded
-- (its URI; NULL until a deployment has loaded one: items wait unembedded, serving uses
-- co-occurrence and popularity meanwhile).
CREATE TABLE IF NOT EXISTS rec_settings (
  id               NUMBER(1) DEFAULT 1 NOT NULL,
  history_days     NUMBER(3) DEFAULT 30 NOT NULL,
  model_uri        VARCHAR2(1000),
  model_loaded_at  TIMESTAMP WITH TIME ZONE,
  CONSTRAINT rec_settings_pk PRIMARY KEY (id),
  CONSTRAINT rec_settings_one_ck CHECK (id = 1),
  CONSTRAINT rec_settings_days_ck CHECK (history_days BETWEEN 1 AND 365)
);

INSERT INTO rec_settings (id) SELECT 1 FROM dual WHERE NOT EXISTS (SELECT 1 FROM rec_settings);

-- Embeds the items whose text changed since their embedding (or never had one), in one
-- statement, when the model is loaded. Dynamic SQL: the statement names the model, which the
-- deployment loads after this migration.
CREATE OR REPLACE PROCEDURE rec_embed_items (p_embedded OUT NUMBER) AS
  v_models NUMBER;
BEGIN
  p_embedded := 0;
  SELECT COUNT(*) INTO v_models FROM user_mining_models WHERE model_name = 'REC_EMBEDDER';
  IF v_models = 0 THEN
    RETURN;
  END IF;
  EXECUTE IMMEDIATE 'UPDATE rec_items SET embedding = VECTOR_EMBEDDING(rec_embedder USING title || ''. '' || category || ''. '' || description AS data), embedded_hash = content_hash WHERE embedded_hash IS NULL OR embedded_hash <> content_hash';
  p_embedded := SQL%ROWCOUNT;
END rec_embed_items;
/

-- Adds or changes catalogue items from a JSON array ([{"itemId", "title", "description",
-- "category", "active"}]) and embeds the changed ones in the same transaction. An unchanged item
-- is not touched (its embedding stays); how many rows changed comes back.
CREATE OR REPLACE PROCEDURE rec_upsert_items (p_items IN CLOB, p_changed OUT NUMBER) AS
  v_embedded NUMBER;
BEGIN
  MERGE INTO rec_items t
  USING (
    SELECT j.item_id, j.title, j.description, j.category,
           CASE j.active WHEN 'false' THEN 0 ELSE 1 END AS is_active,
           RAWTOHEX(STANDARD_HASH(j.title || CHR(0) || j.category || CHR(0) || j.description, 'SHA256')) AS content_hash
    FROM JSON_TABLE(p_items, '$[*]' COLUMNS (
      item_id     VARCHAR2(64)   PATH '$.itemId',
      title       VARCHAR2(400)  PATH '$.title',
      description VARCHAR2(4000) PATH '$.description',
      category    VARCHAR2(100)  PATH '$.category',
      active      VARCHAR2(5)    PATH '$.active')) j
  ) s
  ON (t.item_id = s.item_id)
  WHEN MATCHED THEN UPDATE SET
    t.title = s.title, t.description = s.description, t.category = s.category,
    t.is_active = s.is_active, t.content_hash = s.content_hash, t.updated_at = SYSTIMESTAMP
    WHERE t.content_hash <> s.content_hash OR t.is_active <> s.is_active
  WHEN NOT MATCHED THEN INSERT (item_id, title, description, category, is_active, content_hash)
    VALUES (s.item_id, s.title, s.description, s.category, s.is_active, s.content_hash);
  p_changed := SQL%ROWCOUNT;
  rec_embed_items(v_embedded);
  COMMIT;
END rec_upsert_items;
/

-- One recommendation request: up to p_limit items for p_user_id, logged under p_rec_id with each
-- item's source, committed, and returned as JSON {"strategy", "items": [{"itemId", "score",
-- "source"}]}. The query vector is the centroid of the user's 10 most recent items (fresh), else
-- their stored profile; candidates are the 100 nearest active items by cosine distance (IVF,
-- approximate) and the items that co-occur with the recent ones; personal score = 0.6 × cosine
-- similarity + 0.4 × co-occurrence (scaled to the strongest); popular items fill the rest and are
-- the whole answer for a user with no history. Items bought, the recent ones themselves (this is
-- for discovery), and items recommended and ignored twice in the last 7 days are left out.
CREATE OR REPLACE PROCEDURE rec_serve (p_rec_id IN VARCHAR2, p_user_id IN VARCHAR2, p_limit IN NUMBER, p_result OUT VARCHAR2) AS
  v_query  VECTOR(384, FLOAT32);
  v_personal    NUMBER;
  v_strategy    VARCHAR2(16);
  v_items    VARCHAR2(32767);
BEGIN
  SELECT VECTOR(AVG(i.embedding), 384, FLOAT32) INTO v_query
  FROM rec_items i
  WHERE i.embedding IS NOT NULL
    AND i.item_id IN (SELECT r.item_id FROM rec_interactions r
                      WHERE r.user_id = p_user_id AND r.kind <> 'rec_ignore'
                      ORDER BY r.occurred_at DESC FETCH FIRST 10 ROWS ONLY);
  IF v_query IS NULL THEN
    BEGIN
      SELECT profile INTO v_query FROM rec_user_profiles WHERE user_id = p_user_id;
    EXCEPTION
      WHEN NO_DATA_FOUND THEN NULL;
    END;
  END IF;
  INSERT INTO rec_served (rec_id, user_id, strategy) VALUES (p_rec_id, p_user_id, 'popular');
  INSERT INTO rec_served_items (rec_id, position, item_id, score, source)
  WITH recent AS (
    SELECT r.item_id FROM rec_interactions r
    WHERE r.user_id = p_user_id AND r.kind <> 'rec_ignore'
    ORDER BY r.occurred_at DESC FETCH FIRST 10 ROWS ONLY
  ),
  excluded AS (
    SELECT r.item_id FROM rec_interactions r WHERE r.user_id = p_user_id AND r.kind = 'purchase'
    UNION
    SELECT item_id FROM recent
    UNION
    SELECT r.item_id FROM rec_interactions r
    WHERE r.user_id = p_user_id AND r.kind = 'rec_ignore' AND r.occurred_at > SYSTIMESTAMP - INTERVAL '7' DAY
    GROUP BY r.item_id HAVING COUNT(*) >= 2
  ),
  by_vector AS (
    SELECT i.item_id, 1 - VECTOR_DISTANCE(i.embedding, v_query, COSINE) AS score
    FROM rec_items i
    WHERE v_query IS NOT NULL AND i.is_active = 1
    ORDER BY VECTOR_DISTANCE(i.embedding, v_query, COSINE)
    FETCH APPROX FIRST 100 ROWS ONLY WITH TARGET ACCURACY 90
  ),
  by_cooccurrence AS (
    SELECT c.other_id AS item_id, SUM(c.score) AS score
    FROM rec_cooccurrence c
    WHERE c.item_id IN (SELECT item_id FROM recent)
    GROUP BY c.other_id
  ),
  personal_scores AS (
    SELECT u.item_id, SUM(u.vec) AS vec, SUM(u.cooc) AS cooc
    FROM (SELECT v.item_id, v.score AS vec, 0 AS cooc, 1 AS from_vector, 0 AS from_cooc FROM by_vector v
          UNION ALL
          SELECT c.item_id, 0, c.score / MAX(c.score) OVER (), 0, 1 FROM by_cooccurrence c) u
    GROUP BY u.item_id
  ),
  candidates AS (
    SELECT p.item_id, 0.6 * p.vec + 0.4 * p.cooc AS score,
           CASE WHEN p.vec <> 0 AND p.cooc > 0 THEN 'blend' WHEN p.cooc > 0 THEN 'cooccurrence' ELSE 'vector' END AS source,
           0 AS tier
    FROM personal_scores p
    UNION ALL
    SELECT pop.item_id, pop.score, 'popular', 1 FROM rec_popular pop
  ),
  eligible AS (
    SELECT c.item_id, c.score, c.source, c.tier,
           ROW_NUMBER() OVER (PARTITION BY c.item_id ORDER BY c.tier) AS copy_no
    FROM candidates c, rec_items i
    WHERE i.item_id = c.item_id AND i.is_active = 1
      AND c.item_id NOT IN (SELECT item_id FROM excluded)
  )
  SELECT p_rec_id, ROW_NUMBER() OVER (ORDER BY e.tier, e.score DESC, e.item_id), e.item_id, ROUND(e.score, 6), e.source
  FROM eligible e
  WHERE e.copy_no = 1
  ORDER BY e.tier, e.score DESC, e.item_id
  FETCH FIRST p_limit ROWS ONLY;
  SELECT COUNT(*) INTO v_personal FROM rec_served_items WHERE rec_id = p_rec_id AND source <> 'popular';
  v_strategy := CASE WHEN v_personal > 0 THEN 'personal' ELSE 'popular' END;
  UPDATE rec_served SET strategy = v_strategy WHERE rec_id = p_rec_id;
  SELECT NVL(JSON_ARRAYAGG(JSON_OBJECT('itemId' VALUE s.item_id, 'score' VALUE s.score, 'source' VALUE s.source) ORDER BY s.position RETURNING VARCHAR2(32767)), '[]')
    INTO v_items
  FROM rec_served_items s WHERE s.rec_id = p_rec_id;
  SELECT JSON_OBJECT('strategy' VALUE v_strategy, 'items' VALUE v_items FORMAT JSON RETURNING VARCHAR2(32767)) INTO p_result FROM dual;
  COMMIT;
END rec_serve;
/

-- The refresh, set-based, one transaction (readers see the previous state until it commits):
-- embeds changed items; rebuilds co-occurrence from each user's 100 latest engaged items in the
-- history window (an item's weight: purchase 4, click or rec_click 2, view 1; a pair scores the
-- weaker of its two weights, summed over users; the 50 strongest per item kept); recomputes every
-- active user's profile as the centroid of their engaged items; rebuilds the 200 most popular
-- items of the last 7 days; forgets served lists older than the history window.
CREATE OR REPLACE PROCEDURE rec_refresh (p_pairs OUT NUMBER, p_profiles OUT NUMBER, p_popular OUT NUMBER) AS
  v_days      NUMBER;
  v_embedded  NUMBER;
  v_since     TIMESTAMP WITH TIME ZONE;
BEGIN
  SELECT history_days INTO v_days FROM rec_settings WHERE id = 1;
  v_since := SYSTIMESTAMP - NUMTODSINTERVAL(v_days, 'DAY');
  rec_embed_items(v_embedded);

  DELETE FROM rec_cooccurrence;
  INSERT INTO rec_cooccurrence (item_id, other_id, score)
  WITH engaged AS (
    SELECT user_id, item_id, weight FROM (
      SELECT r.user_id, r.item_id,
             MAX(CASE r.kind WHEN 'purchase' THEN 4 WHEN 'click' THEN 2 WHEN 'rec_click' THEN 2 ELSE 1 END) AS weight,
             ROW_NUMBER() OVER (PARTITION BY r.user_id ORDER BY MAX(r.occurred_at) DESC) AS recency
      FROM rec_interactions r
      WHERE r.kind <> 'rec_ignore' AND r.occurred_at > v_since
      GROUP BY r.user_id, r.item_id)
    WHERE recency <= 100
  ),
  pairs AS (
    SELECT a.item_id, b.item_id AS other_id, SUM(LEAST(a.weight, b.weight)) AS score
    FROM engaged a, engaged b
    WHERE a.user_id = b.user_id AND a.item_id <> b.item_id
    GROUP BY a.item_id, b.item_id
  )
  SELECT item_id, other_id, score FROM (
    SELECT p.item_id, p.other_id, p.score, ROW_NUMBER() OVER (PARTITION BY p.item_id ORDER BY p.score DESC, p.other_id) AS strength
    FROM pairs p)
  WHERE strength <= 50;
  p_pairs := SQL%ROWCOUNT;

  MERGE INTO rec_user_profiles t
  USING (
    SELECT e.user_id, VECTOR(AVG(i.embedding), 384, FLOAT32) AS profile, COUNT(*) AS items_used
    FROM (SELECT DISTINCT r.user_id, r.item_id FROM rec_interactions r WHERE r.kind <> 'rec_ignore' AND r.occurred_at > v_since) e,
         rec_items i
    WHERE i.item_id = e.item_id AND i.embedding IS NOT NULL
    GROUP BY e.user_id
  ) s
  ON (t.user_id = s.user_id)
  WHEN MATCHED THEN UPDATE SET t.profile = s.profile, t.items_used = s.items_used, t.refreshed_at = SYSTIMESTAMP
  WHEN NOT MATCHED THEN INSERT (user_id, profile, items_used, refreshed_at) VALUES (s.user_id, s.profile, s.items_used, SYSTIMESTAMP);
  p_profiles := SQL%ROWCOUNT;

  DELETE FROM rec_popular;
  INSERT INTO rec_popular (rank_no, item_id, score)
  SELECT ROW_NUMBER() OVER (ORDER BY x.score DESC, x.item_id), x.item_id, x.score FROM (
    SELECT r.item_id, SUM(CASE r.kind WHEN 'purchase' THEN 4 WHEN 'click' THEN 2 WHEN 'rec_click' THEN 2 ELSE 1 END) AS score
    FROM rec_interactions r, rec_items i
    WHERE i.item_id = r.item_id AND i.is_active = 1 AND r.kind <> 'rec_ignore' AND r.occurred_at > SYSTIMESTAMP - INTERVAL '7' DAY
    GROUP BY r.item_id
    ORDER BY score DESC, r.item_id FETCH FIRST 200 ROWS ONLY) x;
  p_popular := SQL%ROWCOUNT;

  DELETE FROM rec_served WHERE served_at < v_since;
  COMMIT;
END rec_refresh;
/

-- For evaluation: per day, strategy and source, items served and how users answered them (an
-- item counts once as clicked and once as ignored per list, however often the user did it).
CREATE OR REPLACE VIEW rec_feedback AS
SELECT TRUNC(CAST(s.served_at AS DATE)) AS served_day, s.strategy, si.source,
       COUNT(*) AS items_served,
       COUNT(f.clicked) AS items_clicked,
       COUNT(f.ignored) AS items_ignored
FROM rec_served s
JOIN rec_served_items si ON si.rec_id = s.rec_id
LEFT JOIN (
  SELECT r.rec_id, r.item_id,
         MAX(CASE WHEN r.kind = 'rec_click' THEN 1 END) AS clicked,
         MAX(CASE WHEN r.kind = 'rec_ignore' THEN 1 END) AS ignored
  FROM rec_interactions r
  WHERE r.rec_id IS NOT NULL
  GROUP BY r.rec_id, r.item_id
) f ON f.rec_id = si.rec_id AND f.item_id = si.item_id
GROUP BY TRUNC(CAST(s.served_at AS DATE)), s.strategy, si.source;

CREATE INDEX IF NOT EXISTS rec_interactions_rec_ix ON rec_interactions (rec_id, item_id);

-- The refresh job, every 15 minutes until the deployment sets its interval; created once.
DECLARE
  job_count NUMBER;
BEGIN
  SELECT COUNT(*) INTO job_count FROM user_scheduler_jobs WHERE job_name = 'REC_REFRESH_JOB';
  IF job_count = 0 THEN
    DBMS_SCHEDULER.CREATE_JOB(
      job_name        => 'REC_REFRESH_JOB',
      job_type        => 'PLSQL_BLOCK',
      job_action      => 'DECLARE p NUMBER; u NUMBER; n NUMBER; BEGIN rec_refresh(p, u, n); END;',
      repeat_interval => 'FREQ=MINUTELY;INTERVAL=15',
      enabled         => TRUE,
      comments        => 'Refreshes item co-occurrence, user profile vectors and popular items');
  END IF;
END;
/
