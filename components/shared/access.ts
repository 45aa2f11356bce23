/**
 * Declared runtime calls: what each function, service, workflow, schedule and service integration
 * calls once deployed, by the target's identity in the program (its URN). The function contracts
 * declare the calls by target *names* (functions/…/contract.ts, `CallDeclaration[]`); the component
 * that deploys the code binds each name to the resource it created. The offline engine collects the
 * records after a run; `npm run policy:generate` writes them into each stack's pack config so a real
 * `pulumi preview` evaluates the same calls (policy/access.ts).
 */
import * as pulumi from "@pulumi/pulumi";

/** One line of a contract: the actions its code calls on one target (by the contract's name for it). */
export interface CallDeclaration {
  /** The contract's name for the target (bound by the component), or "*" for actions on no resource. */
  readonly target: string;
  readonly actions: readonly string[];
  /**
   * For actions on a part of the target: appended verbatim to its ARN (S3: "/" + an object key the code
   * writes, from the contract's own key function; logs: ":log-stream:…").
   */
  readonly object?: string;
}

/** Who calls: an IAM role (optionally from inside a VPC), an AWS service principal for this account, or an OCI principal. */
export type Caller =
  | { readonly role: pulumi.Resource; readonly vpcUrn?: pulumi.Input<string> }
  | {
      readonly service: pulumi.Input<string>;
      readonly sourceArn?: pulumi.Input<string>;
      /** Context keys the service's request carries besides the source (an encryption context). */
      readonly context?: Readonly<Record<string, pulumi.Input<string>>>;
    }
  | OciCaller;

/**
 * An OCI principal as policy statements name it: `group <name>`, `dynamic-group <name>`, `service
 * <name>`, or `any-user` for a resource principal identified by its type and compartment (Connector
 * Hub's `serviceconnector`, API Gateway's `ApiGateway`).
 */
export interface OciCaller {
  readonly oci: pulumi.Input<string>;
  readonly principalType?: string;
  readonly principalCompartmentId?: pulumi.Input<string>;
}

/** A call as recorded (plain JSON): what the pack config carries. */
export interface DeclaredCall {
  /** Who calls, as people name it (the component's logical name). */
  readonly by: string;
  readonly caller:
    | { readonly role: string; readonly vpc?: string }
    | { readonly service: string; readonly sourceArn?: string; readonly context?: Readonly<Record<string, string>> }
    | { readonly oci: string; readonly principalType?: string; readonly principalCompartmentId?: string };
  readonly action: string;
  /** The target's URN (an ARN until the engine resolves it), or "*". */
  readonly target: string;
  /** For a Kafka topic or group: the cluster is the target, the part names the topic or group. */
  readonly kafka?: "topic" | "group";
  readonly object?: string;
}

/** A role whose rights are not measured call by call, and why (AWS-managed policies, service-run roles). */
export interface ExemptRole {
  readonly role: string;
  readonly reason: string;
}

interface Registry {
  calls: (() => Promise<DeclaredCall[]>)[];
  exempt: (() => Promise<ExemptRole>)[];
}

/** What a record holds for a value a preview does not know yet (the pack reports such a call undecidable). */
export const UNKNOWN = "(unknown until up)";

/** An output's value, or undefined when it is unknown (a preview's computed value): never waits for one. */
async function settle<T>(output: pulumi.Output<T>): Promise<T | undefined> {
  // isKnown and promise() are the SDK's own accessors of an Output (not in its public typings).
  const internal = output as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
  return (await internal.isKnown) ? internal.promise() : undefined;
}
const KEY = Symbol.for("multicloud.declaredCalls");
const registry = (): Registry => {
  const store = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (store[KEY] ??= { calls: [], exempt: [] });
};

/**
 * A target: the resource itself, or its ARN as the component has it (the engine finds the resource
 * with that ARN after the run and records its URN; an ARN under a resource's, such as a Kafka topic's
 * under its cluster's, is recorded as that resource plus the part).
 */
export type Target = pulumi.Resource | pulumi.Input<string>;

