import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ADMIN_USER,
  DbSecret,
  FUNCTIONS_USER,
  LAKEHOUSE_SCHEMA,
  LAKEHOUSE_USER,
  LOADER_USER,
  SCHEMA_OWNER,
  SERVICE_USER,
} from "../../functions/aws/migrate/contract";
import { kept } from "../shared/protection";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, rotatingKey } from "../shared/kms";
import { AutonomousDatabaseOutputs } from "./autonomousDatabase";

export interface DatabaseAccessArgs {
  /** The database: private endpoint FQDN (what the DSN names) and IP, DSN, and the two passwords. */
  readonly database: Pick<
    AutonomousDatabaseOutputs,
    | "privateEndpointHost"
    | "privateEndpointIp"
    | "dsn"
    | "adminPassword"
    | "servicePassword"
    | "loaderPassword"
    | "functionsPassword"
    | "warehouse"
  >;
  /** The VPC the endpoint's name resolves in. */
  readonly vpcId: pulumi.Input<string>;
  /** Name prefix and providers; production keeps deleted secrets recoverable for 30 days (else 7). */
  readonly context: PlatformContext;
}

/** Where AWS-side clients find their credentials. */
export interface DatabaseAccessOutputs {
  /** MC_SVC's secret: rows only (services, sync, order service). */
  readonly appSecretArn: pulumi.Output<string>;
  /** ADMIN's secret: the migration function only. */
  readonly adminSecretArn: pulumi.Output<string>;
  /** MC_LOADER's secret: the batch load function (and the migration function, which sets the password). */
  readonly loaderSecretArn: pulumi.Output<string>;
  /** MC_FN's secret: read by the migration function only (it sets the password); the OCI functions read their copy in OCI Vault. */
  readonly functionsSecretArn: pulumi.Output<string>;
  /** MC_FN's credential document ({username, password, dsn, schema}), secret: what the OCI Vault copy holds. */
  readonly functionsCredential: pulumi.Output<string>;
  /** The Lakehouse instance's ADMIN secret, when there is one (its migration function only). */
  readonly warehouseAdminSecretArn?: pulumi.Output<string>;
  /** The Lakehouse's batch loader (MC_LAKE), when there is a Lakehouse: the batch path's Lakehouse step. */
  readonly warehouseLoaderSecretArn?: pulumi.Output<string>;
  /** The customer-managed key the secrets are encrypted with (readers need kms:Decrypt). */
  readonly secretsKeyArn: pulumi.Output<string>;
}

/** The secret's JSON, as the AWS-side functions and the order service read it; `schema` is where the tables are. */
export function secretDocument(username: string, password: string, dsn: string, schema: string = SCHEMA_OWNER): string {
  const secret: DbSecret = { username, password, dsn, schema };
  return JSON.stringify(secret);
}

/**
 * What AWS-side clients need to reach and log in to the database: the private endpoint's name
 * resolving inside the VPC (a Route 53 private zone for exactly that host, so nothing else under
 * oraclecloud.com is shadowed), and Secrets Manager secrets under a customer-managed key —
 * `app` (MC_SVC, rows only: services, sync, order service) and `admin` (the migration function only).
 */
export class DatabaseAccess extends pulumi.ComponentResource {
  readonly outputs: DatabaseAccessOutputs;

