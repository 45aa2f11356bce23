/**
 * The OCI functions' pool (functions/oci/common/pool.ts): opened on first use, opened again after
 * a failed open, and opened again — the credential read anew — when the database refuses the
 * password after a rotation; any other error passes through without reopening.
 */
import { expect } from "chai";
import { isPasswordRefused, type PoolLike, reopeningPool } from "../../functions/oci/common/pool";

/** Pools that hand out connections named after their generation, or fail as told. */
function pools(behaviour: Array<"ok" | "refused" | "down" | "openFails">) {
  let opened = 0;
  const closed: number[] = [];
  const open = async (): Promise<PoolLike<string>> => {
    const generation = ++opened;
    const how = behaviour[generation - 1] ?? "ok";
    if (how === "openFails") throw new Error("Vault unreachable");
    return {
      getConnection: async () => {
        if (how === "refused")
          throw Object.assign(new Error("ORA-01017: invalid credential or not authorized; logon denied"), {
            errorNum: 1017,
          });
        if (how === "down") throw new Error("NJS-503: connection to host could not be established");
        return `conn-${generation}`;
      },
      close: async () => void closed.push(generation),
    };
  };
  return { open, opened: () => opened, closed };
}

describe("OCI functions' pool: reopening after a rotated password", () => {
  it("opens once and reuses the pool", async () => {
    const p = pools(["ok"]);
    const pool = reopeningPool(p.open);
    expect([await pool.connection(), await pool.connection(), p.opened()]).to.deep.equal(["conn-1", "conn-1", 1]);
  });

  it("closes the pool whose password is refused and opens a new one with the credential read again", async () => {
    const p = pools(["refused", "ok"]);
    const pool = reopeningPool(p.open);
    expect(await pool.connection()).to.equal("conn-2");
    expect([p.opened(), p.closed]).to.deep.equal([2, [1]]);
    expect(await pool.connection()).to.equal("conn-2");
    expect(p.opened()).to.equal(2);
  });

  it("reopens once per call: a password still refused fails the call, and the next call tries again", async () => {
    const p = pools(["refused", "refused", "ok"]);
    const pool = reopeningPool(p.open);
    const failure = await pool.connection().then(
      () => "",
      (e: Error) => e.message,
    );
    expect(failure).to.match(/^ORA-01017/);
    expect(await pool.connection()).to.equal("conn-3");
  });

  it("passes other errors through without reopening, and tries a failed open again on the next call", async () => {
    const down = pools(["down"]);
    const pool = reopeningPool(down.open);
    expect(
      await pool.connection().then(
        () => "",
        (e: Error) => e.message,
      ),
    ).to.match(/^NJS-503/);
    expect(down.opened()).to.equal(1);
    const vault = pools(["openFails", "ok"]);
    const second = reopeningPool(vault.open);
    expect(
      await second.connection().then(
        () => "",
        (e: Error) => e.message,
      ),
    ).to.equal("Vault unreachable");
    expect(await second.connection()).to.equal("conn-2");
  });

  it("recognises a refused password by its number or its message, nothing else", () => {
    expect([
      isPasswordRefused({ errorNum: 1017 }),
      isPasswordRefused(new Error("ORA-01017: invalid credential")),
      isPasswordRefused(new Error("ORA-12545: connect failed")),
      isPasswordRefused(null),
    ]).to.deep.equal([true, true, false, false]);
  });
});
