import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NodeFunction } from "../shared/nodeFunction";
import { createAlarms } from "../shared/alarms";

export interface InferenceApiArgs {
  readonly tableName: pulumi.Input<string>;
  readonly tableArn: pulumi.Input<string>;
  /** Key the feature table is encrypted with (reading needs kms:Decrypt). */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly endpointName: pulumi.Input<string>;
  readonly endpointArn: pulumi.Input<string>;
  readonly namePrefix: string;
  readonly logRetentionDays: number;
  /** The SNS topic every alarm notifies. */
  readonly alarmTopicArn: pulumi.Input<string>;
}

/** Deadlines from the inside out: the model call, the function, the API integration (API Gateway allows 30 s). */
export const INFERENCE_TIMEOUTS = { modelMs: 5_000, functionSeconds: 8, integrationMs: 10_000 } as const;

/**
 * `POST /predict` on an HTTP API (IAM-authorized: callers are this account's workloads) in front of
 * the inference Lambda, which reads the user's features and invokes the model endpoint. Access
 * logs, throttling, and an alarm on function errors.
 */
export class InferenceApi extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly handler: NodeFunction;

  constructor(name: string, args: InferenceApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:ml:InferenceApi", name, {}, opts);
    const child = { parent: this };

    this.handler = new NodeFunction(
      `${name}-handler`,
      {
        entry: "functions/aws/inference/handler.ts",
        functionName: `${args.namePrefix}-inference`,
        description: "Reads a user's features and asks the model",
        timeoutSeconds: INFERENCE_TIMEOUTS.functionSeconds,
        logRetentionDays: args.logRetentionDays,
        environment: { FEATURE_TABLE: args.tableName, ENDPOINT_NAME: args.endpointName, MODEL_TIMEOUT_MS: String(INFERENCE_TIMEOUTS.modelMs) },
        grants: [
          { actions: ["dynamodb:GetItem"], resources: [args.tableArn] },
          { actions: ["kms:Decrypt"], resources: [args.kmsKeyArn] },
          { actions: ["sagemaker:InvokeEndpoint"], resources: [args.endpointArn] },
        ],
      },
      child,
    );

    const api = new aws.apigatewayv2.Api(`${name}-api`, { name: `${args.namePrefix}-inference`, protocolType: "HTTP" }, child);
    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: this.handler.function.arn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: INFERENCE_TIMEOUTS.integrationMs,
      },
      child,
    );
    new aws.apigatewayv2.Route(
      `${name}-predict`,
      { apiId: api.id, routeKey: "POST /predict", target: pulumi.interpolate`integrations/${integration.id}`, authorizationType: "AWS_IAM" },
      child,
    );
    const accessLogs = new aws.cloudwatch.LogGroup(`${name}-access`, { name: `/aws/apigateway/${args.namePrefix}-inference`, retentionInDays: args.logRetentionDays }, child);
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: { throttlingBurstLimit: 100, throttlingRateLimit: 50 },
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          format: JSON.stringify({ requestId: "$context.requestId", route: "$context.routeKey", status: "$context.status", latencyMs: "$context.responseLatency", caller: "$context.identity.caller" }),
        },
      },
      child,
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      { action: "lambda:InvokeFunction", function: this.handler.function.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*/*` },
      child,
    );
    createAlarms(
      name,
      { errors: { description: "Inference Lambda invocations failed", namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: this.handler.function.name }, statistic: "Sum" } },
      args.alarmTopicArn,
      child,
    );
    this.url = pulumi.interpolate`${stage.invokeUrl}predict`;
    this.registerOutputs({ url: this.url });
  }
}
