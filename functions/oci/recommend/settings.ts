/**
 * The recommendation functions' configuration, read once per instance: which of the two functions
 * this is, its database credential's Vault secret and pool, and the API's deadline. Every wrong
 * value is named.
 */
import { type FunctionDbSettings, functionDbSettings } from "../common/vaultCredential";
import { RECOMMEND_ENV, RECOMMEND_ROLES, type RecommendRole } from "./contract";

export interface RecommendSettings extends FunctionDbSettings {
  readonly role: RecommendRole;
  readonly deadlineMs: number;
}

export function recommendSettings(env: NodeJS.ProcessEnv): RecommendSettings {
  const problems: string[] = [];
  const role = env[RECOMMEND_ENV.role] as RecommendRole;
  if (!RECOMMEND_ROLES.includes(role)) problems.push(`${RECOMMEND_ENV.role} is ${JSON.stringify(env[RECOMMEND_ENV.role] ?? null)}; expected one of ${RECOMMEND_ROLES.join(", ")}`);
  const deadline = Number(env[RECOMMEND_ENV.deadlineMs] ?? "800");
  if (!Number.isInteger(deadline) || deadline < 100 || deadline > 10_000) problems.push(`${RECOMMEND_ENV.deadlineMs} is ${JSON.stringify(env[RECOMMEND_ENV.deadlineMs])}; expected milliseconds from 100 to 10000`);
  let db: FunctionDbSettings | undefined;
  try {
    db = functionDbSettings(env, RECOMMEND_ENV, "the recommendation function");
  } catch (err) {
    problems.push(...(err as Error).message.split("\n").slice(1).map((line) => line.trim()));
  }
  if (problems.length || !db) throw new Error(`the recommendation function's configuration is wrong:\n  ${problems.join("\n  ")}`);
  return { ...db, role, deadlineMs: deadline };
}
