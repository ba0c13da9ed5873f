import type { Client } from "pg";

/** How long to wait before connecting again after losing the listening connection: doubling, capped. */
const RETRY_MS = Object.freeze({ first: 500, max: 15_000 });

/**
 * LISTENs on `channel` over a connection of its own (a pool's connections come and go), reconnecting with
 * backoff whenever it is lost. `onReconnect` runs after each reconnection: notifications sent meanwhile were
 * missed, so the listener must catch up. Resolves once listening; the function it returns stops for good.
 */
export async function listenOn(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onReconnect: () => void,
): Promise<() => Promise<void>> {
  const { default: pg } = await import("pg");
  let client: Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delay: number = RETRY_MS.first;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5000 });
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      if (!stopped) schedule();
    };
    c.on("error", lost);
    c.on("end", lost);
    c.on("notification", (message) => {
      if (message.channel === channel) onNotify(message.payload ?? "");
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    client = c;
    delay = RETRY_MS.first;
  };
  const schedule = () => {
    timer = setTimeout(() => {
      connect().then(onReconnect, () => {
        delay = Math.min(delay * 2, RETRY_MS.max);
        if (!stopped) schedule();
      });
    }, delay);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  };
}
