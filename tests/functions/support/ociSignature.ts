/**
 * Checks an OCI HTTP signature (draft-cavage, as OCI documents it) the way the service does: the
 * signing string rebuilt from the signed headers, RSA-SHA256 verified with the public key, and the
 * body's SHA-256 against x-content-sha256.
 */
import { createHash, verify as cryptoVerify } from "node:crypto";
import type http from "node:http";

export interface VerifiedSignature {
  readonly keyId: string;
  readonly algorithm: string;
  readonly headers: string[];
  readonly digestOk: boolean;
  readonly signatureOk: boolean;
}

export function verifyOciSignature(req: http.IncomingMessage, body: string, publicKeyPem: string): VerifiedSignature {
  const auth = String(req.headers.authorization);
  const field = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(auth)?.[1] ?? "";
  const signed = field("headers").split(" ");
  // Header names are case-insensitive: the signing string has them in lower case.
  const signingString = signed.map((h) => (h === "(request-target)" ? `(request-target): ${String(req.method).toLowerCase()} ${req.url}` : `${h.toLowerCase()}: ${String(req.headers[h.toLowerCase()])}`)).join("\n");
  const digestOk = req.headers["x-content-sha256"] === createHash("sha256").update(body).digest("base64");
  return { keyId: field("keyId"), algorithm: field("algorithm"), headers: signed, digestOk, signatureOk: cryptoVerify("sha256", Buffer.from(signingString), publicKeyPem, Buffer.from(field("signature"), "base64")) };
}
