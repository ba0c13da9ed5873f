import { maskCredentials } from "../config.js";
import { MeshError } from "../core/errors.js";
import type { ChannelRef } from "../core/place.js";
import { DEFAULT_CLAIM_LEASE_MS, type EventClaim } from "./claims.js";
import {
  departedBefore,
  expireDepartedSql,
  type Installation,
  InstallationSealer,
  type InstallationStore,
  type StoreOptions,
} from "./installations.js";
import { listenOn } from "./pg-listen.js";
import { SCHEMA } from "./schema.js";
import type { SqlDatabase, SqlExecutor } from "./sql.js";
import {
  type ChannelSettings,
  DEFAULT_RETENTION,
  type LookupCount,
  type LookupStats,
  type RetentionPolicy,
  type Store,
} from "./store.js";
import { PostgresTeamStore } from "./team-postgres.js";

/** How long the store waits on PostgreSQL before it calls the database unavailable. */
export interface PostgresTimeouts {
  /** Opening a connection, or waiting for a free one in the pool (ms). */
  readonly connectMs: number;
  /** One statement, enforced by the server (ms). */
  readonly statementMs: number;
  /** One query, enforced here, for a server that does not answer at all (ms). */
  readonly queryMs: number;
}

/**
 * Short enough that a slash command still gets its sentence inside Slack's 3 seconds when the database is
 * gone; long enough for every statement the store runs (milliseconds, on a healthy server).
 */
export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = Object.freeze({
  connectMs: 2000,
  statementMs: 2000,
  queryMs: 2500,
});

/**
 * Wraps a node-postgres pool. A database that stops answering (a black-holed network) turns into errors
 * within the timeouts instead of hung calls; a connection that timed out or failed is thrown away rather
 * than reused, idle ones are recycled, and TCP keepalive finds dead idle ones, so the pool heals by itself
 * within seconds of the database coming back.
 */
