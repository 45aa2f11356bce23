-- migrate:as admin
-- The OCI functions' own database user (issue 14): MC_FN writes the anomaly pipeline's rows (V017)
-- and nothing else. Its own login, not the AWS services' MC_SVC: the services' secret rotates in
-- AWS Secrets Manager, the functions read theirs from OCI Vault, and neither strands the other.
-- Its password comes from the deployment (bind :functions_password); running this again rotates it.
DECLARE
  fn_count NUMBER;
BEGIN
  -- Only letters, digits and _ # : the password is spliced into DDL, which cannot take binds.
  IF NOT REGEXP_LIKE(:functions_password, '^[A-Za-z0-9_#]{12,30}$') THEN
    RAISE_APPLICATION_ERROR(-20001, 'functions_password must be 12 to 30 letters, digits, _ or #');
  END IF;
  SELECT COUNT(*) INTO fn_count FROM all_users WHERE username = 'MC_FN';
  IF fn_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER mc_fn IDENTIFIED BY "' || :functions_password || '"';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER mc_fn IDENTIFIED BY "' || :functions_password || '" ACCOUNT UNLOCK';
  END IF;
END;
/

GRANT CREATE SESSION TO mc_fn;
