/**
 * The API function's FDK glue: the request from the FDK's HTTP gateway context (method, URL,
 * headers, body) into handleApi, and the response's status and headers back through it. Kept
 * apart from handler.ts so a test runs it behind the real FDK without Vault or a database.
 */
import { type ApiDeps, type ApiRequest, handleApi } from "./api";

/** The part of the FDK's context the API uses (its HTTP gateway view). */
export interface GatewayContext {
  readonly httpGateway: {
    readonly method: string;
    readonly requestURL: string;
    getHeader(name: string): string | null;
    statusCode: number;
    setResponseHeader(name: string, ...values: string[]): void;
  };
}

/** The response body comes back as a value: the FDK writes it as JSON, as the Content-Type says. */
export async function answerGateway(input: unknown, ctx: GatewayContext, deps: ApiDeps): Promise<unknown> {
  const gateway = ctx.httpGateway;
  const request: ApiRequest = {
    method: gateway.method,
    url: gateway.requestURL,
    header: (name) => gateway.getHeader(name),
    body: typeof input === "string" ? input : "",
  };
  let response;
  try {
    response = await handleApi(request, deps);
  } catch (err) {
    // Whatever escaped is logged, and the caller gets a plain 500: never a stack trace.
    deps.log({ event: "api.error", error: (err as Error).message });
    response = {
      status: 500,
      headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
      body: { error: "internal error" },
    };
  }
  gateway.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) gateway.setResponseHeader(name, value);
  return response.body;
}
