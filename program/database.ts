import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { AutonomousDatabase } from "../components/database/autonomousDatabase";
import { DatabaseAccess } from "../components/database/databaseAccess";
import { SchemaMigrations } from "../components/database/schemaMigrations";
import { SecretRotation } from "../components/database/secretRotation";
import { CrossLinkReadiness } from "../components/interconnect/linkReadiness";
import { PlatformContext } from "../components/shared/context";
import { readMigrationFiles } from "../functions/aws/migrate/contract";
import { EndpointUse } from "../components/network/endpoints";
import { NetworkArea } from "./network";

/** The migrations the program applies: the repository's sql/ folder. */
export const SQL_DIR = path.join(__dirname, "..", "sql");
/** The Lakehouse's own migration set (prod's warehouse): its loader and the day-partitioned order events. */
export const LAKEHOUSE_SQL_DIR = path.join(SQL_DIR, "lakehouse");

export interface DatabaseArea {
  readonly exports: Record<string, unknown>;
  /** What the area does through the VPC endpoints. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
  /** The schema migrations: services that use the schema start after them. */
  readonly schemaReady: pulumi.Resource;
  /** The services' database secret and its key, for the services that read it. */
  readonly secrets: {
    readonly appSecretArn: pulumi.Output<string>;
    readonly secretsKeyArn: pulumi.Output<string>;
    readonly loaderSecretArn: pulumi.Output<string>;
  };
  /** The migration function and the set it carries: later areas invoke it to write deployment settings. */
  readonly migrations: { readonly functionName: pulumi.Output<string>; readonly migrationSet: string };
  /** MC_FN's credential document, secret: the OCI functions' Vault copy. */
  readonly functionsCredential: pulumi.Output<string>;
  /** The OLTP Autonomous Database (its resource principal reads the batch bucket). */
  readonly databaseId: pulumi.Output<string>;
  /** The database's private endpoint host name (resolved in the VPC's private zone). */
  readonly privateEndpointHost: pulumi.Output<string>;
  /** The Lakehouse, where the stack has one: the instance, its loader's secret, its migrations. */
  readonly lakehouse?: {
    readonly databaseId: pulumi.Output<string>;
    readonly loaderSecretArn: pulumi.Output<string>;
    readonly schemaReady: pulumi.Resource;
  };
}

/**
 * The Autonomous Database on OCI, what AWS clients need to reach it (private DNS, secrets), and
 * the schema migrations applied from inside the AWS VPC once the interconnect is up.
 */
export function databaseArea(
  context: PlatformContext,
  platform: ResolvedEnvironment,
  network: NetworkArea,
  interconnect: pulumi.Resource,
  crossLink: CrossLinkReadiness,
): DatabaseArea {
  const database = new AutonomousDatabase("database", {
    settings: platform.database,
    context,
    network: { vcnId: network.oci.vcnId, databaseSubnetId: network.oci.subnetIds.database },
    awsClientCidrs: platform.aws.privateSubnetCidrs,
    ...(platform.budget.afterHours ? { afterHours: platform.budget.afterHours } : {}),
  });
  const access = new DatabaseAccess("database-access", {
    database: database.outputs,
    vpcId: network.aws.vpcId,
    context,
  });
  const migrations = new SchemaMigrations("migrations", {
    files: readMigrationFiles(SQL_DIR),
    network: network.aws,
    databaseCidr: network.oci.subnetCidrs.database,
    secrets: {
      adminSecretArn: access.outputs.adminSecretArn,
      secretsKeyArn: access.outputs.secretsKeyArn,
      bindSecretArns: {
        service_password: access.outputs.appSecretArn,
        loader_password: access.outputs.loaderSecretArn,
        functions_password: access.outputs.functionsSecretArn,
      },
    },
    logRetentionDays: platform.aws.logRetentionDays,
    context,
    runAfter: [database, access],
    crossLink,
    passwordGeneration: {
      generation: platform.database.credentialGeneration,
      binds: ["loader_password", "functions_password"],
    },
  });
  const { warehouseAdminSecretArn, warehouseLoaderSecretArn } = access.outputs;
  const lakehouseMigrations =
    warehouseAdminSecretArn && warehouseLoaderSecretArn
      ? new SchemaMigrations("lakehouse-migrations", {
          files: readMigrationFiles(LAKEHOUSE_SQL_DIR),
          network: network.aws,
          databaseCidr: network.oci.subnetCidrs.database,
          secrets: {
            adminSecretArn: warehouseAdminSecretArn,
            secretsKeyArn: access.outputs.secretsKeyArn,
            bindSecretArns: { lakehouse_password: warehouseLoaderSecretArn },
          },
          functionSuffix: "lakehouse-migrate",
          database: "the Lakehouse",
          logRetentionDays: platform.aws.logRetentionDays,
          context,
          runAfter: [database, access],
          crossLink,
          passwordGeneration: { generation: platform.database.credentialGeneration, binds: ["lakehouse_password"] },
        })
      : undefined;
  const rotation = new SecretRotation("service-secret-rotation", {
    secrets: access.outputs,
    network: network.aws,
    databaseCidr: network.oci.subnetCidrs.database,
    rotationDays: platform.database.serviceRotationDays,
    logRetentionDays: platform.aws.logRetentionDays,
    context,
    // The first rotation needs MC_SVC_B (V008) and a path to the database.
    runAfter: [migrations, interconnect],
  });
  const db = database.outputs;
  return {
    schemaReady: migrations,
    secrets: {
      appSecretArn: access.outputs.appSecretArn,
      secretsKeyArn: access.outputs.secretsKeyArn,
      loaderSecretArn: access.outputs.loaderSecretArn,
    },
    databaseId: db.databaseId,
    privateEndpointHost: db.privateEndpointHost,
    functionsCredential: access.outputs.functionsCredential,
    migrations: { functionName: migrations.outputs.functionName, migrationSet: migrations.outputs.migrationSet },
    ...(lakehouseMigrations && db.warehouseId && warehouseLoaderSecretArn
      ? {
          lakehouse: {
            databaseId: db.warehouseId,
            loaderSecretArn: warehouseLoaderSecretArn,
            schemaReady: lakehouseMigrations,
          },
        }
      : {}),
    endpointUses: pulumi
      .all([
        migrations.outputs.endpointUses,
        rotation.outputs.endpointUses,
        ...(lakehouseMigrations ? [lakehouseMigrations.outputs.endpointUses] : []),
      ])
      .apply((lists) => lists.flat()),
    exports: {
      database: {
        dsn: db.dsn,
        privateEndpointHost: db.privateEndpointHost,
        privateEndpointIp: db.privateEndpointIp,
        appSecretArn: access.outputs.appSecretArn,
        migrationSet: migrations.outputs.migrationSet,
        migrationFunction: migrations.outputs.functionName,
        migrationBundle: migrations.outputs.bundle,
        ...(db.warehouseId ? { warehouseId: db.warehouseId } : {}),
      },
    },
  };
}
