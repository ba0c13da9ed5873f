import { STATUS_CODES } from "node:http";
import type { LoadedContent } from "./load.js";
import { locate } from "./load.js";
import type { LocatedProblem } from "./term-file.js";

/** The part of `fetch` a link check uses; tests hand in their own to stand for a network without DNS. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface LinkCheckOptions {
  /** Defaults to the global fetch. */
  readonly fetch?: Fetch;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** How long one request may take before the link counts as not answering. */
  readonly timeoutMs?: number;
}

export const DEFAULT_LINK_CONCURRENCY = 8;
export const DEFAULT_LINK_TIMEOUT_MS = 10_000;

/** What checking one address found. */
export type LinkResult =
  | { readonly url: string; readonly kind: "ok"; readonly status: number }
  /** The server answered, and the answer is an error (or a redirect loop). */
  | {
      readonly url: string;
      readonly kind: "dead";
      readonly status: number | undefined;
      readonly reason: string;
    }
  /** No HTTP answer at all: no such host, connection refused, TLS failure, or no answer in time. */
  | {
      readonly url: string;
      readonly kind: "unreachable";
      readonly reason: string;
      /** True when the request ran out of time: that says something about the address, not its host. */
      readonly timedOut: boolean;
    };

export interface LinkReport {
  /** One result per distinct address, in the order first given. */
  readonly results: readonly LinkResult[];
  /**
   * True when not one address got an HTTP answer. Every source failing the same way says more about this
   * machine's network than about the sources, so the caller reports the check as skipped.
   */
  readonly offline: boolean;
}

/**
 * Checks that each address answers: HEAD first, then GET when HEAD is refused or answered with an error
 * (some servers reject HEAD, or answer it differently); redirects are followed; at most `concurrency`
 * requests are in flight, and each may take `timeoutMs`. One address per host goes first. When none of
 * those gets an answer, the network is not there and the rest are not tried; when a host cannot be reached
 * at all (no such name, connection refused), its other addresses share that verdict.
 */
export async function checkLinks(
  urls: readonly string[],
  options: LinkCheckOptions = {},
): Promise<LinkReport> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LINK_TIMEOUT_MS;
  const concurrency = options.concurrency ?? DEFAULT_LINK_CONCURRENCY;
  const unique = [...new Set(urls)];
  const results = new Map<string, LinkResult>();
  const firstOfHost = new Map<string, string>();
  for (const url of unique) if (!firstOfHost.has(hostOf(url))) firstOfHost.set(hostOf(url), url);
  await inPool([...firstOfHost.values()], concurrency, async (url) => {
    results.set(url, await checkOne(url, fetcher, timeoutMs));
  });
  const noAnswer = [...results.values()].every((r) => r.kind === "unreachable");
  await inPool(
    unique.filter((url) => !results.has(url)),
    concurrency,
    async (url) => {
      const scout = results.get(firstOfHost.get(hostOf(url)) as string);
      const shared = scout?.kind === "unreachable" && (noAnswer || !scout.timedOut);
      results.set(url, shared ? { ...scout, url } : await checkOne(url, fetcher, timeoutMs));
    },
  );
  const ordered = unique.map((url) => results.get(url) as LinkResult);
  return { results: ordered, offline: ordered.length > 0 && ordered.every((r) => r.kind === "unreachable") };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Runs `work` on every item with at most `limit` running at once. */
async function inPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

async function checkOne(url: string, fetcher: Fetch, timeoutMs: number): Promise<LinkResult> {
  const head = await request(url, "HEAD", fetcher, timeoutMs);
  if (typeof head === "number" && head < 400) return { url, kind: "ok", status: head };
  if (typeof head !== "number" && head.kind !== "dead") return { url, ...head };
  const get = await request(url, "GET", fetcher, timeoutMs);
  if (typeof get === "number") {
    return get < 400
      ? { url, kind: "ok", status: get }
      : { url, kind: "dead", status: get, reason: statusText(get) };
  }
  return { url, ...get };
}

