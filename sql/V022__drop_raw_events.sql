-- raw_events (V005) was the seed article's landing table for the anomaly pipeline; the pipeline
-- that was built reads its stream and writes anomaly_events (V015), and nothing reads or writes
-- raw_events. It goes, with its index and the services' grants on it (V007, V009).
DROP TABLE IF EXISTS raw_events PURGE;
