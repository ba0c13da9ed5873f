// A fault-injection TCP proxy for tests: it forwards 127.0.0.1:<port> to a target (PostgreSQL, a fake) and
// can, at any moment, black-hole the traffic (connections stay open, bytes vanish, as on a network that
// dropped the route), reset every connection, or refuse new ones; and then heal.
import { createServer, type Server, Socket } from "node:net";

export type ProxyMode = "forward" | "blackhole" | "refuse";

export interface TcpProxy {
  /** The port the proxy listens on, at 127.0.0.1. */
  readonly port: number;
  /** What new and open connections get now. */
  readonly mode: ProxyMode;
  /** Connections accepted since start. */
  readonly accepted: number;
  /** From now on: pass bytes through both ways (existing connections included). */
  forward(): void;
  /** From now on: keep every connection open and drop every byte either way; new connections hang too. */
  blackhole(): void;
  /** From now on: new connections are reset as soon as they are accepted. */
  refuse(): void;
  /** Resets every open connection (RST to both sides). */
  resetAll(): void;
  close(): Promise<void>;
}

/** Starts a proxy to `target` on a free port of 127.0.0.1. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "forward";
  let accepted = 0;
  const pairs = new Set<{ client: Socket; upstream: Socket }>();

  const server: Server = createServer((client) => {
    accepted += 1;
    if (mode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Bytes are passed on only while forwarding; a black hole swallows them without a word.
    client.on("data", (chunk) => {
      if (mode === "forward" && !upstream.destroyed) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (mode === "forward" && !client.destroyed) client.write(chunk);
    });
    // A black hole does not pass a close on either: the other side never hears of it.
    client.on("end", () => {
      if (mode === "forward") upstream.end();
    });
    upstream.on("end", () => {
      if (mode === "forward") client.end();
    });
    client.on("error", drop);
    upstream.on("error", drop);
    client.on("close", () => {
      if (mode === "forward") drop();
    });
    upstream.on("close", () => {
      if (mode === "forward") drop();
    });
    upstream.connect(target.port, target.host);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  const resetAll = () => {
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
  };

  return {
    port,
    get mode() {
      return mode;
    },
    get accepted() {
      return accepted;
    },
    forward() {
      mode = "forward";
    },
    blackhole() {
      mode = "blackhole";
    },
    refuse() {
      mode = "refuse";
    },
    resetAll,
    async close() {
      resetAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
