import { exemptRole } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../shared/iam";
import { MlSettings } from "../config/ml";
import { failAs, PlatformContext, platformOptions } from "../shared/context";
import { grantsPolicy } from "../shared/nodeFunction";
import { createAlarms } from "../shared/alarms";

export interface ModelEndpointArgs {
  /** Image, model data, instance type and count, autoscaling. */
  readonly sagemaker: MlSettings["sagemaker"];
  /**
   * Customer-managed key for the endpoint's storage volume. The program passes the ML pipeline's
   * key (FeaturePipeline's `keyArn`): one key for the pipeline's data at rest.
   */
  readonly storageKeyArn: pulumi.Input<string>;
  /** Name prefix, AWS region and providers of the stack. */
  readonly context: PlatformContext;
  /** The SNS topic every alarm notifies. */
  readonly alarmTopicArn: pulumi.Input<string>;
}

export interface ModelEndpointOutputs {
  readonly endpointName: pulumi.Output<string>;
  readonly endpointArn: pulumi.Output<string>;
}

/** The ARNs a model's execution role needs, from its image URI and model data URL. */
export function modelSources(image: string, modelDataUrl: string) {
  const [registry, repoAndTag] = [image.slice(0, image.indexOf("/")), image.slice(image.indexOf("/") + 1)];
  const [account, , , region] = registry.split(".");
  const repository = repoAndTag.split(/[:@]/)[0];
  const [bucket, ...key] = modelDataUrl.slice("s3://".length).split("/");
  return {
    repositoryArn: `arn:aws:ecr:${region}:${account}:repository/${repository}`,
    modelObjectArn: `arn:aws:s3:::${bucket}/${key.join("/")}`,
  };
}

/** SageMaker may assume the role only on behalf of this account (confused-deputy guard). */
export function sagemakerTrustPolicy(accountId: string): string {
  return serviceTrustPolicy("sagemaker.amazonaws.com", accountId);
}

/**
 * The SageMaker model, endpoint configuration (KMS-encrypted storage) and endpoint serving it;
 * in prod, target-tracking autoscaling on invocations per instance. The model's execution role
 * reads only its image repository and model object; the container runs network-isolated.
 */
export class ModelEndpoint extends pulumi.ComponentResource {
  readonly outputs: ModelEndpointOutputs;

  constructor(name: string, args: ModelEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:ml:ModelEndpoint", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const sm = args.sagemaker;
    const endpointName = `${args.context.namePrefix}-feature-model`;
    const sources = modelSources(sm.image, sm.modelDataUrl);
    const identity = aws.getCallerIdentityOutput({}, child);

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `${endpointName} model execution role`,
        assumeRolePolicy: identity.accountId.apply(sagemakerTrustPolicy),
      },
      child,
    );
    exemptRole(
      role,
      "SageMaker's execution role for the endpoint: SageMaker itself reads the model and image and writes logs",
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: identity.accountId.apply((accountId) =>
          failAs(this, () =>
            grantsPolicy([
              { actions: ["s3:GetObject"], resources: [sources.modelObjectArn] },
              {
                actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                resources: [sources.repositoryArn],
              },
              {
                actions: ["ecr:GetAuthorizationToken"],
                resources: ["*"],
                wildcardReason: "GetAuthorizationToken has no resource-level permissions",
              },
              {
                actions: [
                  "logs:CreateLogGroup",
                  "logs:CreateLogStream",
                  "logs:PutLogEvents",
                  "logs:DescribeLogStreams",
                ],
                resources: [
                  `arn:aws:logs:${args.context.awsRegion}:${accountId}:log-group:/aws/sagemaker/Endpoints/${endpointName}:*`,
                ],
              },
            ]),
          ),
        ),
      },
      child,
    );

    const model = new aws.sagemaker.Model(
      `${name}-model`,
      {
        executionRoleArn: role.arn,
        enableNetworkIsolation: true,
        primaryContainer: { image: sm.image, modelDataUrl: sm.modelDataUrl },
      },
      { parent: this, dependsOn: [rolePolicy] },
    );
    const config = new aws.sagemaker.EndpointConfiguration(
      `${name}-config`,
      {
        kmsKeyArn: args.storageKeyArn,
        productionVariants: [
          {
            variantName: "primary",
            modelName: model.name,
            initialInstanceCount: sm.instanceCount,
            instanceType: sm.instanceType,
          },
        ],
      },
      child,
    );
    const endpoint = new aws.sagemaker.Endpoint(
      `${name}-endpoint`,
      { name: endpointName, endpointConfigName: config.name },
      child,
    );

    if (sm.autoscaling) {
      const target = new aws.appautoscaling.Target(
        `${name}-scaling`,
        {
          serviceNamespace: "sagemaker",
          resourceId: pulumi.interpolate`endpoint/${endpoint.name}/variant/primary`,
          scalableDimension: "sagemaker:variant:DesiredInstanceCount",
          minCapacity: sm.autoscaling.minInstances,
          maxCapacity: sm.autoscaling.maxInstances,
        },
        child,
      );
      new aws.appautoscaling.Policy(
        `${name}-invocations`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          resourceId: target.resourceId,
          scalableDimension: target.scalableDimension,
          targetTrackingScalingPolicyConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
            targetValue: sm.autoscaling.invocationsPerInstance,
            scaleInCooldown: 300,
            scaleOutCooldown: 60,
          },
        },
        child,
      );
    }

    createAlarms(
      name,
      {
        "5xx": {
          description: "The model endpoint returned 5xx errors",
          namespace: "AWS/SageMaker",
          metricName: "Invocation5XXErrors",
          dimensions: { EndpointName: endpoint.name, VariantName: "primary" },
          statistic: "Sum",
        },
      },
      args.alarmTopicArn,
      child,
    );
    this.outputs = { endpointName: endpoint.name, endpointArn: endpoint.arn };
    this.registerOutputs(this.outputs);
  }
}
