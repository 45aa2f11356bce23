/** What the migration Lambda does, with its clients injected: read secrets, check the set, migrate. */
import { parseMigrationSet } from "./migrations";
import type { OracleCredentials } from "./oracle";
import { Connector, migrateWithRetries, MigrateResult, oracleCode } from "./runner";
import {
  ANOMALY_SETTINGS_SQL,
  anomalySettingsProblems,
  bucketUriOf,
  IAM_NOT_YET_CODES,
  IAM_PROBE,
  RESOURCE_PRINCIPAL_PROBE_SQL,
  DbSecret,
  MigrationRequest,
  parseDbSecret,
  RECOMMENDATION_SETTINGS_SQL,
  recommendationSettingsProblems,
  RESETTABLE_BINDS,
  setChecksum,
} from "./contract";
import { bindNames } from "./sqlText";

export type { MigrationRequest };

export interface FromSecretsDeps {
  /** The migration files shipped with the function. */
  readonly files: Readonly<Record<string, string>>;
  readonly adminSecretArn: string;
  /** Bind name → the secret whose password it binds. */
  readonly bindSecretArns: Readonly<Record<string, string>>;
  getSecretString(arn: string): Promise<string | undefined>;
  connectorFor(credentials: OracleCredentials): Connector;
  log(message: string): void;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds the invocation has left (Lambda's context.getRemainingTimeInMillis); bounds the IAM probe. */
  remainingMs?: () => number;
}

export async function migrateFromSecrets(request: MigrationRequest, deps: FromSecretsDeps): Promise<MigrateResult> {
  const migrations = parseMigrationSet(deps.files);
  const problems = request.anomalySettings ? anomalySettingsProblems(request.anomalySettings) : [];
  if (problems.length) throw new Error(`the anomaly settings are wrong: ${problems.join("; ")}`);
  const recProblems = request.recommendationSettings
    ? recommendationSettingsProblems(request.recommendationSettings)
    : [];
  if (recProblems.length) throw new Error(`the recommendation settings are wrong: ${recProblems.join("; ")}`);
  const resets = request.resetPasswords ?? [];
  const badResets = resets.filter(
    (bind) => !RESETTABLE_BINDS.includes(bind) || deps.bindSecretArns[bind] === undefined,
  );
  if (badResets.length)
    throw new Error(
      `cannot reset ${badResets.join(", ")}: only ${RESETTABLE_BINDS.filter((b) => deps.bindSecretArns[b] !== undefined).join(", ") || "no password"} can be set again by this function`,
    );
  const carried = setChecksum(migrations);
  if (request.setChecksum !== undefined && request.setChecksum !== carried) {
    throw new Error(
      `asked to apply migration set ${request.setChecksum.slice(0, 12)}… but this function carries ${carried.slice(0, 12)}…; redeploy`,
    );
  }
  const read = async (arn: string): Promise<DbSecret> => parseDbSecret(await deps.getSecretString(arn), arn);
  const boundNames = Object.keys(deps.bindSecretArns).sort();
  const [admin, ...bound] = await Promise.all([
    read(deps.adminSecretArn),
    ...boundNames.map((name) => read(deps.bindSecretArns[name])),
  ]);
  const connector = deps.connectorFor({ user: admin.username, password: admin.password, connectString: admin.dsn });
  const result = await migrateWithRetries(connector, migrations, {
    binds: Object.fromEntries(boundNames.map((name, i) => [name, bound[i].password])),
    log: deps.log,
    sleep: deps.sleep,
  });
  // After the migrations: the settings rows exist (V015, V019) whatever this invocation applied.
  if (request.anomalySettings) {
    const s = request.anomalySettings;
    await asOwner(connector, ANOMALY_SETTINGS_SQL, {
      window_size: s.windowSize,
      threshold: s.threshold,
      min_history: s.minHistory,
      topic_ocid: s.topicOcid,
      topic_region: s.topicRegion,
    });
    deps.log(
      `anomaly settings written: window ${s.windowSize}, threshold ${s.threshold}, min history ${s.minHistory}, topic ${s.topicOcid}`,
    );
  }
  for (const bind of resets) {
    // The file that binds this password creates or alters its login; running its binding statements again sets the current one.
    const file = migrations.find((m) => m.statements.some((st) => bindNames(st.sql).includes(bind)))!;
    const password = bound[boundNames.indexOf(bind)].password;
    const session = await connector.connect(file.runAs);
    try {
      for (const st of file.statements.filter((x) => bindNames(x.sql).includes(bind)))
        await session.execute(st.sql, { [bind]: password });
      await session.commit();
    } finally {
      await session.close();
    }
    deps.log(`password of ${bind} set again from its secret (${file.file})`);
  }
  if (request.recommendationSettings) {
    const s = request.recommendationSettings;
    await waitForResourcePrincipal(connector, bucketUriOf(s.modelUri), deps);
    await asOwner(connector, RECOMMENDATION_SETTINGS_SQL, {
      history_days: s.historyDays,
      refresh_minutes: s.refreshMinutes,
      model_uri: s.modelUri,
    });
    deps.log(
      `recommendation settings written: history ${s.historyDays} days, refresh every ${s.refreshMinutes} min, model ${s.modelUri}`,
    );
  }
  return result;
}

/**
 * Retries listing the model's bucket with the database's resource principal until OCI IAM lets it
 * (IAM_NOT_YET_CODES), while the invocation has time left; then fails saying to run `up` again.
 * Any other error is not IAM propagation and fails at once.
 */
export async function waitForResourcePrincipal(
  connector: Connector,
  bucketUri: string,
  deps: Pick<FromSecretsDeps, "log" | "sleep" | "remainingMs">,
): Promise<number> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Without a clock from Lambda: five minutes of tries.
  let budget = 5 * 60_000;
  const remaining = deps.remainingMs ?? (() => budget);
  for (let attempt = 1; ; attempt++) {
    try {
      await asOwner(connector, RESOURCE_PRINCIPAL_PROBE_SQL, { bucket_uri: bucketUri });
      if (attempt > 1) deps.log(`the database's resource principal may list ${bucketUri} (attempt ${attempt})`);
      return attempt;
    } catch (err) {
      const code = oracleCode(err);
      if (!code || !IAM_NOT_YET_CODES.includes(code)) throw err;
      if (remaining() < IAM_PROBE.intervalMs + IAM_PROBE.reserveMs)
        throw new Error(
          `IAM not effective yet — run \`up\` again: the database's resource principal still may not list ${bucketUri} ` +
            `(${code} on attempt ${attempt}); OCI applies a new dynamic group or policy within minutes, a changed matching rule within an hour`,
          { cause: err },
        );
      deps.log(`the database's resource principal may not list ${bucketUri} yet (${code}); trying again`);
      await sleep(IAM_PROBE.intervalMs);
      budget -= IAM_PROBE.intervalMs;
    }
  }
}

/** One statement as the schema owner in its own session, committed. */
async function asOwner(connector: Connector, sql: string, binds: Record<string, string | number>): Promise<void> {
  const owner = await connector.connect("owner");
  try {
    await owner.execute(sql, binds);
    await owner.commit();
  } finally {
    await owner.close();
  }
}
