import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  MIGRATE_CALLS,
  MIGRATE_ENV,
  MIGRATE_LIMITS,
  MigrationRequest,
  migrationSetChecksum,
  SQL_ARCHIVE_DIR,
} from "../../functions/aws/migrate/contract";
import { AwsNetworkOutputs } from "../network/awsNetwork";
import { EndpointUse } from "../network/endpoints";
import { failAs, PlatformContext, platformOptions } from "../shared/context";
import { NodeFunction, NodeFunctionOutputs } from "../shared/nodeFunction";
import { CrossLinkReadiness, linkGate } from "../interconnect/linkReadiness";
import { databaseClientSecurityGroup } from "../shared/databaseClient";

export interface SchemaMigrationsArgs {
  /** The migration files (file name → text), normally read from sql/. */
  readonly files: Readonly<Record<string, string>>;
  /** The VPC and the private subnets the function runs in (routes to OCI over the interconnect, NAT otherwise). */
  readonly network: Pick<AwsNetworkOutputs, "vpcId" | "vpcUrn" | "privateSubnetIds" | "endpointSecurityGroupId">;
  /** The OCI database subnet: the only place the function may open the listener port to. */
  readonly databaseCidr: string;
  /** ADMIN's secret, the secrets whose passwords the files bind (by bind name), and the key they are encrypted with. */
  readonly secrets: MigrationSecrets;
  /** The function's name after the stack prefix, e.g. db-migrate. */
  readonly functionSuffix?: string;
  /** Which database, for descriptions ("the Autonomous Database", "the Lakehouse"). */
  readonly database?: string;
  /** Log retention (days) of the function's log group. */
  readonly logRetentionDays: number;
  /** Name prefix, AWS region and providers of the stack. */
  readonly context: PlatformContext;
  /** What must exist before migrations can run: the database and its DNS. */
  readonly runAfter: pulumi.Resource[];
  /** What every invocation across the link waits for: a readiness gate per invocation, and what the area was given (the network, the endpoint policies). */
  readonly crossLink: CrossLinkReadiness;
  /**
   * The Pulumi-kept logins whose passwords follow a generation (multicloud:database.credentialGeneration):
   * after the migrations their passwords are set again from their secrets whenever the generation changes.
   */
  readonly passwordGeneration?: { readonly generation: number; readonly binds: readonly string[] };
}

/** What the deployment reports about the migrations. */
export interface SchemaMigrationsOutputs {
  /** Checksum of the migration set the function carries and was invoked with. */
  readonly migrationSet: string;
  readonly functionName: pulumi.Output<string>;
  readonly bundle: NodeFunctionOutputs["bundle"];
  /** What the function does through the network's VPC endpoints (their policies admit exactly this). */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

/** What re-runs the migrations: the checksum of the set, and nothing else. */
export function migrationTriggers(files: Readonly<Record<string, string>>): { migrationSet: string } {
  return { migrationSet: migrationSetChecksum(files) };
}

/**
 * Applies sql/ during `pulumi up` from inside the network: the migration function runs in the
 * private subnets (the database endpoint is private, reached over the interconnect), reads the
 * admin and app secrets through the network's Secrets Manager interface endpoint, and is invoked
 * by the deployment whenever the migration set's checksum changes. Its security group opens only
 * 1522 to the OCI database subnet and 443 to the endpoints.
 */
/** What a migration function reads: ADMIN's secret and, per bind name, the secret whose password it binds. */
export interface MigrationSecrets {
  readonly adminSecretArn: pulumi.Output<string>;
  readonly bindSecretArns: Readonly<Record<string, pulumi.Output<string>>>;
  readonly secretsKeyArn: pulumi.Output<string>;
}

export class SchemaMigrations extends pulumi.ComponentResource {
  readonly outputs: SchemaMigrationsOutputs;

