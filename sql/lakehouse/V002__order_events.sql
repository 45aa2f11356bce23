-- migrate:as admin
-- Every order event of every day, as the batch path's file carries it (the staging file's columns
-- and order, so DBMS_CLOUD.COPY_DATA maps them by position), partitioned by day: analytics read
-- history here, never the OLTP instance. A day's load replaces that day's rows (its load id, its
-- partition), so a re-run changes nothing. Compressed for scans.
CREATE TABLE IF NOT EXISTS mc_lake.order_events (
  load_id          VARCHAR2(64) NOT NULL,
  order_id         VARCHAR2(64) NOT NULL,
  customer_id      VARCHAR2(64) NOT NULL,
  amount           NUMBER(14, 2) NOT NULL,
  currency         CHAR(3) NOT NULL,
  status           VARCHAR2(20) NOT NULL,
  order_date       DATE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  kind             VARCHAR2(10) NOT NULL,
  idempotency_key  VARCHAR2(128),
  request_hash     CHAR(64)
)
COLUMN STORE COMPRESS FOR QUERY
-- One partition per day's load id (batch:YYYY-MM-DD), made as the first row of a day arrives; no
-- virtual column, so the file's fields map onto the table's columns one to one.
PARTITION BY LIST (load_id) AUTOMATIC
(PARTITION p_none VALUES ('batch:0000-00-00'));
