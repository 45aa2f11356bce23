import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import path from "node:path";
import { inBuildContext, ORDERS_BUILD_CONTEXT } from "../../functions/aws/orders/contract";
import { IMAGE_PULL_ACTIONS } from "../shared/iam";
import { EndpointUse } from "../network/endpoints";
import { buildContextHash, contextTag } from "../shared/buildContext";
import { REPO_ROOT } from "../shared/functionBundle";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, rotatingKey } from "../shared/kms";
import { kept } from "../shared/protection";

export interface OrderImageArgs {
  /** Name prefix, providers, key administrators and production rules of the stack. */
  readonly context: PlatformContext;
}

export interface OrderImageOutputs {
  readonly repositoryUrl: pulumi.Output<string>;
  readonly repositoryArn: pulumi.Output<string>;
  /** The tag: a hash of the build context. */
  readonly tag: string;
  /** The pushed image by digest (`<repository>@sha256:…`): what the Deployment runs. */
  readonly imageUri: pulumi.Output<string>;
  /** The nodes pull it through the ECR registry endpoint. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

/** Images kept in the repository (older ones expire; a rollback reaches this far back). */
export const IMAGES_KEPT = 30;

/** The repository's lifecycle: keep the newest IMAGES_KEPT images. */
export function lifecyclePolicy(): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `keep the newest ${IMAGES_KEPT} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: IMAGES_KEPT },
        action: { type: "expire" },
      },
    ],
  });
}

/** A digest-pinned image reference, or an error naming what came back instead. */
export function requireDigest(imageUri: string): string {
  if (!/@sha256:[0-9a-f]{64}$/.test(imageUri))
    throw new Error(`the image build returned ${imageUri}, not a digest reference (<repository>@sha256:<64 hex>)`);
  return imageUri;
}

/**
 * The order service's image: an ECR repository (scan on push, immutable tags, lifecycle, its own
 * rotating key) and the image built from functions/aws/orders and pushed at `pulumi up`, tagged
 * by the hash of its build context and handed on by digest.
 */
export class OrderImage extends pulumi.ComponentResource {
  readonly outputs: OrderImageOutputs;

  constructor(name: string, args: OrderImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:orders:OrderImage", name, {}, platformOptions(args.context, opts));
    const { context } = args;
    const child = { parent: this };
    const ctx = awsContext(child);
    const key = rotatingKey(
      `${name}-repository`,
      `${context.namePrefix} order service images`,
      ctx,
      kept(this, context, "aws:kms/key:Key"),
      () => ({
        administratorArns: context.keyAdministratorArns,
        viaServices: ["ecr"],
      }),
    );
    const repository = new aws.ecr.Repository(
      `${name}-repository`,
      {
        name: `${context.namePrefix}/orders`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
        forceDelete: false,
      },
      kept(this, context, "aws:ecr/repository:Repository"),
    );
    new aws.ecr.LifecyclePolicy(`${name}-lifecycle`, { repository: repository.name, policy: lifecyclePolicy() }, child);

    const tag = contextTag(buildContextHash(ORDERS_BUILD_CONTEXT, inBuildContext));
    // Relative to the project directory (where Pulumi runs the program): an absolute path would put
    // the checkout's location into the state, and every other checkout would see a change to build.
    const buildContext = path.relative(REPO_ROOT, ORDERS_BUILD_CONTEXT);
    const image = new awsx.ecr.Image(
      `${name}-image`,
      {
        repositoryUrl: repository.repositoryUrl,
        context: buildContext,
        dockerfile: path.join(buildContext, "Dockerfile"),
        platform: "linux/amd64",
        imageTag: tag,
      },
      child,
    );
    this.outputs = {
      repositoryUrl: repository.repositoryUrl,
      repositoryArn: repository.arn,
      tag,
      imageUri: image.imageUri.apply((uri) => requireDigest(uri)),
      endpointUses: repository.arn.apply((arn): EndpointUse[] => [
        { service: "ecr.dkr", by: "orderImagePulls", actions: [...IMAGE_PULL_ACTIONS], resources: [arn] },
      ]),
    };
    this.registerOutputs({ repositoryUrl: repository.repositoryUrl, imageUri: this.outputs.imageUri });
  }
}
