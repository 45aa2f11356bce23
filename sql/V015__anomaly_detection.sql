-- Real-time anomaly detection (issue 14, seed 05 done properly). The feature function stores each
-- measurement once (primary key = event id) with its delta and ratio against the previous value of
-- the same series. Detection is one set-based MERGE over the unscored rows: a robust score per row
-- against the trailing window of its own series — 0.6745 × (value − median) ÷ MAD, the median and
-- the median absolute deviation of the previous window_size values (Oracle's MEDIAN takes no
-- window frame, so the window is a CROSS APPLY of the series' latest earlier rows). A score beyond
-- the threshold marks the row; one alert row per anomaly; re-running finds nothing new. A value
-- that arrives after later values of its series were scored does not rescore them. Alerts leave
-- the database only after commit, from a second job.
CREATE TABLE IF NOT EXISTS anomaly_events (
  event_id     VARCHAR2(64) NOT NULL,
  series_key   VARCHAR2(128) NOT NULL,
  event_time   TIMESTAMP WITH TIME ZONE NOT NULL,
  value        NUMBER NOT NULL,
  delta        NUMBER,
  ratio        NUMBER,
  ingested_at  TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  window_median NUMBER,
  window_mad   NUMBER,
  score        NUMBER,
  is_anomaly   NUMBER(1) DEFAULT 0 NOT NULL,
  scored_at    TIMESTAMP WITH TIME ZONE,
  CONSTRAINT anomaly_events_pk PRIMARY KEY (event_id),
  CONSTRAINT anomaly_events_flag_ck CHECK (is_anomaly IN (0, 1))
);

-- The window of a series is an index range scan (newest first); the unscored rows are found
-- through a function-based index that holds only them.
CREATE INDEX IF NOT EXISTS anomaly_events_series_ix ON anomaly_events (series_key, event_time);

CREATE INDEX IF NOT EXISTS anomaly_events_unscored_ix ON anomaly_events (CASE WHEN scored_at IS NULL THEN event_id END);

-- Messages the function refused, once per stream position, with why.
CREATE TABLE IF NOT EXISTS anomaly_rejects (
  stream        VARCHAR2(255) NOT NULL,
  partition_id  VARCHAR2(32) NOT NULL,
  offset_no     NUMBER NOT NULL,
  reason        VARCHAR2(400) NOT NULL,
  rejected_at   TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  CONSTRAINT anomaly_rejects_pk PRIMARY KEY (stream, partition_id, offset_no)
);

-- One row of settings: the window, the score threshold, the history a score needs, and where
-- alerts go (the deployment writes the topic; until it has, alerts wait).
CREATE TABLE IF NOT EXISTS anomaly_settings (
  id           NUMBER(1) DEFAULT 1 NOT NULL,
  window_size  NUMBER(4) DEFAULT 30 NOT NULL,
  threshold    NUMBER DEFAULT 3.5 NOT NULL,
  min_history  NUMBER(4) DEFAULT 10 NOT NULL,
  topic_ocid   VARCHAR2(255),
  topic_region VARCHAR2(64),
  CONSTRAINT anomaly_settings_pk PRIMARY KEY (id),
  CONSTRAINT anomaly_settings_one_ck CHECK (id = 1),
  CONSTRAINT anomaly_settings_window_ck CHECK (window_size BETWEEN 5 AND 1000 AND min_history BETWEEN 3 AND window_size),
  CONSTRAINT anomaly_settings_threshold_ck CHECK (threshold > 0)
);

INSERT INTO anomaly_settings (id) SELECT 1 FROM dual WHERE NOT EXISTS (SELECT 1 FROM anomaly_settings);

CREATE TABLE IF NOT EXISTS anomaly_alerts (
  alert_id     NUMBER GENERATED ALWAYS AS IDENTITY,
  event_id     VARCHAR2(64) NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  sent_at      TIMESTAMP WITH TIME ZONE,
  attempts     NUMBER(3) DEFAULT 0 NOT NULL,
  last_error   VARCHAR2(1000),
  CONSTRAINT anomaly_alerts_pk PRIMARY KEY (alert_id),
  CONSTRAINT anomaly_alerts_event_uk UNIQUE (event_id),
  CONSTRAINT anomaly_alerts_event_fk FOREIGN KEY (event_id) REFERENCES anomaly_events (event_id)
);

CREATE OR REPLACE PROCEDURE detect_anomalies (p_scored OUT NUMBER, p_alerts OUT NUMBER) AS
  v_window     NUMBER;
  v_threshold  NUMBER;
  v_min        NUMBER;
  v_started    TIMESTAMP WITH TIME ZONE := SYSTIMESTAMP;
BEGIN
  SELECT window_size, threshold, min_history INTO v_window, v_threshold, v_min FROM anomaly_settings WHERE id = 1;
  MERGE INTO anomaly_events t
  USING (
    SELECT e.event_id, e.value, m.med, m.n, d.mad
    FROM anomaly_events e
    CROSS APPLY (
      SELECT MEDIAN(w.value) AS med, COUNT(*) AS n
      FROM (SELECT p.value FROM anomaly_events p
            WHERE p.series_key = e.series_key AND p.event_time < e.event_time
            ORDER BY p.event_time DESC FETCH FIRST v_window ROWS ONLY) w
    ) m
    CROSS APPLY (
      SELECT MEDIAN(ABS(w.value - m.med)) AS mad
      FROM (SELECT p.value FROM anomaly_events p
            WHERE p.series_key = e.series_key AND p.event_time < e.event_time
            ORDER BY p.event_time DESC FETCH FIRST v_window ROWS ONLY) w
    ) d
    WHERE (CASE WHEN e.scored_at IS NULL THEN e.event_id END) IS NOT NULL
  ) s
  ON (t.event_id = s.event_id)
  WHEN MATCHED THEN UPDATE SET
    t.window_median = s.med,
    t.window_mad = s.mad,
    t.score = CASE WHEN s.n >= v_min AND s.mad > 0 THEN 0.6745 * (s.value - s.med) / s.mad END,
    t.is_anomaly = CASE WHEN s.n >= v_min AND s.mad > 0 AND ABS(0.6745 * (s.value - s.med) / s.mad) > v_threshold THEN 1 ELSE 0 END,
    t.scored_at = v_started;
  p_scored := SQL%ROWCOUNT;
  -- Only this run's anomalies: the alert step never rescans history (and the unique event id
  -- makes a repeat impossible anyway).
  INSERT INTO anomaly_alerts (event_id)
    SELECT e.event_id FROM anomaly_events e
    WHERE e.scored_at = v_started AND e.is_anomaly = 1
      AND NOT EXISTS (SELECT 1 FROM anomaly_alerts a WHERE a.event_id = e.event_id);
  p_alerts := SQL%ROWCOUNT;
  COMMIT;
