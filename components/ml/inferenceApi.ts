import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  INFERENCE_CALLS,
  INFERENCE_ENV,
  INFERENCE_ROUTE,
  INFERENCE_TIMEOUTS,
} from "../../functions/aws/inference/contract";
import { createAlarms } from "../shared/alarms";
import { awsContext, encryptedLogGroup } from "../shared/kms";
import { PlatformContext, platformOptions } from "../shared/context";
import { NodeFunction, NodeFunctionOutputs } from "../shared/nodeFunction";
import { FeaturePipelineOutputs } from "./featurePipeline";
import { ModelEndpointOutputs } from "./modelEndpoint";

export interface InferenceApiArgs {
  /** The feature table and the key it is encrypted with (reading needs kms:Decrypt). */
  readonly features: Pick<FeaturePipelineOutputs, "tableName" | "tableArn" | "keyArn">;
  /** The model endpoint the function asks. */
  readonly model: ModelEndpointOutputs;
  /** Log retention (days) of the function's and the API's log groups. */
  readonly logRetentionDays: number;
  /** Concurrent executions reserved for the function (multicloud:ml.reservedConcurrency.inference); unset reserves none. */
  readonly reservedConcurrency?: number;
  /** Name prefix and providers of the stack. */
  readonly context: PlatformContext;
  /** The SNS topic every alarm notifies. */
  readonly alarmTopicArn: pulumi.Input<string>;
}

export interface InferenceApiOutputs {
  /** `POST` here with SigV4 (IAM auth). */
  readonly url: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly bundle: NodeFunctionOutputs["bundle"];
}

/**
 * `POST /predict` on an HTTP API (IAM-authorized: callers are this account's workloads) in front of
 * the inference Lambda, which reads the user's features and invokes the model endpoint. Access
 * logs, throttling, and an alarm on function errors.
 */
export class InferenceApi extends pulumi.ComponentResource {
  readonly outputs: InferenceApiOutputs;

  constructor(name: string, args: InferenceApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:ml:InferenceApi", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { namePrefix } = args.context;

    const handler = new NodeFunction(
      `${name}-handler`,
      {
        entry: "functions/aws/inference/handler.ts",
        functionName: `${namePrefix}-inference`,
        description: "Reads a user's features and asks the model",
        timeoutSeconds: INFERENCE_TIMEOUTS.functionSeconds,
        logRetentionDays: args.logRetentionDays,
        isProduction: args.context.isProduction,
        reservedConcurrency: args.reservedConcurrency,
        keyAdministratorArns: args.context.keyAdministratorArns,
        environment: {
          [INFERENCE_ENV.table]: args.features.tableName,
          [INFERENCE_ENV.endpoint]: args.model.endpointName,
          [INFERENCE_ENV.modelTimeoutMs]: String(INFERENCE_TIMEOUTS.modelMs),
        },
        calls: {
          declarations: INFERENCE_CALLS,
          targets: { features: args.features.tableArn, endpoint: args.model.endpointArn },
        },
        grants: [
          { actions: ["dynamodb:GetItem"], resources: [args.features.tableArn] },
          { actions: ["kms:Decrypt"], resources: [args.features.keyArn] },
          { actions: ["sagemaker:InvokeEndpoint"], resources: [args.model.endpointArn] },
        ],
      },
      child,
    );

    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { name: `${namePrefix}-inference`, protocolType: "HTTP" },
      child,
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: handler.outputs.functionArn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: INFERENCE_TIMEOUTS.integrationMs,
      },
      child,
    );
    new aws.apigatewayv2.Route(
      `${name}-predict`,
      {
        apiId: api.id,
        routeKey: INFERENCE_ROUTE,
        target: pulumi.interpolate`integrations/${integration.id}`,
        authorizationType: "AWS_IAM",
      },
      child,
    );
    const accessLogName = `/aws/apigateway/${namePrefix}-inference`;
    const accessLogs = encryptedLogGroup(`${name}-access`, this, {
      logGroupName: accessLogName,
      description: `${namePrefix} inference API access logs`,
      retentionDays: args.logRetentionDays,
      keyAdministratorArns: args.context.keyAdministratorArns,
      isProduction: args.context.isProduction,
      ctx: awsContext(child),
    });
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: { throttlingBurstLimit: 100, throttlingRateLimit: 50 },
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          format: JSON.stringify({
            requestId: "$context.requestId",
            route: "$context.routeKey",
            status: "$context.status",
            latencyMs: "$context.responseLatency",
            caller: "$context.identity.caller",
          }),
        },
      },
      child,
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: handler.outputs.functionName,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
      },
      child,
    );
    createAlarms(
      name,
      {
        errors: {
          description: "Inference Lambda invocations failed",
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: handler.outputs.functionName },
          statistic: "Sum",
        },
      },
      args.alarmTopicArn,
      child,
    );
    this.outputs = {
      url: pulumi.interpolate`${stage.invokeUrl}predict`,
      functionName: handler.outputs.functionName,
      bundle: handler.outputs.bundle,
    };
    this.registerOutputs(this.outputs);
  }
}
