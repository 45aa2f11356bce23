/** The order service's credentials (cached, refreshed on refusal) and its settings. */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { CredentialSource, parseCredentials, secretsManagerReader } from "../../functions/aws/orders/secret";
import { serviceSettings } from "../../functions/aws/orders/settings";

const ARN = "arn:aws:secretsmanager:eu-west-1:414910048482:secret:multicloud-dev/database/app-AbCdEf";
const secret = (username: string, password: string) =>
  JSON.stringify({
    username,
    password,
    dsn: "(description=(address=(protocol=tcps)(host=adb)(port=1522)))",
    schema: "MC_APP",
  });

describe("order service credentials", () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());

  it("reads the secret once however many requests ask, from the ARN it was given", async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: secret("MC_SVC", "pw-1") });
    const source = new CredentialSource(secretsManagerReader(new SecretsManagerClient({ region: "eu-west-1" }), ARN));
    const all = await Promise.all(Array.from({ length: 20 }, () => source.current()));
    expect(new Set(all).size).to.equal(1);
    expect(all[0]).to.deep.equal({
      username: "MC_SVC",
      password: "pw-1",
      dsn: "(description=(address=(protocol=tcps)(host=adb)(port=1522)))",
      schema: "MC_APP",
    });
    expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(1);
  });

  it("refreshes once for a burst of refusals, then not again within the minimum interval", async () => {
    let clock = 0;
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: secret("MC_SVC", "pw-1") })
      .resolves({ SecretString: secret("MC_SVC_B", "pw-2") });
    const source = new CredentialSource(
      secretsManagerReader(new SecretsManagerClient({ region: "eu-west-1" }), ARN),
      5_000,
      () => clock,
    );
    const stale = await source.current();
    clock = 60_000;
    const refreshed = await Promise.all(Array.from({ length: 10 }, () => source.refresh(stale)));
    expect(new Set(refreshed.map((c) => c.username))).to.deep.equal(new Set(["MC_SVC_B"]));
    expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(2);
    // A caller still holding the stale credentials gets the new ones without another read.
    expect((await source.refresh(stale)).username).to.equal("MC_SVC_B");
    // The new ones refused too, a second later: no read inside the interval.
    clock = 61_000;
    expect(await source.refresh(refreshed[0])).to.equal(refreshed[0]);
    expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(2);
    clock = 70_000;
    await source.refresh(refreshed[0]);
    expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(3);
  });

  it("keeps the same object when a refresh reads unchanged values (the store then knows nothing changed)", async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: secret("MC_SVC", "pw-1") });
    const source = new CredentialSource(
      secretsManagerReader(new SecretsManagerClient({ region: "eu-west-1" }), ARN),
      0,
    );
    const first = await source.current();
    expect(await source.refresh(first)).to.equal(first);
  });

  it("refuses a secret that is not the expected JSON, naming what is wrong and never the value", () => {
    expect(() => parseCredentials("password=hunter2")).to.throw(
      'the database secret is not JSON; expected {"username", "password", "dsn", "schema"}',
    );
    expect(() => parseCredentials(JSON.stringify({ username: "MC_SVC", password: "" }))).to.throw(
      "the database secret lacks password, dsn;",
    );
    expect(() =>
      parseCredentials(JSON.stringify({ username: "MC_SVC", password: "x", dsn: "d", schema: "mc_app; drop" })),
    ).to.throw("schema is not an upper-case Oracle identifier");
    expect(() => parseCredentials("null")).to.throw("is not a JSON object");
    expect(() => parseCredentials('"text"')).to.throw("is not a JSON object");
    for (const schema of ["MC_APP; DROP", "xMC_APP", 7]) {
      expect(
        () => parseCredentials(JSON.stringify({ username: "MC_SVC", password: "x", dsn: "d", schema })),
        String(schema),
      ).to.throw("schema is not an upper-case Oracle identifier");
    }
    // The schema is optional; a login that owns its tables needs none.
    expect(parseCredentials(JSON.stringify({ username: "MC_SVC", password: "x", dsn: "d" }))).to.deep.equal({
      username: "MC_SVC",
      password: "x",
      dsn: "d",
      schema: undefined,
    });
  });

  it("counts any changed field as new credentials", async () => {
    const base = { username: "MC_SVC", password: "pw-1", dsn: "d1", schema: "MC_APP" };
    for (const change of [{ username: "MC_SVC_B" }, { password: "pw-2" }, { dsn: "d2" }, { schema: "MC_OTHER" }]) {
      let value = base;
      const source = new CredentialSource(async () => JSON.stringify(value), 0);
      const first = await source.current();
      value = { ...base, ...change };
      const next = await source.refresh(first);
      expect(next, JSON.stringify(change)).to.not.equal(first);
      expect(next).to.deep.include(change);
    }
  });
});

