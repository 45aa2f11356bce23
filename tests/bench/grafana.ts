/**
 * `npm run bench:grafana`: what one provisioning run costs — Grafana API calls and wall time for the
 * first run (install, create) and a re-run (update in place), against a Grafana API on loopback that
 * answers after a fixed delay standing in for a remote workspace. Prints figures; asserts nothing.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { GrafanaClient, provisionGrafana } from "../../functions/aws/grafana/provision";
import { startFakeGrafana } from "../functions/support/fakeGrafana";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40);

async function main(): Promise<void> {
  const grafana = await startFakeGrafana(LATENCY_MS);
  grafana.tokens.add("bench-token");
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const fingerprint = createHash("md5")
    .update(pair.publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .match(/../g)!
    .join(":");
  const key = {
    tenancyOcid: "ocid1.tenancy.oc1..aaaabench",
    userOcid: "ocid1.user.oc1..aaaabench",
    fingerprint,
    privateKeyPem: pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  };
  const dashboard = JSON.stringify({
    uid: "multicloud-dev-overview",
    title: "overview",
    panels: Array.from({ length: 16 }, (_, i) => ({ id: i, type: "timeseries" })),
  });
  const request = {
    workspaceId: "g-0123456789",
    endpoint: "g-0123456789.grafana-workspace.eu-west-1.amazonaws.com",
    serviceAccountId: "7",
    awsRegion: "eu-west-1",
    prometheusUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/",
    ociRegion: "eu-frankfurt-1",
    ociKeySecretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bench",
    dashboards: [{ uid: "multicloud-dev-overview", json: dashboard }],
  };
  const client = new GrafanaClient(grafana.baseUrl, "bench-token");
  const rows: string[] = [];
  for (const label of ["first run (install, create)", "re-run (update in place)"]) {
    const before = grafana.state.requests.length;
    const started = performance.now();
    await provisionGrafana(client, request, key);
    rows.push(
      `${label.padEnd(30)} ${String(grafana.state.requests.length - before).padStart(3)} API calls  ${(performance.now() - started).toFixed(0).padStart(5)} ms`,
    );
  }
  await grafana.close();
  console.log(
    `Grafana provisioning, each API answer delayed ${LATENCY_MS} ms (calls are sequential: the run is about calls × latency)`,
  );
  for (const row of rows) console.log(`  ${row}`);
  console.log(
    `  state after both runs: ${grafana.state.datasources.size} datasources, ${grafana.state.dashboards.size} dashboard (version ${grafana.state.dashboards.get("multicloud-dev-overview")?.version}), ${grafana.state.plugins.size} plugin`,
  );
}

void main();