END detect_anomalies;
/

-- Sends committed, unsent alerts to the topic (at least once: a crash between the send and the
-- commit sends that alert again); a failed send is counted and retried on the next run, up to
-- 10 times. Rows another run holds are skipped, so two runs never send one alert twice at once.
CREATE OR REPLACE PROCEDURE send_anomaly_alerts (p_sent OUT NUMBER) AS
  v_topic   anomaly_settings.topic_ocid%TYPE;
  v_region  anomaly_settings.topic_region%TYPE;
  v_error   VARCHAR2(1000);
BEGIN
  p_sent := 0;
  SELECT topic_ocid, topic_region INTO v_topic, v_region FROM anomaly_settings WHERE id = 1;
  IF v_topic IS NULL THEN
    RETURN;
  END IF;
  FOR a IN (
    SELECT al.alert_id, e.series_key, e.event_time, e.value, e.score
    FROM anomaly_alerts al, anomaly_events e
    WHERE e.event_id = al.event_id AND al.sent_at IS NULL AND al.attempts < 10
    ORDER BY al.alert_id
    FOR UPDATE OF al.sent_at SKIP LOCKED
  ) LOOP
    BEGIN
      DBMS_CLOUD_NOTIFICATION.SEND_MESSAGE(
        provider        => 'oci',
        credential_name => 'OCI$RESOURCE_PRINCIPAL',
        message         => JSON_OBJECT('series' VALUE a.series_key, 'eventTime' VALUE a.event_time, 'value' VALUE a.value, 'score' VALUE a.score),
        params          => JSON_OBJECT('topic_ocid' VALUE v_topic, 'region' VALUE v_region, 'title' VALUE 'Anomaly in ' || a.series_key));
      UPDATE anomaly_alerts SET sent_at = SYSTIMESTAMP, attempts = attempts + 1 WHERE alert_id = a.alert_id;
      p_sent := p_sent + 1;
    EXCEPTION
      WHEN OTHERS THEN
        v_error := SUBSTR(SQLERRM, 1, 1000);
        UPDATE anomaly_alerts SET attempts = attempts + 1, last_error = v_error WHERE alert_id = a.alert_id;
    END;
    COMMIT;
  END LOOP;