async function poolDatabase(url: string, timeouts: PostgresTimeouts): Promise<SqlDatabase> {
  const { default: pg } = await import("pg");
  const { connectionString, options } = withSessionOptions(url, "-c synchronous_commit=off");
  const pool = new pg.Pool({
    connectionString,
    // Bookkeeping (claims, explained terms) does not wait for the disk; settings writes ask for it themselves.
    options,
    max: 10,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.queryMs,
    idle_in_transaction_session_timeout: timeouts.statementMs * 2,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5000,
    idleTimeoutMillis: 10_000,
    maxLifetimeSeconds: 300,
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return {
    query: (sql, params) => pool.query(prepared(sql, params)),
    async transaction(work) {
      const client = await pool.connect();
      let result: Awaited<ReturnType<typeof work>>;
      try {
        await client.query("BEGIN");
        result = await work({ query: (sql, params) => client.query(prepared(sql, params)) });
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        // A connection that failed or timed out may be dead: the pool drops it instead of reusing it.
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      client.release();
      return result;
    },
    close: () => pool.end(),
    listen: (channel, onNotify, onReconnect) => listenOn(url, channel, onNotify, onReconnect),
  };
}

/**
 * The URL without its `options` parameter, and those options with ours after them: node-postgres lets a
 * URL's options replace the ones it is given, so both are passed as one (a URL may set search_path, say).
 */
export function withSessionOptions(url: string, ours: string): { connectionString: string; options: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url, options: ours };
  }
  const theirs = parsed.searchParams.get("options");
  if (theirs === null) return { connectionString: url, options: ours };
  parsed.searchParams.delete("options");
  return { connectionString: parsed.toString(), options: `${theirs} ${ours}` };
}

/** Statement names by SQL text: each connection parses and plans a statement once, then reuses it. */
const names = new Map<string, string>();

/** A query as a named prepared statement (the store's SQL is a fixed set of texts). */
function prepared(text: string, params: readonly unknown[] | undefined) {
  let name = names.get(text);
  if (name === undefined) {
    name = `mesh_${names.size + 1}`;
    names.set(text, name);
  }
  return { name, text, values: params === undefined ? [] : [...params] };
}

/** An event's claim with the terms its new thread would explain. */
interface EventTermsClaim {
  readonly claim: EventClaim;
  readonly ref: ChannelRef;
  readonly thread: string;
  readonly termIds: readonly string[];
}

interface ThreadRead {
  readonly ref: ChannelRef;
  readonly thread: string;
  readonly exceptEvent: string | undefined;
}

interface TermClaim {
  readonly ref: ChannelRef;
  readonly thread: string;
  readonly termIds: readonly string[];
  readonly at: number;
  readonly eventId: string | undefined;
}

interface EventConfirm {
  readonly platform: string;
  readonly eventId: string;
  readonly at: number;
}

/** The first item for each key, in order: within a batch, the first asker wins. */
function firstByKey<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T> {
  const first = new Map<string, T>();
  for (const item of items) if (!first.has(key(item))) first.set(key(item), item);
  return first;
}

/**
 * The items of `firstByKey` sorted by key: the order a batch writes its rows in. Replicas writing the same rows
 * at once then take their locks in one order, so neither waits on the other in a cycle (a deadlock, which
 * PostgreSQL resolves by failing one of the statements).
 */
function inLockOrder<T>(first: ReadonlyMap<string, T>): T[] {
  return [...first].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

/** Confirmations as the three columns of `confirmEventsSql`, one row an event, in lock order. */
function confirmColumns(confirms: readonly EventConfirm[]): unknown[][] {
  const unique = inLockOrder(firstByKey(confirms, eventKey));
  return [unique.map((c) => c.platform), unique.map((c) => c.eventId), unique.map((c) => c.at)];
}

/** A thread's term, as a key: where it was explained and which. */
const threadTermKey = (...parts: readonly unknown[]) => parts.map((v) => String(v)).join("\u0000");

/**
 * Claims events ($1 platforms, $2 ids, $3 times, $4 lease ends): new ones, and unconfirmed ones whose lease
 * ran out. Returns the events won.
 */
const CLAIM_EVENTS_SQL = `INSERT INTO events (platform, event_id, seen_at, confirmed, lease_until)
       SELECT platform, event_id, seen_at, 0, lease_until
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS v(platform, event_id, seen_at, lease_until)
       ON CONFLICT (platform, event_id) DO UPDATE SET seen_at = excluded.seen_at, lease_until = excluded.lease_until
       WHERE events.confirmed = 0 AND events.lease_until <= excluded.seen_at
       RETURNING platform, event_id`;

/**
 * After an INSERT into thread_terms: a term the thread has is won again only by the event that claimed it (a
 * redelivery taking over). Returns the terms won.
 */
const TAKE_OWN_TERMS_SQL = `ON CONFLICT (platform, workspace, channel, thread, term_id) DO UPDATE SET explained_at = excluded.explained_at
       WHERE excluded.event_id IS NOT NULL AND thread_terms.event_id = excluded.event_id
       RETURNING platform, workspace, channel, thread, term_id`;

/**
 * Confirms events (the parameters from $`first`: platforms, ids, times): each is marked answered. An upsert on the
 * primary key, not an UPDATE joined to the batch: a join's plan, cached while the table was empty (a fresh
 * database), would scan the whole table on every confirmation until the next ANALYZE. It changes no indexed
 * column, so PostgreSQL updates the row in place (a HOT update, no index writes).
 */
function confirmEventsSql(first: number): string {
  return `INSERT INTO events (platform, event_id, seen_at, confirmed, lease_until)
       SELECT platform, event_id, at, 1, 0
       FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::bigint[]) AS v(platform, event_id, at)
       ON CONFLICT (platform, event_id) DO UPDATE SET confirmed = 1`;
}

/** An event, as a key. */
const eventKey = (e: { readonly platform: string; readonly eventId: string }) =>
  `${e.platform}\u0000${e.eventId}`;

/** How long the first call of a statement waits for others. */
interface Linger {
  /** Always: for writes nobody waits on. */
  readonly lingerMs?: number;
  /** Only when the call comes within this long of the last statement's end: calls arriving back to back. */
  readonly busyLingerMs?: number;
}

/** A call waiting for its statement. */
interface Waiting<I, R> {
  readonly item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** One kind of write, grouped: `call` queues one; `take` hands those still waiting to another statement. */
interface Coalesced<I, R> {
  readonly call: (item: I) => Promise<R>;
  /** Removes and returns the calls still waiting whose items `which` picks; their caller settles them. */
  readonly take: (which: (item: I) => boolean) => Waiting<I, R>[];
}

/**
 * Group commit for one kind of write: the first call runs at once; calls made while it is on its way wait and
 * then go together in one statement. No delay when the bot is quiet, one round trip for many when it is busy.
 * With `lingerMs`, for writes nobody waits on, the first call waits that long too, so that one statement
 * carries every call of that window (as PostgreSQL's own commit_delay does for commits). With `busyLingerMs`,
 * a call that comes within that long of the last statement's end waits that long first, so that the next few
 * go with it; a call after a quiet spell runs at once.
 */
function coalesce<I, R>(
  flush: (items: readonly I[]) => Promise<R[]>,
  { lingerMs = 0, busyLingerMs = 0 }: Linger = {},
): Coalesced<I, R> {
  let queue: Waiting<I, R>[] = [];
  let running = false;
  let lastEnd = Number.NEGATIVE_INFINITY;
  const run = async () => {
    running = true;
    const busy = performance.now() - lastEnd < busyLingerMs;
    const wait = lingerMs > 0 ? lingerMs : busy ? busyLingerMs : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const results = await flush(batch.map((b) => b.item));
        batch.forEach((b, i) => {
          b.resolve(results[i] as R);
        });
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    lastEnd = performance.now();
    running = false;
  };
  return {
    call: (item) =>
      new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!running) void run();
      }),
    take(which) {
      const taken: Waiting<I, R>[] = [];
      const left: Waiting<I, R>[] = [];
      for (const w of queue) (which(w.item) ? taken : left).push(w);
      queue = left;
      return taken;
    },
  };
}

