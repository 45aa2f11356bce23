-- What the OCI functions (V016's MC_FN) may do with the schema: the anomaly feature function stores
-- measurements and refusals and reads the previous values. No other rows.
GRANT SELECT, INSERT ON anomaly_events TO mc_fn;

GRANT SELECT, INSERT ON anomaly_rejects TO mc_fn;
