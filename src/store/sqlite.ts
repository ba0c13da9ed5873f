import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
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
import { SCHEMA } from "./schema.js";
import {
  type ChannelSettings,
  DEFAULT_RETENTION,
  type LookupStats,
  type RetentionPolicy,
  type Store,
} from "./store.js";
import { SqliteTeamStore } from "./team-sqlite.js";

/** Turns `sqlite:./data/mesh.db`, `sqlite:///abs.db` or `sqlite::memory:` into a path better-sqlite3 takes. */
export function sqlitePath(url: string): string {
  const rest = url.replace(/^sqlite:/, "");
  if (rest === ":memory:" || rest === "") return ":memory:";
  return rest.startsWith("//") ? rest.slice(2) : rest;
}

/**
 * Creates the folders of the state file, one level at a time from the nearest one that exists (a recursive
 * mkdir never returns on some file systems, /proc among them). One that cannot be made names the folder the
 * bot needs write access to.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (existsSync(at) && !statSync(at).isDirectory()) {
    throw new MeshError(
      "STORE_UNAVAILABLE",
      `Cannot keep the state database under ${at}: it is a file, not a folder. Set DATABASE_URL=sqlite:/a/writable/folder/mesh.db.`,
    );
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as { code?: string }).code === "EEXIST" && statSync(folder).isDirectory()) continue;
      const parent = dirname(folder);
      throw new MeshError(
        "STORE_UNAVAILABLE",
        `Cannot create the folder ${folder} for the state database (${(error as { code?: string }).code ?? String(error)}). ` +
          `Give the bot write access to ${parent}, or set DATABASE_URL=sqlite:/a/writable/folder/mesh.db.`,
        [],
        { cause: error },
      );
    }
  }
}

function explainOpenError(path: string, error: unknown): MeshError {
  const code = (error as { code?: string }).code ?? "";
  const text = error instanceof Error ? error.message : String(error);
  const where = resolve(path);
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || /not a database|malformed/i.test(text)) {
    return new MeshError(
      "STORE_UNAVAILABLE",
      `The state database ${where} is damaged or is not a SQLite file. Move it aside ` +
        `(mv ${path} ${path}.bad) and start again: a new one is created, and channel settings start over.`,
      [],
      { cause: error },
    );
  }
  if (code === "SQLITE_READONLY" || code === "SQLITE_READONLY_DIRECTORY" || /readonly/i.test(text)) {
    if (existsSync(path)) return readOnlyFile(path);
  }
  const unwritable = ["SQLITE_READONLY", "SQLITE_CANTOPEN", "EACCES", "EPERM", "EROFS", "EEXIST", "ENOTDIR"];
  if (unwritable.includes(code) || /readonly|unable to open/i.test(text)) {
    return new MeshError(
      "STORE_UNAVAILABLE",
      `Cannot write the state database ${where}: its folder is read-only or cannot be created. Give the bot write ` +
        `access to ${dirname(where)}, or set DATABASE_URL=sqlite:/a/writable/folder/mesh.db.`,
      [],
      { cause: error },
    );
  }
  return new MeshError("STORE_UNAVAILABLE", `Cannot open the state database ${where}: ${text}`, [], {
    cause: error,
  });
}

/** The state file exists but the bot may not write it. */
function readOnlyFile(path: string): MeshError {
  const where = resolve(path);
  return new MeshError(
    "STORE_UNAVAILABLE",
    `Cannot write the state database ${where}: the file is read-only to the bot. Give the bot's user write ` +
      `access to it (and to ${dirname(where)}), or set DATABASE_URL=sqlite:/a/writable/folder/mesh.db.`,
  );
}

/** The state file was deleted or swapped for another while the bot ran: writes would go nowhere lasting. */
function replacedFile(path: string): MeshError {
  return new MeshError(
    "STORE_UNAVAILABLE",
    `The state database ${resolve(path)} was deleted or replaced while the bot was running, so settings ` +
      "saved now would be lost. Restart the bot to open the file that is there now.",
  );
}

/** Which file a path names: device and inode. */
function identity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * The embedded store: one SQLite file in WAL mode. Calls are synchronous underneath, so concurrent callers
 * in one process never interleave inside a transaction.
 */