describe("order service settings", () => {
  const good = {
    ORDERS_DB_SECRET_ARN: ARN,
    AWS_REGION: "eu-west-1",
    ORDERS_POOL_SIZE: "8",
    ORDERS_POOL_QUEUE_TIMEOUT_MS: "500",
    ORDERS_DB_CALL_TIMEOUT_MS: "5000",
    ORDERS_KAFKA_BROKERS: "b-1.msk.eu-west-1.amazonaws.com:9098",
    ORDERS_AUTH_ISSUER: "https://login.example.com/oauth2/dev",
    ORDERS_AUTH_AUDIENCE: "orders-api-dev",
    ORDERS_AUTH_JWKS_URI: "https://login.example.com/oauth2/dev/v1/keys",
  };

  it("reads the ConfigMap's values, defaults port and drain", () => {
    const settings = serviceSettings(good);
    expect(settings).to.deep.include({
      secretArn: ARN,
      region: "eu-west-1",
      port: 8080,
      drainSeconds: 20,
      kafkaAuth: "iam",
    });
    expect(settings.brokers).to.deep.equal(["b-1.msk.eu-west-1.amazonaws.com:9098"]);
    expect(
      serviceSettings({
        ...good,
        ORDERS_KAFKA_AUTH: "plaintext",
        ORDERS_KAFKA_BROKERS: " 127.0.0.1:9092 , 127.0.0.1:9093",
      }),
    ).to.deep.include({ kafkaAuth: "plaintext", brokers: ["127.0.0.1:9092", "127.0.0.1:9093"] });
    expect(() => serviceSettings({ ...good, ORDERS_KAFKA_BROKERS: "b-1.msk:9098,nohost" })).to.throw(
      'ORDERS_KAFKA_BROKERS is "b-1.msk:9098,nohost"; expected host:port[,host:port…] (the MSK IAM bootstrap brokers)',
    );
    expect(settings.pool).to.deep.include({ size: 8, queueTimeoutMs: 500, callTimeoutMs: 5000 });
  });

  it("reads how to authenticate callers, with the default scope and claim names, and refuses what would weaken it", () => {
    expect(serviceSettings(good).auth).to.deep.equal({
      issuer: "https://login.example.com/oauth2/dev",
      audience: "orders-api-dev",
      jwksUri: "https://login.example.com/oauth2/dev/v1/keys",
      scopes: { read: "orders:read", write: "orders:write", admin: "orders:admin" },
      customerClaim: "customer_id",
      clientClaim: "sub",
    });
    const wrong = (env: Record<string, string | undefined>) => () => serviceSettings({ ...good, ...env });
    expect(wrong({ ORDERS_AUTH_ISSUER: "http://login.example.com/" })).to.throw(
      'ORDERS_AUTH_ISSUER is "http://login.example.com/"; expected the token issuer\'s https URL',
    );
    expect(wrong({ ORDERS_AUTH_JWKS_URI: undefined })).to.throw(
      "ORDERS_AUTH_JWKS_URI is not set; expected the issuer's JWKS https URL",
    );
    expect(wrong({ ORDERS_AUTH_JWKS_PROXY: "10.250.1.10:3128" })).to.throw(
      'ORDERS_AUTH_JWKS_PROXY is "10.250.1.10:3128"; expected http://host:port of the egress proxy',
    );
    expect(wrong({ ORDERS_AUTH_SCOPE_WRITE: "orders:read" })).to.throw(
      "ORDERS_AUTH_SCOPE_READ, ORDERS_AUTH_SCOPE_WRITE and ORDERS_AUTH_SCOPE_ADMIN must be three different scopes",
    );
    expect(wrong({ ORDERS_AUTH_SCOPE_ADMIN: 'orders "admin"' })).to.throw("ORDERS_AUTH_SCOPE_ADMIN is");
    expect(wrong({ ORDERS_AUTH_CUSTOMER_CLAIM: "1st" })).to.throw(
      'ORDERS_AUTH_CUSTOMER_CLAIM is "1st"; expected a claim name',
    );
    expect(serviceSettings({ ...good, ORDERS_AUTH_JWKS_PROXY: "http://10.250.1.10:3128" }).auth.jwksProxy).to.equal(
      "http://10.250.1.10:3128",
    );
  });

  it("reads the order rules: every allowed currency and 0.01 unless narrowed, and refuses a list or minimum orders cannot use", () => {
    expect(serviceSettings(good).rules.minimumAmount).to.equal("0.01");
    expect(serviceSettings(good).rules.currencies.get("EUR")).to.equal(2);
    const narrowed = serviceSettings({ ...good, ORDERS_CURRENCIES: "EUR, JPY, XOF", ORDERS_MIN_AMOUNT: "2.50" }).rules;
    expect([...narrowed.currencies]).to.deep.equal([
      ["EUR", 2],
      ["JPY", 0],
      ["XOF", 0],
    ]);
    expect(serviceSettings(good).rules.currencies.has("XOF"), "X-codes only when listed").to.equal(false);
    expect(narrowed.minimumAmount).to.equal("2.50");
    expect(() => serviceSettings({ ...good, ORDERS_CURRENCIES: "EUR,BHD" })).to.throw(
      "ORDERS_CURRENCIES BHD is not a currency orders may be in",
    );
    expect(() => serviceSettings({ ...good, ORDERS_MIN_AMOUNT: "0.00" })).to.throw(
      'ORDERS_MIN_AMOUNT is "0.00"; expected a decimal above 0 with at most 2 places',
    );
    expect(() => serviceSettings({ ...good, ORDERS_MIN_AMOUNT: "1.005" })).to.throw("ORDERS_MIN_AMOUNT is");
  });

  it("holds each bound and anchors each pattern", () => {
    const wrong = (env: Record<string, string>) => () => serviceSettings({ ...good, ...env });
    expect(
      serviceSettings({ ...good, PORT: "65535", ORDERS_POOL_SIZE: "64", ORDERS_POOL_QUEUE_TIMEOUT_MS: "10" }).pool.size,
    ).to.equal(64);
    expect(serviceSettings({ ...good, ORDERS_POOL_SIZE: "1", ORDERS_DRAIN_SECONDS: "300" }).drainSeconds).to.equal(300);
    expect(wrong({ PORT: "65536" })).to.throw('PORT is "65536"; expected an integer from 1 to 65535');
    expect(wrong({ PORT: "0" })).to.throw('PORT is "0"');
    expect(wrong({ ORDERS_POOL_SIZE: "2.5" })).to.throw('ORDERS_POOL_SIZE is "2.5"; expected an integer from 1 to 64');
    expect(wrong({ ORDERS_DB_SECRET_ARN: `x${ARN}` })).to.throw("ORDERS_DB_SECRET_ARN is");
    expect(wrong({ ORDERS_DB_SECRET_ARN: `${ARN} ` })).to.throw("ORDERS_DB_SECRET_ARN is");
    expect(wrong({ AWS_REGION: "xeu-west-1" })).to.throw(
      'AWS_REGION is "xeu-west-1"; expected an AWS region such as eu-west-1',
    );
    expect(wrong({ AWS_REGION: "eu-west-1x" })).to.throw("AWS_REGION is");
    expect(() => serviceSettings({ ...good, ORDERS_POOL_SIZE: undefined })).to.throw(
      "ORDERS_POOL_SIZE is not set; expected an integer from 1 to 64",
    );
  });

  it("names every wrong variable and what it expects", () => {
    expect(() =>
      serviceSettings({ ...good, ORDERS_POOL_SIZE: "0", ORDERS_DB_SECRET_ARN: undefined, PORT: "http" }),
    ).to.throw(
      [
        "the order service's settings are wrong:",
        "  ORDERS_DB_SECRET_ARN is not set; expected the database secret's ARN",
        '  PORT is "http"; expected an integer from 1 to 65535',
        '  ORDERS_POOL_SIZE is "0"; expected an integer from 1 to 64',
      ].join("\n"),
    );
  });
});