/**
 * How long confirmations gather before they are written. The bot does not wait for them (the answer is out and
 * the claim's lease holds meanwhile), so a busy replica writes many in one statement at no cost in latency; and
 * a claim sent meanwhile carries them, so that a busy replica sends most of them with its claims.
 */
const CONFIRMS: Linger = { lingerMs: 10 };

/**
 * Claims coming back to back wait a millisecond for the next few: a busy replica then claims several messages in
 * each statement (fewer round trips to PostgreSQL, and less work in it for each message) for a millisecond more
 * before an answer. A claim after a quiet spell does not wait.
 */
const CLAIMS: Linger = { busyLingerMs: 1 };

/** How the store groups claims; production keeps the defaults. */
export interface Batching {
  /**
   * How soon after a claim statement ends a new claim counts as back to back, and waits that long for the next
   * few (default 1 ms). Tests that must not depend on the machine running a few promise callbacks within a
   * millisecond widen it.
   */
  readonly claimWindowMs?: number;
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

/**
 * The store for several replicas: PostgreSQL. Claims that must not race across replicas (terms explained
 * in a channel) take a per-channel advisory lock inside their transaction.
 */
export class PostgresStore implements Store, InstallationStore {
  private readonly db: SqlDatabase;
  private readonly sealer: InstallationSealer;
  private closed = false;
  readonly team: PostgresTeamStore;
  /** Claims and confirmations of events asked while one is on its way go together, in one statement. */
  private readonly claims: Coalesced<EventClaim, boolean>;
  private readonly confirms: Coalesced<EventConfirm, undefined>;
  /** Reads of threads, and claims of terms without a cooldown, asked while one is on its way: likewise. */
  private readonly threadReads: Coalesced<ThreadRead, Set<string>>;
  private readonly termClaims: Coalesced<TermClaim, string[]>;
  private readonly eventTermClaims: Coalesced<EventTermsClaim, { won: boolean; terms: string[] }>;

  private constructor(db: SqlDatabase, options: StoreOptions, batching: Batching) {
    this.db = db;
    this.team = new PostgresTeamStore(db);
    this.sealer = new InstallationSealer(options);
    const claims = batching.claimWindowMs === undefined ? CLAIMS : { busyLingerMs: batching.claimWindowMs };
    this.claims = coalesce((batch) => this.claimEvents(batch), claims);
    this.threadReads = coalesce((batch) => this.readThreads(batch), claims);
    this.termClaims = coalesce((batch) => this.claimTerms(batch), claims);
    this.eventTermClaims = coalesce((batch) => this.claimEventsAndTerms(batch), claims);
    this.confirms = coalesce(async (batch) => {
      await this.db.query(confirmEventsSql(1), confirmColumns(batch));
      return batch.map(() => undefined);
    }, CONFIRMS);
  }

  /**
   * Runs a claim statement that carries the confirmations still waiting, given as its last three parameters.
   * Those of events the statement claims stay behind (one statement must not write a row twice). Should the
   * statement fail, they go on their way as before.
   */
  private async withConfirms<T>(
    claimed: ReadonlySet<string>,
    run: (confirms: unknown[][]) => Promise<T>,
  ): Promise<T> {
    const riding = this.confirms.take((c) => !claimed.has(eventKey(c)));
    let result: T;
    try {
      result = await run(confirmColumns(riding.map((w) => w.item)));
    } catch (error) {
      for (const w of riding) this.confirms.call(w.item).then(w.resolve, w.reject);
      throw error;
    }
    for (const w of riding) w.resolve(undefined);
    return result;
  }

