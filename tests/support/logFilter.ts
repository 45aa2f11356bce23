/**
 * CloudWatch Logs JSON filter patterns, the subset the program writes: a conjunction of string
 * equalities, `{ ($.a.b = "x") && ($.c = "y") }` (the syntax: "Using filter patterns to match terms
 * in JSON log events", CloudWatch Logs user guide). Anything else throws rather than guess.
 */
export function matchesJsonFilter(pattern: string, event: unknown): boolean {
  const body = /^\{\s*(.*?)\s*\}$/s.exec(pattern)?.[1];
  if (body === undefined) throw new Error(`not a JSON filter pattern: ${pattern}`);
  return body.split("&&").every((clause) => {
    const m = /^\(?\s*\$\.([\w.]+)\s*=\s*"([^"]*)"\s*\)?$/.exec(clause.trim());
    if (!m) throw new Error(`unsupported clause: ${clause.trim()}`);
    const value = m[1]
      .split(".")
      .reduce<unknown>(
        (v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
        event,
      );
    return value === m[2];
  });
}
