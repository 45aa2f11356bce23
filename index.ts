/**
 * The multicloud platform program. Exported as a function so that the same process can run it
 * once per stack (the offline engine and plan do); `pulumi up` calls it once.
 * Only wiring lives here: decisions are in components/, config rules in components/config/.
 */
import { loadPlatformConfig } from "./components/config/load";
import { AutonomousDatabase } from "./components/database/autonomousDatabase";
import { DatabaseAccess } from "./components/database/databaseAccess";
import { SchemaMigrations } from "./components/database/schemaMigrations";
import { resolveFastConnect } from "./components/interconnect/fastConnectService";
import { Interconnect } from "./components/interconnect/interconnect";
import { FeaturePipeline } from "./components/ml/featurePipeline";
import { InferenceApi } from "./components/ml/inferenceApi";
import { ModelEndpoint } from "./components/ml/modelEndpoint";
import { AwsNetwork } from "./components/network/awsNetwork";
import { OciNetwork } from "./components/network/ociNetwork";
import { AlarmTopic } from "./components/ops/alarmTopic";
import { createProviders } from "./components/shared/providers";
import { readMigrationFiles } from "./functions/aws/migrate/migrations";
import { ociFreeformTags } from "./components/shared/tags";
import path from "node:path";

export = async () => {
  const cfg = loadPlatformConfig();
  const namePrefix = `${cfg.project}-${cfg.environment}`;
  const providers = createProviders(cfg);
  const ociTags = ociFreeformTags(cfg.tags);
  // Partner and bandwidth shape are looked up before any cloud resource, so a wrong name fails early.
  const fastConnectService =
    cfg.interconnect.mode === "fastconnect"
      ? await resolveFastConnect(cfg.stack, cfg.interconnect.fastConnect, cfg.oci.compartmentId, providers.oci)
      : undefined;

  const awsNetwork = new AwsNetwork("aws-network", { plan: cfg.aws, namePrefix }, { providers: [providers.aws] });
  const ociNetwork = new OciNetwork(
    "oci-network",
    { plan: cfg.oci, awsCidr: cfg.aws.vpcCidr, freeformTags: ociTags, namePrefix },
    { providers: [providers.oci] },
  );
  const interconnect = new Interconnect(
    "interconnect",
    {
      plan: cfg.interconnect,
      fastConnectService,
      awsRegion: cfg.aws.region,
      vpcId: awsNetwork.vpcId,
      awsCidr: cfg.aws.vpcCidr,
      privateRouteTableIds: awsNetwork.privateRouteTableIds,
      ociCidr: cfg.oci.vcnCidr,
      compartmentId: cfg.oci.compartmentId,
      drgId: ociNetwork.drgId,
      placeholderIp: ociNetwork.natPublicIp,
      freeformTags: ociTags,
      namePrefix,
      isProduction: cfg.isProduction,
    },
    { providers: [providers.aws, providers.oci] },
  );

  const awsOnly = { providers: [providers.aws] };
  const logRetentionDays = cfg.aws.logRetentionDays;

  const database = new AutonomousDatabase(
    "database",
    {
      plan: cfg.database,
      compartmentId: cfg.oci.compartmentId,
      vcnId: ociNetwork.vcnId,
      subnetId: ociNetwork.subnetIds.database,
      awsCidr: cfg.aws.vpcCidr,
      namePrefix,
      freeformTags: ociTags,
      isProduction: cfg.isProduction,
    },
    { providers: [providers.oci] },
  );
  const databaseAccess = new DatabaseAccess(
    "database-access",
    {
      privateEndpointHost: database.privateEndpointHost,
      privateEndpointIp: database.privateEndpointIp,
      dsn: database.dsn,
      adminPassword: database.adminPassword,
      servicePassword: database.servicePassword,
      vpcId: awsNetwork.vpcId,
      namePrefix,
      isProduction: cfg.isProduction,
    },
    awsOnly,
  );
  const migrations = new SchemaMigrations(
    "migrations",
    {
      files: readMigrationFiles(path.join(__dirname, "sql")),
      vpcId: awsNetwork.vpcId,
      privateSubnetIds: awsNetwork.privateSubnetIds,
      databaseCidr: cfg.oci.subnetCidrs.database,
      adminSecretArn: databaseAccess.adminSecret.arn,
      appSecretArn: databaseAccess.appSecret.arn,
      secretsKeyArn: databaseAccess.key.arn,
      region: cfg.aws.region,
      namePrefix,
      logRetentionDays,
      runAfter: [database, databaseAccess, interconnect],
    },
    awsOnly,
  );
  const alarms = new AlarmTopic("alarms", { namePrefix, emails: cfg.aws.alarmEmails }, awsOnly);
  const alarmTopicArn = alarms.topic.arn;
  const features = new FeaturePipeline(
    "features",
    { plan: cfg.ml, region: cfg.aws.region, namePrefix, logRetentionDays, isProduction: cfg.isProduction, alarmTopicArn },
    awsOnly,
  );
  const model = new ModelEndpoint("model", { sagemaker: cfg.ml.sagemaker, region: cfg.aws.region, namePrefix, kmsKeyArn: features.key.arn, alarmTopicArn }, awsOnly);
  const inference = new InferenceApi(
    "inference",
    {
      tableName: features.table.name,
      tableArn: features.table.arn,
      kmsKeyArn: features.key.arn,
      endpointName: model.endpointName,
      endpointArn: model.endpointArn,
      namePrefix,
      logRetentionDays,
      alarmTopicArn,
    },
    awsOnly,
  );

  return {
    environment: cfg.environment,
    interconnect: interconnect.outputs,
    ...(interconnect.privateCircuitKeys ? { privateCircuitKeys: interconnect.privateCircuitKeys } : {}),
    database: {
      dsn: database.dsn,
      privateEndpointHost: database.privateEndpointHost,
      privateEndpointIp: database.privateEndpointIp,
      appSecretArn: databaseAccess.appSecret.arn,
      migrationSet: migrations.migrationSet,
      migrationFunction: migrations.handler.function.name,
      migrationBundle: { bytes: migrations.handler.bundleBytes, sha256: migrations.handler.bundleSha256 },
      ...(database.warehouseId ? { warehouseId: database.warehouseId } : {}),
    },
    ml: {
      streamName: features.stream.name,
      featureTable: features.table.name,
      failureQueueUrl: features.failureQueue.url,
      endpointName: model.endpointName,
      inferenceUrl: inference.url,
      bundles: {
        features: { bytes: features.handler.bundleBytes, sha256: features.handler.bundleSha256 },
        inference: { bytes: inference.handler.bundleBytes, sha256: inference.handler.bundleSha256 },
      },
    },
    aws: {
      region: cfg.aws.region,
      vpcId: awsNetwork.vpcId,
      vpcCidr: awsNetwork.vpcCidr,
      availabilityZones: awsNetwork.availabilityZones,
      privateSubnetIds: awsNetwork.privateSubnetIds,
      publicSubnetIds: awsNetwork.publicSubnetIds,
      privateRouteTableIds: awsNetwork.privateRouteTableIds,
      flowLogGroupName: awsNetwork.flowLogGroupName,
    },
    oci: {
      region: cfg.oci.region,
      vcnId: ociNetwork.vcnId,
      vcnCidr: ociNetwork.vcnCidr,
      drgId: ociNetwork.drgId,
      subnetIds: ociNetwork.subnetIds,
    },
  };
};
