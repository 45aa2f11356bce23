/** The database's users behind the rotation's UserDirectory, on node-oracledb (thin mode). */
import oracledb from "oracledb";
import { UserDirectory } from "./rotation";

/** ORA-01017: invalid username/password; logon denied. ORA-28000: the account is locked. */
const REFUSED = new Set([1017, 28000]);

/** Only letters, digits, _ and #: the password is spliced into DDL (ALTER USER cannot take binds). */
export const SPLICEABLE_PASSWORD = /^[A-Za-z0-9_#]{12,30}$/;
const USERNAME = /^[A-Z][A-Z0-9_]{0,127}$/;

export function oracleUsers(): UserDirectory {
  return {
    canLogin: async (dsn, username, password) => {
      try {
        const conn = await oracledb.getConnection({ user: username, password, connectString: dsn });
        await conn.close();
        return true;
      } catch (err) {
        if (REFUSED.has((err as { errorNum?: number }).errorNum ?? -1)) return false;
        throw err;
      }
    },
    setPassword: async (admin, username, password) => {
      if (!USERNAME.test(username))
        throw new Error(`refusing to alter user ${JSON.stringify(username)}: not a plain upper-case Oracle name`);
      if (!SPLICEABLE_PASSWORD.test(password))
        throw new Error("refusing a password that is not 12–30 letters, digits, _ or #");
      const conn = await oracledb.getConnection({
        user: admin.username,
        password: admin.password,
        connectString: admin.dsn,
      });
      try {
        await conn.execute(`ALTER USER ${username} IDENTIFIED BY "${password}" ACCOUNT UNLOCK`);
      } finally {
        await conn.close();
      }
    },
  };
}
