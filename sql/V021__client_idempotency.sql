-- Idempotency-Keys scoped to the authenticated client, reserved by the API before it publishes.
--
-- order_requests' key becomes (client_id, idempotency_key): Bob's key can never name Alice's order,
-- and the order id the API derives follows (orderIdForKey(client, key)). A row is now written by the
-- API before the order exists ('reserved', then 'published' once the event is on the topic), so the
-- foreign key to orders goes; the merge still records the first request of a key published while
-- the database was out of reach.
--
-- Keys already stored: they were sent before callers were authenticated, so they get the client
-- '-' (LEGACY_CLIENT in functions/aws/orders/orders.ts), which no token can carry. They are kept
-- for audit and never match a new request: a request first sent before this migration and retried
-- after it is a new order (docs/orders.md: upgrading to client-scoped keys).
DECLARE
  column_exists EXCEPTION;
  PRAGMA EXCEPTION_INIT(column_exists, -1430);
BEGIN
  EXECUTE IMMEDIATE q'[ALTER TABLE order_requests ADD (
    client_id    VARCHAR2(255) DEFAULT '-' NOT NULL,
    state        VARCHAR2(10) DEFAULT 'published' NOT NULL CONSTRAINT order_requests_state_ck CHECK (state IN ('reserved', 'published')),
    accepted_at  TIMESTAMP WITH TIME ZONE,
    reserved_at  TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL
  )]';
EXCEPTION
  WHEN column_exists THEN NULL;
END;
/

-- The reservation precedes its order: no foreign key (ORA-02443: already gone on a rerun).
DECLARE
  no_constraint EXCEPTION;
  PRAGMA EXCEPTION_INIT(no_constraint, -2443);
BEGIN
  EXECUTE IMMEDIATE 'ALTER TABLE order_requests DROP CONSTRAINT order_requests_order_fk';
EXCEPTION
  WHEN no_constraint THEN NULL;
END;
/

-- The primary key moves to (client_id, idempotency_key), in place of the key alone.
DECLARE
  key_columns NUMBER;
BEGIN
  SELECT COUNT(*) INTO key_columns FROM user_cons_columns
  WHERE constraint_name = 'ORDER_REQUESTS_PK' AND column_name = 'CLIENT_ID';
  IF key_columns = 0 THEN
    EXECUTE IMMEDIATE 'ALTER TABLE order_requests DROP CONSTRAINT order_requests_pk DROP INDEX';
    EXECUTE IMMEDIATE 'ALTER TABLE order_requests ADD CONSTRAINT order_requests_pk PRIMARY KEY (client_id, idempotency_key)';
  END IF;
END;
/

-- The staged create says whose key it is (NULL: published before this migration, i.e. '-').
DECLARE
  column_exists EXCEPTION;
  PRAGMA EXCEPTION_INIT(column_exists, -1430);
BEGIN
  EXECUTE IMMEDIATE q'[ALTER TABLE orders_staging ADD (
    client_id VARCHAR2(255)
  )]';
EXCEPTION
  WHEN column_exists THEN NULL;
END;
/

-- A conflict is the client's: its key, its reason, found by order for GET /orders/{id}.
DECLARE
  column_exists EXCEPTION;
  PRAGMA EXCEPTION_INIT(column_exists, -1430);
BEGIN
  EXECUTE IMMEDIATE q'[ALTER TABLE order_conflicts ADD (
    client_id VARCHAR2(255) DEFAULT '-' NOT NULL,
    reason    VARCHAR2(40) DEFAULT 'key_reused' NOT NULL
  )]';
EXCEPTION
  WHEN column_exists THEN NULL;
END;
/

DECLARE
  key_columns NUMBER;
BEGIN
  SELECT COUNT(*) INTO key_columns FROM user_cons_columns
  WHERE constraint_name = 'ORDER_CONFLICTS_PK' AND column_name = 'CLIENT_ID';
  IF key_columns = 0 THEN
    EXECUTE IMMEDIATE 'ALTER TABLE order_conflicts DROP CONSTRAINT order_conflicts_pk DROP INDEX';
    EXECUTE IMMEDIATE 'ALTER TABLE order_conflicts ADD CONSTRAINT order_conflicts_pk PRIMARY KEY (client_id, idempotency_key, request_hash)';
  END IF;
END;
/

CREATE INDEX IF NOT EXISTS order_conflicts_order_ix ON order_conflicts (order_id);

-- The API now reserves, marks and releases keys itself: both service logins (V007, V009).
GRANT SELECT, INSERT, UPDATE, DELETE ON order_requests TO mc_svc;

GRANT SELECT, INSERT, UPDATE, DELETE ON order_requests TO mc_svc_b;

-- One load, as V011's, with keys per client and the API's reservations honoured: a create whose
-- (client, key) another request already holds — reserved by the API, or recorded by an earlier
-- load — is never an order, only a conflict; among the rest, the chosen row per order is the
-- newest update, else the first create. The load's first create of a key nobody holds is
-- recorded; a reservation whose create arrives is marked published (a lost mark heals here).
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
        AND NOT (st.kind = 'created' AND EXISTS (
          SELECT 1 FROM order_requests r
          WHERE r.client_id = NVL(st.client_id, '-') AND r.idempotency_key = st.idempotency_key
            AND r.request_hash <> st.request_hash))
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
    SELECT client_id, idempotency_key, request_hash, order_id, updated_at
    FROM (
      SELECT NVL(st.client_id, '-') AS client_id, st.idempotency_key, st.request_hash, st.order_id, st.updated_at,
             ROW_NUMBER() OVER (PARTITION BY NVL(st.client_id, '-'), st.idempotency_key ORDER BY st.updated_at) AS first_seen
      FROM orders_staging st
      WHERE st.load_id = p_load_id AND st.kind = 'created'
    )
    WHERE first_seen = 1
  ) s
  ON (r.client_id = s.client_id AND r.idempotency_key = s.idempotency_key)
  WHEN MATCHED THEN UPDATE SET r.state = 'published'
    WHERE r.state = 'reserved' AND r.request_hash = s.request_hash
  WHEN NOT MATCHED THEN INSERT (client_id, idempotency_key, request_hash, order_id, state, accepted_at)
    VALUES (s.client_id, s.idempotency_key, s.request_hash, s.order_id, 'published', s.updated_at);

  MERGE INTO order_conflicts c
  USING (
    SELECT NVL(st.client_id, '-') AS client_id, st.idempotency_key, st.request_hash,
           MIN(r.request_hash) AS accepted_hash, MIN(st.order_id) AS order_id, MIN(st.updated_at) AS requested_at
    FROM orders_staging st, order_requests r
    WHERE st.load_id = p_load_id AND st.kind = 'created'
      AND r.client_id = NVL(st.client_id, '-') AND r.idempotency_key = st.idempotency_key
      AND r.request_hash <> st.request_hash
    GROUP BY NVL(st.client_id, '-'), st.idempotency_key, st.request_hash
  ) s
  ON (c.client_id = s.client_id AND c.idempotency_key = s.idempotency_key AND c.request_hash = s.request_hash)
  WHEN NOT MATCHED THEN INSERT (client_id, idempotency_key, request_hash, accepted_hash, order_id, load_id, requested_at, reason)
    VALUES (s.client_id, s.idempotency_key, s.request_hash, s.accepted_hash, s.order_id, p_load_id, s.requested_at, 'key_reused');
  p_conflicts := SQL%ROWCOUNT;

  DELETE FROM orders_staging WHERE load_id = p_load_id;
END merge_orders_staging;
/
