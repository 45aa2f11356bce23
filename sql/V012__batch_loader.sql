-- migrate:as admin
-- The batch path's loader (issue 13): MC_LOADER loads a day's file from Object Storage with
-- DBMS_CLOUD.COPY_DATA into the staging table and runs the merge (V013 grants those two objects);
-- it reads the bucket with the database's resource principal (OCI$RESOURCE_PRINCIPAL), so no
-- Object Storage credential is stored in the database or in a migration. It is not the services'
-- row-only user: it may create the external tables COPY_DATA makes for itself, and nothing else.
-- Its password comes from the deployment (bind :loader_password); running this again rotates it.
DECLARE
  loader_count NUMBER;
BEGIN
  -- Only letters, digits and _ # : the password is spliced into DDL, which cannot take binds.
  IF NOT REGEXP_LIKE(:loader_password, '^[A-Za-z0-9_#]{12,30}$') THEN
    RAISE_APPLICATION_ERROR(-20001, 'loader_password must be 12 to 30 letters, digits, _ or #');
  END IF;
  SELECT COUNT(*) INTO loader_count FROM all_users WHERE username = 'MC_LOADER';
  IF loader_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER mc_loader IDENTIFIED BY "' || :loader_password || '"';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER mc_loader IDENTIFIED BY "' || :loader_password || '" ACCOUNT UNLOCK';
  END IF;
END;
/

-- DBMS_CLOUD's minimal privileges (COPY_DATA: its external table, its log and bad files).
GRANT CREATE SESSION, CREATE TABLE TO mc_loader;

GRANT EXECUTE ON dbms_cloud TO mc_loader;

GRANT READ, WRITE ON DIRECTORY data_pump_dir TO mc_loader;

-- The database's resource principal, for the database and then for MC_LOADER alone: OCI's policy
-- (the BatchSync component) lets the database's dynamic group read the batch bucket's objects.
BEGIN
  DBMS_CLOUD_ADMIN.ENABLE_RESOURCE_PRINCIPAL();
  DBMS_CLOUD_ADMIN.ENABLE_RESOURCE_PRINCIPAL(username => 'MC_LOADER');
END;
/