  constructor(name: string, args: DatabaseAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:database:DatabaseAccess", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { namePrefix, isProduction } = args.context;
    const db = args.database;

    const zone = new aws.route53.Zone(
      `${name}-zone`,
      {
        name: db.privateEndpointHost,
        comment: `${namePrefix}: the database's private endpoint, resolved in the VPC`,
        vpcs: [{ vpcId: args.vpcId }],
      },
      kept(this, args.context, "aws:route53/zone:Zone"),
    );
    new aws.route53.Record(
      `${name}-endpoint`,
      { zoneId: zone.zoneId, name: db.privateEndpointHost, type: "A", ttl: 300, records: [db.privateEndpointIp] },
      child,
    );

    const key = rotatingKey(
      `${name}-key`,
      `${namePrefix} database credentials`,
      awsContext(child),
      kept(this, args.context, "aws:kms/key:Key"),
      () => ({
        administratorArns: args.context.keyAdministratorArns,
        viaServices: ["secretsmanager"],
      }),
    );

    /** `rotated`: after creation the value belongs to the rotation function; Pulumi must not put it back. */
    const secret = (
      suffix: string,
      description: string,
      username: string,
      password: pulumi.Input<string>,
      dsn: pulumi.Input<string> = db.dsn,
      rotated = false,
      schema: string = SCHEMA_OWNER,
    ) => {
      const s = new aws.secretsmanager.Secret(
        `${name}-${suffix}`,
        {
          name: `${namePrefix}/database/${suffix}`,
          description,
          kmsKeyId: key.arn,
          recoveryWindowInDays: isProduction ? 30 : 7,
        },
        kept(this, args.context, "aws:secretsmanager/secret:Secret"),
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-${suffix}-value`,
        {
          secretId: s.id,
          secretString: pulumi.secret(
            pulumi.all([password, dsn]).apply(([p, dsn]) => secretDocument(username, p, dsn, schema)),
          ),
        },
        rotated ? { parent: this, ignoreChanges: ["secretString"] } : child,
      );
      return s;
    };
    const appSecret = secret(
      "app",
      `Autonomous Database credentials of ${SERVICE_USER} (rows of the ${SCHEMA_OWNER} schema, no DDL)`,
      SERVICE_USER,
      db.servicePassword,
      db.dsn,
      true,
    );
    const adminSecret = secret(
      "admin",
      "Autonomous Database ADMIN credentials (schema migrations only)",
      ADMIN_USER,
      db.adminPassword,
    );
    const functionsSecret = secret(
      "functions",
      `Autonomous Database credentials of ${FUNCTIONS_USER} (the OCI functions; they read the copy in OCI Vault)`,
      FUNCTIONS_USER,
      db.functionsPassword,
    );
    const loaderSecret = secret(
      "loader",
      `Autonomous Database credentials of ${LOADER_USER} (the batch load: DBMS_CLOUD into staging and the merge)`,
      LOADER_USER,
      db.loaderPassword,
    );
    const warehouseSecret = db.warehouse
      ? secret(
          "warehouse-admin",
          "Lakehouse (ADW) ADMIN credentials, apart from the OLTP instance's (its migrations only)",
          ADMIN_USER,
          db.warehouse.adminPassword,
          db.warehouse.dsn,
        )
      : undefined;
    const warehouseLoaderSecret = db.warehouse
      ? secret(
          "warehouse-loader",
          `Lakehouse credentials of ${LAKEHOUSE_USER} (the batch path's daily load into ${LAKEHOUSE_SCHEMA})`,
          LAKEHOUSE_USER,
          db.warehouse.loaderPassword,
          db.warehouse.dsn,
          false,
          LAKEHOUSE_SCHEMA,
        )
      : undefined;
    this.outputs = {
      appSecretArn: appSecret.arn,
      adminSecretArn: adminSecret.arn,
      loaderSecretArn: loaderSecret.arn,
      functionsSecretArn: functionsSecret.arn,
      functionsCredential: pulumi.secret(
        pulumi.all([db.functionsPassword, db.dsn]).apply(([p, dsn]) => secretDocument(FUNCTIONS_USER, p, dsn)),
      ),
      ...(warehouseSecret ? { warehouseAdminSecretArn: warehouseSecret.arn } : {}),
      ...(warehouseLoaderSecret ? { warehouseLoaderSecretArn: warehouseLoaderSecret.arn } : {}),
      secretsKeyArn: key.arn,
    };
    this.registerOutputs(this.outputs);
  }
}
