import type { Logger } from "../logger.js";
import type { Store } from "../store/store.js";
import type { WorkspaceRef } from "../store/team.js";

/** How long lookups are counted in memory before they are written: what `mesh stats` elsewhere lags by. */
export const LOOKUP_FLUSH_MS = 10_000;
/** Distinct lookups held between writes; beyond it, new ones go uncounted until the next write. */
const MAX_PENDING = 10_000;

export type LookupResult = { readonly termId: string } | { readonly missedQuery: string };

interface Pending {
  readonly ws: WorkspaceRef;
  readonly result: LookupResult;
  count: number;
  at: number;
}

/**
 * Lookup statistics, counted in memory and written in batches: a lookup costs the asker no store write, and
 * a term looked up a hundred times in ten seconds is one write to its row, not a hundred (on PostgreSQL,
 * replicas would otherwise queue on the row of every popular term). Each write adds to the workspace's
 * counts and to the whole bot's. A crash loses at most the last interval's counts: statistics are a nicety.
 */
export class LookupTally {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly flushMs = LOOKUP_FLUSH_MS,
  ) {}

  /** Counts one lookup in `ws`; it is written within `flushMs`. */
  add(ws: WorkspaceRef, result: LookupResult, at: number): void {
    const key =
      "termId" in result
        ? `${ws.platform}\u0000${ws.workspace}\u0000t\u0000${result.termId}`
        : `${ws.platform}\u0000${ws.workspace}\u0000q\u0000${result.missedQuery}`;
    const entry = this.pending.get(key);
    if (entry !== undefined) {
      entry.count += 1;
      entry.at = Math.max(entry.at, at);
    } else if (this.pending.size < MAX_PENDING) {
      this.pending.set(key, { ws, result, count: 1, at });
    }
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref();
  }

  /** Writes every lookup counted so far; resolves once they (and any write before) are in the store. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (batch.length > 0) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: readonly Pending[]): Promise<void> {
    // The bot-wide counts: one row per term or query, over every workspace.
    const overall = new Map<string, Pending>();
    for (const p of batch) {
      const key = "termId" in p.result ? `t\u0000${p.result.termId}` : `q\u0000${p.result.missedQuery}`;
      const sum = overall.get(key);
      if (sum === undefined) overall.set(key, { ...p });
      else {
        sum.count += p.count;
        sum.at = Math.max(sum.at, p.at);
      }
    }
    const writes = [
      ...[...overall.values()].map((p) => this.store.recordLookup(p.result, p.at, p.count)),
      ...batch.map((p) => this.store.team.recordLookup(p.ws, p.result, p.at, p.count)),
    ];
    const failed = (await Promise.allSettled(writes)).filter((r) => r.status === "rejected");
    if (failed.length > 0) {
      // Statistics are a nicety: a failing store must not cost anyone an answer, nor grow this without end.
      this.logger.warn(
        { err: failed[0]?.reason, failed: failed.length, of: writes.length },
        "could not record lookup statistics",
      );
    }
  }
}
