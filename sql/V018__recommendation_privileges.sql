-- migrate:as admin
-- What the recommendation engine's schema objects need (issue 14): the schema owner loads the
-- item embedding model (an ONNX model run in the database by VECTOR_EMBEDDING) from Object
-- Storage with the database's resource principal (enabled for MC_APP in V014), and creates the
-- IVF vector index. Oracle's documented grants for loading ONNX models: DB_DEVELOPER_ROLE and
-- CREATE MINING MODEL. MC_APP is schema-only (no password, reached by the admin's proxy session).
GRANT DB_DEVELOPER_ROLE TO mc_app;

GRANT CREATE MINING MODEL TO mc_app;
