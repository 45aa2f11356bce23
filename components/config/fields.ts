/** Shared building blocks of the config schemas: zod fields whose messages say what is allowed. */
import { z } from "zod";
import { cidrProblem, cidrsOverlap, isPrivateCidr, LINK_LOCAL_CIDR, prefixLength } from "../shared/cidr";
import { ConfigIssue } from "./errors";

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

/**
 * Rules every cloud network range follows: private, not link-local (tunnel and BGP addresses live
 * there), and sized within what the cloud accepts.
 */
export function addressRangeIssues(key: string, value: string, min: number, max: number, cloud: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const bits = prefixLength(value);
  if (cidrsOverlap(value, LINK_LOCAL_CIDR)) {
    issues.push({
      key,
      message: `${value} overlaps ${LINK_LOCAL_CIDR} (link-local, used for tunnel and BGP addresses); use a private range such as 10.0.0.0/8`,
    });
  } else if (!isPrivateCidr(value)) {
    issues.push({
      key,
      message: `${value} is not private address space; use RFC 1918 (10/8, 172.16/12, 192.168/16) or 100.64/10`,
    });
  }
  if (bits < min || bits > max)
    issues.push({ key, message: `${value} is a /${bits}; ${cloud} takes /${min} to /${max}` });
  return issues;
}
