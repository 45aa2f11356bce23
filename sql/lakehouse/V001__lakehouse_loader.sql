-- migrate:as admin
-- The Lakehouse's side of the batch path (issue 13), applied to the Lakehouse instance by its own
-- migration function: MC_LAKE owns the day-partitioned order events and loads each day's file
-- from Object Storage with DBMS_CLOUD, reading the bucket with the instance's resource principal
-- (no stored Object Storage credential). Its password comes from the deployment (bind
-- :lakehouse_password); running this again rotates it.
DECLARE
  lake_count NUMBER;
  default_tablespace VARCHAR2(128);
BEGIN
  -- Only letters, digits and _ # : the password is spliced into DDL, which cannot take binds.
  IF NOT REGEXP_LIKE(:lakehouse_password, '^[A-Za-z0-9_#]{12,30}$') THEN
    RAISE_APPLICATION_ERROR(-20001, 'lakehouse_password must be 12 to 30 letters, digits, _ or #');
  END IF;
  SELECT COUNT(*) INTO lake_count FROM all_users WHERE username = 'MC_LAKE';
  IF lake_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER mc_lake IDENTIFIED BY "' || :lakehouse_password || '"';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER mc_lake IDENTIFIED BY "' || :lakehouse_password || '" ACCOUNT UNLOCK';
  END IF;
  SELECT property_value INTO default_tablespace FROM database_properties WHERE property_name = 'DEFAULT_PERMANENT_TABLESPACE';
  EXECUTE IMMEDIATE 'ALTER USER mc_lake QUOTA UNLIMITED ON ' || DBMS_ASSERT.SIMPLE_SQL_NAME(default_tablespace);
END;
/

-- DBMS_CLOUD's minimal privileges (COPY_DATA: its external table, its log and bad files).
GRANT CREATE SESSION, CREATE TABLE TO mc_lake;

GRANT EXECUTE ON dbms_cloud TO mc_lake;

GRANT READ, WRITE ON DIRECTORY data_pump_dir TO mc_lake;

-- The instance's resource principal, for the instance and then for MC_LAKE alone: OCI's policy
-- (the BatchSync component) lets the databases' dynamic group read the batch bucket's objects.
BEGIN
  DBMS_CLOUD_ADMIN.ENABLE_RESOURCE_PRINCIPAL();
  DBMS_CLOUD_ADMIN.ENABLE_RESOURCE_PRINCIPAL(username => 'MC_LAKE');
END;
/
