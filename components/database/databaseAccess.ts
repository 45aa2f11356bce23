import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SCHEMA_OWNER, SERVICE_USER } from "../../functions/aws/migrate/migrations";
import type { DbSecret } from "../../functions/aws/migrate/secret";
import { awsContext, rotatingKey } from "../shared/kms";

export interface DatabaseAccessArgs {
  /** The database's private endpoint FQDN (what the DSN names) and its IP in the OCI subnet. */
  readonly privateEndpointHost: pulumi.Input<string>;
  readonly privateEndpointIp: pulumi.Input<string>;
  /** One-way TLS connect descriptor. */
  readonly dsn: pulumi.Input<string>;
  readonly adminPassword: pulumi.Input<string>;
  /** MC_SVC's password (set by migration V001). */
  readonly servicePassword: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  readonly namePrefix: string;
  /** Prod keeps deleted secrets recoverable for 30 days (dev 7). */
  readonly isProduction: boolean;
}

/** The secret's JSON, as the AWS-side functions and the order service read it; `schema` is where the tables are. */
export function secretDocument(username: string, password: string, dsn: string): string {
  const secret: DbSecret = { username, password, dsn, schema: SCHEMA_OWNER };
  return JSON.stringify(secret);
}

/**
 * What AWS-side clients need to reach and log in to the database: the private endpoint's name
 * resolving inside the VPC (a Route 53 private zone for exactly that host, so nothing else under
 * oraclecloud.com is shadowed), and Secrets Manager secrets under a customer-managed key —
 * `app` (MC_SVC, rows only: services, sync, order service) and `admin` (the migration function only).
 */
export class DatabaseAccess extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly appSecret: aws.secretsmanager.Secret;
  readonly adminSecret: aws.secretsmanager.Secret;

  constructor(name: string, args: DatabaseAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:database:DatabaseAccess", name, {}, opts);
    const child = { parent: this };

    const zone = new aws.route53.Zone(
      `${name}-zone`,
      { name: args.privateEndpointHost, comment: `${args.namePrefix}: the database's private endpoint, resolved in the VPC`, vpcs: [{ vpcId: args.vpcId }] },
      child,
    );
    new aws.route53.Record(`${name}-endpoint`, { zoneId: zone.zoneId, name: args.privateEndpointHost, type: "A", ttl: 300, records: [args.privateEndpointIp] }, child);

    this.key = rotatingKey(`${name}-key`, `${args.namePrefix} database credentials`, awsContext(child), child);

    const secret = (suffix: string, description: string, username: string, password: pulumi.Input<string>) => {
      const s = new aws.secretsmanager.Secret(
        `${name}-${suffix}`,
        { name: `${args.namePrefix}/database/${suffix}`, description, kmsKeyId: this.key.arn, recoveryWindowInDays: args.isProduction ? 30 : 7 },
        child,
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-${suffix}-value`,
        { secretId: s.id, secretString: pulumi.secret(pulumi.all([password, args.dsn]).apply(([p, dsn]) => secretDocument(username, p, dsn))) },
        child,
      );
      return s;
    };
    this.appSecret = secret("app", `Autonomous Database credentials of ${SERVICE_USER} (rows of the ${SCHEMA_OWNER} schema, no DDL)`, SERVICE_USER, args.servicePassword);
    this.adminSecret = secret("admin", "Autonomous Database ADMIN credentials (schema migrations only)", "ADMIN", args.adminPassword);
    this.registerOutputs({ appSecretArn: this.appSecret.arn, adminSecretArn: this.adminSecret.arn });
  }
}
