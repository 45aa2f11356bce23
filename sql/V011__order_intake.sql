-- The order API publishes accepted orders (topic `orders`) instead of writing them; the sync
-- consumer stages them and merges. A staged row now says what it is: `created` (a new order the
-- API accepted: inserted only when the order does not exist yet, so a replayed or retried create
-- never undoes what happened to the order since) or `updated` (a new version: the newer wins, as
-- before; batch loads are versions). A `created` row carries its Idempotency-Key and request hash:
-- the merge records the first request of each key in order_requests, which the API reads to
-- answer a repeat at once, and records a key reused for another order in order_conflicts.
DECLARE
  column_exists EXCEPTION;
  PRAGMA EXCEPTION_INIT(column_exists, -1430);
BEGIN
  EXECUTE IMMEDIATE q'[ALTER TABLE orders_staging ADD (
    kind            VARCHAR2(10) DEFAULT 'updated' NOT NULL CONSTRAINT orders_staging_kind_ck CHECK (kind IN ('created', 'updated')),
    idempotency_key VARCHAR2(128),
    request_hash    CHAR(64)
  )]';
EXCEPTION
  WHEN column_exists THEN NULL;
END;
/

-- A key the merge found already taken by another request: kept, with both hashes, for the team to
-- answer the client (the API answered 202 because the database was out of reach at the time).
CREATE TABLE IF NOT EXISTS order_conflicts (
  idempotency_key  VARCHAR2(128) NOT NULL,
  request_hash     CHAR(64) NOT NULL,
  accepted_hash    CHAR(64) NOT NULL,
  order_id         VARCHAR2(64) NOT NULL,
  load_id          VARCHAR2(64) NOT NULL,
  requested_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  recorded_at      TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT order_conflicts_pk PRIMARY KEY (idempotency_key, request_hash)
);

-- Row privileges only, for both service logins (V007, V009): they may read the conflicts (the
-- merge, which writes them, runs with its owner's rights).
GRANT SELECT ON order_conflicts TO mc_svc;

GRANT SELECT ON order_conflicts TO mc_svc_b;

-- One load: orders first (the chosen row per order: the newest `updated` one if any, else the
-- first `created` one), then the keys of the load's creates, then the conflicts, then the load's
-- staging rows go. Every source is one row per target key (MERGE would fail on two). A load run
-- twice changes nothing the second time. p_merged: orders inserted or updated; p_conflicts: keys
-- newly recorded as reused.
CREATE OR REPLACE PROCEDURE merge_orders_staging (p_load_id IN VARCHAR2, p_merged OUT NUMBER, p_conflicts OUT NUMBER) AS
BEGIN
  MERGE INTO orders o
  USING (
    SELECT order_id, customer_id, amount, currency, status, order_date, updated_at, kind
    FROM (
      SELECT st.*, ROW_NUMBER() OVER (
        PARTITION BY st.order_id
        ORDER BY CASE st.kind WHEN 'updated' THEN 0 ELSE 1 END,
                 CASE st.kind WHEN 'updated' THEN st.updated_at END DESC,
                 st.updated_at
      ) AS chosen
      FROM orders_staging st
      WHERE st.load_id = p_load_id
    )
    WHERE chosen = 1
  ) s
  ON (o.order_id = s.order_id)
  WHEN MATCHED THEN UPDATE SET
    o.customer_id = s.customer_id, o.amount = s.amount, o.currency = s.currency,
    o.status = s.status, o.order_date = s.order_date, o.updated_at = s.updated_at
    WHERE s.kind = 'updated' AND s.updated_at > o.updated_at
  WHEN NOT MATCHED THEN INSERT (order_id, customer_id, amount, currency, status, order_date, updated_at)
    VALUES (s.order_id, s.customer_id, s.amount, s.currency, s.status, s.order_date, s.updated_at);
  p_merged := SQL%ROWCOUNT;

  MERGE INTO order_requests r
  USING (
    SELECT idempotency_key, request_hash, order_id
    FROM (
      SELECT st.idempotency_key, st.request_hash, st.order_id,
             ROW_NUMBER() OVER (PARTITION BY st.idempotency_key ORDER BY st.updated_at) AS first_seen
      FROM orders_staging st
      WHERE st.load_id = p_load_id AND st.kind = 'created'
    )
    WHERE first_seen = 1
  ) s
  ON (r.idempotency_key = s.idempotency_key)
  WHEN NOT MATCHED THEN INSERT (idempotency_key, request_hash, order_id)
    VALUES (s.idempotency_key, s.request_hash, s.order_id);

  MERGE INTO order_conflicts c
  USING (
    SELECT st.idempotency_key, st.request_hash, MIN(r.request_hash) AS accepted_hash,
           MIN(st.order_id) AS order_id, MIN(st.updated_at) AS requested_at
    FROM orders_staging st, order_requests r
    WHERE st.load_id = p_load_id AND st.kind = 'created'
      AND r.idempotency_key = st.idempotency_key AND r.request_hash <> st.request_hash
    GROUP BY st.idempotency_key, st.request_hash
  ) s
  ON (c.idempotency_key = s.idempotency_key AND c.request_hash = s.request_hash)
  WHEN NOT MATCHED THEN INSERT (idempotency_key, request_hash, accepted_hash, order_id, load_id, requested_at)
    VALUES (s.idempotency_key, s.request_hash, s.accepted_hash, s.order_id, p_load_id, s.requested_at);
  p_conflicts := SQL%ROWCOUNT;

  DELETE FROM orders_staging WHERE load_id = p_load_id;
END merge_orders_staging;
/
