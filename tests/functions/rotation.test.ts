/**
 * Alternating-user rotation against a stateful Secrets Manager fake (versions and stages, as the
 * service keeps them) linked to an Oracle fake that accepts only the password each user currently
 * holds. A failure is injected at every call of every step; after each, AWSCURRENT still logs in,
 * and running the steps again completes the rotation. Every step is also run twice.
 */
import { expect } from "chai";
import { DbSecret } from "../../functions/aws/migrate/contract";
import { ROTATION_STEPS, RotationStep } from "../../functions/aws/rotate/contract";
import { parseRotationEvent } from "../../functions/aws/rotate/handler";
import {
  alternateUser,
  CURRENT,
  generatePassword,
  PENDING,
  rotate,
  RotationDeps,
  SecretStore,
  UserDirectory,
} from "../../functions/aws/rotate/rotation";
import { SPLICEABLE_PASSWORD } from "../../functions/aws/rotate/users";

const DSN = "(description=(address=(protocol=tcps)(port=1522)(host=mcdev.adb.eu-frankfurt-1.oraclecloud.com)))";
const APP = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:multicloud-dev/database/app-AbC123";
const ADMIN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:multicloud-dev/database/admin-XyZ789";

/** Secrets Manager as rotation sees it: versions with stages; AWSPREVIOUS follows AWSCURRENT. */
class FakeSecrets implements SecretStore {
  readonly secrets = new Map<
    string,
    { rotationEnabled: boolean; versions: Map<string, { value: string; stages: Set<string> }> }
  >();
  calls: string[] = [];

  create(id: string, value: DbSecret, rotationEnabled: boolean) {
    this.secrets.set(id, {
      rotationEnabled,
      versions: new Map([["v0", { value: JSON.stringify(value), stages: new Set([CURRENT]) }]]),
    });
  }
  private secret(id: string) {
    const s = this.secrets.get(id);
    if (!s) throw Object.assign(new Error(`no secret ${id}`), { name: "ResourceNotFoundException" });
    return s;
  }
  current(id: string): DbSecret {
    const v = [...this.secret(id).versions.values()].find((x) => x.stages.has(CURRENT));
    return JSON.parse(String(v?.value)) as DbSecret;
  }
  /** Secrets Manager's own first move: a new version labelled AWSPENDING, before createSecret. */
  startRotation(id: string, token: string) {
    const s = this.secret(id);
    if (!s.versions.has(token)) s.versions.set(token, { value: "", stages: new Set([PENDING]) });
  }
  async describe(id: string) {
    this.calls.push("describe");
    const s = this.secret(id);
    return {
      rotationEnabled: s.rotationEnabled,
      versions: Object.fromEntries([...s.versions].map(([k, v]) => [k, [...v.stages]])),
    };
  }
  async getValue(id: string, by: { versionId?: string; stage: string }) {
    this.calls.push("getValue");
    const s = this.secret(id);
    const v = by.versionId
      ? s.versions.get(by.versionId)
      : [...s.versions.values()].find((x) => x.stages.has(by.stage));
    return v && v.value !== "" && v.stages.has(by.stage) ? v.value : undefined;
  }
  async putPending(id: string, versionId: string, value: string) {
    this.calls.push("putPending");
    const v = this.secret(id).versions.get(versionId);
    if (v && v.value !== "" && v.value !== value)
      throw Object.assign(new Error("version exists with another value"), { name: "ResourceExistsException" });
    this.secret(id).versions.set(versionId, { value, stages: new Set([PENDING]) });
  }
  async moveCurrent(id: string, to: string, from: string) {
    this.calls.push("moveCurrent");
    const versions = this.secret(id).versions;
    const source = versions.get(from);
    const target = versions.get(to);
    if (!source?.stages.has(CURRENT) || !target)
      throw new Error("InvalidParameterException: AWSCURRENT is not on the version to move it from");
    for (const v of versions.values()) v.stages.delete("AWSPREVIOUS");
    source.stages.delete(CURRENT);
    source.stages.add("AWSPREVIOUS");
    target.stages.add(CURRENT);
  }
}

