/** What the offline engine records of each registration (its own module: the engine and its post-run checks share it). */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** True for cloud resources and providers, false for components and the stack. */
  readonly custom: boolean;
  readonly parent?: string;
  /** URN of the provider resource this resource uses (custom resources only). */
  readonly provider?: string;
  /** URNs this resource depends on: explicit dependsOn plus every input's dependencies. */
  readonly dependencies: readonly string[];
  /** Per input property, the URNs its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly protect: boolean;
  /** The cloud resource stays when it leaves the program (opts.retainOnDelete). */
  readonly retainOnDelete: boolean;
  /** A replacement deletes the old resource before creating the new one (opts.deleteBeforeReplace). */
  readonly deleteBeforeReplace: boolean;
  /** The cloud id the resource is adopted from (opts.import), when it is. */
  readonly importId?: string;
  readonly ignoreChanges: readonly string[];
  /** URNs this resource was known by before (opts.aliases): the engine moves their state to it. */
  readonly aliases: readonly string[];
  /** True for a resource read rather than managed (e.g. a StackReference). */
  readonly read: boolean;
  readonly id?: string;
  /** Inputs with secret wrappers removed. */
  readonly inputs: Record<string, unknown>;
  /** Inputs exactly as sent, secrets still wrapped (for pulumi.isSecret-style checks). */
  readonly rawInputs: Record<string, unknown>;
  /** Dotted paths of the inputs that were secret. */
  readonly secretInputPaths: readonly string[];
  /** What the cloud returned: inputs echoed plus computed values (and tagsAll for AWS). */
  readonly state: Record<string, unknown>;
}

/** A run's resources by URN, and each parent's children: what graph walks over the recorded resources use. */
export interface GraphIndex {
  readonly byUrn: ReadonlyMap<string, RecordedResource>;
  readonly children: ReadonlyMap<string, readonly string[]>;
}

const indexes = new WeakMap<readonly RecordedResource[], GraphIndex>();

/** The index of a list of recorded resources, built once per list. */
export function graphIndex(all: readonly RecordedResource[]): GraphIndex {
  let index = indexes.get(all);
  if (!index) {
    const children = new Map<string, string[]>();
    for (const r of all) {
      if (!r.parent) continue;
      const list = children.get(r.parent);
      if (list) list.push(r.urn);
      else children.set(r.parent, [r.urn]);
    }
    index = { byUrn: new Map(all.map((r) => [r.urn, r])), children };
    indexes.set(all, index);
  }
  return index;
}

/** What a resource waits for directly: its explicit dependencies and every input's. */
export function directDependencies(r: RecordedResource): string[] {
  return [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
}
