/** The Grafana provisioning function against a Grafana API on loopback (tokens, upserts, failures). */
import {
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  GrafanaClient as GrafanaControlPlane,
} from "@aws-sdk/client-grafana";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { expect } from "chai";
import { createHash, generateKeyPairSync } from "node:crypto";
import {
  GRAFANA_DATASOURCES,
  GrafanaProvisionRequest,
  PLATFORM_FOLDER,
  TOKEN_SECONDS_TO_LIVE,
} from "../../functions/aws/grafana/contract";
import { runProvision } from "../../functions/aws/grafana/handler";
import {
  datasourceBodies,
  GrafanaApiError,
  grafanaAnswer,
  parseOciKeySecret,
  parseProvisionRequest,
} from "../../functions/aws/grafana/provision";
import { FakeGrafana, startFakeGrafana } from "./support/fakeGrafana";

const keyPair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privateKeyPem = keyPair.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const fingerprint = createHash("md5")
  .update(keyPair.publicKey.export({ type: "spki", format: "der" }))
  .digest("hex")
  .match(/../g)!
  .join(":");
const ociSecret = {
  tenancyOcid: "ocid1.tenancy.oc1..aaaaaaaatenancy",
  userOcid: "ocid1.user.oc1..aaaaaaaagrafana",
  fingerprint,
  privateKeyPem,
};
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:414910048482:secret:multicloud-dev/grafana/oci-key-AbCdEf";

const dashboard = (uid: string, title = "Overview") =>
  JSON.stringify({ uid, title, panels: [{ type: "timeseries", datasource: { uid: GRAFANA_DATASOURCES.oci.uid } }] });
const request = (overrides: Partial<GrafanaProvisionRequest> = {}): GrafanaProvisionRequest => ({
  workspaceId: "g-0123456789",
  endpoint: "g-0123456789.grafana-workspace.eu-west-1.amazonaws.com",
  serviceAccountId: "7",
  awsRegion: "eu-west-1",
  prometheusUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234/",
  ociRegion: "eu-frankfurt-1",
  ociKeySecretArn: SECRET_ARN,
  dashboards: [{ uid: "multicloud-dev-overview", json: dashboard("multicloud-dev-overview") }],
  ...overrides,
});

type Input = Record<string, unknown>;
type CommandClass = abstract new (...args: never[]) => { input: object };

/** A client whose send answers per command class, recording each command's input. */
class FakeClient {
  private readonly answers = new Map<CommandClass, (input: Input) => unknown>();
  private readonly sent: { command: CommandClass; input: Input }[] = [];
  answer(command: CommandClass, fn: (input: Input) => unknown): void {
    this.answers.set(command, fn);
  }
  calls(command: CommandClass): Input[] {
    return this.sent.filter((s) => s.command === command).map((s) => s.input);
  }
  reset(): void {
    this.answers.clear();
    this.sent.length = 0;
  }
  async send(command: { input: object }): Promise<unknown> {
    const type = command.constructor as CommandClass;
    this.sent.push({ command: type, input: command.input as Input });
    const answer = this.answers.get(type);
    if (!answer) throw new Error(`no answer for ${type.name}`);
    return answer(command.input as Input);
  }
}

