import * as oci from "@pulumi/oci";
import type { AfterHoursSettings } from "../config/budget";
import { adbScheduledOperations } from "../shared/schedules";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseSettings } from "../config/database";
import { failAs, PlatformContext, platformOptions } from "../shared/context";
import { tcpNsgRule } from "../shared/ociNsg";
import { kept } from "../shared/protection";
import { ORACLE_TLS_PORT } from "../shared/ports";

export interface AutonomousDatabaseArgs {
  /** Name, sizes, licence, backups and the optional warehouse. */
  readonly settings: DatabaseSettings;
  /** Name prefix, freeform tags, compartment and providers; in production the databases are protected. */
  readonly context: PlatformContext;
  /** The VCN and its database-tier subnet, where the private endpoint lives. */
  readonly network: { readonly vcnId: pulumi.Input<string>; readonly databaseSubnetId: pulumi.Input<string> };
  /** The only ranges admitted to the listener: the AWS private subnets, where every client runs. */
  readonly awsClientCidrs: readonly string[];
  /** Non-production working hours: outside them the databases are stopped by their scheduled operations. */
  readonly afterHours?: AfterHoursSettings;
}

/** What the database's clients and the AWS side need. */
export interface AutonomousDatabaseOutputs {
  readonly databaseId: pulumi.Output<string>;
  readonly nsgId: pulumi.Output<string>;
  /** One-way TLS connect descriptor for the LOW service. */
  readonly dsn: pulumi.Output<string>;
  readonly privateEndpointHost: pulumi.Output<string>;
  readonly privateEndpointIp: pulumi.Output<string>;
  readonly warehouseId?: pulumi.Output<string>;
  /** The Lakehouse instance, when configured: its DSN and its own ADMIN password (secret), never the OLTP's. */
  /** The Lakehouse: its DSN, its own ADMIN password, and its batch loader's (MC_LAKE, sql/lakehouse). */
  readonly warehouse?: {
    readonly dsn: pulumi.Output<string>;
    readonly adminPassword: pulumi.Output<string>;
    readonly loaderPassword: pulumi.Output<string>;
  };
  /** The OLTP instance's ADMIN password (secret). */
  readonly adminPassword: pulumi.Output<string>;
  /** For MC_SVC, the user the services log in as (set by migration V001; secret). */
  readonly servicePassword: pulumi.Output<string>;
  /** The batch loader's (MC_LOADER, V012) password: DBMS_CLOUD into staging and the merge only. */
  readonly loaderPassword: pulumi.Output<string>;
  /** The OCI functions' (MC_FN, V016) password. */
  readonly functionsPassword: pulumi.Output<string>;
}

/** The Oracle AI Database release line: 26ai has SQL assertions (from 23.26.1). */
export const DB_VERSION = "26ai";

/** ADB's admin password rules, checked on the generated value (a clear failure, not a 400). */
export function adbPasswordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 12 || password.length > 30) problems.push("must be 12 to 30 characters");
  if (!/[A-Z]/.test(password) || !/[a-z]/.test(password) || !/[0-9]/.test(password))
    problems.push("needs an upper-case letter, a lower-case letter and a digit");
  if (password.includes('"')) problems.push('must not contain "');
  if (/admin/i.test(password)) problems.push('must not contain "admin"');
  return problems;
}

/** A password for ADB users: 30 letters and digits (no characters that need quoting in DDL). */
/**
 * A generated database password. `generation` above 1 is a keeper: raising it replaces the
 * password (generation 1 has none, so passwords generated before generations existed stay).
 */
export function databasePassword(
  name: string,
  opts: pulumi.CustomResourceOptions & { parent: pulumi.Resource },
  generation?: number,
): pulumi.Output<string> {
  const keepers = generation === undefined || generation === 1 ? {} : { keepers: { generation: String(generation) } };
  const generated = new random.RandomPassword(
    name,
    { length: 30, special: false, minUpper: 2, minLower: 2, minNumeric: 2, ...keepers },
    opts,
  );
  return generated.result.apply((password) => {
    const problems = adbPasswordProblems(password);
    if (problems.length)
      throw new pulumi.ResourceError(
        `generated password ${name} ${problems.join("; ")}; replace it: pulumi up --replace <urn of ${name}>`,
        opts.parent,
      );
    return password;
  });
}

export interface ConnectionProfile {
  readonly consumerGroup: string;
  readonly protocol: string;
  readonly tlsAuthentication: string;
  readonly syntaxFormat: string;
  readonly hostFormat: string;
  readonly sessionMode?: string;
  readonly value: string;
}

/**
 * The connect descriptor clients use: one-way TLS (no wallet), the LOW service (OLTP: most
 * concurrent statements), the long format with the FQDN host (certificate name checked).
 */
export function selectDsn(profiles: readonly ConnectionProfile[], consumerGroup = "LOW"): string {
  const candidates = profiles.filter(
    (p) =>
      p.consumerGroup === consumerGroup &&
      p.protocol === "TCPS" &&
      p.tlsAuthentication === "SERVER" &&
      p.syntaxFormat === "LONG" &&
      p.hostFormat === "FQDN",
  );
  const chosen = candidates.find((p) => p.sessionMode === "DIRECT") ?? candidates[0];
  if (!chosen)
    throw new Error(
      `the database offers no one-way TLS ${consumerGroup} connection string; is isMtlsConnectionRequired false?`,
    );
  return chosen.value;
}

