-- migrate:as admin
-- The schema owner the platform's tables, assertions and procedures live in, and the user the
-- AWS-side services connect as. Its password comes from the deployment (bind :app_password);
-- running this again rotates it. The admin user may open proxy sessions as MC_APP, which is how
-- the runner applies the later files without knowing MC_APP's password.
DECLARE
  user_count NUMBER;
  default_tablespace VARCHAR2(128);
BEGIN
  -- Only letters, digits and _ # : the password is spliced into DDL, which cannot take binds.
  IF NOT REGEXP_LIKE(:app_password, '^[A-Za-z0-9_#]{12,30}$') THEN
    RAISE_APPLICATION_ERROR(-20001, 'app_password must be 12 to 30 letters, digits, _ or #');
  END IF;
  SELECT COUNT(*) INTO user_count FROM all_users WHERE username = 'MC_APP';
  IF user_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER mc_app IDENTIFIED BY "' || :app_password || '"';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER mc_app IDENTIFIED BY "' || :app_password || '" ACCOUNT UNLOCK';
  END IF;
  SELECT property_value INTO default_tablespace FROM database_properties WHERE property_name = 'DEFAULT_PERMANENT_TABLESPACE';
  EXECUTE IMMEDIATE 'ALTER USER mc_app QUOTA UNLIMITED ON ' || DBMS_ASSERT.SIMPLE_SQL_NAME(default_tablespace);
  EXECUTE IMMEDIATE 'ALTER USER mc_app GRANT CONNECT THROUGH ' || DBMS_ASSERT.ENQUOTE_NAME(SYS_CONTEXT('USERENV', 'SESSION_USER'), FALSE);
END;
/

-- What the schema needs and nothing more. CREATE ASSERTION is not part of RESOURCE.
GRANT CREATE SESSION, CREATE TABLE, CREATE SEQUENCE, CREATE PROCEDURE, CREATE VIEW, CREATE ASSERTION TO mc_app;
