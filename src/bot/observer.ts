/**
 * What the bot reports about its work, for metrics. The bot depends on this small interface only; the
 * Prometheus registry behind it is wired in main.ts (src/metrics.ts), so the bot never imports a metrics
 * library and tests can pass a recorder.
 */

/** The kinds of request the bot answers. */
export type RequestKind = "command" | "question" | "auto_explain" | "action" | "autocomplete";

/**
 * How a request ended: answered; answered that nothing was found; refused (no right to do that); or an
 * error (the platform or the store failed).
 */
export type RequestOutcome = "ok" | "not_found" | "refused" | "error";

export interface BotObserver {
  /** One request handled, and how long it took, in seconds. */
  request(platform: string, kind: RequestKind, outcome: RequestOutcome, seconds: number): void;
  /** Why a channel message was or was not explained ("explained", "channel-off", "no-terms", ...). */
  autoExplain(platform: string, reason: string): void;
  /** A lookup of a term: found, or missed. */
  lookup(found: boolean): void;
  /** A platform refused or failed a message the bot tried to send. */
  platformError(platform: string): void;
}

/** Reports nothing: the default, for the CLI and tests that do not look at metrics. */
export const SILENT_OBSERVER: BotObserver = Object.freeze({
  request: () => {},
  autoExplain: () => {},
  lookup: () => {},
  platformError: () => {},
});
