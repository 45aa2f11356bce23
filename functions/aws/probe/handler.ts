/**
 * The link probe's Lambda entry (every minute, in the private subnets): one connect to the
 * database listener across the interconnect, printed as an embedded-metric-format record that
 * CloudWatch turns into metrics. It never throws: a failed connect is a metric, not an error.
 */
import { emfRecord, probeSettings, probeTcp } from "./probe";

const settings = probeSettings(process.env);

export async function handler(): Promise<{ ok: boolean }> {
  const result = await probeTcp(settings.host, settings.port, settings.timeoutMs);
  console.log(JSON.stringify(emfRecord(result, settings, Date.now())));
  return { ok: result.ok };
}
