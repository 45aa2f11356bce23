/**
 * Evaluates the CrossGuard policies over what the offline engine recorded, as the analyzer would
 * over a preview: each resource's checked inputs (secrets unwrapped, AWS tagsAll included), its
 * options, provider, parent and dependencies.
 */
import { EnforcementLevel, PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { evaluateAwsAccess } from "../policy/accessAws";
import { enforcementFor, MulticloudPolicy, policies as allPolicies } from "../policy/policies";
import { RecordedResource, RunResult } from "./engine";

export interface Verdict {
  readonly policy: string;
  readonly level: EnforcementLevel;
  readonly cloud: MulticloudPolicy["cloud"];
  /** The resource the violation is about; absent for a stack-wide violation. */
  readonly resource?: { readonly urn: string; readonly type: string; readonly name: string };
  readonly message: string;
  readonly remediation: string;
}

export interface PolicyReport {
  /** Every policy with the level it runs at in this stack. */
  readonly evaluated: ReadonlyArray<{
    readonly name: string;
    readonly level: EnforcementLevel;
    readonly cloud: string;
  }>;
  readonly violations: readonly Verdict[];
  readonly mandatoryViolations: number;
}

class NotApplicable extends Error {}

type ResourceClass = { __pulumiType?: string };
const isTypeOf = (type: string) => (cls: unknown) => (cls as ResourceClass).__pulumiType === type;

/** What the analyzer sees as a resource's properties: its inputs plus provider-computed tags. */
function propsOf(r: RecordedResource): Record<string, unknown> {
  return r.state.tagsAll === undefined ? { ...r.inputs } : { ...r.inputs, tagsAll: r.state.tagsAll };
}

/**
 * What a stack policy sees after `up`: the inputs plus the identifiers the cloud computed (ARN, id),
 * which the access policies resolve declared calls with.
 */
function stackPropsOf(r: RecordedResource): Record<string, unknown> {
  const computed: Record<string, unknown> = {};
  if (r.inputs.arn === undefined && typeof r.state.arn === "string") computed.arn = r.state.arn;
  if (r.inputs.id === undefined && r.id !== undefined) computed.id = r.id;
  return { ...propsOf(r), ...computed };
}

function optionsOf(r: RecordedResource) {
  return {
    protect: r.protect,
    ignoreChanges: [...r.ignoreChanges],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: r.parent,
    provider: r.provider,
  };
}

/** The stack as a stack policy sees it: PolicyResource objects linked to each other. */
export function stackView(subjects: readonly RecordedResource[]): Map<string, PolicyResource> {
  const policyResources = new Map<string, PolicyResource>();
  for (const r of subjects) {
    policyResources.set(r.urn, {
      type: r.type,
      props: stackPropsOf(r),
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: isTypeOf(r.type),
      asType: ((cls: unknown) => (isTypeOf(r.type)(cls) ? stackPropsOf(r) : undefined)) as PolicyResource["asType"],
    });
  }
  for (const r of subjects) {
    const pr = policyResources.get(r.urn) as PolicyResource & { parent?: PolicyResource; provider?: PolicyResource };
    pr.parent = r.parent ? policyResources.get(r.parent) : undefined;
    pr.provider = r.provider ? policyResources.get(r.provider) : undefined;
    pr.dependencies.push(...r.dependencies.flatMap((urn) => policyResources.get(urn) ?? []));
    for (const [property, urns] of Object.entries(r.propertyDependencies)) {
      pr.propertyDependencies[property] = urns.flatMap((urn) => policyResources.get(urn) ?? []);
    }
  }

  return policyResources;
}

/** The access evaluation of a run (policy/accessAws.ts over its stack view and declared calls). */
export function accessReportOf(run: RunResult): ReturnType<typeof evaluateAwsAccess> {
  const subjects = run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  return evaluateAwsAccess([...stackView(subjects).values()], run.access);
}

/** Runs every policy over one engine run with the enforcement levels of the stack's environment. */
export async function evaluatePolicies(
  run: RunResult,
  policies: readonly MulticloudPolicy[] = allPolicies,
): Promise<PolicyReport> {
  const subjects = run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  const byUrn = new Map(subjects.map((r) => [r.urn, r]));
  const violations: Verdict[] = [];
  const evaluated = policies.map((p) => ({ name: p.name, level: enforcementFor(p, run.environment), cloud: p.cloud }));

  const policyResources = stackView(subjects);

  for (const policy of policies) {
    const level = enforcementFor(policy, run.environment);
    if (level === "disabled") continue;
    const verdict = (message: string, resource?: RecordedResource): Verdict => ({
      policy: policy.name,
      level,
      cloud: policy.cloud,
      resource: resource ? { urn: resource.urn, type: resource.type, name: resource.name } : undefined,
      message,
      remediation: policy.remediation,
    });
    const notApplicable = (reason?: string): never => {
      throw new NotApplicable(reason);
    };
    if ("validateResource" in policy && policy.validateResource) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const r of subjects) {
        const provider = r.provider ? byUrn.get(r.provider) : undefined;
        const args: ResourceValidationArgs = {
          type: r.type,
          props: propsOf(r),
          urn: r.urn,
          name: r.name,
          opts: optionsOf(r),
          provider: provider
            ? { type: provider.type, props: propsOf(provider), urn: provider.urn, name: provider.name }
            : undefined,
          stackTags: new Map(),
          isType: isTypeOf(r.type),
          asType: ((cls: unknown) =>
            isTypeOf(r.type)(cls) ? propsOf(r) : undefined) as ResourceValidationArgs["asType"],
          getConfig: <T extends object>() => ({}) as T,
          notApplicable,
        };
        for (const validate of validations) {
          try {
            await validate(args, (message) => violations.push(verdict(message, r)));
          } catch (err) {
            if (!(err instanceof NotApplicable)) throw err;
          }
        }
      }
    }
    if ("validateStack" in policy && policy.validateStack) {
      const args: StackValidationArgs = {
        resources: [...policyResources.values()],
        stackTags: new Map(),
        // The access policies take the program's declared calls as config (policy/access.ts).
        getConfig: <T extends object>() => ({ calls: run.access.calls, exempt: run.access.exempt }) as unknown as T,
        notApplicable,
      };
      try {
        await policy.validateStack(args, (message, urn) =>
          violations.push(verdict(message, urn ? byUrn.get(urn) : undefined)),
        );
      } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
      }
    }
  }
  violations.sort(
    (a, b) =>
      a.policy.localeCompare(b.policy) ||
      (a.resource?.urn ?? "").localeCompare(b.resource?.urn ?? "") ||
      a.message.localeCompare(b.message),
  );
  return { evaluated, violations, mandatoryViolations: violations.filter((v) => v.level === "mandatory").length };
}
