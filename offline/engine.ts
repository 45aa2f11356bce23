/**
 * The offline engine: runs the Pulumi program under mocks with a model of what AWS and OCI
 * compute, and records every registration as the engine would see it (type, name, parent,
 * provider, dependencies, protect, ignoreChanges, inputs with secrets marked, computed state).
 *
 * Options come from the real RegisterResource RPC the SDK sends (captured by wrapping the mock
 * monitor), not from a transformation, so they are exactly what `pulumi up` would send.
 */
import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { hexId, ocidSuffix } from "./ids";
import { refusals } from "./cloudRules";
import {
  INVOKE_MODELS,
  KnownResource,
  ModelFacts,
  ModelInput,
  ociRegionKey,
  REMOTE_COMPONENT_MODELS,
  RESOURCE_MODELS,
} from "./models";
import { unwrapSecrets } from "./secrets";
import { orgStackReference } from "../components/config/org";
import { ORG_ENVIRONMENT } from "../components/shared/environments";
import {
  DeclaredCall,
  ExemptRole,
  resetDeclaredCalls,
  resolveTargets,
  takeDeclaredCalls,
} from "../components/shared/access";
import { tagFieldOf } from "../policy/taggable";
import { loadStackConfig, stackNames } from "./stacks";
import { orderingProblems } from "./orderingRules";
import type { RecordedResource } from "./recorded";

export type { RecordedResource };

export interface RunResult {
  readonly project: string;
  readonly stack: string;
  /** The `<project>:environment` the stack's config names (what production rules key on). */
  readonly environment?: string;
  readonly resources: RecordedResource[];
  /** Stack outputs, secrets still wrapped. */
  readonly rawOutputs: Record<string, unknown>;
  /** Stack outputs with secrets unwrapped. */
  readonly outputs: Record<string, unknown>;
  readonly secretOutputPaths: readonly string[];
  /** The program's failure, when it failed (config errors land here). */
  readonly error?: Error;
  /** The runtime calls the program declared (components/shared/access.ts), and the roles exempt from measuring. */
  readonly access: { readonly calls: readonly DeclaredCall[]; readonly exempt: readonly ExemptRole[] };
}

export interface RunOptions {
  readonly project?: string;
  readonly stack: string;
  /** Full keys (`multicloud:aws`, `pulumi:disable-default-providers`) to raw string values. */
  readonly config: Record<string, string>;
  readonly secretKeys?: readonly string[];
  /** The program; defaults to the repository's index.ts. */
  readonly program?: () => Promise<unknown>;
  /** Simulate `pulumi preview` (isDryRun true). */
  readonly preview?: boolean;
  /**
   * Outputs of the stacks StackReferences name, by fully qualified name. By default the engine
   * first runs the stacks this stack's config references (the org stack) from their stack files.
   */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

type Callback = (err: unknown, response: unknown) => void;
interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getProtect(): boolean;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getImportid(): string;
  getIgnorechangesList(): string[];
  getAliasesList(): AliasMessage[];
  getObject(): unknown;
}
interface AliasMessage {
  getUrn(): string;
  hasSpec(): boolean;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}
interface MonitorResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface WrappableMonitor {
  invoke(req: { getTok(): string }, callback: Callback): Promise<void>;
  registerResource(req: MonitorRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): Parameters<typeof deserializeProperties>[0] },
    callback: Callback,
  ): void;
  readResource(
    req: { getType(): string; getName(): string; getParent(): string; getId(): string },
    callback: Callback,
  ): Promise<void>;
}

/** The type part of a URN (`parentType$type`), which children carry as their own prefix. */
function qualifiedTypeOf(urn: string): string {
  const parts = urn.split("::");
  // The root stack is never part of a child's type chain (the SDK's mock URNs include it; the engine's do not).
  return (parts[2] ?? "").replace(/^pulumi:pulumi:Stack\$/, "");
}

/**
 * The URN an alias names: a full URN as given, or a spec (name, type, parent, stack, project),
 * each part defaulting to the resource's own, computed as the engine does.
 */
export function aliasUrn(
  alias: AliasMessage,
  resource: { urn: string; type: string; name: string; parent?: string },
  stackUrn?: string,
): string {
  if (!alias.hasSpec()) return alias.getUrn();
  const spec = alias.getSpec();
  const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(resource.urn) ?? [];
  const parent = spec?.getNoparent() ? undefined : spec?.getParenturn() || resource.parent;
  const type = spec?.getType() || resource.type;
  const prefix = parent && parent !== stackUrn ? `${qualifiedTypeOf(parent)}$` : "";
  return `urn:pulumi:${spec?.getStack() || stack}::${spec?.getProject() || project}::${prefix}${type}::${spec?.getName() || resource.name}`;
}