  constructor(name: string, args: SchemaMigrationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:database:SchemaMigrations", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    // Refuses badly named or numbered files before anything registers.
    const triggers = failAs(this, () => migrationTriggers(args.files));
    const { namePrefix } = args.context;
    const { vpcId, privateSubnetIds } = args.network;

    const { securityGroup: functionSg, egressRules } = databaseClientSecurityGroup(
      name,
      this,
      "Schema migration function: Oracle listener and Secrets Manager only",
      { vpcId, databaseCidr: args.databaseCidr, endpointSecurityGroupId: args.network.endpointSecurityGroupId },
    );
    const secretArns = [args.secrets.adminSecretArn, ...Object.values(args.secrets.bindSecretArns)];
    const secretsRead: EndpointUse = {
      service: "secretsmanager",
      by: "migrations",
      actions: ["secretsmanager:GetSecretValue"],
      resources: [],
    };
    const handler = new NodeFunction(
      `${name}-handler`,
      {
        entry: "functions/aws/migrate/handler.ts",
        files: Object.fromEntries(
          Object.entries(args.files).map(([file, text]) => [`${SQL_ARCHIVE_DIR}/${file}`, text]),
        ),
        functionName: `${namePrefix}-${args.functionSuffix ?? "db-migrate"}`,
        description: `Applies the migrations to ${args.database ?? "the Autonomous Database"}`,
        timeoutSeconds: MIGRATE_LIMITS.timeoutSeconds,
        memoryMb: MIGRATE_LIMITS.memoryMb,
        logRetentionDays: args.logRetentionDays,
        isProduction: args.context.isProduction,
        keyAdministratorArns: args.context.keyAdministratorArns,
        environment: {
          [MIGRATE_ENV.adminSecretArn]: args.secrets.adminSecretArn,
          [MIGRATE_ENV.bindSecretArns]: pulumi
            .output(args.secrets.bindSecretArns)
            .apply((arns) => JSON.stringify(arns)),
        },
        grants: [
          { actions: secretsRead.actions, resources: secretArns },
          { actions: ["kms:Decrypt"], resources: [args.secrets.secretsKeyArn] },
        ],
        vpc: { subnetIds: privateSubnetIds, securityGroupIds: [functionSg.id], vpcUrn: args.network.vpcUrn },
        calls: { declarations: MIGRATE_CALLS, targets: { secrets: secretArns } },
      },
      child,
    );

    const request: MigrationRequest = { setChecksum: triggers.migrationSet };
    const ready = [...egressRules, ...args.crossLink.after, ...args.runAfter];
    const run = new aws.lambda.Invocation(
      `${name}-run`,
      { functionName: handler.outputs.functionName, input: JSON.stringify(request), triggers },
      {
        parent: this,
        dependsOn: [handler, linkGate(`${name}-link-ready`, args.crossLink.gate, triggers, this), ...ready],
      },
    );
    if (args.passwordGeneration) {
      // A new generation's secrets exist before this runs (runAfter holds the secrets' component); it sets them in the database.
      const reset: MigrationRequest = {
        setChecksum: triggers.migrationSet,
        resetPasswords: [...args.passwordGeneration.binds],
      };
      const resetTriggers = { generation: String(args.passwordGeneration.generation) };
      new aws.lambda.Invocation(
        `${name}-reset-passwords`,
        { functionName: handler.outputs.functionName, input: JSON.stringify(reset), triggers: resetTriggers },
        {
          parent: this,
          dependsOn: [run, linkGate(`${name}-reset-link-ready`, args.crossLink.gate, resetTriggers, this), ...ready],
        },
      );
    }
    this.outputs = {
      migrationSet: triggers.migrationSet,
      functionName: handler.outputs.functionName,
      bundle: handler.outputs.bundle,
      endpointUses: pulumi.all(secretArns).apply((resources) => [{ ...secretsRead, resources }]),
    };
    this.registerOutputs(this.outputs);
  }
}
