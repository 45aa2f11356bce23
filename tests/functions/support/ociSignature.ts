/**
 * Checks an OCI HTTP signature (draft-cavage, as OCI documents it) the way the service does: the
 * signing string rebuilt from the signed headers, RSA-SHA256 verified with the public key, and the
 * body's SHA-256 against x-content-sha256.
 */
import { createHash, verify as cryptoVerify } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type http from "node:http";
import type { AddressInfo } from "node:net";

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
  const signingString = signed
    .map((h) =>
      h === "(request-target)"
        ? `(request-target): ${String(req.method).toLowerCase()} ${req.url}`
        : `${h.toLowerCase()}: ${String(req.headers[h.toLowerCase()])}`,
    )
    .join("\n");
  const digestOk = req.headers["x-content-sha256"] === createHash("sha256").update(body).digest("base64");
  return {
    keyId: field("keyId"),
    algorithm: field("algorithm"),
    headers: signed,
    digestOk,
    signatureOk: cryptoVerify(
      "sha256",
      Buffer.from(signingString),
      publicKeyPem,
      Buffer.from(field("signature"), "base64"),
    ),
  };
}

export interface SignedRequest<B> {
  readonly url: string;
  readonly method: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The parsed JSON body; undefined when the request had none. */
  readonly body: B;
  readonly signature: VerifiedSignature;
}

/**
 * An OCI-like JSON API on loopback: each request's signature is verified and recorded with its
 * parsed body, then `respond` answers it (status, headers, JSON body).
 */
export async function startSignedJsonServer<B>(
  publicKeyPem: string,
  respond: (request: SignedRequest<B>) => { status: number; headers?: Record<string, string>; json: unknown },
): Promise<{ url: string; requests: SignedRequest<B>[]; close: () => void }> {
  const requests: SignedRequest<B>[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const request = {
        url: String(req.url),
        method: String(req.method),
        headers: req.headers,
        body: (raw ? JSON.parse(raw) : undefined) as B,
        signature: verifyOciSignature(req, raw, publicKeyPem),
      };
      requests.push(request);
      const answer = respond(request);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.json));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => server.close() };
}
