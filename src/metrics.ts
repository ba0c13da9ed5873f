import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { BotObserver } from "./bot/observer.js";
import type { Store } from "./store/store.js";

/** Latency buckets for requests and store calls, in seconds: from a cache hit to Slack's 3 s deadline. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The bot's golden metrics in Prometheus form, as a service mesh would show them: requests by platform, kind
 * and outcome, their latency, auto-explain decisions, lookups, the store and the platforms' errors, and the
 * process defaults (CPU, memory, event loop lag). The bot reports through `observer`; main.ts wires the rest.
 */
export interface Metrics {
  readonly observer: BotObserver;
  /** The store, with every call timed and its failures counted. */
  instrumentStore<S extends Store>(store: S): S;
  /** A platform asked the bot to slow down (HTTP 429). */
  rateLimited(platform: string): void;
  /** The /metrics page. */
  page(): Promise<{ readonly contentType: string; readonly body: string }>;
}

/** A registry of its own (never the global one), so tests and benchmarks can make several. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "mesh_requests_total",
    help: "Requests the bot handled, by platform, kind (command, question, auto_explain, action, autocomplete) and outcome (ok, not_found, refused, error).",
    labelNames: ["platform", "kind", "outcome"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "mesh_request_duration_seconds",
    help: "Time from receiving a request to its answer being delivered, by platform and kind.",
    labelNames: ["platform", "kind"] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const decisions = new Counter({
    name: "mesh_auto_explain_decisions_total",
    help: "What auto-explain decided for a channel message, by reason (explained, channel-off, no-terms, already-explained, ...).",
    labelNames: ["platform", "reason"] as const,
    registers: [registry],
  });
  const lookups = new Counter({
    name: "mesh_lookups_total",
    help: "Term lookups, by result (found, missed).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const storeDuration = new Histogram({
    name: "mesh_store_operation_duration_seconds",
    help: "Time of each store call, by operation.",
    labelNames: ["operation"] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: "mesh_store_errors_total",
    help: "Store calls that failed, by operation.",
    labelNames: ["operation"] as const,
    registers: [registry],
  });
  const platformErrors = new Counter({
    name: "mesh_platform_errors_total",
    help: "Messages a platform refused or failed to take, by platform.",
    labelNames: ["platform"] as const,
    registers: [registry],
  });
  const rateLimits = new Counter({
    name: "mesh_platform_rate_limited_total",
    help: "Times a platform answered 429 (slow down), by platform.",
    labelNames: ["platform"] as const,
    registers: [registry],
  });

  return {
    observer: {
      request(platform, kind, outcome, seconds) {
        requests.inc({ platform, kind, outcome });
        duration.observe({ platform, kind }, seconds);
      },
      autoExplain: (platform, reason) => decisions.inc({ platform, reason }),
      lookup: (found) => lookups.inc({ result: found ? "found" : "missed" }),
      platformError: (platform) => platformErrors.inc({ platform }),
    },
    instrumentStore(store) {
      // Each method is wrapped once, on its first use, with its label set made once: a call then costs two
      // clock reads and one observation, not a new closure, a timer object and a label copy each time.
      type Method = (...args: unknown[]) => unknown;
      const wrapped = new WeakMap<Method, Method>();
      const wrap = (target: object, key: string, method: Method): Method => {
        const labels = { operation: key };
        const settled = (started: number) =>
          storeDuration.observe(labels, (performance.now() - started) / 1000);
        return (...args: unknown[]) => {
          const started = performance.now();
          const result = method.apply(target, args);
          if (!(result instanceof Promise)) {
            settled(started);
            return result;
          }
          return result.then(
            (v: unknown) => {
              settled(started);
              return v;
            },
            (error: unknown) => {
              settled(started);
              storeErrors.inc(labels);
              throw error;
            },
          );
        };
      };
      return new Proxy(store, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (typeof value !== "function" || typeof key !== "string") return value;
          let method = wrapped.get(value as Method);
          if (method === undefined) {
            method = wrap(target, key, value as Method);
            wrapped.set(value as Method, method);
          }
          return method;
        },
      });
    },
    rateLimited: (platform) => rateLimits.inc({ platform }),
    async page() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