  /** Claims every event of `batch` in one statement; a second claim of one event in the batch loses. */
  private async claimEvents(batch: readonly EventClaim[]): Promise<boolean[]> {
    const first = firstByKey(batch, eventKey);
    const unique = inLockOrder(first);
    const { rows } = await this.withConfirms(new Set(first.keys()), (confirms) =>
      this.db.query(`WITH confirmed AS (${confirmEventsSql(5)}) ${CLAIM_EVENTS_SQL}`, [
        unique.map((c) => c.platform),
        unique.map((c) => c.eventId),
        unique.map((c) => c.at),
        unique.map((c) => c.at + c.leaseMs),
        ...confirms,
      ]),
    );
    const won = new Set(
      rows.map((r) => eventKey({ platform: String(r.platform), eventId: String(r.event_id) })),
    );
    return batch.map((c) => first.get(eventKey(c)) === c && won.has(eventKey(c)));
  }

  /**
   * Claims every event of `batch` and, for each event won, its thread's terms, in one statement. Within the
   * batch a second claim of one event loses, and a term asked twice for one thread goes to the first asker.
   */
  private async claimEventsAndTerms(
    batch: readonly EventTermsClaim[],
  ): Promise<{ won: boolean; terms: string[] }[]> {
    const termKey = (c: EventTermsClaim, termId: string) =>
      threadTermKey(c.ref.platform, c.ref.workspace, c.ref.channel, c.thread, termId);
    const firstEvent = firstByKey(batch, (c) => eventKey(c.claim));
    const events = inLockOrder(firstEvent);
    const firstTerm = firstByKey(
      events.flatMap((c) => c.termIds.map((termId) => ({ c, termId }))),
      (t) => termKey(t.c, t.termId),
    );
    const terms = inLockOrder(firstTerm);
    const { rows } = await this.withConfirms(new Set(firstEvent.keys()), (confirms) =>
      this.db.query(
        `WITH confirmed AS (${confirmEventsSql(13)}), ev AS (${CLAIM_EVENTS_SQL}), won_terms AS (
         INSERT INTO thread_terms (platform, workspace, channel, thread, term_id, explained_at, event_id)
         SELECT t.platform, t.workspace, t.channel, t.thread, t.term_id, t.at, t.event_id
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[])
           WITH ORDINALITY AS t(platform, workspace, channel, thread, term_id, at, event_id, event_platform, i)
         JOIN ev ON ev.platform = t.event_platform AND ev.event_id = t.event_id
         ORDER BY t.i
         ${TAKE_OWN_TERMS_SQL}
       )
       SELECT 'e' AS kind, platform, event_id AS a, NULL::text AS b, NULL::text AS c, NULL::text AS d FROM ev
       UNION ALL
       SELECT 't', platform, workspace, channel, thread, term_id FROM won_terms`,
        [
          events.map((c) => c.claim.platform),
          events.map((c) => c.claim.eventId),
          events.map((c) => c.claim.at),
          events.map((c) => c.claim.at + c.claim.leaseMs),
          terms.map((t) => t.c.ref.platform),
          terms.map((t) => t.c.ref.workspace),
          terms.map((t) => t.c.ref.channel),
          terms.map((t) => t.c.thread),
          terms.map((t) => t.termId),
          terms.map((t) => t.c.claim.at),
          terms.map((t) => t.c.claim.eventId),
          terms.map((t) => t.c.claim.platform),
          ...confirms,
        ],
      ),
    );
    const wonEvents = new Set<string>();
    const wonTerms = new Set<string>();
    for (const r of rows) {
      if (r.kind === "e") wonEvents.add(eventKey({ platform: String(r.platform), eventId: String(r.a) }));
      else wonTerms.add(threadTermKey(r.platform, r.a, r.b, r.c, r.d));
    }
    return batch.map((c) => {
      const won = firstEvent.get(eventKey(c.claim)) === c && wonEvents.has(eventKey(c.claim));
      return {
        won,
        terms: won
          ? c.termIds.filter((id) => firstTerm.get(termKey(c, id))?.c === c && wonTerms.has(termKey(c, id)))
          : [],
      };
    });
  }