/** Records the calls `declarations` describe, made by `caller`, each target name bound to one of `targets`. */
export function declareCalls(
  by: string,
  caller: Caller,
  declarations: readonly CallDeclaration[],
  targets: Readonly<Record<string, Target | readonly Target[]>>,
): void {
  for (const d of declarations) {
    if (d.target !== "*" && !targets[d.target])
      throw new Error(`${by}: the contract declares calls on "${d.target}" but the component binds no such target`);
  }
  const bound = (target: Target) => (pulumi.Resource.isInstance(target) ? target.urn : pulumi.output(target));
  registry().calls.push(async () => {
    // Each value on its own: in a preview an ARN of a new resource is unknown, and only its calls say so.
    const callerValue: DeclaredCall["caller"] =
      "oci" in caller
        ? {
            oci: (await settle(pulumi.output(caller.oci))) ?? UNKNOWN,
            ...(caller.principalType ? { principalType: caller.principalType } : {}),
            ...(caller.principalCompartmentId
              ? { principalCompartmentId: (await settle(pulumi.output(caller.principalCompartmentId))) ?? UNKNOWN }
              : {}),
          }
        : "role" in caller
          ? {
              role: (await settle(caller.role.urn)) ?? UNKNOWN,
              ...(caller.vpcUrn ? { vpc: (await settle(pulumi.output(caller.vpcUrn))) ?? UNKNOWN } : {}),
            }
          : {
              service: (await settle(pulumi.output(caller.service))) ?? UNKNOWN,
              ...(caller.sourceArn ? { sourceArn: (await settle(pulumi.output(caller.sourceArn))) ?? UNKNOWN } : {}),
              ...(caller.context
                ? {
                    context: Object.fromEntries(
                      await Promise.all(
                        Object.entries(caller.context).map(
                          async ([k, v]) => [k, (await settle(pulumi.output(v))) ?? UNKNOWN] as const,
                        ),
                      ),
                    ),
                  }
                : {}),
            };
    const ids: Record<string, string[]> = {};
    for (const [name, target] of Object.entries(targets)) {
      const list = Array.isArray(target) ? (target as readonly Target[]) : [target as Target];
      ids[name] = await Promise.all(list.map(async (t) => (await settle(bound(t))) ?? UNKNOWN));
    }
    return declarations.flatMap((d) =>
      (d.target === "*" ? ["*"] : ids[d.target]).flatMap((target) =>
        d.actions.map((action): DeclaredCall => ({
          by,
          caller: callerValue,
          action,
          target,
          ...(d.object ? { object: d.object } : {}),
        })),
      ),
    );
  });
}

/**
 * An OCI target outside the program (a bucket named in config): its compartment and the variables a
 * request on it sets (e.g. target.bucket.name), recorded as `<compartment OCID>#<variable>=<value>;…`.
 */
export function ociExternalTarget(
  compartmentId: pulumi.Input<string>,
  variables: Readonly<Record<string, string>>,
): pulumi.Output<string> {
  return pulumi.output(compartmentId).apply(
    (c) =>
      `${c}#${Object.entries(variables)
        .map(([k, v]) => `${k}=${v}`)
        .join(";")}`,
  );
}

/** Records a role whose grants are not measured against calls, with the reason (shown in the plan). */
export function exemptRole(role: pulumi.Resource, reason: string): void {
  registry().exempt.push(async () => ({ role: (await settle(role.urn)) ?? UNKNOWN, reason }));
}

/** Everything declared since the last call, resolved, and the registry emptied (one program run's worth). */
export async function takeDeclaredCalls(): Promise<{ calls: DeclaredCall[]; exempt: ExemptRole[] }> {
  const { calls, exempt } = registry();
  registry().calls = [];
  registry().exempt = [];
  const resolvedCalls = (await Promise.all(calls.map((take) => take()))).flat();
  const resolvedExempt = await Promise.all(exempt.map((take) => take()));
  return { calls: resolvedCalls, exempt: resolvedExempt };
}

/**
 * The calls with each ARN target replaced by the URN of the resource that has it (`arns`: ARN → URN
 * of the run's resources): exactly, or as an S3 object / log stream under it, or as a Kafka topic or
 * group of a cluster. An ARN no resource of the program has (something outside it) stays as it is.
 */
export function resolveTargets(calls: readonly DeclaredCall[], arns: ReadonlyMap<string, string>): DeclaredCall[] {
  return calls.map((call) => {
    if (call.target === "*" || call.target.startsWith("urn:")) return call;
    // An OCID: the resource with that id, or (a compartment from config) the OCID itself.
    if (call.target.startsWith("ocid1.")) return { ...call, target: arns.get(call.target) ?? call.target };
    const exact = arns.get(call.target);
    if (exact) return { ...call, target: exact };
    const kafka = /^(arn:[^:]+:kafka:[^:]+:[^:]+:)(topic|group)\/([^/]+\/[^/]+)\/(.+)$/.exec(call.target);
    if (kafka) {
      const cluster = arns.get(`${kafka[1]}cluster/${kafka[3]}`);
      if (cluster)
        return {
          ...call,
          target: cluster,
          kafka: kafka[2] as "topic" | "group",
          object: `/${kafka[4]}${call.object ?? ""}`,
        };
    }
    // The longest ARN the target starts with, followed by a separator: a part of that resource.
    let best: [string, string] | undefined;
    for (const [arn, urn] of arns) {
      const rest = call.target.slice(arn.length);
      if (call.target.startsWith(arn) && /^[/:]/.test(rest) && arn.length > (best?.[0].length ?? 0)) best = [arn, urn];
    }
    return best
      ? { ...call, target: best[1], object: `${call.target.slice(best[0].length)}${call.object ?? ""}` }
      : call;
  });
}

/** Empties the registry (the engine calls this before a run). */
export function resetDeclaredCalls(): void {
  registry().calls = [];
  registry().exempt = [];
}
