import { declareCalls } from "../shared/access";
import * as dockerBuild from "@pulumi/docker-build";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildContextHash, contextTag } from "../shared/buildContext";
import { PlatformContext } from "../shared/context";
import { ociServiceUser } from "../shared/ociServiceUser";

const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");

/** An OCI function image's build: its folder under functions/oci, and the repository it is pushed to. */
export interface OciFunctionImageSpec {
  /** The folder under functions/oci holding the handler, Dockerfile, package.json and lock. */
  readonly folder: string;
  /** The repository's name under the stack's prefix, and the word the push user and policy are named by. */
  readonly repository: string;
  readonly label: string;
}

/** The files of functions/aws/orders a function's Dockerfile copies (the modules it shares with the order sync). */
export function sharedOrderModules(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^COPY\s+aws\/orders\/([A-Za-z0-9_.-]+\.ts)\s/gm)].map((m) => m[1]).sort();
}

/**
 * The image tag: a hash of everything the build copies — the function's folder, the shared OCI
 * function plumbing (functions/oci/common) and the modules of functions/aws/orders its Dockerfile
 * copies (read from the Dockerfile, so a file copied is a file hashed) — so the same sources give
 * the same tag and any change a new one. `root` is functions/ (tests point it at a copy).
 */
export function ociFunctionImageTag(folder: string, root = FUNCTIONS_DIR): string {
  const sources = (f: string) =>
    f === "Dockerfile" || f === "package.json" || f === "package-lock.json" || f.endsWith(".ts");
  const own = buildContextHash(path.join(root, "oci", folder), sources);
  const common = buildContextHash(path.join(root, "oci", "common"), (f) => f.endsWith(".ts"));
  const copied = sharedOrderModules(readFileSync(path.join(root, "oci", folder, "Dockerfile"), "utf8"));
  const shared = buildContextHash(path.join(root, "aws", "orders"), (f) => copied.includes(f));
  return contextTag(createHash("sha256").update(`${own}\0${common}\0${shared}`).digest("hex"));
}

export interface OciFunctionImage {
  /** The image by tag (what a function's `image` names) and by digest (what it runs). */
  readonly image: pulumi.Output<string>;
  readonly digest: pulumi.Output<string>;
  readonly imageRef: pulumi.Output<string>;
  readonly tag: string;
}

/**
 * An OCI function's image, built from this repo (`functions/` is the context) and pushed at
 * `pulumi up` into an immutable private OCIR repository by a user that may only push there (auth
 * tokens only; the token Pulumi creates is kept secret). Resources are `${name}-repository`,
 * `${name}-push-*`, `${name}-pusher*` and `${name}-image`, children of `parent`.
 */
export function ociFunctionImage(
  parent: pulumi.Resource,
  name: string,
  spec: OciFunctionImageSpec,
  args: { ociRegion: string; ociTenancyId: pulumi.Input<string>; context: PlatformContext },
): OciFunctionImage {
  const child = { parent };
  const { compartmentId, namePrefix } = args.context;
  const tags = { freeformTags: { ...args.context.ociFreeformTags } };
  const repositoryName = `${namePrefix}/${spec.repository}`;
  const repository = new oci.artifacts.ContainerRepository(
    `${name}-repository`,
    { compartmentId, displayName: repositoryName, isImmutable: true, isPublic: false, ...tags },
    child,
  );
  const namespace = oci.objectstorage.getNamespaceOutput({ compartmentId }, child).namespace;

  // The push identity: auth tokens only, in a group that may manage this repository's images and nothing else.
  const pushGroup = new oci.identity.Group(
    `${name}-push-group`,
    {
      compartmentId: args.ociTenancyId,
      name: `${namePrefix}-${spec.label}-push`,
      description: `${namePrefix}: may push to ${repositoryName}`,
      ...tags,
    },
    child,
  );
  const { user: pusher, membership } = ociServiceUser(parent, {
    resourceName: `${name}-pusher`,
    membershipName: `${name}-push-membership`,
    tenancyId: args.ociTenancyId,
    name: `${namePrefix}-${spec.label}-push`,
    description: `${namePrefix}: pushes the ${spec.label} function's image`,
    groupId: pushGroup.id,
    credential: "authTokens",
    freeformTags: args.context.ociFreeformTags,
  });
  const pushPolicy = new oci.identity.Policy(
    `${name}-push-policy`,
    {
      compartmentId,
      name: `${namePrefix}-${spec.label}-push`,
      description: `${namePrefix}: the push user manages ${repositoryName}'s images only`,
      statements: [
        pulumi.interpolate`Allow group ${pushGroup.name} to manage repos in compartment id ${compartmentId} where target.repo.name = '${repositoryName}'`,
      ],
      ...tags,
    },
    child,
  );
  declareCalls(
    `${name}-push`,
    { oci: pulumi.interpolate`group ${pushGroup.name}` },
    [{ target: "repository", actions: ["artifacts:PushImage"] }],
    { repository },
  );
  const token = new oci.identity.AuthToken(
    `${name}-push-token`,
    { userId: pusher.id, description: `${namePrefix} ${spec.label} image push` },
    { parent, additionalSecretOutputs: ["token"] },
  );

  const tag = ociFunctionImageTag(spec.folder);
  const host = `${args.ociRegion}.ocir.io`;
  const image = pulumi.interpolate`${host}/${namespace}/${repositoryName}:${tag}`;
  const built = new dockerBuild.Image(
    `${name}-image`,
    {
      context: { location: "functions" },
      dockerfile: { location: `functions/oci/${spec.folder}/Dockerfile` },
      platforms: ["linux/amd64"],
      push: true,
      tags: [image],
      registries: [
        {
          address: host,
          username: pulumi.interpolate`${namespace}/${pusher.name}`,
          password: pulumi.secret(token.token),
        },
      ],
    },
    // The push needs the repository, and the pusher in the group the push policy names.
    { parent, dependsOn: [pushPolicy, repository, membership] },
  );
  return {
    image,
    digest: built.digest,
    imageRef: pulumi.interpolate`${host}/${namespace}/${repositoryName}@${built.digest}`,
    tag,
  };
}

