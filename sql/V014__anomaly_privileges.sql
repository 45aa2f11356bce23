-- migrate:as admin
-- What the anomaly pipeline's schema objects need (issue 14): the schema owner runs its detection
-- and notification as scheduler jobs, and sends alerts to an OCI Notifications topic with
-- DBMS_CLOUD_NOTIFICATION and the database's resource principal (no stored OCI credential).
GRANT CREATE JOB TO mc_app;

GRANT EXECUTE ON dbms_cloud_notification TO mc_app;

BEGIN
  DBMS_CLOUD_ADMIN.ENABLE_RESOURCE_PRINCIPAL(username => 'MC_APP');
END;
/