/**
 * Autonomous AI Transaction Processing (26ai) on a private endpoint in the database subnet, behind
 * an NSG that admits 1522/TCP from the AWS range only; TLS without a wallet (the private endpoint
 * and the NSG are the access control); admin password generated and secret. Prod: backups kept
 * per config, `protect`, and an optional Lakehouse (data warehouse) instance on the same terms.
 */
export class AutonomousDatabase extends pulumi.ComponentResource {
  readonly outputs: AutonomousDatabaseOutputs;

  constructor(name: string, args: AutonomousDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:database:AutonomousDatabase", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { settings } = args;
    const { namePrefix, compartmentId } = args.context;
    const freeformTags = { ...args.context.ociFreeformTags };

    const nsg = new oci.core.NetworkSecurityGroup(
      `${name}-nsg`,
      { compartmentId, vcnId: args.network.vcnId, displayName: `${namePrefix}-adb`, freeformTags },
      child,
    );
    args.awsClientCidrs.forEach((source, az) =>
      tcpNsgRule(`${name}-nsg-listener-${az + 1}`, this, nsg.id, "INGRESS", {
        peer: source,
        port: ORACLE_TLS_PORT,
        description: `Oracle TLS listener from AWS private subnet ${az + 1} (over the interconnect)`,
      }),
    );
    // Each instance has its own ADMIN password: one leaked or rotated never touches the other.
    const adminPassword = pulumi.secret(databasePassword(`${name}-admin-password`, child));
    const servicePassword = pulumi.secret(databasePassword(`${name}-service-password`, child));
    // The logins Pulumi keeps rotate when config raises their generation (SchemaMigrations re-sets them in the database).
    const loaderPassword = pulumi.secret(
      databasePassword(`${name}-loader-password`, child, settings.credentialGeneration),
    );
    const functionsPassword = pulumi.secret(
      databasePassword(`${name}-functions-password`, child, settings.credentialGeneration),
    );

    const instance = (
      suffix: string,
      workload: string,
      sizing: DatabaseSettings["oltp"],
      dbName: string,
      adminPassword: pulumi.Output<string>,
    ) =>
      new oci.database.AutonomousDatabase(
        `${name}-${suffix}`,
        {
          compartmentId,
          dbName,
          displayName: `${namePrefix}-${suffix}`,
          dbVersion: DB_VERSION,
          dbWorkload: workload,
          computeModel: "ECPU",
          computeCount: sizing.ecpuCount,
          dataStorageSizeInGb: sizing.storageGb,
          isAutoScalingEnabled: sizing.autoScaling,
          isAutoScalingForStorageEnabled: sizing.autoScaling,
          licenseModel: settings.licenseModel,
          backupRetentionPeriodInDays: settings.backupRetentionDays,
          adminPassword,
          subnetId: args.network.databaseSubnetId,
          nsgIds: [nsg.id],
          privateEndpointLabel: `${dbName.toLowerCase()}`,
          // One-way TLS: clients need no wallet; only the NSG's sources reach the private endpoint.
          isMtlsConnectionRequired: false,
          ...(args.afterHours ? { scheduledOperations: adbScheduledOperations(args.afterHours) } : {}),
          freeformTags,
        },
        kept(this, args.context, "oci:Database/autonomousDatabase:AutonomousDatabase"),
      );

    const oltp = instance("atp", "OLTP", settings.oltp, settings.dbName, adminPassword);
    // LH (Lakehouse) is the warehouse workload; "DW" is retired from December 2026.
    const warehouseAdminPassword = settings.dataWarehouse
      ? pulumi.secret(databasePassword(`${name}-adw-admin-password`, child))
      : undefined;
    const warehouse =
      settings.dataWarehouse && warehouseAdminPassword
        ? instance("adw", "LH", settings.dataWarehouse, `${settings.dbName}dw`, warehouseAdminPassword)
        : undefined;
    const dsnOf = (db: oci.database.AutonomousDatabase) =>
      db.connectionStrings.apply((strings) => failAs(this, () => selectDsn(strings.flatMap((s) => s.profiles))));
    this.outputs = {
      databaseId: oltp.id,
      nsgId: nsg.id,
      dsn: dsnOf(oltp),
      privateEndpointHost: oltp.privateEndpoint,
      privateEndpointIp: oltp.privateEndpointIp,
      ...(warehouse && warehouseAdminPassword
        ? {
            warehouseId: warehouse.id,
            warehouse: {
              dsn: dsnOf(warehouse),
              adminPassword: warehouseAdminPassword,
              loaderPassword: pulumi.secret(
                databasePassword(`${name}-adw-loader-password`, child, settings.credentialGeneration),
              ),
            },
          }
        : {}),
      adminPassword,
      servicePassword,
      loaderPassword,
      functionsPassword,
    };
    this.registerOutputs(this.outputs);
  }
}