/** The account id the engine reports for a stack (12 digits, stable per stack). */
export function accountIdFor(stack: string): string {
  return String(parseInt(hexId(10, "account", stack), 16))
    .padStart(12, "1")
    .slice(-12);
}

/**
 * Waits until every outstanding RPC (outputs resolving after the program returned) has finished.
 * The SDK exports it at runtime but not in its typings.
 */
const waitForRPCs = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

/** A provider's default tags; the engine sends provider inputs JSON-encoded, as the CLI does. */
function defaultTagsOf(providerInputs: Record<string, unknown> | undefined): Record<string, string> {
  const raw = providerInputs?.defaultTags;
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { tags?: Record<string, string> } | undefined;
  return parsed?.tags ?? {};
}

function providerIdOf(reference: string): string {
  return reference.slice(reference.lastIndexOf("::") + 2);
}

function providerUrnOf(reference: string): string {
  return reference.slice(0, reference.lastIndexOf("::"));
}

/** Runs one stack's program on the offline engine. One run at a time per process. */
export async function runProgram(options: RunOptions): Promise<RunResult> {
  // Pulumi reads `new Error().stack` for every promise and resource it makes; mapping each through
  // tsx's source maps took about 2 s of a dev plan, and nothing offline reads them. V8 formats a
  // stack when it is first read, so an error read after the run is mapped as usual.
  const mapped = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return await runProgramUnmapped(options);
  } finally {
    process.setSourceMapsEnabled(mapped);
  }
}

