-- What the order service (functions/aws/orders) needs beyond V002.
--
-- Keyset pagination of a customer's orders walks (customer_id, order_date, order_id) newest first:
-- the index holds exactly that order, so a page is an index range scan that stops after LIMIT rows
-- whatever the page number. It covers V002's (customer_id, order_date) index, which goes.
CREATE INDEX IF NOT EXISTS orders_customer_keyset_ix ON orders (customer_id, order_date, order_id);

DROP INDEX IF EXISTS orders_customer_ix;

-- One row per Idempotency-Key a client sent with POST /orders. The primary key is what makes a
-- repeat race-free: of two concurrent inserts with one key, the second waits on the first and then
-- fails with ORA-00001, and the service answers it with the stored order. request_hash (SHA-256 of
-- the canonical request) tells a true repeat from a key reused for a different order.
CREATE TABLE IF NOT EXISTS order_requests (
  idempotency_key  VARCHAR2(128) NOT NULL,
  request_hash     CHAR(64) NOT NULL,
  order_id         VARCHAR2(64) NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT order_requests_pk PRIMARY KEY (idempotency_key),
  CONSTRAINT order_requests_order_fk FOREIGN KEY (order_id) REFERENCES orders (order_id)
);

CREATE INDEX IF NOT EXISTS order_requests_created_ix ON order_requests (created_at);

-- Row privileges only, for both service logins (V007, V009): the service inserts and reads keys.
GRANT SELECT, INSERT ON order_requests TO mc_svc;

GRANT SELECT, INSERT ON order_requests TO mc_svc_b;
