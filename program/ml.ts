import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { FeaturePipeline } from "../components/ml/featurePipeline";
import { InferenceApi } from "../components/ml/inferenceApi";
import { ModelEndpoint } from "../components/ml/modelEndpoint";
import { PlatformContext } from "../components/shared/context";
import { OpsArea } from "./ops";

export interface MlArea {
  readonly exports: Record<string, unknown>;
  /** What the overview dashboard shows of the pipeline: its functions and the endpoint. */
  readonly dashboard: {
    readonly featuresFunction: pulumi.Output<string>;
    readonly inferenceFunction: pulumi.Output<string>;
    readonly endpointName: pulumi.Output<string>;
  };
}

/** Events to features (Kinesis → Lambda → DynamoDB), the SageMaker endpoint, and the inference API. */
export function mlArea(context: PlatformContext, platform: ResolvedEnvironment, ops: OpsArea): MlArea {
  const alarmTopicArn = ops.alarms.topicArn;
  const logRetentionDays = platform.aws.logRetentionDays;
  const features = new FeaturePipeline("features", { settings: platform.ml, logRetentionDays, context, alarmTopicArn })
    .outputs;
  const model = new ModelEndpoint("model", {
    sagemaker: platform.ml.sagemaker,
    storageKeyArn: features.keyArn,
    context,
    alarmTopicArn,
  }).outputs;
  const inference = new InferenceApi("inference", {
    features,
    model,
    logRetentionDays,
    reservedConcurrency: platform.ml.reservedConcurrency?.inference,
    context,
    alarmTopicArn,
  }).outputs;
  return {
    dashboard: {
      featuresFunction: features.functionName,
      inferenceFunction: inference.functionName,
      endpointName: model.endpointName,
    },
    exports: {
      ml: {
        streamName: features.streamName,
        featureTable: features.tableName,
        failureQueueUrl: features.failureQueueUrl,
        endpointName: model.endpointName,
        inferenceUrl: inference.url,
        bundles: { features: features.bundle, inference: inference.bundle },
      },
    },
  };
}
