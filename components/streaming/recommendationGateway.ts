import { declareCalls } from "../shared/access";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { RECOMMEND_API } from "../../functions/oci/recommend/contract";
import { RecommendationsSettings } from "../config/recommendations";
import { PlatformContext, platformOptions } from "../shared/context";
import { tcpNsgRule } from "../shared/ociNsg";
import { HTTPS_PORT } from "../shared/ports";
import { kept } from "../shared/protection";

export interface RecommendationGatewayArgs {
  /** Private (the functions subnet) or public (a given public subnet and its callers), and the token it checks (multicloud:recommendations). */
  readonly settings: Pick<RecommendationsSettings, "gateway" | "auth">;
  /** The VCN (the NSG's) and the functions subnet a private gateway runs in. */
  readonly network: { readonly vcnId: pulumi.Input<string>; readonly functionsSubnetId: pulumi.Input<string> };
  /** Who may call a private gateway: the AWS private subnets, across the interconnect. */
  readonly awsPrivateCidrs: readonly string[];
  /** The API function the routes invoke. */
  readonly apiFunctionId: pulumi.Input<string>;
  /** Days the access and execution logs are kept (30–180, in 30-day steps). */
  readonly logRetentionDays: number;
  readonly context: PlatformContext;
}

export interface RecommendationGatewayOutputs {
  readonly gatewayId: pulumi.Output<string>;
  readonly deploymentId: pulumi.Output<string>;
  /** The API's base URL: GET <endpoint>/recommendations, PUT <endpoint>/items. */
  readonly endpoint: pulumi.Output<string>;
}

/** The deployment's path prefix: the API's version in its URL. */
export const RECOMMEND_PATH_PREFIX = "/recommend/v1";

/** Requests per second one client address may make (API Gateway answers 429 beyond it). */
export const RATE_LIMIT_PER_CLIENT = 50;

/** Who may reach the gateway on 443: the AWS private subnets (private), or the configured public callers. */
export function gatewayCallers(
  gateway: RecommendationsSettings["gateway"],
  awsPrivateCidrs: readonly string[],
): string[] {
  return gateway.access === "public" ? [...(gateway.allowedCidrs ?? [])] : [...awsPrivateCidrs];
}

/**
 * The deployment's specification: every request carries a bearer JWT the gateway validates
 * (issuer, audience, signature against the issuer's JWKS, expiry with a minute's skew) before the
 * function runs; GET /recommendations needs the read scope when one is configured, and gets the
 * token's subject in RECOMMEND_API.userHeader (overwriting whatever the caller sent); PUT /items
 * needs the catalogue scope; a rate limit per client address.
 */
export function gatewaySpecification(
  auth: RecommendationsSettings["auth"],
  apiFunctionId: string,
): oci.types.input.ApiGateway.DeploymentSpecification {
  const backend = { type: "ORACLE_FUNCTIONS_BACKEND", functionId: apiFunctionId };
  return {
    requestPolicies: {
      authentication: {
        type: "JWT_AUTHENTICATION",
        tokenHeader: "Authorization",
        tokenAuthScheme: "Bearer",
        isAnonymousAccessAllowed: false,
        issuers: [auth.issuer],
        audiences: [...auth.audiences],
        maxClockSkewInSeconds: 60,
        publicKeys: { type: "REMOTE_JWKS", uri: auth.jwksUri, maxCacheDurationInHours: 1 },
      },
      rateLimiting: { rateKey: "CLIENT_IP", rateInRequestsPerSecond: RATE_LIMIT_PER_CLIENT },
    },
    routes: [
      {
        path: RECOMMEND_API.recommendationsPath,
        methods: ["GET"],
        backend,
        requestPolicies: {
          authorization: auth.readScope
            ? { type: "ANY_OF", allowedScopes: [auth.readScope] }
            : { type: "AUTHENTICATION_ONLY" },
          headerTransformations: {
            setHeaders: {
              items: [{ name: RECOMMEND_API.userHeader, values: ["${request.auth[sub]}"], ifExists: "OVERWRITE" }],
            },
          },
        },
      },
      {
        path: RECOMMEND_API.itemsPath,
        methods: ["PUT"],
        backend,
        requestPolicies: { authorization: { type: "ANY_OF", allowedScopes: [auth.catalogScope] } },
      },
    ],
  };
}

