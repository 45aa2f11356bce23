-- migrate:as admin
-- The services' second login, for alternating-user rotation of their secret: each rotation sets a
-- new password on the user the secret does not currently name (MC_SVC or MC_SVC_B) and then moves
-- the secret to it, so the user every running pool logs in as keeps working throughout. Created
-- schema-only; the first rotation gives it a password (ALTER USER ... IDENTIFIED BY).
DECLARE
  clone_count NUMBER;
BEGIN
  SELECT COUNT(*) INTO clone_count FROM all_users WHERE username = 'MC_SVC_B';
  IF clone_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER mc_svc_b NO AUTHENTICATION';
  END IF;
END;
/

GRANT CREATE SESSION TO mc_svc_b;
