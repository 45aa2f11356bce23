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