  /** What each thread of `batch` has explained (except what its own event claimed), in one statement. */
  private async readThreads(batch: readonly ThreadRead[]): Promise<Set<string>[]> {
    // A lookup per thread (a subquery on the primary key), not a join: a join's plan, cached while the table was
    // empty, would scan every thread's terms on each read until the next ANALYZE.
    const { rows } = await this.db.query(
      `SELECT v.i, ARRAY(
         SELECT t.term_id FROM thread_terms t
         WHERE t.platform = v.platform AND t.workspace = v.workspace AND t.channel = v.channel AND t.thread = v.thread
           AND (v.except_event IS NULL OR t.event_id IS NULL OR t.event_id <> v.except_event)
       ) AS terms
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         WITH ORDINALITY AS v(platform, workspace, channel, thread, except_event, i)`,
      [
        batch.map((r) => r.ref.platform),
        batch.map((r) => r.ref.workspace),
        batch.map((r) => r.ref.channel),
        batch.map((r) => r.thread),
        batch.map((r) => r.exceptEvent ?? null),
      ],
    );
    const sets = batch.map(() => new Set<string>());
    for (const r of rows) for (const id of r.terms as string[]) sets[num(r.i) - 1]?.add(id);
    return sets;
  }

  /**
   * Claims the terms of every thread of `batch` (no cooldown: the thread's primary key alone decides) in one
   * statement. A term asked twice for one thread within the batch goes to the first asker; a term its own
   * event claimed before (a redelivery taking over) is won again.
   */
  private async claimTerms(batch: readonly TermClaim[]): Promise<string[][]> {
    const key = (c: TermClaim, termId: string) =>
      threadTermKey(c.ref.platform, c.ref.workspace, c.ref.channel, c.thread, termId);
    const first = firstByKey(
      batch.flatMap((claim) => claim.termIds.map((termId) => ({ claim, termId }))),
      (r) => key(r.claim, r.termId),
    );
    const rows = inLockOrder(first);
    const column = (f: (r: { claim: TermClaim; termId: string }) => unknown) => rows.map(f);
    const { rows: won } = await this.db.query(
      `INSERT INTO thread_terms (platform, workspace, channel, thread, term_id, explained_at, event_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
       ${TAKE_OWN_TERMS_SQL}`,
      [
        column((r) => r.claim.ref.platform),
        column((r) => r.claim.ref.workspace),
        column((r) => r.claim.ref.channel),
        column((r) => r.claim.thread),
        column((r) => r.termId),
        column((r) => r.claim.at),
        column((r) => r.claim.eventId ?? null),
      ],
    );
    const wonKeys = new Set(
      won.map((r) => threadTermKey(r.platform, r.workspace, r.channel, r.thread, r.term_id)),
    );
    return batch.map((c) =>
      c.termIds.filter((termId) => first.get(key(c, termId))?.claim === c && wonKeys.has(key(c, termId))),
    );
  }

  /** Connects to `postgres://...` and migrates; fails with a MeshError that says what to check. */
  static async connect(
    url: string,
    options: StoreOptions = {},
    timeouts = DEFAULT_POSTGRES_TIMEOUTS,
  ): Promise<PostgresStore> {
    let db: SqlDatabase | undefined;
    try {
      db = await poolDatabase(url, timeouts);
      return await PostgresStore.over(db, options);
    } catch (error) {
      await db?.close().catch(() => {});
      const safe = maskCredentials(url);
      const text = maskCredentials(error instanceof Error ? error.message : String(error));
      throw new MeshError(
        "STORE_UNAVAILABLE",
        `Cannot use the PostgreSQL database ${safe}: ${text}. Check that the server is running and DATABASE_URL is right.`,
        [],
        { cause: error },
      );
    }
  }

