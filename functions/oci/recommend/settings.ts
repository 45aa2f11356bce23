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
  /** The Data Science model deployment's predict URL, when it orders the candidates. */
  readonly scorerUrl?: string;
}

const PREDICT_URL =
  /^https:\/\/modeldeployment\.[a-z0-9-]+\.oci\.customer-oci\.com\/ocid1\.datasciencemodeldeployment\.oc[0-9]+\.[a-z0-9-]+\.[a-z0-9]+\/predict$/;

export function recommendSettings(env: NodeJS.ProcessEnv): RecommendSettings {
  const problems: string[] = [];
  const role = env[RECOMMEND_ENV.role] as RecommendRole;
  if (!RECOMMEND_ROLES.includes(role))
    problems.push(
      `${RECOMMEND_ENV.role} is ${JSON.stringify(env[RECOMMEND_ENV.role] ?? null)}; expected one of ${RECOMMEND_ROLES.join(", ")}`,
    );
  const deadline = Number(env[RECOMMEND_ENV.deadlineMs] ?? "800");
  if (!Number.isInteger(deadline) || deadline < 100 || deadline > 10_000)
    problems.push(
      `${RECOMMEND_ENV.deadlineMs} is ${JSON.stringify(env[RECOMMEND_ENV.deadlineMs])}; expected milliseconds from 100 to 10000`,
    );
  const scorerUrl = env[RECOMMEND_ENV.scorerUrl];
  if (scorerUrl !== undefined && !PREDICT_URL.test(scorerUrl))
    problems.push(
      `${RECOMMEND_ENV.scorerUrl} is ${JSON.stringify(scorerUrl)}; expected a model deployment's predict URL (https://modeldeployment.<region>.oci.customer-oci.com/<model deployment OCID>/predict)`,
    );
  let db: FunctionDbSettings | undefined;
  try {
    db = functionDbSettings(env, RECOMMEND_ENV, "the recommendation function");
  } catch (err) {
    problems.push(
      ...(err as Error).message
        .split("\n")
        .slice(1)
        .map((line) => line.trim()),
    );
  }
  if (problems.length || !db)
    throw new Error(`the recommendation function's configuration is wrong:\n  ${problems.join("\n  ")}`);
  return { ...db, role, deadlineMs: deadline, ...(scorerUrl ? { scorerUrl } : {}) };
}
