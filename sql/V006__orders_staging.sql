-- Batch loads (DBMS_CLOUD.COPY_DATA from Object Storage) land in the staging table under a
-- load id; one set-based MERGE moves a load into orders. Within a load the newest row per order
-- wins; a staged row older than the stored order does not overwrite it; the load's rows are then
-- removed. Running the same load twice changes nothing the second time.
CREATE TABLE IF NOT EXISTS orders_staging (
  load_id      VARCHAR2(64) NOT NULL,
  order_id     VARCHAR2(64) NOT NULL,
  customer_id  VARCHAR2(64) NOT NULL,
  amount       NUMBER(14, 2) NOT NULL,
  currency     CHAR(3) DEFAULT 'USD' NOT NULL,
  status       VARCHAR2(20) NOT NULL,
  order_date   DATE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX IF NOT EXISTS orders_staging_load_ix ON orders_staging (load_id, order_id);

CREATE OR REPLACE PROCEDURE merge_orders_staging (p_load_id IN VARCHAR2, p_merged OUT NUMBER) AS
BEGIN
  MERGE INTO orders o
  USING (
    SELECT order_id, customer_id, amount, currency, status, order_date, updated_at
    FROM (
      SELECT st.*, ROW_NUMBER() OVER (PARTITION BY st.order_id ORDER BY st.updated_at DESC) AS newest
      FROM orders_staging st
      WHERE st.load_id = p_load_id
    )
    WHERE newest = 1
  ) s
  ON (o.order_id = s.order_id)
  WHEN MATCHED THEN UPDATE SET
    o.customer_id = s.customer_id, o.amount = s.amount, o.currency = s.currency,
    o.status = s.status, o.order_date = s.order_date, o.updated_at = s.updated_at
    WHERE s.updated_at > o.updated_at
  WHEN NOT MATCHED THEN INSERT (order_id, customer_id, amount, currency, status, order_date, updated_at)
    VALUES (s.order_id, s.customer_id, s.amount, s.currency, s.status, s.order_date, s.updated_at);
  p_merged := SQL%ROWCOUNT;
  DELETE FROM orders_staging WHERE load_id = p_load_id;
END merge_orders_staging;
/
