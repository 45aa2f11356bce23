/**
 * OCI's request signature (HTTP Signatures draft-cavage-08, as OCI documents it: "Request
 * Signatures" in the OCI API reference) with node:crypto: RSA-SHA256 over date, (request-target),
 * host and, for a body, content-length, content-type and x-content-sha256. Our own because
 * oci-common's signer pulls 700 KiB of dependencies into a Lambda bundle (sshpk, node-fetch, tr46);
 * the tests verify both signers' output with the same verifier.
 */
import { createHash, createPrivateKey, KeyObject, sign } from "node:crypto";

export interface SignableRequest {
  readonly method: string;
  readonly uri: string;
  readonly headers: Headers;
  readonly body?: string;
}

export interface OciApiKey {
  readonly tenancyOcid: string;
  readonly userOcid: string;
  readonly fingerprint: string;
  readonly privateKeyPem: string;
}

export function ociRequestSigner(
  key: OciApiKey,
  now: () => Date = () => new Date(),
): { signHttpRequest(request: SignableRequest): Promise<void> } {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key.privateKeyPem);
  } catch {
    throw new Error("the OCI API key's private key is not a PEM private key");
  }
  const keyId = `${key.tenancyOcid}/${key.userOcid}/${key.fingerprint}`;
  return {
    async signHttpRequest(request) {
      const url = new URL(request.uri);
      const headers = request.headers;
      headers.set("date", now().toUTCString());
      headers.set("host", url.host);
      const names = ["date", "(request-target)", "host"];
      if (request.body !== undefined && ["POST", "PUT", "PATCH"].includes(request.method.toUpperCase())) {
        headers.set("content-length", String(Buffer.byteLength(request.body)));
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
        headers.set("x-content-sha256", createHash("sha256").update(request.body).digest("base64"));
        names.push("content-length", "content-type", "x-content-sha256");
      }
      const signingString = names
        .map((name) =>
          name === "(request-target)"
            ? `(request-target): ${request.method.toLowerCase()} ${url.pathname}${url.search}`
            : `${name}: ${headers.get(name)}`,
        )
        .join("\n");
      const signature = sign("sha256", Buffer.from(signingString), privateKey).toString("base64");
      headers.set(
        "authorization",
        `Signature version="1",keyId="${keyId}",algorithm="rsa-sha256",headers="${names.join(" ")}",signature="${signature}"`,
      );
    },
  };
}