/**
 * OCI API Gateway in front of the recommendation API: private in the functions subnet by default
 * (callers from the AWS private subnets over the interconnect), public only in the public subnet
 * config names and only for the callers it lists; an NSG with 443 from those callers and 443 out
 * to the Functions service; a deployment whose every route needs a valid JWT
 * (gatewaySpecification); access and execution logs in OCI Logging; and the policy that lets the
 * compartment's gateways invoke its functions.
 */
export class RecommendationGateway extends pulumi.ComponentResource {
  readonly outputs: RecommendationGatewayOutputs;

  constructor(name: string, args: RecommendationGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:RecommendationGateway", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context, settings } = args;
    const { compartmentId, namePrefix } = context;
    const tags = { freeformTags: { ...context.ociFreeformTags } };
    const isPublic = settings.gateway.access === "public";

    const nsg = new oci.core.NetworkSecurityGroup(
      `${name}-nsg`,
      { compartmentId, vcnId: args.network.vcnId, displayName: `${namePrefix}-recommend-gateway`, ...tags },
      child,
    );
    gatewayCallers(settings.gateway, args.awsPrivateCidrs).forEach((cidr, i) =>
      tcpNsgRule(`${name}-ingress-${i}`, this, nsg.id, "INGRESS", {
        peer: cidr,
        port: HTTPS_PORT,
        description: isPublic ? `HTTPS from public caller ${i + 1}` : `HTTPS from AWS private subnet ${i + 1}`,
      }),
    );
    tcpNsgRule(`${name}-egress-functions`, this, nsg.id, "EGRESS", {
      peer: "0.0.0.0/0",
      port: HTTPS_PORT,
      description: "HTTPS to the Functions service (invocations)",
    });

    const policy = new oci.identity.Policy(
      `${name}-invoke-policy`,
      {
        compartmentId,
        name: `${namePrefix}-recommend-gateway`,
        description: `${namePrefix}: the compartment's API gateways may invoke its functions`,
        statements: [
          `Allow any-user to use functions-family in compartment id ${compartmentId} where all {request.principal.type = 'ApiGateway', request.resource.compartment.id = '${compartmentId}'}`,
        ],
        ...tags,
      },
      child,
    );
    declareCalls(
      `${name}-gateway`,
      { oci: "any-user", principalType: "ApiGateway", principalCompartmentId: compartmentId },
      [{ target: "function", actions: ["functions:InvokeFunction"] }],
      { function: args.apiFunctionId },
    );
    const gateway = new oci.apigateway.Gateway(
      `${name}-gateway`,
      {
        compartmentId,
        displayName: `${namePrefix}-recommend`,
        endpointType: isPublic ? "PUBLIC" : "PRIVATE",
        subnetId: isPublic ? settings.gateway.publicSubnetId! : args.network.functionsSubnetId,
        networkSecurityGroupIds: [nsg.id],
        ...tags,
      },
      child,
    );
    const deployment = new oci.apigateway.Deployment(
      `${name}-deployment`,
      {
        compartmentId,
        gatewayId: gateway.id,
        displayName: `${namePrefix}-recommend-v1`,
        pathPrefix: RECOMMEND_PATH_PREFIX,
        specification: pulumi.output(args.apiFunctionId).apply((fnId) => gatewaySpecification(settings.auth, fnId)),
        ...tags,
      },
      { parent: this, dependsOn: [policy] },
    );
    const logGroup = new oci.logging.LogGroup(
      `${name}-logs`,
      {
        compartmentId,
        displayName: `${namePrefix}-recommend-gateway`,
        description: `${namePrefix}: the recommendation API's gateway logs`,
        ...tags,
      },
      kept(this, context, "oci:Logging/logGroup:LogGroup"),
    );
    for (const category of ["access", "execution"] as const) {
      new oci.logging.Log(
        `${name}-${category}-log`,
        {
          displayName: `${namePrefix}-recommend-${category}`,
          logGroupId: logGroup.id,
          logType: "SERVICE",
          isEnabled: true,
          retentionDuration: args.logRetentionDays,
          configuration: {
            compartmentId,
            source: { sourceType: "OCISERVICE", service: "apigateway", category, resource: deployment.id },
          },
          ...tags,
        },
        child,
      );
    }
    this.outputs = { gatewayId: gateway.id, deploymentId: deployment.id, endpoint: deployment.endpoint };
    this.registerOutputs({ gatewayId: gateway.id, deploymentId: deployment.id, endpoint: deployment.endpoint });
  }
}
