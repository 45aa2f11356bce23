/**
 * A Grafana HTTP API on loopback with the behaviour the provisioning relies on: bearer tokens
 * (401 without a valid one), plugins installed once (409 on a second install), folders and
 * datasources keyed by uid (404 when missing, 409 on a duplicate uid or name, as Grafana answers),
 * dashboards saved by uid with a version that counts saves. secureJsonData is write-only, as in
 * Grafana: GET never returns it.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeGrafanaState {
  readonly plugins: Set<string>;
  readonly folders: Map<string, { uid: string; title: string }>;
  readonly datasources: Map<string, { id: number; body: Record<string, unknown> }>;
  readonly dashboards: Map<string, { version: number; folderUid: string; model: Record<string, unknown> }>;
  readonly requests: { method: string; path: string }[];
}

export interface FakeGrafana {
  readonly baseUrl: string;
  readonly state: FakeGrafanaState;
  /** Tokens the API accepts. */
  readonly tokens: Set<string>;
  /** Answers the next request to this "METHOD /path" with this status once (to test failures). */
  failNext(route: string, status: number, message: string): void;
  close(): Promise<void>;
}

/** `latencyMs` delays every answer (the benchmark's stand-in for a remote workspace). */
export async function startFakeGrafana(latencyMs = 0): Promise<FakeGrafana> {
  const state: FakeGrafanaState = {
    plugins: new Set(),
    folders: new Map(),
    datasources: new Map(),
    dashboards: new Map(),
    requests: [],
  };
  const tokens = new Set<string>();
  const failures = new Map<string, { status: number; message: string }>();
  let nextId = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = req.method ?? "GET";
      const path = (req.url ?? "/").split("?")[0];
      state.requests.push({ method, path });
      const send = (status: number, body: unknown) => {
        const answer = () => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        };
        if (latencyMs > 0) setTimeout(answer, latencyMs);
        else answer();
      };
      const auth = req.headers.authorization ?? "";
      if (!auth.startsWith("Bearer ") || !tokens.has(auth.slice(7))) return send(401, { message: "Unauthorized" });
      const failure = failures.get(`${method} ${path}`);
      if (failure) {
        failures.delete(`${method} ${path}`);
        return send(failure.status, { message: failure.message });
      }
      let body: Record<string, unknown> = {};
      if (chunks.length) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
        } catch {
          return send(400, { message: "bad request data" });
        }
        if (req.headers["content-type"] !== "application/json")
          return send(415, { message: "content-type must be application/json" });
      }
      let m: RegExpMatchArray | null;
      if ((m = path.match(/^\/api\/plugins\/([^/]+)\/settings$/)) && method === "GET")
        return state.plugins.has(m[1])
          ? send(200, { id: m[1], enabled: true })
          : send(404, { message: "Plugin not found" });
      if ((m = path.match(/^\/api\/plugins\/([^/]+)\/install$/)) && method === "POST") {
        if (state.plugins.has(m[1])) return send(409, { message: "Plugin already installed" });
        state.plugins.add(m[1]);
        return send(200, {});
      }
      if ((m = path.match(/^\/api\/folders\/([^/]+)$/)) && method === "GET")
        return state.folders.has(m[1])
          ? send(200, state.folders.get(m[1]))
          : send(404, { message: "folder not found" });
      if (path === "/api/folders" && method === "POST") {
        const uid = String(body.uid);
        if (state.folders.has(uid)) return send(409, { message: "a folder with the same uid already exists" });
        state.folders.set(uid, { uid, title: String(body.title) });
        return send(200, state.folders.get(uid));
      }
      if ((m = path.match(/^\/api\/datasources\/uid\/([^/]+)$/))) {
        const ds = state.datasources.get(m[1]);
        if (method === "GET") {
          if (!ds) return send(404, { message: "Data source not found" });
          const { secureJsonData, ...visible } = ds.body;
          return send(200, {
            id: ds.id,
            ...visible,
            secureJsonFields: Object.fromEntries(
              Object.keys((secureJsonData as object | undefined) ?? {}).map((k) => [k, true]),
            ),
          });
        }
        if (method === "PUT") {
          if (!ds) return send(404, { message: "Data source not found" });
          if (body.uid !== m[1]) return send(400, { message: "uid mismatch" });
          ds.body = body;
          return send(200, { message: "Datasource updated", id: ds.id });
        }
      }
      if (path === "/api/datasources" && method === "POST") {
        const uid = String(body.uid);
        if (state.datasources.has(uid) || [...state.datasources.values()].some((d) => d.body.name === body.name))
          return send(409, { message: "data source with the same name or uid already exists" });
        if (typeof body.type !== "string" || typeof body.name !== "string")
          return send(400, { message: "name and type are required" });
        if (body.type !== "cloudwatch" && body.type !== "prometheus" && !state.plugins.has(body.type))
          return send(400, { message: `plugin ${body.type} not installed` });
        const id = nextId++;
        state.datasources.set(uid, { id, body });
        return send(200, { id, message: "Datasource added" });
      }
      if (path === "/api/dashboards/db" && method === "POST") {
        const model = body.dashboard as Record<string, unknown> | undefined;
        const uid = typeof model?.uid === "string" ? model.uid : "";
        if (!model || !uid) return send(400, { message: "dashboard uid required" });
        const folderUid = String(body.folderUid ?? "");
        if (folderUid && !state.folders.has(folderUid)) return send(400, { message: "folder not found" });
        const existing = state.dashboards.get(uid);
        if (existing && body.overwrite !== true)
          return send(412, { message: "A dashboard with the same uid already exists", status: "name-exists" });
        const version = (existing?.version ?? 0) + 1;
        state.dashboards.set(uid, { version, folderUid, model });
        return send(200, { uid, version, status: "success" });
      }
      return send(404, { message: "Not found" });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    state,
    tokens,
    failNext: (route, status, message) => failures.set(route, { status, message }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
