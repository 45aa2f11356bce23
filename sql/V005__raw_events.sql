-- Raw metric events for the OCI anomaly pipeline. Inserts are keyed by event_id, so a redelivered
-- event is a no-op (MERGE / ignore duplicate), never a second row.
CREATE TABLE IF NOT EXISTS raw_events (
  event_id        VARCHAR2(64) NOT NULL,
  event_time      TIMESTAMP WITH TIME ZONE NOT NULL,
  metric_value    NUMBER NOT NULL,
  feature1        NUMBER,
  feature2        NUMBER,
  processed_flag  CHAR(1) DEFAULT 'N' NOT NULL,
  anomaly_flag    CHAR(1) DEFAULT 'N' NOT NULL,
  ingested_at     TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT raw_events_pk PRIMARY KEY (event_id),
  CONSTRAINT raw_events_processed_ck CHECK (processed_flag IN ('Y', 'N')),
  CONSTRAINT raw_events_anomaly_ck CHECK (anomaly_flag IN ('Y', 'N'))
);

-- The scorer reads unprocessed events in time order.
CREATE INDEX IF NOT EXISTS raw_events_pending_ix ON raw_events (processed_flag, event_time);