type Failure =
  | { readonly kind: "dead"; readonly status: undefined; readonly reason: string }
  | { readonly kind: "unreachable"; readonly reason: string; readonly timedOut: boolean };

/** The final status after redirects, or why there is none. */
async function request(
  url: string,
  method: "HEAD" | "GET",
  fetcher: Fetch,
  timeoutMs: number,
): Promise<number | Failure> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await fetcher(url, {
      method,
      redirect: "follow",
      signal: controller.signal,
      headers: { "user-agent": "mesh-glossary-bot link check", accept: "*/*" },
    });
    // Only the status matters; letting the body go frees the connection for the next check.
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  } catch (error) {
    if (timedOut) {
      return { kind: "unreachable", reason: `no answer within ${formatSeconds(timeoutMs)}`, timedOut: true };
    }
    return failure(error);
  } finally {
    clearTimeout(timer);
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve",
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ENETUNREACH: "the network is unreachable",
  EHOSTUNREACH: "the host is unreachable",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
};

/** fetch rejects with "fetch failed" and keeps the real reason, with its code, in `cause`. */
function failure(error: unknown): Failure {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const message = typeof cause?.message === "string" ? cause.message : String(error);
  if (/redirect/i.test(message)) return { kind: "dead", status: undefined, reason: "it redirects in a loop" };
  if (code !== undefined && NETWORK_REASONS[code] !== undefined) {
    return { kind: "unreachable", reason: NETWORK_REASONS[code] as string, timedOut: false };
  }
  if (code !== undefined && /CERT|TLS|SSL/.test(code)) {
    return { kind: "unreachable", reason: `its TLS certificate is not accepted (${code})`, timedOut: false };
  }
  return { kind: "unreachable", reason: `it cannot be fetched (${code ?? message})`, timedOut: false };
}

function statusText(status: number): string {
  const text = STATUS_CODES[status];
  return text === undefined ? `HTTP ${status}` : `${status} ${text}`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A dead or unreachable source, placed on the line of the term file that lists it. */
export interface DeadSource extends LocatedProblem {
  readonly url: string;
  readonly termId: string;
  readonly status: number | null;
}

/** What `mesh check --links` found in a glossary's sources. */
export interface SourceCheck {
  /** Distinct addresses checked. */
  readonly checked: number;
  /** One entry per term that lists a failing address. */
  readonly dead: readonly DeadSource[];
  /** Set, with a sentence saying why, when the check could not be made. */
  readonly skipped: string | undefined;
}

/** Checks every term's sources and places each failure in the file that lists it. */
export async function checkSources(
  content: LoadedContent,
  options: LinkCheckOptions = {},
): Promise<SourceCheck> {
  const urls = content.terms.flatMap((t) => t.sources);
  const report = await checkLinks(urls, options);
  const checked = report.results.length;
  if (report.offline) {
    const none = checked === 1 ? "the one source link" : `none of the ${checked} source links`;
    return {
      checked,
      dead: [],
      skipped: `Skipped the link check: ${none} could be reached, so the network seems to be unavailable.`,
    };
  }
  const failed = new Map(report.results.flatMap((r) => (r.kind === "ok" ? [] : [[r.url, r] as const])));
  const dead: DeadSource[] = [];
  for (const t of content.terms) {
    for (const url of t.sources) {
      const r = failed.get(url);
      if (r === undefined) continue;
      const what = r.kind === "dead" ? "is dead" : "cannot be reached";
      const place = locate(
        { termId: t.id, field: "sources", value: url, message: `the source ${url} ${what}: ${r.reason}.` },
        content.origins,
      );
      dead.push({ ...place, url, termId: t.id, status: r.kind === "dead" ? (r.status ?? null) : null });
    }
  }
  return { checked, dead, skipped: undefined };
}
