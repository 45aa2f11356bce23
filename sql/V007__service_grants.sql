-- What the services (MC_SVC) may do with the schema: read and write rows, run the batch merge.
-- They refer to tables as mc_app.<table> or set CURRENT_SCHEMA = MC_APP (the secret says which
-- schema). Assertions and constraints hold for them as for everyone.
GRANT SELECT, INSERT, UPDATE ON orders TO mc_svc;

GRANT SELECT, INSERT, UPDATE, DELETE ON customers TO mc_svc;

GRANT SELECT, INSERT, UPDATE, DELETE ON engineers TO mc_svc;

GRANT SELECT, INSERT, UPDATE, DELETE ON slas TO mc_svc;

GRANT SELECT, INSERT, UPDATE, DELETE ON sla_services TO mc_svc;

GRANT SELECT, INSERT, UPDATE, DELETE ON tickets TO mc_svc;

GRANT SELECT, INSERT, UPDATE ON raw_events TO mc_svc;

GRANT SELECT, INSERT ON orders_staging TO mc_svc;

GRANT EXECUTE ON merge_orders_staging TO mc_svc;
