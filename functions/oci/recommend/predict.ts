/**
 * The Data Science predict call: a POST of the scorer request, signed with OCI's HTTP signature
 * scheme by the given signer (the function's resource principal in production), bounded by a
 * timeout. Any non-2xx answer is an error naming the status.
 */
import type { HttpRequest } from "oci-common/lib/http-request";
import type { Predict } from "./scorer";

export interface HttpSigner {
  signHttpRequest(request: HttpRequest): Promise<void>;
}

export function ociPredict(url: string, signer: HttpSigner): Predict {
  return async (request, timeoutMs) => {
    const body = JSON.stringify(request);
    const http: HttpRequest = {
      method: "POST",
      uri: url,
      headers: new Headers({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }),
      body,
    };
    await signer.signHttpRequest(http);
    const response = await fetch(url, {
      method: "POST",
      headers: http.headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the scorer answered HTTP ${response.status}`);
    return response.json();
  };
}
