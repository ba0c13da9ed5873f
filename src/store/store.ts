import type { ChannelRef } from "../core/place.js";
import type { DeliveryClaims } from "./claims.js";
import type { StoreHealth } from "./health.js";
import type { LookupStats } from "./lookup-stats.js";
import type { TeamStore } from "./team.js";

export type { LookupCount, LookupStats } from "./lookup-stats.js";

/** A channel's auto-explain settings and who last changed them. */
export interface ChannelSettings {
  readonly autoExplain: boolean;
  /** Term ids the channel marked "not jargon here". */
  readonly silenced: readonly string[];
  /** Platform user id of whoever last changed the setting, if anyone has. */
  readonly changedBy: string | undefined;
  /** When the setting last changed, ms since epoch. */
  readonly changedAt: number | undefined;
}

/** How long rows about threads and delivered events are kept, in ms. */
export interface RetentionPolicy {
  readonly threadMs: number;
  readonly eventMs: number;
  /** How long a workspace that removed the app keeps its settings, in case it comes back (default 30 days). */
  readonly departedMs?: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({
  threadMs: 30 * 24 * 3600_000,
  eventMs: 24 * 3600_000,
  departedMs: 30 * 24 * 3600_000,
});

/**
 * The bot's memory. Message text is never stored: only settings, term ids, event ids and the normalised
 * query of lookups that found nothing. Implementations: SQLite (one process) and PostgreSQL (many replicas).
 */
export interface Store extends DeliveryClaims, StoreHealth {
  /** The team's own terms, their history, glossary settings, proposals and per-workspace lookups. */
  readonly team: TeamStore;

  /** Settings of a channel; a channel never seen gets `fallbackEnabled` and no silenced terms. */
  channel(ref: ChannelRef, fallbackEnabled?: boolean): Promise<ChannelSettings>;
  setAutoExplain(ref: ChannelRef, enabled: boolean, by: string, at: number): Promise<ChannelSettings>;
  setSilenced(
    ref: ChannelRef,
    termId: string,
    silenced: boolean,
    by: string,
    at: number,
  ): Promise<ChannelSettings>;

  isMuted(platform: string, workspace: string, user: string): Promise<boolean>;
  setMuted(platform: string, workspace: string, user: string, muted: boolean, at: number): Promise<void>;

  /** Term ids already explained in a thread (by any event but `exceptEvent`, when given). */
  explainedInThread(ref: ChannelRef, thread: string, exceptEvent?: string): Promise<Set<string>>;
  /** When each of `termIds` was last explained anywhere in the channel. */
  lastExplained(ref: ChannelRef, termIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * Records terms as explained in a thread, atomically, and returns those this caller won: a term another
   * caller recorded for the same thread, or for the channel within `cooldownMs`, is left out. A term recorded
   * for the same `eventId` (a claimant that died before posting) is won again, at `at`. With no cooldown
   * (`cooldownMs` 0), when terms were last explained in the channel is not recorded: nothing reads it.
   */
  claimExplained(
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
    at: number,
    cooldownMs: number,
    eventId?: string,
  ): Promise<string[]>;

  /**
   * Counts `count` lookups (the bot batches them), the last at `at`: the term id they found, or the
   * normalised query that found nothing.
   */
  recordLookup(
    result: { readonly termId: string } | { readonly missedQuery: string },
    at: number,
    count?: number,
  ): Promise<void>;
  lookupStats(limit: number): Promise<LookupStats>;

  /**
   * Deletes thread and event rows older than the retention policy, and every row of workspaces that removed
   * the app longer ago than `departedMs`.
   */
  expire(now: number, retention?: RetentionPolicy): Promise<void>;
  close(): Promise<void>;
}
