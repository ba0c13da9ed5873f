import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** Liveness: the process is up (Kubernetes restarts the pod when this fails). */
export const HEALTH_PATH = "/healthz";
/** Readiness: every configured platform is connected and the store answers (traffic is sent only then). */
export const READY_PATH = "/readyz";
/** Prometheus metrics, in the text format. */
export const METRICS_PATH = "/metrics";

/** What readiness found: ready or not, and a word (or a sentence) per thing it checked. */
export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, string>>;
}

export interface ServiceServerOptions {
  /** What /healthz reports beside `ok` (adapters, mode). */
  readonly status?: () => Record<string, unknown>;
  /** What /readyz reports; not ready whenever this rejects or takes longer than `readyTimeoutMs`. */
  readonly ready?: () => Promise<Readiness>;
  /** The metrics page, when there is one. */
  readonly metrics?: () => Promise<{ readonly contentType: string; readonly body: string }>;
  /** How long a readiness check may take before it counts as failed (default 1000 ms, under a probe's 1 s). */
  readonly readyTimeoutMs?: number;
}

/**
 * The bot's HTTP server: the probes and /metrics on PORT in every mode, and the paths an adapter mounts
 * (Slack's /slack/events in HTTP mode). It listens before anything connects, so liveness answers from the
 * first second, and it drains: readiness goes 503, new requests to mounted paths get 503 (the platform tries
 * again, elsewhere), requests in flight are answered, and only then does the listener close.
 */
export interface ServiceServer {
  /** Serves `path` (any method) with `handler`; its requests are tracked for draining. */
  mount(path: string, handler: RequestListener): void;
  listen(port: number, host?: string): Promise<void>;
  address(): AddressInfo | undefined;
  /** From now on: readiness 503, new work on mounted paths refused with 503. Probes and metrics still answer. */
  drain(): void;
  /** Resolves with how many mounted requests are still in flight once none is, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<number>;
  /** Closes the listener and every connection left. */
  close(): Promise<void>;
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  type = "application/json",
): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  // HEAD gets the status and headers a GET would, without the body.
  res.end(req.method === "HEAD" ? undefined : body);
}

/** Creates the service server; `listen` starts it. */
export function createServiceServer(options: ServiceServerOptions = {}): ServiceServer {
  const mounts = new Map<string, RequestListener>();
  let draining = false;
  let inflight = 0;
  const open = new Set<ServerResponse>();
  const idle = new Set<() => void>();
  const readyTimeout = options.readyTimeoutMs ?? 1000;

  const readiness = async (): Promise<Readiness> => {
    if (draining) return { ready: false, checks: { shutdown: "stopping" } };
    if (options.ready === undefined) return { ready: true, checks: {} };
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        options.ready(),
        new Promise<Readiness>((resolve) => {
          timer = setTimeout(
            () => resolve({ ready: false, checks: { readiness: "the checks did not answer in time" } }),
            readyTimeout,
          );
        }),
      ]);
    } catch (error) {
      return { ready: false, checks: { readiness: error instanceof Error ? error.message : String(error) } };
    } finally {
      clearTimeout(timer);
    }
  };

  const probe = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === HEALTH_PATH) {
      send(req, res, 200, JSON.stringify({ ok: true, ...options.status?.() }));
      return true;
    }
    if (path === READY_PATH) {
      const r = await readiness();
      send(req, res, r.ready ? 200 : 503, JSON.stringify({ ready: r.ready, checks: r.checks }));
      return true;
    }
    if (path === METRICS_PATH && options.metrics !== undefined) {
      const page = await options.metrics();
      send(req, res, 200, page.body, page.contentType);
      return true;
    }
    return false;
  };

  const track = (res: ServerResponse) => {
    inflight += 1;
    open.add(res);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inflight -= 1;
      open.delete(res);
      if (inflight === 0) for (const wake of idle) wake();
    };
    res.once("finish", finish);
    res.once("close", finish);
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const handler = mounts.get(path);
    if (handler !== undefined) {
      if (draining) {
        // Refused before any work: the platform delivers it again, to a replica that is not stopping.
        res.setHeader("connection", "close");
        send(req, res, 503, JSON.stringify({ error: "shutting down" }));
        return;
      }
      track(res);
      handler(req, res);
      return;
    }
    probe(req, res, path)
      .then((served) => {
        if (!served) send(req, res, 404, JSON.stringify({ error: "not found" }));
      })
      .catch(() => {
        if (!res.headersSent) send(req, res, 500, JSON.stringify({ error: "internal error" }));
        else res.destroy();
      });
  });
  return {
    mount(path, handler) {
      mounts.set(path, handler);
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    },
    address() {
      const a = server.address();
      return a !== null && typeof a === "object" ? a : undefined;
    },
    drain() {
      draining = true;
      // Requests in flight are answered, and their connections closed after: no new request is sent on them.
      for (const res of open) if (!res.headersSent) res.setHeader("connection", "close");
    },
    settled(timeoutMs) {
      if (inflight === 0) return Promise.resolve(0);
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          idle.delete(wake);
          resolve(inflight);
        };
        const timer = setTimeout(wake, timeoutMs);
        idle.add(wake);
      });
    },
    close() {
      draining = true;
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Whatever is still open after a moment (a client that never finished its request) is cut.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
    },
  };
}