  /**
   * A store over an open database (a pool, or PGlite in tests); runs the migrations first. With encryption
   * keys, installations sealed under the previous key are sealed again under the current one.
   */
  static async over(
    db: SqlDatabase,
    options: StoreOptions = {},
    batching: Batching = {},
  ): Promise<PostgresStore> {
    await db.transaction(async (tx) => {
      // Replicas starting together must not run the same migration twice.
      await tx.query("SELECT pg_advisory_xact_lock(7263510)");
      await tx.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
      );
      const { rows } = await tx.query("SELECT version FROM schema_migrations");
      const applied = new Set(rows.map((r) => num(r.version)));
      for (const m of SCHEMA) {
        if (applied.has(m.version)) continue;
        for (const statement of m.sql.split(";").filter((s) => s.trim() !== "")) await tx.query(statement);
        await tx.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [
          m.version,
          Date.now(),
        ]);
      }
    });
    const store = new PostgresStore(db, options, batching);
    await store.resealInstallations();
    return store;
  }

  /**
   * A settings write, committed to disk before it is acknowledged. The bookkeeping of events and threads is
   * committed without waiting for the disk (the session default below): a database crash can lose its last
   * moment, which at worst explains a term twice.
   */
  private durably(sql: string, params: readonly unknown[]): Promise<unknown> {
    return this.db.transaction(async (tx) => {
      await tx.query("SET LOCAL synchronous_commit = on");
      return tx.query(sql, params);
    });
  }

  async channel(ref: ChannelRef, fallbackEnabled = false): Promise<ChannelSettings> {
    return this.readChannel(this.db, ref, fallbackEnabled);
  }

  private async readChannel(
    q: SqlExecutor,
    ref: ChannelRef,
    fallbackEnabled: boolean,
  ): Promise<ChannelSettings> {
    // One round trip: the settings row (if any) and the silenced terms, read in one statement.
    const { rows } = await q.query(
      `SELECT s.auto_explain, s.changed_by, s.changed_at,
         ARRAY(SELECT term_id FROM silenced_terms
               WHERE platform = $1 AND workspace = $2 AND channel = $3 ORDER BY term_id) AS silenced
       FROM (SELECT 1) AS one
       LEFT JOIN channel_settings s ON s.platform = $1 AND s.workspace = $2 AND s.channel = $3`,
      [ref.platform, ref.workspace, ref.channel],
    );
    const row = rows[0];
    const silenced = Array.isArray(row?.silenced) ? row.silenced.map(String) : [];
    return {
      autoExplain: row?.auto_explain == null ? fallbackEnabled : num(row.auto_explain) === 1,
      silenced,
      changedBy: row?.changed_by == null ? undefined : String(row.changed_by),
      changedAt: row?.changed_at == null ? undefined : num(row.changed_at),
    };
  }

  async setAutoExplain(ref: ChannelRef, enabled: boolean, by: string, at: number): Promise<ChannelSettings> {
    await this.durably(
      `INSERT INTO channel_settings (platform, workspace, channel, auto_explain, changed_by, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (platform, workspace, channel)
       DO UPDATE SET auto_explain = excluded.auto_explain, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
      [ref.platform, ref.workspace, ref.channel, enabled ? 1 : 0, by, at],
    );
    return this.channel(ref, enabled);
  }

  async setSilenced(
    ref: ChannelRef,
    termId: string,
    silenced: boolean,
    by: string,
    at: number,
  ): Promise<ChannelSettings> {
    const key = [ref.platform, ref.workspace, ref.channel, termId];
    if (silenced) {
      await this.durably(
        `INSERT INTO silenced_terms (platform, workspace, channel, term_id, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [...key, by, at],
      );
    } else {
      await this.durably(
        "DELETE FROM silenced_terms WHERE platform = $1 AND workspace = $2 AND channel = $3 AND term_id = $4",
        key,
      );
    }
    return this.channel(ref, false);
  }

  async isMuted(platform: string, workspace: string, user: string): Promise<boolean> {
    const { rows } = await this.db.query(
      "SELECT 1 FROM muted_users WHERE platform = $1 AND workspace = $2 AND user_id = $3",
      [platform, workspace, user],
    );
    return rows.length > 0;
  }

  async setMuted(
    platform: string,
    workspace: string,
    user: string,
    muted: boolean,
    at: number,
  ): Promise<void> {
    if (muted) {
      await this.durably(
        "INSERT INTO muted_users (platform, workspace, user_id, muted_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        [platform, workspace, user, at],
      );
    } else {
      await this.durably("DELETE FROM muted_users WHERE platform = $1 AND workspace = $2 AND user_id = $3", [
        platform,
        workspace,
        user,
      ]);
    }
  }

  async explainedInThread(ref: ChannelRef, thread: string, exceptEvent?: string): Promise<Set<string>> {
    return this.threadReads.call({ ref, thread, exceptEvent });
  }

  async lastExplained(ref: ChannelRef, termIds: readonly string[]): Promise<Map<string, number>> {
    if (termIds.length === 0) return new Map();
    const { rows } = await this.db.query(
      `SELECT term_id, explained_at FROM channel_terms
       WHERE platform = $1 AND workspace = $2 AND channel = $3 AND term_id = ANY($4)`,
      [ref.platform, ref.workspace, ref.channel, [...termIds]],
    );
    return new Map(rows.map((r) => [String(r.term_id), num(r.explained_at)]));
  }

  async claimExplained(
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
    at: number,
    cooldownMs: number,
    eventId?: string,
  ): Promise<string[]> {
    if (termIds.length === 0) return [];
    const key = [ref.platform, ref.workspace, ref.channel];
    if (cooldownMs <= 0) {
      // No cooldown to keep across threads: the thread's primary key alone decides, in one statement (shared
      // with the other claims on their way), with neither the channel's lock nor its last-explained rows.
      return this.termClaims
        .call({ ref, thread, termIds: [...new Set(termIds)], at, eventId })
        .then((won) => {
          const set = new Set(won);
          return termIds.filter((id) => set.has(id));
        });
    }
    return this.db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2 || '/' || $3))", key);
      // One round trip for what the thread and the channel already have, one to record what was won.
      const { rows } = await tx.query(
        `SELECT ids.term_id, t.term_id IS NOT NULL AS in_thread, t.event_id, c.explained_at
         FROM unnest($5::text[]) AS ids(term_id)
         LEFT JOIN thread_terms t ON t.platform = $1 AND t.workspace = $2 AND t.channel = $3 AND t.thread = $4
           AND t.term_id = ids.term_id
         LEFT JOIN channel_terms c ON c.platform = $1 AND c.workspace = $2 AND c.channel = $3
           AND c.term_id = ids.term_id`,
        [...key, thread, [...termIds]],
      );
      const state = new Map(rows.map((r) => [String(r.term_id), r]));
      const won = termIds.filter((id) => {
        const r = state.get(id);
        if (r?.in_thread === true) return eventId !== undefined && r.event_id === eventId;
        const previous = r?.explained_at == null ? undefined : num(r.explained_at);
        return cooldownMs <= 0 || previous === undefined || at - previous >= cooldownMs;
      });
      if (won.length === 0) return won;
      await tx.query(
        `WITH thread_rows AS (
           INSERT INTO thread_terms (platform, workspace, channel, thread, term_id, explained_at, event_id)
           SELECT $1, $2, $3, $4, id, $6, $7 FROM unnest($5::text[]) AS ids(id)
           ON CONFLICT (platform, workspace, channel, thread, term_id) DO UPDATE SET explained_at = excluded.explained_at
           RETURNING 1
         )
         INSERT INTO channel_terms (platform, workspace, channel, term_id, explained_at)
         SELECT $1, $2, $3, id, $6 FROM unnest($5::text[]) AS ids(id)
         ON CONFLICT (platform, workspace, channel, term_id) DO UPDATE SET explained_at = excluded.explained_at`,
        [...key, thread, won, at, eventId ?? null],
      );
      return won;
    });
  }

  async claimEvent(
    platform: string,
    eventId: string,
    at: number,
    leaseMs = DEFAULT_CLAIM_LEASE_MS,
  ): Promise<boolean> {
    return this.claims.call({ platform, eventId, at, leaseMs });
  }

  async claimEventAndTerms(
    claim: EventClaim,
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
  ): Promise<{ won: boolean; terms: string[] }> {
    return this.eventTermClaims
      .call({ claim, ref, thread, termIds: [...new Set(termIds)] })
      .then(({ won, terms }) => {
        const set = new Set(terms);
        return { won, terms: termIds.filter((id) => set.has(id)) };
      });
  }

  async confirmEvent(platform: string, eventId: string, at: number): Promise<void> {
    return this.confirms.call({ platform, eventId, at });
  }

  async releaseEvent(platform: string, eventId: string): Promise<void> {
    await this.db.query("DELETE FROM events WHERE platform = $1 AND event_id = $2 AND confirmed = 0", [
      platform,
      eventId,
    ]);
  }

  async releaseExplained(
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
    at: number,
  ): Promise<void> {
    if (termIds.length === 0) return;
    const key = [ref.platform, ref.workspace, ref.channel];
    await this.db.transaction(async (tx) => {
      await tx.query(
        `DELETE FROM thread_terms WHERE platform = $1 AND workspace = $2 AND channel = $3 AND thread = $4
         AND term_id = ANY($5) AND explained_at = $6`,
        [...key, thread, [...termIds], at],
      );
      await tx.query(
        `DELETE FROM channel_terms WHERE platform = $1 AND workspace = $2 AND channel = $3
         AND term_id = ANY($4) AND explained_at = $5`,
        [...key, [...termIds], at],
      );
    });
  }

  async check(): Promise<void> {
    if (this.closed) throw new MeshError("STORE_UNAVAILABLE", "The PostgreSQL store is closed.");
    await this.db.query("SELECT 1");
  }

  async recordLookup(
    result: { termId: string } | { missedQuery: string },
    at: number,
    count = 1,
  ): Promise<void> {
    const [table, column, key] =
      "termId" in result
        ? ["lookup_hits", "term_id", result.termId]
        : ["lookup_misses", "query", result.missedQuery];
    await this.db.query(
      `INSERT INTO ${table} (${column}, count, last_at) VALUES ($1, $2, $3)
       ON CONFLICT (${column})
       DO UPDATE SET count = ${table}.count + excluded.count, last_at = GREATEST(${table}.last_at, excluded.last_at)`,
      [key, count, at],
    );
  }

  async lookupStats(limit: number): Promise<LookupStats> {
    const read = async (sql: string): Promise<LookupCount[]> =>
      (await this.db.query(sql, [limit])).rows.map((r) => ({
        key: String(r.key),
        count: num(r.count),
        lastAt: num(r.last_at),
      }));
    const [top, misses] = await Promise.all([
      read(
        "SELECT term_id AS key, count, last_at FROM lookup_hits ORDER BY count DESC, last_at DESC LIMIT $1",
      ),
      read(
        "SELECT query AS key, count, last_at FROM lookup_misses ORDER BY count DESC, last_at DESC LIMIT $1",
      ),
    ]);
    return { top, misses };
  }

  async saveInstallation(installation: Installation, at: number): Promise<void> {
    const secrets = this.sealer.seal(installation);
    const key = [installation.platform, installation.workspace];
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO installations (platform, workspace, secrets, details, installed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (platform, workspace)
         DO UPDATE SET secrets = excluded.secrets, details = excluded.details, updated_at = excluded.updated_at`,
        [...key, secrets, installation.details, at],
      );
      await tx.query("DELETE FROM departed_workspaces WHERE platform = $1 AND workspace = $2", key);
    });
  }

  async installation(platform: string, workspace: string): Promise<Installation | undefined> {
    const { rows } = await this.db.query(
      "SELECT secrets, details FROM installations WHERE platform = $1 AND workspace = $2",
      [platform, workspace],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const stored = { secrets: String(row.secrets), details: String(row.details) };
    const { installation, resealed } = this.sealer.open(platform, workspace, stored);
    if (resealed !== undefined) await this.replaceSecrets(platform, workspace, stored.secrets, resealed);
    return installation;
  }

  async deleteInstallation(platform: string, workspace: string, at: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        "DELETE FROM installations WHERE platform = $1 AND workspace = $2 RETURNING workspace",
        [platform, workspace],
      );
      await tx.query(
        "INSERT INTO departed_workspaces (platform, workspace, departed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        [platform, workspace, at],
      );
      return rows.length === 1;
    });
  }

  /** Seals again, under the current key, every installation sealed under the previous one. */
  private async resealInstallations(): Promise<void> {
    const { rows } = await this.db.query("SELECT platform, workspace, secrets, details FROM installations");
    for (const row of rows) {
      const [platform, workspace] = [String(row.platform), String(row.workspace)];
      const stored = { secrets: String(row.secrets), details: String(row.details) };
      const resealed = this.sealer.reseal(platform, workspace, stored);
      if (resealed !== undefined) await this.replaceSecrets(platform, workspace, stored.secrets, resealed);
    }
  }

  /** Rewrites sealed secrets unless another writer (a token refresh, another replica) changed them meanwhile. */
  private async replaceSecrets(
    platform: string,
    workspace: string,
    before: string,
    after: string,
  ): Promise<void> {
    await this.db.query(
      "UPDATE installations SET secrets = $1 WHERE platform = $2 AND workspace = $3 AND secrets = $4",
      [after, platform, workspace, before],
    );
  }

  async expire(now: number, retention: RetentionPolicy = DEFAULT_RETENTION): Promise<void> {
    await this.db.query("DELETE FROM thread_terms WHERE explained_at < $1", [now - retention.threadMs]);
    await this.db.query("DELETE FROM channel_terms WHERE explained_at < $1", [now - retention.threadMs]);
    await this.db.query("DELETE FROM events WHERE seen_at < $1", [now - retention.eventMs]);
    const cutoff = departedBefore(now, retention);
    await this.db.transaction(async (tx) => {
      for (const statement of expireDepartedSql("$1")) await tx.query(statement, [cutoff]);
    });
    await this.resealInstallations();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.team.close();
    await this.db.close();
  }
}
