-- The same row privileges as V007, for MC_SVC_B (the services' alternate login, V008).
-- A grant added for MC_SVC from now on is added for MC_SVC_B in the same file.
GRANT SELECT, INSERT, UPDATE ON orders TO mc_svc_b;

GRANT SELECT, INSERT, UPDATE, DELETE ON customers TO mc_svc_b;

GRANT SELECT, INSERT, UPDATE, DELETE ON engineers TO mc_svc_b;

GRANT SELECT, INSERT, UPDATE, DELETE ON slas TO mc_svc_b;

GRANT SELECT, INSERT, UPDATE, DELETE ON sla_services TO mc_svc_b;

GRANT SELECT, INSERT, UPDATE, DELETE ON tickets TO mc_svc_b;

GRANT SELECT, INSERT, UPDATE ON raw_events TO mc_svc_b;

GRANT SELECT, INSERT ON orders_staging TO mc_svc_b;

GRANT EXECUTE ON merge_orders_staging TO mc_svc_b;
