/** Shared building blocks of the config schemas: zod fields whose messages say what is allowed. */
import { z } from "zod";
import { cidrProblem } from "../network/cidr";

export function describe(input: unknown): string {
  return input === undefined ? "missing" : JSON.stringify(input);
}

/** A zod error option whose message says what the value was and what is allowed. */
export function allowed(what: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined ? `is required; ${what}` : `${describe(issue.input)} is not allowed; ${what}`,
  };
}

export function integer(min: number, max: number, what: string) {
  const rule = allowed(`${what} (an integer from ${min} to ${max})`);
  return z.number(rule).int(rule).min(min, rule).max(max, rule);
}

export function cidr(what: string) {
  return z.string(allowed(what)).superRefine((value, ctx) => {
    const problem = cidrProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `${problem}; ${what}` });
  });
}


/** The full config key of a path: `multicloud:aws.subnetPrefixLengths.private`, `…alertEmails[0]`. */
export function configKey(project: string, path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  let name = `${project}:${String(head)}`;
  for (const part of rest) name += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  return name;
}