async function runProgramUnmapped(options: RunOptions): Promise<RunResult> {
  const project = options.project ?? "multicloud";
  const { stack } = options;
  // Referenced stacks run first: one run at a time, and this one has not started yet.
  const stackOutputs = options.stackOutputs ?? (await referencedStackOutputs(project, options.config));
  const awsAccountId = accountIdFor(stack);
  const providersById = new Map<string, { type: string; inputs: Record<string, unknown> }>();
  const pending = new Map<
    string,
    {
      inputs: Record<string, unknown>;
      rawInputs: Record<string, unknown>;
      secretPaths: string[];
      state: Record<string, unknown>;
    }
  >();
  const resources: RecordedResource[] = [];
  let rawOutputs: Record<string, unknown> = {};
  // Failures inside a registration or invoke never reach the program's promise under mocks;
  // the real engine would fail the update, so the run fails with the first of them.
  const failures: Error[] = [];
  let signalFailure: () => void = () => undefined;
  // Settles on the first failure: after one, the stack's outputs may never resolve.
  const firstFailure = new Promise<void>((resolve) => (signalFailure = resolve));
  const failed = (err: unknown) => {
    failures.push(err instanceof Error ? err : new Error(String(err)));
    signalFailure();
  };

  const knownById = new Map<string, KnownResource>();
  const byId = (id: unknown) => (typeof id === "string" ? knownById.get(id) : undefined);
  const factsFor = (providerReference: string | undefined): ModelFacts => {
    const provider = providerReference ? providersById.get(providerIdOf(providerReference)) : undefined;
    const awsRegion = provider?.type === "pulumi:providers:aws" ? String(provider.inputs.region ?? "") : "";
    const ociRegion = provider?.type === "pulumi:providers:oci" ? String(provider.inputs.region ?? "") : "";
    return {
      aws: { region: awsRegion, accountId: awsAccountId, partition: "aws" },
      oci: {
        region: ociRegion,
        regionKey: ociRegion ? ociRegionKey(ociRegion) : "",
        tenancyId: `ocid1.tenancy.oc1..${ocidSuffix("tenancy", stack)}`,
        namespace: `ns${hexId(10, "namespace", stack)}`,
      },
      byId,
      stackOutputs,
      registered: () => [...knownById.values()],
      preview: options.preview === true,
    };
  };

  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const unwrapped = unwrapSecrets(args.inputs ?? {});
      const inputs = unwrapped.value as Record<string, unknown>;
      const key = `${args.type}::${args.name}`;
      if (pending.has(key) || resources.some((r) => r.type === args.type && r.name === args.name)) {
        throw new Error(
          `offline engine: two resources of type ${args.type} are named "${args.name}"; names must be unique`,
        );
      }
      let id: string | undefined;
      let computed: Record<string, unknown> = {};
      if (args.custom) {
        const model = RESOURCE_MODELS[args.type];
        if (!model) {
          throw new Error(`offline engine: no model for resource type ${args.type}; add one in offline/models.ts`);
        }
        const facts = factsFor(args.provider);
        if (args.type.startsWith("aws:") && !facts.aws.region) {
          throw new Error(`offline engine: ${args.type} "${args.name}" has no explicit aws provider`);
        }
        if (args.type.startsWith("oci:") && !facts.oci.region) {
          throw new Error(`offline engine: ${args.type} "${args.name}" has no explicit oci provider`);
        }
        const modelInput: ModelInput = { type: args.type, name: args.name, inputs, ...facts };
        const refused = refusals(modelInput);
        if (refused.length)
          throw new Error(
            `offline engine: ${args.type} "${args.name}": the cloud would refuse it:\n  - ${refused.join("\n  - ")}`,
          );
        const result = model(modelInput);
        // A preview knows a new resource's inputs only: its id and every computed output stay unknown until `up`
        // (providers keep their ids: the engine needs them to find each resource's region).
        const previewing = options.preview === true && !args.type.startsWith("pulumi:providers:");
        id = previewing ? undefined : result.id;
        computed = previewing ? {} : result.state;
        if (args.type.startsWith("pulumi:providers:")) providersById.set(result.id, { type: args.type, inputs });
        // A previewed resource has no id to be found by, but still counts toward limits across resources.
        knownById.set(id ?? `preview:${key}`, {
          type: args.type,
          inputs,
          state: unwrapSecrets(computed).value as Record<string, unknown>,
        });
        if (tagFieldOf(args.type) === "tags") {
          // AWS merges the provider's default tags under the resource's own (tagsAll).
          const provider = args.provider ? providersById.get(providerIdOf(args.provider)) : undefined;
          const defaults = defaultTagsOf(provider?.inputs);
          computed = {
            ...computed,
            tagsAll: { ...defaults, ...((inputs.tags as Record<string, string> | undefined) ?? {}) },
          };
        }
      } else if (REMOTE_COMPONENT_MODELS[args.type] && options.preview !== true) {
        computed = REMOTE_COMPONENT_MODELS[args.type]({
          type: args.type,
          name: args.name,
          inputs,
          ...factsFor(args.provider),
        });
      }
      const state = { ...(args.inputs ?? {}), ...computed };
      pending.set(key, { inputs, rawInputs: args.inputs ?? {}, secretPaths: unwrapped.secretPaths, state });
      return { id, state };
    },
    call(args) {
      const model = INVOKE_MODELS[args.token];
      if (!model) throw new Error(`offline engine: no model for invoke ${args.token}; add one in offline/models.ts`);
      return model(unwrapSecrets(args.inputs ?? {}).value as Record<string, unknown>, factsFor(args.provider));
    },
  };

  /** What the mocks saw of a resource (inputs, secrets, state), taken off the pending list. */
  const recorded = (type: string, name: string) => {
    const key = `${type}::${name}`;
    const seen = pending.get(key);
    pending.delete(key);
    return {
      type,
      name,
      inputs: seen?.inputs ?? {},
      rawInputs: seen?.rawInputs ?? {},
      secretInputPaths: seen?.secretPaths ?? [],
      state: seen?.state ?? {},
    };
  };

  await pulumi.runtime.setMocks(mocks, project, stack, options.preview ?? false, OFFLINE_ORGANIZATION);
  const monitor = pulumi.runtime.getMonitor() as unknown as WrappableMonitor;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    registerResource(req, (err, response) => {
      if (err) failed(err);
      if (!err && response) {
        const res = response as MonitorResponse;
        const providerReference = req.getProvider();
        const urn = res.getUrn();
        const parent = req.getParent() || undefined;
        const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((value, property) => {
          propertyDependencies[property] = [...value.getUrnsList()].sort();
        });
        resources.push({
          ...recorded(req.getType(), req.getName()),
          urn,
          custom: req.getCustom(),
          parent,
          provider: providerReference ? providerUrnOf(providerReference) : undefined,
          dependencies: [...req.getDependenciesList()].sort(),
          propertyDependencies,
          protect: req.getProtect(),
          retainOnDelete: req.getRetainondelete() ?? false,
          deleteBeforeReplace: req.getDeletebeforereplace(),
          ...(req.getImportid() ? { importId: req.getImportid() } : {}),
          ignoreChanges: req.getIgnorechangesList(),
          aliases: req
            .getAliasesList()
            .map((alias) => aliasUrn(alias, { urn, type: req.getType(), name: req.getName(), parent }, stackUrn))
            .filter((aliased) => aliased !== urn)
            .sort(),
          read: false,
          id: res.getId() || undefined,
        });
      }
      callback(err, response);
    });
  const readResource = monitor.readResource.bind(monitor);
  monitor.readResource = (req, callback) =>
    readResource(req, (err, response) => {
      if (err) failed(err);
      if (!err && response) {
        resources.push({
          ...recorded(req.getType(), req.getName()),
          urn: (response as { getUrn(): string }).getUrn(),
          custom: true,
          parent: req.getParent() || undefined,
          dependencies: [],
          propertyDependencies: {},
          protect: false,
          retainOnDelete: false,
          deleteBeforeReplace: false,
          ignoreChanges: [],
          aliases: [],
          read: true,
          id: req.getId(),
        });
      }
      callback(err, response);
    });
  const invoke = monitor.invoke.bind(monitor);
  monitor.invoke = (req, callback) =>
    invoke(req, (err, response) => {
      if (err) failed(err);
      callback(err, response);
    });
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
      rawOutputs = deserializeProperties(req.getOutputs()) as Record<string, unknown>;
    }
    return registerResourceOutputs(req, callback);
  };

  pulumi.runtime.setAllConfig(options.config, [...(options.secretKeys ?? [])]);
  const program = options.program ?? (await loadProgram());
  resetDeclaredCalls();
  let error: Error | undefined;
  // A throw inside an apply rejects outputs nobody awaits; `pulumi up` fails the update on it.
  process.on("unhandledRejection", failed);
  try {
    await Promise.race([pulumi.runtime.runInPulumiStack(async () => program()), firstFailure]);
  } catch (err) {
    error = err instanceof Error ? err : new Error(String(err));
  }
  try {
    if (failures.length === 0) await Promise.race([waitForRPCs(), firstFailure]);
  } catch (err) {
    error ??= err instanceof Error ? err : new Error(String(err));
  }
  // Let rejections that settle on this turn reach the listener before it is removed.
  await new Promise((resolve) => setImmediate(resolve));
  process.off("unhandledRejection", failed);
  error ??= failures[0];
  const declared = error ? { calls: [], exempt: [] } : await takeDeclaredCalls();
  // Each ARN to the resource that has it. A resource whose `arn` is an input (a topic policy) only
  // refers to it; where two have the same ARN (a secret and its version), the one the other depends on.
  const arns = new Map<string, string>();
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  for (const r of resources) {
    if (r.custom && r.id?.startsWith("ocid1.")) arns.set(r.id, r.urn);
    if (typeof r.state.arn !== "string" || !r.custom || r.inputs.arn !== undefined) continue;
    const holder = arns.get(r.state.arn);
    if (holder && r.dependencies.includes(holder)) continue;
    if (holder && !byUrn.get(holder)?.dependencies.includes(r.urn)) continue;
    arns.set(r.state.arn, r.urn);
  }
  const access = { calls: resolveTargets(declared.calls, arns), exempt: declared.exempt };
  // What the program creates before the cloud can accept it (offline/orderingRules.ts).
  if (!error) {
    const early = orderingProblems(resources, access.calls);
    if (early.length) error = new Error(`offline engine: created too early:\n  - ${early.join("\n  - ")}`);
  }
  const unwrappedOutputs = unwrapSecrets(rawOutputs);
  return {
    project,
    stack,
    environment: options.config[`${project}:environment`],
    resources: resources.sort((a, b) => a.urn.localeCompare(b.urn)),
    rawOutputs,
    outputs: unwrappedOutputs.value as Record<string, unknown>,
    secretOutputPaths: unwrappedOutputs.secretPaths,
    error,
    access,
  };
}