END send_anomaly_alerts;
/

-- For Grafana or any SQL client: each value with the band the detector expected (the window's
-- median ± threshold × MAD ÷ 0.6745: inside it the score stays within the threshold) and whether
-- it was an anomaly. Rows not scored yet, or without enough history, have no band.
CREATE OR REPLACE VIEW anomaly_dashboard AS
SELECT e.series_key, e.event_time, e.value, e.delta, e.ratio, e.score, e.is_anomaly,
       e.window_median AS expected_value,
       CASE WHEN e.score IS NOT NULL THEN e.window_median - st.threshold * e.window_mad / 0.6745 END AS band_low,
       CASE WHEN e.score IS NOT NULL THEN e.window_median + st.threshold * e.window_mad / 0.6745 END AS band_high
FROM anomaly_events e, anomaly_settings st
WHERE st.id = 1;

-- The two jobs, every 5 and every 1 minute, created once (running this again leaves them).
DECLARE
  job_count NUMBER;
BEGIN
  SELECT COUNT(*) INTO job_count FROM user_scheduler_jobs WHERE job_name = 'DETECT_ANOMALIES_JOB';
  IF job_count = 0 THEN
    DBMS_SCHEDULER.CREATE_JOB(
      job_name        => 'DETECT_ANOMALIES_JOB',
      job_type        => 'PLSQL_BLOCK',
      job_action      => 'DECLARE s NUMBER; a NUMBER; BEGIN detect_anomalies(s, a); END;',
      repeat_interval => 'FREQ=MINUTELY;INTERVAL=5',
      enabled         => TRUE,
      comments        => 'Scores new anomaly events against their series'' trailing window');
  END IF;
  SELECT COUNT(*) INTO job_count FROM user_scheduler_jobs WHERE job_name = 'SEND_ANOMALY_ALERTS_JOB';
  IF job_count = 0 THEN
    DBMS_SCHEDULER.CREATE_JOB(
      job_name        => 'SEND_ANOMALY_ALERTS_JOB',
      job_type        => 'PLSQL_BLOCK',
      job_action      => 'DECLARE n NUMBER; BEGIN send_anomaly_alerts(n); END;',
      repeat_interval => 'FREQ=MINUTELY;INTERVAL=1',
      enabled         => TRUE,
      comments        => 'Sends committed anomaly alerts to the OCI Notifications topic');
  END IF;
END;
/

-- Row privileges for both service logins: the feature function writes events and refusals; the
-- rest they may read.
GRANT SELECT, INSERT ON anomaly_events TO mc_svc;

GRANT SELECT, INSERT ON anomaly_rejects TO mc_svc;

GRANT SELECT ON anomaly_settings TO mc_svc;

GRANT SELECT ON anomaly_alerts TO mc_svc;

GRANT SELECT, INSERT ON anomaly_events TO mc_svc_b;

GRANT SELECT, INSERT ON anomaly_rejects TO mc_svc_b;

GRANT SELECT ON anomaly_settings TO mc_svc_b;

GRANT SELECT ON anomaly_alerts TO mc_svc_b;
