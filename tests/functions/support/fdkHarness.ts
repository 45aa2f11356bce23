/**
 * A function behind the real FDK (`@fnproject/fdk`, http-stream) in a child process, called as the
 * Functions service calls it: POST /call on the unix socket named by FN_LISTENER, with the FDK's
 * headers (and, for an API Gateway request, the HTTP request in Fn-Http-* headers).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

export interface FdkResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface FdkCall {
  readonly body?: string;
  readonly contentType?: string;
  /** An API Gateway request: its method, URL and headers. */
  readonly gateway?: { readonly method: string; readonly url: string; readonly headers?: Record<string, string> };
}

export interface FdkProcess {
  /** One call; the first waits (up to 30 s) for the FDK to listen. */
  call(request: FdkCall): Promise<FdkResponse>;
  stop(): Promise<void>;
}

function post(socket: string, request: FdkCall): Promise<FdkResponse> {
  const gateway = request.gateway
    ? {
        "Fn-Intent": "httprequest",
        "Fn-Http-Method": request.gateway.method,
        "Fn-Http-Request-Url": request.gateway.url,
        ...Object.fromEntries(Object.entries(request.gateway.headers ?? {}).map(([k, v]) => [`Fn-Http-H-${k}`, v])),
      }
    : {};
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: socket,
        path: "/call",
        method: "POST",
        headers: {
          "content-type": request.contentType ?? "application/json",
          "fn-call-id": "01TEST",
          "fn-deadline": new Date(Date.now() + 30_000).toISOString(),
          ...gateway,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(request.body ?? "");
  });
}

/** Starts `script` (a TypeScript entry that calls fdk.handle) behind the FDK. */
export function startFdk(script: string): FdkProcess {
  const socket = path.join(mkdtempSync(path.join(tmpdir(), "fdk-")), "lsnr.sock");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, FN_FORMAT: "http-stream", FN_LISTENER: `unix:${socket}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  let listening = false;
  return {
    async call(request) {
      for (;;) {
        try {
          const response = await post(socket, request);
          listening = true;
          return response;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (listening || (code !== "ENOENT" && code !== "ECONNREFUSED")) throw err;
          // Waits as long as the FDK is starting (a loaded machine may take long); fails once it has exited.
          if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(`the FDK exited before listening: ${stderr}`, { cause: err });
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async stop() {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
