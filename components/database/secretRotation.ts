import { declareCalls } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ROTATE_CALLS, ROTATE_ENV, ROTATE_LIMITS } from "../../functions/aws/rotate/contract";
import { AwsNetworkOutputs } from "../network/awsNetwork";
import { EndpointUse } from "../network/endpoints";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext } from "../shared/kms";
import { NodeFunction } from "../shared/nodeFunction";
import { DatabaseAccessOutputs } from "./databaseAccess";
import { databaseClientSecurityGroup } from "../shared/databaseClient";

export interface SecretRotationArgs {
  /** The services' secret it rotates, the ADMIN secret it alters users with, and their key. */
  readonly secrets: Pick<DatabaseAccessOutputs, "appSecretArn" | "adminSecretArn" | "secretsKeyArn">;
  /** The VPC, the private subnets the function runs in, and the interface endpoints' security group. */
  readonly network: Pick<AwsNetworkOutputs, "vpcId" | "vpcUrn" | "privateSubnetIds" | "endpointSecurityGroupId">;
  /** The OCI database subnet: the only place the function may open the listener port to. */
  readonly databaseCidr: string;
  /** Days between rotations (multicloud:database.serviceRotationDays). */
  readonly rotationDays: number;
  /** Log retention (days) of the function's log group. */
  readonly logRetentionDays: number;
  /** Name prefix, production rules, key administrators and providers of the stack. */
  readonly context: PlatformContext;
  /** What must exist before the first rotation: the users (migrations), the interconnect. */
  readonly runAfter: pulumi.Resource[];
}

export interface SecretRotationOutputs {
  readonly functionName: pulumi.Output<string>;
  /** What the function does through the network's Secrets Manager endpoint. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

/** What the rotation function may do: rotate the services' secret, read the ADMIN secret, use their key through Secrets Manager. */
export const ROTATION_SECRET_ACTIONS = [
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetSecretValue",
  "secretsmanager:PutSecretValue",
  "secretsmanager:UpdateSecretVersionStage",
] as const;

/**
 * Rotates the services' database secret every `rotationDays` with alternating users (see
 * functions/aws/rotate/rotation.ts): a function in the private subnets that reaches only the
 * database listener and the VPC endpoints, invocable only by Secrets Manager for this account.
 */
export class SecretRotation extends pulumi.ComponentResource {
  readonly outputs: SecretRotationOutputs;

  constructor(name: string, args: SecretRotationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:database:SecretRotation", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { namePrefix } = args.context;
    const { vpcId, privateSubnetIds } = args.network;

    const { securityGroup: functionSg } = databaseClientSecurityGroup(
      name,
      this,
      "Secret rotation function: Oracle listener and VPC endpoints only",
      { vpcId, databaseCidr: args.databaseCidr, endpointSecurityGroupId: args.network.endpointSecurityGroupId },
    );

    const handler = new NodeFunction(
      `${name}-handler`,
      {
        entry: "functions/aws/rotate/handler.ts",
        functionName: `${namePrefix}-db-secret-rotation`,
        description: "Rotates the services' database secret (alternating users)",
        timeoutSeconds: ROTATE_LIMITS.timeoutSeconds,
        memoryMb: ROTATE_LIMITS.memoryMb,
        logRetentionDays: args.logRetentionDays,
        isProduction: args.context.isProduction,
        keyAdministratorArns: args.context.keyAdministratorArns,
        environment: { [ROTATE_ENV.adminSecretArn]: args.secrets.adminSecretArn },
        grants: [
          { actions: [...ROTATION_SECRET_ACTIONS], resources: [args.secrets.appSecretArn] },
          { actions: ["secretsmanager:GetSecretValue"], resources: [args.secrets.adminSecretArn] },
          { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [args.secrets.secretsKeyArn] },
        ],
        vpc: { subnetIds: privateSubnetIds, securityGroupIds: [functionSg.id], vpcUrn: args.network.vpcUrn },
        calls: {
          declarations: ROTATE_CALLS,
          targets: { serviceSecret: args.secrets.appSecretArn, adminSecret: args.secrets.adminSecretArn },
        },
      },
      child,
    );

    // Only Secrets Manager, for this account's secrets, may invoke it.
    const permission = new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: handler.outputs.functionName,
        principal: "secretsmanager.amazonaws.com",
        sourceAccount: awsContext(child).accountId,
      },
      child,
    );
    declareCalls(
      `${name}-invoke`,
      { service: "secretsmanager.amazonaws.com", sourceArn: args.secrets.appSecretArn },
      [{ target: "rotation", actions: ["lambda:InvokeFunction"] }],
      { rotation: handler.outputs.functionArn },
    );
    new aws.secretsmanager.SecretRotation(
      `${name}-schedule`,
      {
        secretId: args.secrets.appSecretArn,
        rotationLambdaArn: handler.outputs.functionArn,
        rotationRules: { automaticallyAfterDays: args.rotationDays },
      },
      { parent: this, dependsOn: [permission, ...args.runAfter] },
    );

    this.outputs = {
      functionName: handler.outputs.functionName,
      endpointUses: pulumi.all([args.secrets.appSecretArn, args.secrets.adminSecretArn]).apply(([app, admin]) => [
        { service: "secretsmanager" as const, by: "rotation", actions: [...ROTATION_SECRET_ACTIONS], resources: [app] },
        {
          service: "secretsmanager" as const,
          by: "rotationAdmin",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [admin],
        },
      ]),
    };
    this.registerOutputs(this.outputs);
  }
}
