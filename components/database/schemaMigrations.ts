import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseMigrationSet, setChecksum } from "../../functions/aws/migrate/migrations";
import { NodeFunction } from "../shared/nodeFunction";

export interface SchemaMigrationsArgs {
  /** The migration files (file name → text), normally read from sql/. */
  readonly files: Readonly<Record<string, string>>;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets the function runs in (routes to OCI over the interconnect, NAT otherwise). */
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** The OCI database subnet: the only place the function may open 1522 to. */
  readonly databaseCidr: string;
  readonly adminSecretArn: pulumi.Input<string>;
  readonly appSecretArn: pulumi.Input<string>;
  readonly secretsKeyArn: pulumi.Input<string>;
  readonly region: string;
  readonly namePrefix: string;
  readonly logRetentionDays: number;
  /** What must exist before migrations can run: the database, its DNS, the interconnect. */
  readonly runAfter: pulumi.Resource[];
}

/** What re-runs the migrations: the checksum of the set, and nothing else. */
export function migrationTriggers(files: Readonly<Record<string, string>>): { migrationSet: string } {
  return { migrationSet: setChecksum(parseMigrationSet(files)) };
}

/**
 * Applies sql/ during `pulumi up` from inside the network: the migration function runs in the
 * private subnets (the database endpoint is private, reached over the interconnect), reads the
 * admin and app secrets through a Secrets Manager interface endpoint, and is invoked by the
 * deployment whenever the migration set's checksum changes. Its security group opens only 1522
 * to the OCI database subnet and 443 to that endpoint.
 */
export class SchemaMigrations extends pulumi.ComponentResource {
  readonly handler: NodeFunction;
  readonly invocation: aws.lambda.Invocation;
  readonly migrationSet: string;

  constructor(name: string, args: SchemaMigrationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:database:SchemaMigrations", name, {}, opts);
    const child = { parent: this };
    const triggers = migrationTriggers(args.files); // refuses a malformed set before anything registers
    this.migrationSet = triggers.migrationSet;

    const functionSg = new aws.ec2.SecurityGroup(`${name}-function-sg`, { vpcId: args.vpcId, description: "Schema migration function: Oracle listener and Secrets Manager only" }, child);
    const endpointSg = new aws.ec2.SecurityGroup(`${name}-endpoint-sg`, { vpcId: args.vpcId, description: "Secrets Manager endpoint: HTTPS from the migration function" }, child);
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-to-oracle`,
      { securityGroupId: functionSg.id, ipProtocol: "tcp", fromPort: 1522, toPort: 1522, cidrIpv4: args.databaseCidr, description: "Oracle TLS listener in the OCI database subnet" },
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-to-secrets`,
      { securityGroupId: functionSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: endpointSg.id, description: "Secrets Manager endpoint" },
      child,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-from-function`,
      { securityGroupId: endpointSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: functionSg.id, description: "HTTPS from the migration function" },
      child,
    );
    new aws.ec2.VpcEndpoint(
      `${name}-secrets-endpoint`,
      {
        vpcId: args.vpcId,
        serviceName: `com.amazonaws.${args.region}.secretsmanager`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: args.privateSubnetIds,
        securityGroupIds: [endpointSg.id],
      },
      child,
    );

    this.handler = new NodeFunction(
      `${name}-handler`,
      {
        entry: "functions/aws/migrate/handler.ts",
        files: Object.fromEntries(Object.entries(args.files).map(([file, text]) => [`sql/${file}`, text])),
        functionName: `${args.namePrefix}-db-migrate`,
        description: "Applies the sql/ migrations to the Autonomous Database",
        timeoutSeconds: 900,
        memoryMb: 512,
        logRetentionDays: args.logRetentionDays,
        environment: { ADMIN_SECRET_ARN: args.adminSecretArn, APP_SECRET_ARN: args.appSecretArn },
        grants: [
          { actions: ["secretsmanager:GetSecretValue"], resources: [args.adminSecretArn, args.appSecretArn] },
          { actions: ["kms:Decrypt"], resources: [args.secretsKeyArn] },
        ],
        vpc: { subnetIds: args.privateSubnetIds, securityGroupIds: [functionSg.id] },
      },
      child,
    );

    this.invocation = new aws.lambda.Invocation(
      `${name}-run`,
      {
        functionName: this.handler.function.name,
        input: JSON.stringify({ setChecksum: triggers.migrationSet }),
        triggers,
      },
      { parent: this, dependsOn: [this.handler, ...args.runAfter] },
    );
    this.registerOutputs({ migrationSet: this.migrationSet, functionName: this.handler.function.name });
  }
}
