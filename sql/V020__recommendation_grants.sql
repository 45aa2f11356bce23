-- What the OCI functions (V016's MC_FN) may do with the recommendation engine: the consumer stores
-- interactions and refusals; the API serves through rec_serve, reads the popular list for its
-- fallback and changes the catalogue through rec_upsert_items. The procedures run with their
-- owner's rights, so MC_FN holds no privilege on the tables they write. The AWS services' logins
-- (MC_SVC and its rotation twin MC_SVC_B) may read every table, as they may the anomaly tables.
GRANT SELECT, INSERT ON rec_interactions TO mc_fn;

GRANT SELECT, INSERT ON rec_rejects TO mc_fn;

GRANT SELECT ON rec_popular TO mc_fn;

GRANT EXECUTE ON rec_serve TO mc_fn;

GRANT EXECUTE ON rec_upsert_items TO mc_fn;

GRANT SELECT ON rec_items TO mc_svc;

GRANT SELECT ON rec_interactions TO mc_svc;

GRANT SELECT ON rec_rejects TO mc_svc;

GRANT SELECT ON rec_served TO mc_svc;

GRANT SELECT ON rec_served_items TO mc_svc;

GRANT SELECT ON rec_cooccurrence TO mc_svc;

GRANT SELECT ON rec_user_profiles TO mc_svc;

GRANT SELECT ON rec_popular TO mc_svc;

GRANT SELECT ON rec_settings TO mc_svc;

GRANT SELECT ON rec_items TO mc_svc_b;

GRANT SELECT ON rec_interactions TO mc_svc_b;

GRANT SELECT ON rec_rejects TO mc_svc_b;

GRANT SELECT ON rec_served TO mc_svc_b;

GRANT SELECT ON rec_served_items TO mc_svc_b;

GRANT SELECT ON rec_cooccurrence TO mc_svc_b;

GRANT SELECT ON rec_user_profiles TO mc_svc_b;

GRANT SELECT ON rec_popular TO mc_svc_b;

GRANT SELECT ON rec_settings TO mc_svc_b;