export class SqliteStore implements Store, InstallationStore {
  private readonly db: Database.Database;
  /** Prepared once, reused: preparing is the largest cost of a call otherwise. */
  private readonly statements = new Map<string, Database.Statement>();
  readonly team: SqliteTeamStore;
  private readonly sealer: InstallationSealer;
  /** The file opened (undefined in memory), and which file it was, to notice it being deleted or replaced. */
  private readonly path: string | undefined;
  private readonly opened: string | undefined;
  /** The claim of terms under a cooldown, as one transaction (made at its first use). */
  private cooldownClaim: Database.Transaction<SqliteStore["claimWithCooldown"]> | undefined;
  /** The claim of a thread's terms without a cooldown, as one transaction (made at its first use). */
  private threadClaim: Database.Transaction<SqliteStore["claimInThread"]> | undefined;
  /** The claim of an event with its new thread's terms, as one transaction (made at its first use). */
  private eventTermsClaim: Database.Transaction<SqliteStore["claimEventWithTerms"]> | undefined;

  private constructor(db: Database.Database, options: StoreOptions, path: string | undefined) {
    this.db = db;
    this.team = new SqliteTeamStore(db);
    this.sealer = new InstallationSealer(options);
    this.path = path;
    this.opened = path === undefined ? undefined : identity(path);
  }

