import { createServer, type Server } from "node:http";

/** The path Kubernetes probes ask; the Slack adapter serves the same path on its own server. */
export const HEALTH_PATH = "/healthz";

/**
 * A tiny HTTP server answering GET /healthz, for deployments where no adapter listens on HTTP (Discord, Slack's
 * Socket Mode is handled by the Slack adapter). `status` says what the body reports.
 */
export function startHealthServer(port: number, status: () => Record<string, unknown>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url?.split("?")[0] === HEALTH_PATH) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, ...status() }));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve(server));
  });
}
