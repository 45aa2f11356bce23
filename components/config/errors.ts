/** One problem with the stack configuration: the full key path and what to do about it. */
export interface ConfigIssue {
  /** Full key path, e.g. `multicloud:aws.vpcCidr`. */
  readonly key: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/**
 * Thrown before any resource is registered when the stack configuration is invalid.
 * The message lists every problem, one line each, starting with the key to fix.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(stack: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.key}: ${issue.message}`);
    super(
      `Invalid configuration for stack "${stack}" (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        `${lines.join("\n")}\n` +
        `Fix the keys above in Pulumi.${stack}.yaml (or with \`pulumi config set --path\`).`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}
