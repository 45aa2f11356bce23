import { declareCalls } from "../shared/access";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";
import { tcpNsgRule } from "../shared/ociNsg";
import { kept } from "../shared/protection";
import { HTTPS_PORT, KAFKA_PORT, ORACLE_TLS_PORT } from "../shared/ports";

export interface FunctionsApplicationArgs {
  /** The VCN and the subnets: the functions run in the functions subnet and reach the database and the stream pool. */
  readonly network: {
    readonly vcnId: pulumi.Input<string>;
    readonly functionsSubnetId: pulumi.Input<string>;
    readonly databaseCidr: string;
    readonly streamingCidr: string;
  };
  /** The Vault secrets the functions may read with their resource principal (their database credential). */
  readonly readableSecretIds: readonly pulumi.Input<string>[];
  /** The tenancy: dynamic groups live in its root compartment. */
  readonly ociTenancyId: pulumi.Input<string>;
  /** Days the invocation logs are kept (30–180, in 30-day steps, as OCI Logging takes them). */
  readonly logRetentionDays: number;
  readonly context: PlatformContext;
}

export interface FunctionsApplicationOutputs {
  readonly applicationId: pulumi.Output<string>;
  readonly dynamicGroupName: pulumi.Output<string>;
  readonly logId: pulumi.Output<string>;
}

/** Where the functions may connect, and nothing else: the listener, the stream pool, HTTPS (OCI APIs, OCIR through the service gateway). */
export function functionsEgress(
  databaseCidr: string,
  streamingCidr: string,
): Array<{ destination: string; port: number; description: string }> {
  return [
    { destination: databaseCidr, port: ORACLE_TLS_PORT, description: "Oracle TLS to the database's private endpoint" },
    { destination: streamingCidr, port: KAFKA_PORT, description: "Kafka protocol to the stream pool" },
    { destination: streamingCidr, port: HTTPS_PORT, description: "Streaming API to the stream pool" },
    {
      destination: "0.0.0.0/0",
      port: HTTPS_PORT,
      description: "OCI APIs (Vault, Notifications) through the service gateway or NAT",
    },
  ];
}

/** The IAM statements the application needs: its functions read their secrets; the Functions service uses the network and pulls images. */
export function functionsPolicyStatements(args: {
  dynamicGroup: string;
  compartmentId: string;
  secretIds: readonly string[];
}): string[] {
  return [
    ...args.secretIds.map(
      (id) =>
        `Allow dynamic-group ${args.dynamicGroup} to read secret-bundles in compartment id ${args.compartmentId} where target.secret.id = '${id}'`,
    ),
  ];
}

/** The Functions service's own rights: the network (for the application) and the images (for each function). */
export function faasPolicyStatements(compartmentId: string): string[] {
  return [
    `Allow service faas to use virtual-network-family in compartment id ${compartmentId}`,
    `Allow service faas to read repos in compartment id ${compartmentId}`,
  ];
}

/**
 * The OCI Functions application the pipelines' functions run in: the functions subnet (no public
 * IPs) behind an NSG that lets them reach only the database listener, the stream pool and HTTPS;
 * invocation logs on, kept as configured; a dynamic group of the compartment's functions with
 * read access to exactly their Vault secrets; the Functions service's network and image rights.
 */
export class FunctionsApplication extends pulumi.ComponentResource {
  readonly outputs: FunctionsApplicationOutputs;

  constructor(name: string, args: FunctionsApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:FunctionsApplication", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context } = args;
    const { compartmentId, namePrefix } = context;
    const tags = { freeformTags: { ...context.ociFreeformTags } };

    const nsg = new oci.core.NetworkSecurityGroup(
      `${name}-nsg`,
      { compartmentId, vcnId: args.network.vcnId, displayName: `${namePrefix}-functions`, ...tags },
      child,
    );
    functionsEgress(args.network.databaseCidr, args.network.streamingCidr).forEach((rule, i) =>
      tcpNsgRule(`${name}-egress-${i}`, this, nsg.id, "EGRESS", {
        peer: rule.destination,
        port: rule.port,
        description: rule.description,
      }),
    );
    // Its own policy, waiting for nothing: the application and its functions are created after it.
    const faasPolicy = new oci.identity.Policy(
      `${name}-faas-policy`,
      {
        compartmentId,
        name: `${namePrefix}-functions-service`,
        description: `${namePrefix}: the Functions service uses the network and pulls the compartment's images`,
        statements: faasPolicyStatements(compartmentId),
        ...tags,
      },
      child,
    );
    const application = new oci.functions.Application(
      `${name}-app`,
      {
        compartmentId,
        displayName: `${namePrefix}-pipelines`,
        subnetIds: [args.network.functionsSubnetId],
        networkSecurityGroupIds: [nsg.id],
        shape: "GENERIC_X86",
        config: {},
        ...tags,
      },
      { parent: this, dependsOn: [faasPolicy] },
    );
    const logGroup = new oci.logging.LogGroup(
      `${name}-logs`,
      {
        compartmentId,
        displayName: `${namePrefix}-functions`,
        description: `${namePrefix}: OCI Functions invocation logs`,
        ...tags,
      },
      kept(this, context, "oci:Logging/logGroup:LogGroup"),
    );
    const log = new oci.logging.Log(
      `${name}-invoke-log`,
      {
        displayName: `${namePrefix}-functions-invoke`,
        logGroupId: logGroup.id,
        logType: "SERVICE",
        isEnabled: true,
        retentionDuration: args.logRetentionDays,
        configuration: {
          compartmentId,
          source: { sourceType: "OCISERVICE", service: "functions", category: "invoke", resource: application.id },
        },
        ...tags,
      },
      child,
    );
    const dynamicGroup = new oci.identity.DynamicGroup(
      `${name}-functions-group`,
      {
        compartmentId: args.ociTenancyId,
        name: `${namePrefix}-functions`,
        description: `${namePrefix}: the pipelines' functions (resource principals)`,
        matchingRule: `ALL {resource.type = 'fnfunc', resource.compartment.id = '${compartmentId}'}`,
        ...tags,
      },
      child,
    );
    new oci.identity.Policy(
      `${name}-policy`,
      {
        compartmentId,
        name: `${namePrefix}-functions`,
        description: `${namePrefix}: the pipelines' functions read their Vault secrets`,
        statements: pulumi
          .all([dynamicGroup.name, pulumi.all([...args.readableSecretIds])])
          .apply(([group, secretIds]) => functionsPolicyStatements({ dynamicGroup: group, compartmentId, secretIds })),
        ...tags,
      },
      child,
    );
    // The Functions service attaches each invocation to the functions subnet and pulls the compartment's images.
    declareCalls(
      `${name}-faas`,
      { oci: "service faas" },
      [
        { target: "subnet", actions: ["network:AttachFunctionVnic"] },
        { target: "compartment", actions: ["artifacts:PullImage"] },
      ],
      { subnet: args.network.functionsSubnetId, compartment: compartmentId },
    );
    this.outputs = { applicationId: application.id, dynamicGroupName: dynamicGroup.name, logId: log.id };
    this.registerOutputs({ applicationId: application.id });
  }
}