  /** Throws when the file opened at start is no longer the one at its path. */
  private assertSameFile(): void {
    if (this.path !== undefined && identity(this.path) !== this.opened) throw replacedFile(this.path);
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * Opens (creating folder and file if needed) and migrates; fails with a MeshError that says what to do. With
   * encryption keys, installations sealed under the previous key are sealed again under the current one.
   */
  static open(url: string, options: StoreOptions = {}): SqliteStore {
    const path = sqlitePath(url);
    let db: Database.Database | undefined;
    try {
      if (path !== ":memory:") {
        makeFolders(dirname(resolve(path)));
        if (existsSync(path)) assertWritable(path);
      }
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("busy_timeout = 5000");
      db.pragma("foreign_keys = ON");
      migrate(db);
      // SQLite opens a file it may not write read-only without a word: find out now, not at the first setting.
      db.exec("BEGIN IMMEDIATE; DELETE FROM events WHERE seen_at < 0; ROLLBACK");
      const store = new SqliteStore(db, options, path === ":memory:" ? undefined : path);
      store.resealInstallations();
      return store;
    } catch (error) {
      db?.close();
      if (error instanceof MeshError) throw error;
      throw explainOpenError(path, error);
    }
  }

  async channel(ref: ChannelRef, fallbackEnabled = false): Promise<ChannelSettings> {
    return this.readChannel(ref, fallbackEnabled);
  }

  private readChannel(ref: ChannelRef, fallbackEnabled: boolean): ChannelSettings {
    const row = this.sql(
      "SELECT auto_explain, changed_by, changed_at FROM channel_settings WHERE platform = ? AND workspace = ? AND channel = ?",
    ).get(ref.platform, ref.workspace, ref.channel) as
      | { auto_explain: number; changed_by: string | null; changed_at: number | null }
      | undefined;
    const silenced = this.sql(
      "SELECT term_id FROM silenced_terms WHERE platform = ? AND workspace = ? AND channel = ? ORDER BY term_id",
    ).all(ref.platform, ref.workspace, ref.channel) as { term_id: string }[];
    return {
      autoExplain: row === undefined ? fallbackEnabled : row.auto_explain === 1,
      silenced: silenced.map((r) => r.term_id),
      changedBy: row?.changed_by ?? undefined,
      changedAt: row?.changed_at ?? undefined,
    };
  }

  async setAutoExplain(ref: ChannelRef, enabled: boolean, by: string, at: number): Promise<ChannelSettings> {
    this.assertSameFile();
    this.sql(
      `INSERT INTO channel_settings (platform, workspace, channel, auto_explain, changed_by, changed_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, workspace, channel)
         DO UPDATE SET auto_explain = excluded.auto_explain, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
    ).run(ref.platform, ref.workspace, ref.channel, enabled ? 1 : 0, by, at);
    return this.readChannel(ref, enabled);
  }

  async setSilenced(
    ref: ChannelRef,
    termId: string,
    silenced: boolean,
    by: string,
    at: number,
  ): Promise<ChannelSettings> {
    this.assertSameFile();
    if (silenced) {
      this.sql(
        `INSERT INTO silenced_terms (platform, workspace, channel, term_id, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
      ).run(ref.platform, ref.workspace, ref.channel, termId, by, at);
    } else {
      this.sql(
        "DELETE FROM silenced_terms WHERE platform = ? AND workspace = ? AND channel = ? AND term_id = ?",
      ).run(ref.platform, ref.workspace, ref.channel, termId);
    }
    return this.readChannel(ref, false);
  }

  async isMuted(platform: string, workspace: string, user: string): Promise<boolean> {
    return (
      this.sql("SELECT 1 FROM muted_users WHERE platform = ? AND workspace = ? AND user_id = ?").get(
        platform,
        workspace,
        user,
      ) !== undefined
    );
  }

  async setMuted(
    platform: string,
    workspace: string,
    user: string,
    muted: boolean,
    at: number,
  ): Promise<void> {
    this.assertSameFile();
    if (muted) {
      this.sql(
        "INSERT INTO muted_users (platform, workspace, user_id, muted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      ).run(platform, workspace, user, at);
    } else {
      this.sql("DELETE FROM muted_users WHERE platform = ? AND workspace = ? AND user_id = ?").run(
        platform,
        workspace,
        user,
      );
    }
  }

  async explainedInThread(ref: ChannelRef, thread: string, exceptEvent?: string): Promise<Set<string>> {
    const rows = this.sql(
      `SELECT term_id FROM thread_terms WHERE platform = ? AND workspace = ? AND channel = ? AND thread = ?
       AND (? IS NULL OR event_id IS NULL OR event_id <> ?)`,
    ).all(ref.platform, ref.workspace, ref.channel, thread, exceptEvent ?? null, exceptEvent ?? null) as {
      term_id: string;
    }[];
    return new Set(rows.map((r) => r.term_id));
  }

  async lastExplained(ref: ChannelRef, termIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (termIds.length === 0) return out;
    const stmt = this.sql(
      "SELECT explained_at FROM channel_terms WHERE platform = ? AND workspace = ? AND channel = ? AND term_id = ?",
    );
    for (const id of termIds) {
      const row = stmt.get(ref.platform, ref.workspace, ref.channel, id) as
        | { explained_at: number }
        | undefined;
      if (row !== undefined) out.set(id, row.explained_at);
    }
    return out;
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
    if (cooldownMs <= 0) {
      this.threadClaim ??= this.db.transaction(this.claimInThread.bind(this));
      const won = this.threadClaim.immediate(ref, thread, termIds, at, eventId);
      return termIds.filter((id) => won.has(id));
    }
    this.cooldownClaim ??= this.db.transaction(this.claimWithCooldown.bind(this));
    return this.cooldownClaim.immediate(ref, thread, termIds, at, cooldownMs, eventId);
  }

  /**
   * No cooldown to keep across threads: the thread's own terms alone decide. A term the thread has is won again
   * only by the event that claimed it (a redelivery taking over). Each term is one upsert that writes only what
   * it wins (a new row, or a row of this very event), so the rows changed are the terms won: no read first, and
   * no RETURNING (which makes SQLite gather the rows in a table of its own: twice the time). A term named twice
   * is won once. Callers hold a transaction.
   */
  private claimInThread(
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
    at: number,
    eventId: string | undefined,
  ): Set<string> {
    const upsert = this.sql(
      `INSERT INTO thread_terms (platform, workspace, channel, thread, term_id, explained_at, event_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, workspace, channel, thread, term_id) DO UPDATE SET explained_at = excluded.explained_at
       WHERE thread_terms.event_id = excluded.event_id`,
    );
    const won = new Set<string>();
    for (const id of termIds) {
      const row = upsert.run(ref.platform, ref.workspace, ref.channel, thread, id, at, eventId ?? null);
      if (row.changes === 1) won.add(id);
    }
    return won;
  }

  /**
   * With a cooldown, a term new to the thread is won only when the channel has not had it for `cooldownMs`:
   * read and recorded in one transaction, so two claims never both win.
   */
  private claimWithCooldown(
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
    at: number,
    cooldownMs: number,
    eventId: string | undefined,
  ): string[] {
    const key = [ref.platform, ref.workspace, ref.channel] as const;
    const inThread = this.sql(
      "SELECT event_id FROM thread_terms WHERE platform = ? AND workspace = ? AND channel = ? AND thread = ? AND term_id = ?",
    );
    const lastInChannel = this.sql(
      "SELECT explained_at FROM channel_terms WHERE platform = ? AND workspace = ? AND channel = ? AND term_id = ?",
    );
    const addThread = this.sql(
      `INSERT INTO thread_terms (platform, workspace, channel, thread, term_id, explained_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, workspace, channel, thread, term_id) DO UPDATE SET explained_at = excluded.explained_at`,
    );
    const addChannel = this.sql(
      `INSERT INTO channel_terms (platform, workspace, channel, term_id, explained_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (platform, workspace, channel, term_id) DO UPDATE SET explained_at = excluded.explained_at`,
    );
    const won: string[] = [];
    for (const id of termIds) {
      const mine = inThread.get(...key, thread, id) as { event_id: string | null } | undefined;
      if (mine !== undefined && (eventId === undefined || mine.event_id !== eventId)) continue;
      if (mine === undefined) {
        const last = lastInChannel.get(...key, id) as { explained_at: number } | undefined;
        if (last !== undefined && at - last.explained_at < cooldownMs) continue;
      }
      addThread.run(...key, thread, id, at, eventId ?? null);
      addChannel.run(...key, id, at);
      won.push(id);
    }
    return won;
  }

  async claimEvent(
    platform: string,
    eventId: string,
    at: number,
    leaseMs = DEFAULT_CLAIM_LEASE_MS,
  ): Promise<boolean> {
    return this.claimEventNow(platform, eventId, at, leaseMs);
  }

  private claimEventNow(platform: string, eventId: string, at: number, leaseMs: number): boolean {
    const result = this.sql(
      `INSERT INTO events (platform, event_id, seen_at, confirmed, lease_until) VALUES (?, ?, ?, 0, ?)
       ON CONFLICT (platform, event_id) DO UPDATE SET seen_at = excluded.seen_at, lease_until = excluded.lease_until
       WHERE events.confirmed = 0 AND events.lease_until <= excluded.seen_at`,
    ).run(platform, eventId, at, at + leaseMs);
    return result.changes === 1;
  }

  async claimEventAndTerms(
    claim: EventClaim,
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
  ): Promise<{ won: boolean; terms: string[] }> {
    this.eventTermsClaim ??= this.db.transaction(this.claimEventWithTerms.bind(this));
    return this.eventTermsClaim.immediate(claim, ref, thread, termIds);
  }

  /**
   * The event, then (when won) its thread's terms, in one transaction: a claim whose terms cannot be written
   * leaves nothing behind (so its redelivery is answered), and on a file it is one commit to the log, not two.
   */
  private claimEventWithTerms(
    claim: EventClaim,
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
  ): { won: boolean; terms: string[] } {
    const won = this.claimEventNow(claim.platform, claim.eventId, claim.at, claim.leaseMs);
    if (!won || termIds.length === 0) return { won, terms: [] };
    const claimed = this.claimInThread(ref, thread, termIds, claim.at, claim.eventId);
    return { won, terms: termIds.filter((id) => claimed.has(id)) };
  }

  async confirmEvent(platform: string, eventId: string, at: number): Promise<void> {
    this.sql(
      `INSERT INTO events (platform, event_id, seen_at, confirmed, lease_until) VALUES (?, ?, ?, 1, 0)
       ON CONFLICT (platform, event_id) DO UPDATE SET confirmed = 1`,
    ).run(platform, eventId, at);
  }

  async releaseEvent(platform: string, eventId: string): Promise<void> {
    this.sql("DELETE FROM events WHERE platform = ? AND event_id = ? AND confirmed = 0").run(
      platform,
      eventId,
    );
  }

  async releaseExplained(
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
    at: number,
  ): Promise<void> {
    const inThread = this.sql(
      `DELETE FROM thread_terms
       WHERE platform = ? AND workspace = ? AND channel = ? AND thread = ? AND term_id = ? AND explained_at = ?`,
    );
    const inChannel = this.sql(
      "DELETE FROM channel_terms WHERE platform = ? AND workspace = ? AND channel = ? AND term_id = ? AND explained_at = ?",
    );
    this.db.transaction(() => {
      for (const id of termIds) {
        inThread.run(ref.platform, ref.workspace, ref.channel, thread, id, at);
        inChannel.run(ref.platform, ref.workspace, ref.channel, id, at);
      }
    })();
  }

  async check(): Promise<void> {
    if (!this.db.open) throw new MeshError("STORE_UNAVAILABLE", "The state database is closed.");
    this.assertSameFile();
    this.sql("SELECT 1").get();
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
    this.sql(
      `INSERT INTO ${table} (${column}, count, last_at) VALUES (?, ?, ?)
         ON CONFLICT (${column}) DO UPDATE SET count = count + excluded.count, last_at = max(last_at, excluded.last_at)`,
    ).run(key, count, at);
  }

  async lookupStats(limit: number): Promise<LookupStats> {
    const read = (sql: string) =>
      (this.sql(sql).all(limit) as { key: string; count: number; last_at: number }[]).map((r) => ({
        key: r.key,
        count: r.count,
        lastAt: r.last_at,
      }));
    return {
      top: read(
        "SELECT term_id AS key, count, last_at FROM lookup_hits ORDER BY count DESC, last_at DESC LIMIT ?",
      ),
      misses: read(
        "SELECT query AS key, count, last_at FROM lookup_misses ORDER BY count DESC, last_at DESC LIMIT ?",
      ),
    };
  }

  async saveInstallation(installation: Installation, at: number): Promise<void> {
    const secrets = this.sealer.seal(installation);
    const { platform, workspace } = installation;
    this.db.transaction(() => {
      this.sql(
        `INSERT INTO installations (platform, workspace, secrets, details, installed_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (platform, workspace)
           DO UPDATE SET secrets = excluded.secrets, details = excluded.details, updated_at = excluded.updated_at`,
      ).run(platform, workspace, secrets, installation.details, at, at);
      this.sql("DELETE FROM departed_workspaces WHERE platform = ? AND workspace = ?").run(
        platform,
        workspace,
      );
    })();
  }

  async installation(platform: string, workspace: string): Promise<Installation | undefined> {
    const row = this.sql(
      "SELECT secrets, details FROM installations WHERE platform = ? AND workspace = ?",
    ).get(platform, workspace) as { secrets: string; details: string } | undefined;
    if (row === undefined) return undefined;
    const { installation, resealed } = this.sealer.open(platform, workspace, row);
    if (resealed !== undefined) this.replaceSecrets(platform, workspace, row.secrets, resealed);
    return installation;
  }

  async deleteInstallation(platform: string, workspace: string, at: number): Promise<boolean> {
    return this.db.transaction(() => {
      const deleted = this.sql("DELETE FROM installations WHERE platform = ? AND workspace = ?").run(
        platform,
        workspace,
      );
      this.sql(
        "INSERT INTO departed_workspaces (platform, workspace, departed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      ).run(platform, workspace, at);
      return deleted.changes === 1;
    })();
  }

  /** Seals again, under the current key, every installation sealed under the previous one. */
  private resealInstallations(): void {
    const rows = this.sql("SELECT platform, workspace, secrets, details FROM installations").all() as {
      platform: string;
      workspace: string;
      secrets: string;
      details: string;
    }[];
    for (const row of rows) {
      const resealed = this.sealer.reseal(row.platform, row.workspace, row);
      if (resealed !== undefined) this.replaceSecrets(row.platform, row.workspace, row.secrets, resealed);
    }
  }

  /** Rewrites sealed secrets unless another writer (a token refresh) changed them meanwhile. */
  private replaceSecrets(platform: string, workspace: string, before: string, after: string): void {
    this.sql("UPDATE installations SET secrets = ? WHERE platform = ? AND workspace = ? AND secrets = ?").run(
      after,
      platform,
      workspace,
      before,
    );
  }

  async expire(now: number, retention: RetentionPolicy = DEFAULT_RETENTION): Promise<void> {
    const cutoff = departedBefore(now, retention);
    this.db.transaction(() => {
      this.sql("DELETE FROM thread_terms WHERE explained_at < ?").run(now - retention.threadMs);
      this.sql("DELETE FROM channel_terms WHERE explained_at < ?").run(now - retention.threadMs);
      this.sql("DELETE FROM events WHERE seen_at < ?").run(now - retention.eventMs);
      for (const statement of expireDepartedSql("?")) this.sql(statement).run(cutoff);
    })();
    this.resealInstallations();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Fails with a sentence when the state file exists but this process may not write it. */
function assertWritable(path: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw readOnlyFile(path);
  }
}

function migrate(db: Database.Database): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
  );
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  for (const migration of SCHEMA) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(
        migration.version,
        Date.now(),
      );
    }).immediate();
  }
}
