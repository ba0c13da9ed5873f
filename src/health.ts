import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** The path Kubernetes probes ask; the Slack adapter serves the same path on its own server. */
export const HEALTH_PATH = "/healthz";

/** Answers a probe: 200 with `{ ok: true, ...status }`. Always 200: a chat outage must not restart pods. */
export function answerHealth(res: ServerResponse, status: Record<string, unknown>): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok: true, ...status }));
}

/**
 * A tiny HTTP server answering GET /healthz, where no adapter serves HTTP itself (Discord, Slack's Socket
 * Mode). `status` says what the body reports.
 */
export function startHealthServer(
  port: number,
  status: () => Record<string, unknown>,
  host?: string,
): Promise<Server> {
  const server = createServer((req: IncomingMessage, res) => {
    if (req.method === "GET" && req.url?.split("?")[0] === HEALTH_PATH) answerHealth(res, status());
    else res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