/** An Oracle that accepts exactly the password each user holds now (none for a schema-only user). */
class FakeOracle implements UserDirectory {
  readonly passwords = new Map<string, string | undefined>([
    ["ADMIN", "AdminPassword123456789012345"],
    ["MC_SVC", "Initial0Password0of0MC0SVC0x"],
    ["MC_SVC_B", undefined],
  ]);
  calls: string[] = [];
  async canLogin(dsn: string, username: string, password: string) {
    this.calls.push("canLogin");
    if (dsn !== DSN) throw new Error(`ORA-12154: cannot connect to ${dsn}`);
    return this.passwords.get(username.toUpperCase()) === password;
  }
  async setPassword(admin: DbSecret, username: string, password: string) {
    this.calls.push("setPassword");
    if (this.passwords.get(admin.username) !== admin.password)
      throw Object.assign(new Error("ORA-01017: invalid username/password"), { errorNum: 1017 });
    this.passwords.set(username.toUpperCase(), password);
  }
}

function world() {
  const secrets = new FakeSecrets();
  const oracle = new FakeOracle();
  secrets.create(
    APP,
    { username: "MC_SVC", password: "Initial0Password0of0MC0SVC0x", dsn: DSN, schema: "MC_APP" },
    true,
  );
  secrets.create(ADMIN, { username: "ADMIN", password: "AdminPassword123456789012345", dsn: DSN }, false);
  let n = 0;
  const deps: RotationDeps = {
    store: secrets,
    users: oracle,
    adminSecretId: ADMIN,
    newPassword: () => `Rotated${++n}Password0123456789ab`,
  };
  const currentLogsIn = async () => {
    const c = secrets.current(APP);
    return oracle.canLogin(c.dsn, c.username, c.password);
  };
  return { secrets, oracle, deps, currentLogsIn };
}

const step = (Step: RotationStep, token = "t1") => ({ SecretId: APP, ClientRequestToken: token, Step });

/** Wraps every method of `target` so that the `failAt`-th call (counting all methods) throws. */
function failingAt<T extends object>(target: T, failAt: number): { proxy: T; calls: () => number } {
  let count = 0;
  const proxy = new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        count += 1;
        if (count === failAt) throw new Error(`injected failure in ${String(prop)}`);
        return (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
      };
    },
  });
  return { proxy, calls: () => count };
}

