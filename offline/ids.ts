/** Deterministic, unique-per-resource values for the offline engine (same program → same values). */
import { createHash } from "node:crypto";

/** Lower-case hex digest of the parts, cut to `length`. */
export function hexId(length: number, ...parts: string[]): string {
  let out = "";
  for (let round = 0; out.length < length; round++) {
    out += createHash("sha256")
      .update([round, ...parts].join("\u0000"))
      .digest("hex");
  }
  return out.slice(0, length);
}

/** Base-32-ish lower-case id like OCIDs carry (a-z, 0-9). */
export function ocidSuffix(...parts: string[]): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const hex = hexId(120, ...parts);
  let out = "";
  for (let i = 0; i < 60; i++) out += alphabet[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % alphabet.length];
  return out;
}

/** An address in a documentation range (RFC 5737), so a value can never reach a real host. */
export function documentationIp(...parts: string[]): string {
  const ranges = ["192.0.2", "198.51.100", "203.0.113"];
  const hex = hexId(6, ...parts);
  const block = ranges[parseInt(hex.slice(0, 2), 16) % ranges.length];
  const host = (parseInt(hex.slice(2, 6), 16) % 253) + 1;
  return `${block}.${host}`;
}

/** A UUID-shaped id. */
export function uuid(...parts: string[]): string {
  const h = hexId(32, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
