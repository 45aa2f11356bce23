/**
 * Alternating-user rotation of the services' database secret, as Secrets Manager drives it: four
 * steps, each safe to run again. The secret names one of two logins with identical privileges
 * (MC_SVC, MC_SVC_B); a rotation gives the *other* login a new password and then makes it current.
 * The login in AWSCURRENT is never altered, so every pool keeps working and, after a failure at
 * any point, AWSCURRENT still logs in. Behind two small interfaces (the secret store, the
 * database's users) so the logic is tested against stateful fakes.
 */
import { randomInt } from "node:crypto";
import { DbSecret, parseDbSecret } from "../migrate/contract";
import { RotationStep, SERVICE_USERS } from "./contract";

export const CURRENT = "AWSCURRENT";
export const PENDING = "AWSPENDING";

/** The few Secrets Manager calls rotation makes. */
export interface SecretStore {
  /** Whether rotation is on, and each version's stages. */
  describe(
    secretId: string,
  ): Promise<{ readonly rotationEnabled: boolean; readonly versions: Readonly<Record<string, readonly string[]>> }>;
  /** The value of a version (by id) or of the version holding a stage; undefined when there is none. */
  getValue(secretId: string, by: { readonly versionId?: string; readonly stage: string }): Promise<string | undefined>;
  /** Stores `value` as version `versionId` labelled AWSPENDING (idempotent for the same value). */
  putPending(secretId: string, versionId: string, value: string): Promise<void>;
  /** Moves AWSCURRENT from `fromVersionId` to `toVersionId`. */
  moveCurrent(secretId: string, toVersionId: string, fromVersionId: string): Promise<void>;
}

/** The database's side: who can log in, and setting a user's password as the admin. */
export interface UserDirectory {
  /** True when the credentials log in; false when the database refuses them (ORA-01017); other errors throw. */
  canLogin(dsn: string, username: string, password: string): Promise<boolean>;
  /** ALTER USER … IDENTIFIED BY … as the admin (which also unlocks the account). */
  setPassword(admin: DbSecret, username: string, password: string): Promise<void>;
}

export interface RotationDeps {
  readonly store: SecretStore;
  readonly users: UserDirectory;
  /** The ADMIN secret's id. */
  readonly adminSecretId: string;
  /** A new password (injectable for tests). */
  readonly newPassword?: () => string;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: RotationStep;
}

const ALPHABET = { upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", lower: "abcdefghijklmnopqrstuvwxyz", digit: "0123456789" };

/**
 * 30 letters and digits, at least two of each class, starting with a letter: what Autonomous
 * Database accepts and what V001's check (letters, digits, _ #; spliced into DDL) allows.
 */
export function generatePassword(length = 30): string {
  const all = ALPHABET.upper + ALPHABET.lower + ALPHABET.digit;
  const pick = (set: string) => set[randomInt(set.length)];
  const chars = [
    pick(ALPHABET.upper + ALPHABET.lower),
    ...[ALPHABET.upper, ALPHABET.upper, ALPHABET.lower, ALPHABET.lower, ALPHABET.digit, ALPHABET.digit].map(pick),
  ];
  while (chars.length < length) chars.push(pick(all));
  // Shuffle all but the first (a letter), so the classes' positions are not fixed.
  for (let i = chars.length - 1; i > 1; i--) {
    const j = 1 + randomInt(i);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/** The login the secret does not currently name. */
export function alternateUser(username: string): string {
  const index = SERVICE_USERS.indexOf(username.toUpperCase() as (typeof SERVICE_USERS)[number]);
  if (index < 0)
    throw new Error(`the secret names user ${username}; rotation alternates between ${SERVICE_USERS.join(" and ")}`);
  return SERVICE_USERS[1 - index];
}

async function secretAt(
  deps: RotationDeps,
  secretId: string,
  by: { versionId?: string; stage: string },
  what: string,
): Promise<DbSecret> {
  const text = await deps.store.getValue(secretId, by);
  if (text === undefined) throw new Error(`${secretId} has no ${what}`);
  return parseDbSecret(text, `${secretId} (${what})`);
}

/** Runs one step. Each is idempotent: run again after success or failure, it converges. */
export async function rotate(event: RotationEvent, deps: RotationDeps): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const log = deps.log ?? (() => undefined);
  const described = await deps.store.describe(secretId);
  if (!described.rotationEnabled) throw new Error(`${secretId} does not have rotation enabled`);
  const stages = described.versions[token];
  if (!stages) throw new Error(`${secretId} has no version ${token} to rotate to`);
  if (stages.includes(CURRENT)) {
    log("version already current; nothing to do", { step, token });
    return;
  }
  if (!stages.includes(PENDING)) throw new Error(`version ${token} of ${secretId} is not AWSPENDING`);

  switch (step) {
    case "createSecret": {
      const current = await secretAt(deps, secretId, { stage: CURRENT }, CURRENT);
      if ((await deps.store.getValue(secretId, { versionId: token, stage: PENDING })) !== undefined) {
        log("pending version exists", { step, token });
        return;
      }
      const next: DbSecret = {
        ...current,
        username: alternateUser(current.username),
        password: (deps.newPassword ?? generatePassword)(),
      };
      await deps.store.putPending(secretId, token, JSON.stringify(next));
      log("pending version created", { step, token, username: next.username });
      return;
    }
    case "setSecret": {
      const pending = await secretAt(deps, secretId, { versionId: token, stage: PENDING }, `pending version ${token}`);
      const current = await secretAt(deps, secretId, { stage: CURRENT }, CURRENT);
      // Never the login in use: its pools would lose new connections.
      if (pending.username.toUpperCase() === current.username.toUpperCase()) {
        throw new Error(
          `pending version ${token} names ${pending.username}, the user AWSCURRENT holds; refusing to change the password in use`,
        );
      }
      if (await deps.users.canLogin(pending.dsn, pending.username, pending.password)) {
        log("pending password already set", { step, token, username: pending.username });
        return;
      }
      const admin = await secretAt(deps, deps.adminSecretId, { stage: CURRENT }, "admin AWSCURRENT");
      await deps.users.setPassword(admin, pending.username, pending.password);
      log("pending password set", { step, token, username: pending.username });
      return;
    }
    case "testSecret": {
      const pending = await secretAt(deps, secretId, { versionId: token, stage: PENDING }, `pending version ${token}`);
      if (!(await deps.users.canLogin(pending.dsn, pending.username, pending.password))) {
        throw new Error(`the pending credentials of ${pending.username} do not log in; setSecret has not taken effect`);
      }
      log("pending credentials log in", { step, token, username: pending.username });
      return;
    }
    case "finishSecret": {
      const currentVersion = Object.entries(described.versions).find(([, s]) => s.includes(CURRENT))?.[0];
      if (!currentVersion) throw new Error(`${secretId} has no AWSCURRENT version`);
      await deps.store.moveCurrent(secretId, token, currentVersion);
      log("rotation finished", { step, token, previous: currentVersion });
      return;
    }
    default:
      throw new Error(
        `unknown rotation step ${String(step)}; expected createSecret, setSecret, testSecret or finishSecret`,
      );
  }
}
