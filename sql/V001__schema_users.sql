-- migrate:as admin
-- Two users. MC_APP owns the platform's tables, assertions and procedures; it is schema-only (no
-- password, nobody logs in as it): migrations reach it through a proxy session of the admin user.
-- MC_SVC is what the AWS-side services log in as: it may connect and (V007) read and write rows,
-- but it owns nothing and can create or drop nothing. Its password comes from the deployment
-- (bind :service_password); running this again rotates it.
DECLARE
  owner_count NUMBER;
  service_count NUMBER;
  default_tablespace VARCHAR2(128);
BEGIN
  -- Only letters, digits and _ # : the password is spliced into DDL, which cannot take binds.
  IF NOT REGEXP_LIKE(:service_password, '^[A-Za-z0-9_#]{12,30}$') THEN
    RAISE_APPLICATION_ERROR(-20001, 'service_password must be 12 to 30 letters, digits, _ or #');
  END IF;
  SELECT COUNT(*) INTO owner_count FROM all_users WHERE username = 'MC_APP';
  IF owner_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER mc_app NO AUTHENTICATION';
  END IF;
  SELECT property_value INTO default_tablespace FROM database_properties WHERE property_name = 'DEFAULT_PERMANENT_TABLESPACE';
  EXECUTE IMMEDIATE 'ALTER USER mc_app QUOTA UNLIMITED ON ' || DBMS_ASSERT.SIMPLE_SQL_NAME(default_tablespace);
  EXECUTE IMMEDIATE 'ALTER USER mc_app GRANT CONNECT THROUGH ' || DBMS_ASSERT.ENQUOTE_NAME(SYS_CONTEXT('USERENV', 'SESSION_USER'), FALSE);
  SELECT COUNT(*) INTO service_count FROM all_users WHERE username = 'MC_SVC';
  IF service_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER mc_svc IDENTIFIED BY "' || :service_password || '"';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER mc_svc IDENTIFIED BY "' || :service_password || '" ACCOUNT UNLOCK';
  END IF;
END;
/

-- What the schema owner needs to build the schema, and nothing more. CREATE ASSERTION is not part
-- of RESOURCE: it is granted explicitly.
GRANT CREATE SESSION, CREATE TABLE, CREATE SEQUENCE, CREATE PROCEDURE, CREATE VIEW, CREATE ASSERTION TO mc_app;

GRANT CREATE SESSION TO mc_svc;