describe("Grafana provisioning function (Grafana API on loopback)", () => {
  // The AWS clients as the handler sees them (send): answers and calls recorded here, no module-wide stubs.
  const controlPlane = new FakeClient();
  const secrets = new FakeClient();
  let grafana: FakeGrafana;
  let issued = 0;
  const logs: { level: string; message: string; extra: unknown }[] = [];
  const deps = () => ({
    controlPlane: controlPlane as unknown as Pick<GrafanaControlPlane, "send">,
    secrets: secrets as unknown as Pick<SecretsManagerClient, "send">,
    baseUrl: (endpoint: string) => (endpoint === request().endpoint ? grafana.baseUrl : "http://unexpected.invalid"),
    logger: {
      info: (message: string, extra?: unknown) => void logs.push({ level: "info", message, extra }),
      error: (message: string, extra?: unknown) => void logs.push({ level: "error", message, extra }),
    },
    now: () => 1_764_000_000_000,
  });

  beforeEach(async () => {
    grafana = await startFakeGrafana();
    logs.length = 0;
    secrets.answer(GetSecretValueCommand, (input) => {
      if (input.SecretId !== SECRET_ARN)
        throw Object.assign(new Error("not found"), { name: "ResourceNotFoundException" });
      return { SecretString: JSON.stringify(ociSecret) };
    });
    // Each token the control plane issues is valid until deleted.
    controlPlane.answer(CreateWorkspaceServiceAccountTokenCommand, () => {
      const key = `glsa_token_${++issued}`;
      grafana.tokens.add(key);
      return { serviceAccountToken: { id: String(issued), name: `provision-${issued}`, key } };
    });
    controlPlane.answer(DeleteWorkspaceServiceAccountTokenCommand, (input) => {
      grafana.tokens.delete(`glsa_token_${String(input.tokenId)}`);
      return {};
    });
  });
  afterEach(async () => {
    controlPlane.reset();
    secrets.reset();
    await grafana.close();
  });

  it("installs the OCI plugin, creates the folder, the three datasources and the dashboard, with a token that lives one run", async () => {
    const result = await runProvision(request(), deps());
    expect(result).to.deep.equal({
      plugin: "installed",
      folder: "created",
      datasources: [
        { uid: "multicloud-cloudwatch", action: "created" },
        { uid: "multicloud-prometheus", action: "created" },
        { uid: "multicloud-oci-metrics", action: "created" },
      ],
      dashboards: [{ uid: "multicloud-dev-overview", version: 1 }],
    });
    const create = controlPlane.calls(CreateWorkspaceServiceAccountTokenCommand)[0];
    expect(create).to.include({
      workspaceId: "g-0123456789",
      serviceAccountId: "7",
      secondsToLive: TOKEN_SECONDS_TO_LIVE,
    });
    expect(controlPlane.calls(DeleteWorkspaceServiceAccountTokenCommand)[0]).to.deep.equal({
      workspaceId: "g-0123456789",
      serviceAccountId: "7",
      tokenId: "1",
    });
    expect(grafana.tokens.size, "the token is deleted at the end").to.equal(0);
    expect(grafana.state.plugins.has("oci-metrics-datasource")).to.equal(true);
    expect(grafana.state.dashboards.get("multicloud-dev-overview")?.folderUid).to.equal(PLATFORM_FOLDER.uid);
    const oci = grafana.state.datasources.get("multicloud-oci-metrics")!.body;
    expect(oci.jsonData).to.deep.equal({
      environment: "local",
      tenancymode: "single",
      profile0: "DEFAULT",
      region0: "eu-frankfurt-1",
    });
    expect(oci.secureJsonData).to.deep.equal({
      tenancy0: ociSecret.tenancyOcid,
      user0: ociSecret.userOcid,
      fingerprint0: fingerprint,
      privkey0: privateKeyPem,
    });
    const prometheus = grafana.state.datasources.get("multicloud-prometheus")!.body;
    expect(prometheus).to.include({ url: request().prometheusUrl, type: "prometheus" });
    expect(prometheus.jsonData).to.deep.equal({
      httpMethod: "POST",
      sigV4Auth: true,
      sigV4AuthType: "ec2_iam_role",
      sigV4Region: "eu-west-1",
    });
    expect(grafana.state.datasources.get("multicloud-cloudwatch")!.body.jsonData).to.deep.equal({
      authType: "ec2_iam_role",
      defaultRegion: "eu-west-1",
    });
    // Nothing secret in the logs.
    const logged = JSON.stringify(logs);
    expect(logged).not.to.contain("BEGIN RSA");
    expect(logged).not.to.contain("glsa_token");
  });

  it("converges on a re-run: datasources updated in place, dashboard overwritten (version 2), nothing duplicated", async () => {
    await runProvision(request(), deps());
    const ids = [...grafana.state.datasources.values()].map((d) => d.id);
    const result = await runProvision(request({ ociRegion: "eu-amsterdam-1" }), deps());
    expect(result.plugin).to.equal("present");
    expect(result.folder).to.equal("present");
    expect(result.datasources.map((d) => d.action)).to.deep.equal(["updated", "updated", "updated"]);
    expect(result.dashboards).to.deep.equal([{ uid: "multicloud-dev-overview", version: 2 }]);
    expect([...grafana.state.datasources.values()].map((d) => d.id)).to.deep.equal(ids);
    expect(grafana.state.datasources.size).to.equal(3);
    expect(
      (grafana.state.datasources.get("multicloud-oci-metrics")!.body.jsonData as { region0: string }).region0,
    ).to.equal("eu-amsterdam-1");
    expect(grafana.state.requests.filter((r) => r.path.endsWith("/install"))).to.have.length(1);
  });

  it("takes a rotated OCI key on the next run (the new fingerprint and key replace the old)", async () => {
    await runProvision(request(), deps());
    const next = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const nextFingerprint = createHash("md5")
      .update(next.publicKey.export({ type: "spki", format: "der" }))
      .digest("hex")
      .match(/../g)!
      .join(":");
    secrets.answer(GetSecretValueCommand, () => ({
      SecretString: JSON.stringify({
        ...ociSecret,
        fingerprint: nextFingerprint,
        privateKeyPem: next.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      }),
    }));
    await runProvision(request(), deps());
    const secure = grafana.state.datasources.get("multicloud-oci-metrics")!.body.secureJsonData as Record<
      string,
      string
    >;
    expect(secure.fingerprint0).to.equal(nextFingerprint);
    expect(secure.privkey0).to.contain("BEGIN PRIVATE KEY");
  });

  it("deletes its token when Grafana refuses a step, and reports Grafana's message with the route", async () => {
    grafana.failNext("POST /api/dashboards/db", 403, "Permission denied");
    let error: Error | undefined;
    await runProvision(request(), deps()).catch((e: Error) => (error = e));
    expect(error?.message).to.equal("Grafana POST /api/dashboards/db answered 403: Permission denied");
    expect(grafana.tokens.size).to.equal(0);
    expect(controlPlane.calls(DeleteWorkspaceServiceAccountTokenCommand)).to.have.length(1);
  });

  it("still answers with the result when the token delete fails (the token expires by itself) and logs it", async () => {
    controlPlane.answer(DeleteWorkspaceServiceAccountTokenCommand, () => {
      throw Object.assign(new Error("throttled"), { name: "ThrottlingException" });
    });
    const result = await runProvision(request(), deps());
    expect(result.dashboards).to.have.length(1);
    expect(logs.find((l) => l.level === "error")).to.deep.include({
      message: "could not delete the provisioning token (it expires by itself)",
    });
  });

  it("refuses a bad request before any call, naming the field", async () => {
    const cases: [unknown, string][] = [
      [null, "(request): must be a JSON object"],
      [{ ...request(), workspaceId: "ws-1" }, 'workspaceId: "ws-1" is not a workspace id (g- and 10 hex digits)'],
      [
        { ...request(), endpoint: "https://g-1.example" },
        'endpoint: "https://g-1.example" is not a host name without scheme',
      ],
      [
        { ...request(), prometheusUrl: "http://aps/ws" },
        'prometheusUrl: "http://aps/ws" is not an https URL ending in /',
      ],
      [{ ...request(), dashboards: [] }, "dashboards: must be a non-empty list of {uid, json}"],
      [{ ...request(), dashboards: [{ uid: "a", json: "{" }] }, "dashboards[0].json: is not JSON"],
      [{ ...request(), dashboards: [{ uid: "a", json: dashboard("b") }] }, 'dashboards[0].json: has uid "b", not a'],
    ];
    for (const [input, message] of cases) {
      let error: Error | undefined;
      await runProvision(input, deps()).catch((e: Error) => (error = e));
      expect(error?.message, JSON.stringify(input)?.slice(0, 80)).to.contain(message);
    }
    expect(secrets.calls(GetSecretValueCommand)).to.have.length(0);
    expect(controlPlane.calls(CreateWorkspaceServiceAccountTokenCommand)).to.have.length(0);
    expect(() => parseProvisionRequest(request())).not.to.throw();
  });

  it("refuses a malformed OCI key secret without quoting the key, and makes no token", async () => {
    expect(() => parseOciKeySecret("not json")).to.throw("ociKeySecret: is not JSON");
    expect(() => parseOciKeySecret(JSON.stringify({ ...ociSecret, fingerprint: "ab:cd" }))).to.throw(
      "ociKeySecret.fingerprint",
    );
    expect(() => parseOciKeySecret(JSON.stringify({ ...ociSecret, userOcid: "user" }))).to.throw(
      'ociKeySecret.userOcid: "user" is not an OCID',
    );
    const broken = "-----BEGIN RSA PRIVATE KEY-----\nAAAAsecretmaterial\n-----END RSA PRIVATE KEY-----";
    let error: Error | undefined;
    try {
      parseOciKeySecret(JSON.stringify({ ...ociSecret, privateKeyPem: broken }));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.equal("ociKeySecret.privateKeyPem: is not a PEM private key");
    secrets.answer(GetSecretValueCommand, () => ({ SecretString: "{}" }));
    await runProvision(request(), deps()).catch(() => undefined);
    expect(controlPlane.calls(CreateWorkspaceServiceAccountTokenCommand)).to.have.length(0);
  });

  it("builds datasources whose uids are the ones the dashboards name", () => {
    const bodies = datasourceBodies(request(), parseOciKeySecret(JSON.stringify(ociSecret)));
    expect(bodies.map((b) => b.uid).sort()).to.deep.equal(
      Object.values(GRAFANA_DATASOURCES)
        .map((d) => d.uid)
        .sort(),
    );
    expect(bodies.filter((b) => b.isDefault).map((b) => b.uid)).to.deep.equal(["multicloud-cloudwatch"]);
    expect(
      bodies.filter((b) => b.secureJsonData).map((b) => b.uid),
      "only OCI holds a key",
    ).to.deep.equal(["multicloud-oci-metrics"]);
  });
});

describe("Grafana's answers (grafanaAnswer)", () => {
  const refusal = (status: number, raw: string, missingOk = false) => {
    try {
      return grafanaAnswer(status, raw, "POST", "/api/datasources", missingOk);
    } catch (err) {
      expect(err).to.be.instanceOf(GrafanaApiError);
      return (err as Error).message;
    }
  };

  it("gives the JSON of a success, {} for an empty one, and nothing for a 404 only when the caller allows it", () => {
    expect(refusal(200, '{"id":3}')).to.deep.equal({ id: 3 });
    expect(refusal(200, "[1]")).to.deep.equal([1]);
    expect(refusal(204, "")).to.deep.equal({});
    expect(refusal(299, " \n")).to.deep.equal({});
    expect(refusal(404, "{}", true)).to.equal(undefined);
    expect(refusal(404, '{"message":"Not found"}')).to.equal("Grafana POST /api/datasources answered 404: Not found");
  });

  it("refuses an error status with Grafana's message or the text cut short, and a success that is not a JSON object", () => {
    expect(refusal(409, '{"message":"data source with the same name already exists"}')).to.equal(
      "Grafana POST /api/datasources answered 409: data source with the same name already exists",
    );
    expect(refusal(502, `<html>${"x".repeat(400)}`)).to.equal(
      `Grafana POST /api/datasources answered 502: <html>${"x".repeat(294)}`,
    );
    expect(refusal(500, '{"message":7}')).to.equal('Grafana POST /api/datasources answered 500: {"message":7}');
    expect(refusal(199, "{}")).to.equal("Grafana POST /api/datasources answered 199: {}");
    expect(refusal(300, "{}")).to.equal("Grafana POST /api/datasources answered 300: {}");
    expect(refusal(200, "<html>sign in</html>")).to.equal(
      "Grafana POST /api/datasources answered 200: the answer is not a JSON object: <html>sign in</html>",
    );
    expect(refusal(200, "null")).to.equal(
      "Grafana POST /api/datasources answered 200: the answer is not a JSON object: null",
    );
    expect(refusal(200, '"ok"')).to.equal(
      'Grafana POST /api/datasources answered 200: the answer is not a JSON object: "ok"',
    );
  });
});

describe("Grafana provisioning inputs: each pattern whole", () => {
  const problem = (f: () => unknown) => {
    try {
      f();
      return "accepted";
    } catch (err) {
      expect((err as Error).name).to.equal("ProvisionInputError");
      return (err as Error).message;
    }
  };
  const secret = (over: Record<string, unknown>) => JSON.stringify({ ...ociSecret, ...over });

  it("takes OCIDs, the fingerprint and the endpoint only as a whole match", () => {
    for (const tenancyOcid of ["xocid1.tenancy.oc1..aaaa", "ocid1.tenancy.oc1..aaaa!", "ocid1.tenancy.oc1.x_y.aaaa"])
      expect(problem(() => parseOciKeySecret(secret({ tenancyOcid })))).to.equal(
        `ociKeySecret.tenancyOcid: "${tenancyOcid}" is not an OCID`,
      );
    expect(problem(() => parseOciKeySecret(secret({ tenancyOcid: "ocid1.tenancy.oc1.eu-frankfurt-1.aaaa" })))).to.equal(
      "accepted",
    );
    for (const bad of [`x${fingerprint}`, `${fingerprint}:`, fingerprint.toUpperCase()])
      expect(problem(() => parseOciKeySecret(secret({ fingerprint: bad })))).to.equal(
        `ociKeySecret.fingerprint: "${bad}" is not an API key fingerprint (16 colon-separated hex bytes)`,
      );
    for (const endpoint of ["a", "grafana.example:443", "g-1.grafana-workspace.eu-west-1.amazonaws.com:8443"])
      expect(
        problem(() => parseProvisionRequest({ ...request(), endpoint })),
        endpoint,
      ).to.equal("accepted");
    for (const endpoint of ["https://g-1.example", "g-1.example:", "g-1.example:44a", "-g.example"])
      expect(
        problem(() => parseProvisionRequest({ ...request(), endpoint })),
        endpoint,
      ).to.equal(`endpoint: "${endpoint}" is not a host name without scheme`);
    expect(problem(() => parseProvisionRequest({ ...request(), endpoint: "" }))).to.equal(
      "endpoint: is missing or not a string",
    );
    expect(problem(() => parseOciKeySecret("null"))).to.equal("ociKeySecret: must be a JSON object");
    expect(problem(() => parseOciKeySecret("7"))).to.equal("ociKeySecret: must be a JSON object");
    expect(new GrafanaApiError(500, "GET", "/api/x", "d").name).to.equal("GrafanaApiError");
  });
});