/** The organization the offline engine runs stacks in (the DIY backend's fixed name). */
export const OFFLINE_ORGANIZATION = "organization";

const referencedRuns = new Map<string, Promise<RunResult>>();

/**
 * The outputs of the org stack an environment stack's config points at (`multicloud:orgStack`,
 * default `org`), from that stack's own offline run of its Pulumi.<stack>.yaml. Nothing for the
 * org stack itself, for configs without an environment, or when no such stack file exists (the
 * StackReference then fails naming the stack).
 */
async function referencedStackOutputs(
  project: string,
  config: Record<string, string>,
): Promise<Record<string, Record<string, unknown>>> {
  const environment = config[`${project}:environment`];
  if (environment === undefined || environment === ORG_ENVIRONMENT) return {};
  const name = orgStackReference(config[`${project}:orgStack`], OFFLINE_ORGANIZATION, project);
  const [organization, referencedProject, stack] = name.split("/");
  if (organization !== OFFLINE_ORGANIZATION || referencedProject !== project || !stackNames().includes(stack))
    return {};
  const loaded = loadStackConfig(stack);
  const key = JSON.stringify(loaded);
  let run = referencedRuns.get(key);
  if (!run) {
    run = runProgram({ project, stack, config: loaded.config, secretKeys: loaded.secretKeys, stackOutputs: {} });
    referencedRuns.set(key, run);
  }
  const result = await run;
  if (result.error) throw new Error(`offline engine: the referenced stack ${stack} failed: ${result.error.message}`);
  return { [name]: result.outputs };
}

async function loadProgram(): Promise<() => Promise<unknown>> {
  const loaded = (await import("../index")) as unknown as
    { default?: () => Promise<unknown> } | (() => Promise<unknown>);
  return typeof loaded === "function" ? loaded : (loaded.default as () => Promise<unknown>);
}