describe("service secret rotation: alternating users (pure logic, stateful fakes)", () => {
  it("moves the secret to the other user with a new password; the old user still logs in with its old one", async () => {
    const { secrets, oracle, deps } = world();
    secrets.startRotation(APP, "t1");
    for (const s of ROTATION_STEPS) await rotate(step(s), deps);
    const current = secrets.current(APP);
    expect(current).to.deep.equal({
      username: "MC_SVC_B",
      password: "Rotated1Password0123456789ab",
      dsn: DSN,
      schema: "MC_APP",
    });
    expect(await oracle.canLogin(DSN, "MC_SVC_B", "Rotated1Password0123456789ab")).to.equal(true);
    expect(await oracle.canLogin(DSN, "MC_SVC", "Initial0Password0of0MC0SVC0x")).to.equal(true);
    // The next rotation goes back to MC_SVC, with a new password.
    secrets.startRotation(APP, "t2");
    for (const s of ROTATION_STEPS) await rotate(step(s, "t2"), deps);
    expect(secrets.current(APP).username).to.equal("MC_SVC");
    expect(oracle.passwords.get("MC_SVC")).to.equal("Rotated2Password0123456789ab");
    expect(oracle.passwords.get("MC_SVC_B")).to.equal("Rotated1Password0123456789ab");
  });

  it("each step run twice changes nothing the second time", async () => {
    const { secrets, oracle, deps } = world();
    secrets.startRotation(APP, "t1");
    for (const s of ROTATION_STEPS) {
      await rotate(step(s), deps);
      const before = JSON.stringify(
        [...secrets.secrets.get(APP)!.versions].map(([k, v]) => [k, v.value, [...v.stages].sort()]),
      );
      const passwords = JSON.stringify([...oracle.passwords]);
      await rotate(step(s), deps);
      expect(
        JSON.stringify([...secrets.secrets.get(APP)!.versions].map(([k, v]) => [k, v.value, [...v.stages].sort()])),
        s,
      ).to.equal(before);
      expect(JSON.stringify([...oracle.passwords]), s).to.equal(passwords);
    }
    expect(secrets.current(APP).username).to.equal("MC_SVC_B");
  });

  // The calls each step makes when nothing fails: createSecret and finishSecret touch only the secret store.
  const CALLS: Record<RotationStep, { secrets: number; oracle: number }> = {
    createSecret: { secrets: 4, oracle: 0 },
    setSecret: { secrets: 4, oracle: 2 },
    testSecret: { secrets: 2, oracle: 1 },
    finishSecret: { secrets: 2, oracle: 0 },
  };
  for (const [index, failingStep] of ROTATION_STEPS.entries()) {
    it(`a failure at any call of ${failingStep} leaves AWSCURRENT logging in, and a retry completes the rotation`, async () => {
      const calls = { secrets: 0, oracle: 0 };
      for (const side of ["secrets", "oracle"] as const) {
        const probe = world();
        probe.secrets.startRotation(APP, "t1");
        for (const s of ROTATION_STEPS.slice(0, index)) await rotate(step(s), probe.deps);
        const counted =
          side === "secrets" ? failingAt<SecretStore>(probe.secrets, 0) : failingAt<UserDirectory>(probe.oracle, 0);
        await rotate(step(failingStep), {
          ...probe.deps,
          ...(side === "secrets" ? { store: counted.proxy as SecretStore } : { users: counted.proxy as UserDirectory }),
        });
        calls[side] = counted.calls();
      }
      expect(calls).to.deep.equal(CALLS[failingStep]);
      for (const side of ["secrets", "oracle"] as const) {
        for (let failAt = 1; failAt <= calls[side]; failAt++) {
          const { secrets, oracle, deps, currentLogsIn } = world();
          secrets.startRotation(APP, "t1");
          for (const s of ROTATION_STEPS.slice(0, index)) await rotate(step(s), deps);
          const failing =
            side === "secrets" ? failingAt<SecretStore>(secrets, failAt) : failingAt<UserDirectory>(oracle, failAt);
          let error = "";
          await rotate(step(failingStep), {
            ...deps,
            ...(side === "secrets"
              ? { store: failing.proxy as SecretStore }
              : { users: failing.proxy as UserDirectory }),
          }).catch((err: Error) => (error = err.message));
          expect(error, `${failingStep}, ${side} call ${failAt}`).to.match(/^injected failure/);
          expect(
            await currentLogsIn(),
            `AWSCURRENT logs in after a failure at ${side} call ${failAt} of ${failingStep}`,
          ).to.equal(true);
          // Secrets Manager retries the step, then goes on.
          for (const s of ROTATION_STEPS.slice(index)) await rotate(step(s), deps);
          expect(secrets.current(APP).username).to.equal("MC_SVC_B");
          expect(await currentLogsIn()).to.equal(true);
        }
      }
    });
  }

  it("refuses to alter the user AWSCURRENT names, a secret without rotation, and an unknown or non-pending version", async () => {
    const { secrets, deps } = world();
    secrets.startRotation(APP, "t1");
    await secrets.putPending(
      APP,
      "t1",
      JSON.stringify({ username: "MC_SVC", password: "Whatever123456789012", dsn: DSN }),
    );
    let error = "";
    await rotate(step("setSecret"), deps).catch((err: Error) => (error = err.message));
    expect(error).to.equal(
      "pending version t1 names MC_SVC, the user AWSCURRENT holds; refusing to change the password in use",
    );
    await rotate({ SecretId: ADMIN, ClientRequestToken: "t1", Step: "createSecret" }, deps).catch(
      (err: Error) => (error = err.message),
    );
    expect(error).to.equal(`${ADMIN} does not have rotation enabled`);
    await rotate(step("createSecret", "nope"), deps).catch((err: Error) => (error = err.message));
    expect(error).to.equal(`${APP} has no version nope to rotate to`);
    await rotate(step("createSecret", "v0"), deps); // already AWSCURRENT: nothing to do
    secrets.secrets.get(APP)!.versions.set("odd", { value: "{}", stages: new Set() });
    await rotate(step("createSecret", "odd"), deps).catch((err: Error) => (error = err.message));
    expect(error).to.equal(`version odd of ${APP} is not AWSPENDING`);
  });

  it("testSecret fails when the pending password does not log in", async () => {
    const { secrets, deps } = world();
    secrets.startRotation(APP, "t1");
    await rotate(step("createSecret"), deps);
    let error = "";
    await rotate(step("testSecret"), deps).catch((err: Error) => (error = err.message));
    expect(error).to.equal("the pending credentials of MC_SVC_B do not log in; setSecret has not taken effect");
  });

  it("alternates between the two service users only, and generates passwords ADB and V001 accept", () => {
    expect([alternateUser("MC_SVC"), alternateUser("mc_svc_b")]).to.deep.equal(["MC_SVC_B", "MC_SVC"]);
    expect(() => alternateUser("ADMIN")).to.throw(
      "the secret names user ADMIN; rotation alternates between MC_SVC and MC_SVC_B",
    );
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p)
        .to.match(SPLICEABLE_PASSWORD)
        .and.match(/^[A-Za-z]/)
        .and.match(/[A-Z].*[A-Z]/)
        .and.match(/[a-z].*[a-z]/)
        .and.match(/\d.*\d/);
      expect(p).to.have.length(30);
    }
  });

  it("logs each step's outcome with the version and user, never a password", async () => {
    const { secrets, deps } = world();
    const lines: Array<[string, Record<string, unknown>]> = [];
    const logged: RotationDeps = { ...deps, log: (message, fields) => lines.push([message, fields]) };
    secrets.startRotation(APP, "t1");
    for (const s of ROTATION_STEPS) await rotate(step(s), logged);
    for (const s of ROTATION_STEPS.slice(0, 3)) await rotate(step(s), logged);
    await rotate(step("finishSecret"), logged);
    expect(lines).to.deep.equal([
      ["pending version created", { step: "createSecret", token: "t1", username: "MC_SVC_B" }],
      ["pending password set", { step: "setSecret", token: "t1", username: "MC_SVC_B" }],
      ["pending credentials log in", { step: "testSecret", token: "t1", username: "MC_SVC_B" }],
      ["rotation finished", { step: "finishSecret", token: "t1", previous: "v0" }],
      // Again: t1 is now AWSCURRENT, so every step has nothing to do.
      ["version already current; nothing to do", { step: "createSecret", token: "t1" }],
      ["version already current; nothing to do", { step: "setSecret", token: "t1" }],
      ["version already current; nothing to do", { step: "testSecret", token: "t1" }],
      ["version already current; nothing to do", { step: "finishSecret", token: "t1" }],
    ]);
    expect(JSON.stringify(lines)).to.not.contain("Password");
    // A re-run before finishing says what it found.
    const again = world();
    const seen: string[] = [];
    again.secrets.startRotation(APP, "t1");
    for (const s of ROTATION_STEPS.slice(0, 2)) await rotate(step(s), again.deps);
    for (const s of ROTATION_STEPS.slice(0, 2))
      await rotate(step(s), { ...again.deps, log: (message) => seen.push(message) });
    expect(seen).to.deep.equal(["pending version exists", "pending password already set"]);
  });

  it("refuses an unknown step, and a secret without AWSCURRENT", async () => {
    const { secrets, deps } = world();
    secrets.startRotation(APP, "t1");
    let error = "";
    await rotate({ ...step("createSecret"), Step: "rotateAll" as RotationStep }, deps).catch(
      (err: Error) => (error = err.message),
    );
    expect(error).to.equal(
      "unknown rotation step rotateAll; expected createSecret, setSecret, testSecret or finishSecret",
    );
    secrets.secrets.get(APP)!.versions.get("v0")!.stages.clear();
    await rotate(step("finishSecret"), deps).catch((err: Error) => (error = err.message));
    expect(error).to.equal(`${APP} has no AWSCURRENT version`);
    await rotate(step("createSecret"), deps).catch((err: Error) => (error = err.message));
    expect(error).to.equal(`${APP} has no AWSCURRENT`);
    expect([CURRENT, PENDING]).to.deep.equal(["AWSCURRENT", "AWSPENDING"]);
  });

  it("reads Secrets Manager's event field by field", () => {
    expect(parseRotationEvent({ SecretId: APP, ClientRequestToken: "t", Step: "setSecret" })).to.deep.equal({
      SecretId: APP,
      ClientRequestToken: "t",
      Step: "setSecret",
    });
    expect(() => parseRotationEvent({ SecretId: APP, Step: "setSecret" })).to.throw(
      "rotation event: ClientRequestToken must be a non-empty string",
    );
    expect(() => parseRotationEvent({ SecretId: APP, ClientRequestToken: "t", Step: "rotate" })).to.throw(
      "rotation event: Step rotate is not one of createSecret, setSecret, testSecret, finishSecret",
    );
  });
});