/** Connector Hub's rights, and only for connectors of this compartment: read the one stream, invoke the compartment's functions. */
export function connectorPolicyStatements(compartmentId: string, streamId: string): string[] {
  const connector = `request.principal.type = 'serviceconnector', request.principal.compartment.id = '${compartmentId}'`;
  return [
    `Allow any-user to {STREAM_READ, STREAM_CONSUME} in compartment id ${compartmentId} where all {${connector}, target.stream.id = '${streamId}'}`,
    `Allow any-user to use fn-function in compartment id ${compartmentId} where all {${connector}}`,
    `Allow any-user to use fn-invocation in compartment id ${compartmentId} where all {${connector}}`,
  ];
}

/**
 * Connector Hub delivering a stream to a function in batches (from the stream's start), with the
 * compartment-scoped policy that admits exactly that: `${name}-connector-policy` and `${name}-connector`.
 */
export function streamToFunction(
  parent: pulumi.Resource,
  name: string,
  args: {
    streamId: pulumi.Input<string>;
    functionId: pulumi.Input<string>;
    label: string;
    description: string;
    batchSize: number;
    batchSeconds: number;
    context: PlatformContext;
  },
): oci.sch.Connector {
  const { compartmentId, namePrefix } = args.context;
  const tags = { freeformTags: { ...args.context.ociFreeformTags } };
  const policy = new oci.identity.Policy(
    `${name}-connector-policy`,
    {
      compartmentId,
      name: `${namePrefix}-${args.label}-connector`,
      description: `${namePrefix}: Connector Hub reads the ${args.label} stream and invokes the compartment's functions`,
      statements: pulumi.output(args.streamId).apply((streamId) => connectorPolicyStatements(compartmentId, streamId)),
      ...tags,
    },
    { parent },
  );
  declareCalls(
    `${name}-connector`,
    { oci: "any-user", principalType: "serviceconnector", principalCompartmentId: compartmentId },
    [
      { target: "stream", actions: ["streaming:GetMessages", "streaming:ConsumeGroup"] },
      { target: "function", actions: ["functions:UseAsConnectorTarget", "functions:InvokeFunction"] },
    ],
    { stream: args.streamId, function: args.functionId },
  );
  return new oci.sch.Connector(
    `${name}-connector`,
    {
      compartmentId,
      displayName: `${namePrefix}-${args.label}-events`,
      description: `${namePrefix}: ${args.description}`,
      source: { kind: "streaming", streamId: args.streamId, cursor: { kind: "TRIM_HORIZON" } },
      target: {
        kind: "functions",
        functionId: args.functionId,
        batchSizeInNum: args.batchSize,
        batchTimeInSec: args.batchSeconds,
      },
      state: "ACTIVE",
      ...tags,
    },
    { parent, dependsOn: [policy] },
  );
}
