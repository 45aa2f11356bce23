/** Pulumi's wire marker for a secret value (see @pulumi/pulumi runtime/rpc). */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface Unwrapped {
  /** The value with every secret wrapper replaced by its plain value. */
  readonly value: unknown;
  /** Dotted paths (`a.b[0].c`) of the values that were secret. */
  readonly secretPaths: string[];
}

export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE_SIG
  );
}

/** Removes secret wrappers, remembering where they were. */
export function unwrapSecrets(value: unknown, path = ""): Unwrapped {
  if (isSecretWrapper(value)) {
    const inner = unwrapSecrets(value.value, path);
    return { value: inner.value, secretPaths: [path, ...inner.secretPaths] };
  }
  if (Array.isArray(value)) {
    const secretPaths: string[] = [];
    const items = value.map((item, i) => {
      const inner = unwrapSecrets(item, `${path}[${i}]`);
      secretPaths.push(...inner.secretPaths);
      return inner.value;
    });
    return { value: items, secretPaths };
  }
  if (typeof value === "object" && value !== null) {
    const secretPaths: string[] = [];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const inner = unwrapSecrets(v, path ? `${path}.${k}` : k);
      secretPaths.push(...inner.secretPaths);
      out[k] = inner.value;
    }
    return { value: out, secretPaths };
  }
  return { value, secretPaths: [] };
}

export const REDACTED = "[secret]";

/** A copy of the value with every secret (wrapped) replaced by REDACTED. */
export function redactSecrets(value: unknown): unknown {
  if (isSecretWrapper(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}
