/**
 * Versioned migrations, shared by SQLite and PostgreSQL: the SQL below sticks to what both accept.
 * Append new versions; never edit one that has shipped.
 */
export const SCHEMA: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE channel_settings (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL,
        auto_explain INTEGER NOT NULL, changed_by TEXT, changed_at BIGINT,
        PRIMARY KEY (platform, workspace, channel)
      );
      CREATE TABLE silenced_terms (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL, term_id TEXT NOT NULL,
        changed_by TEXT, changed_at BIGINT,
        PRIMARY KEY (platform, workspace, channel, term_id)
      );
      CREATE TABLE muted_users (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, user_id TEXT NOT NULL, muted_at BIGINT NOT NULL,
        PRIMARY KEY (platform, workspace, user_id)
      );
      CREATE TABLE thread_terms (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL, thread TEXT NOT NULL,
        term_id TEXT NOT NULL, explained_at BIGINT NOT NULL,
        PRIMARY KEY (platform, workspace, channel, thread, term_id)
      );
      CREATE INDEX thread_terms_explained_at ON thread_terms (explained_at);
      CREATE TABLE channel_terms (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL, term_id TEXT NOT NULL,
        explained_at BIGINT NOT NULL,
        PRIMARY KEY (platform, workspace, channel, term_id)
      );
      CREATE INDEX channel_terms_explained_at ON channel_terms (explained_at);
      CREATE TABLE events (
        platform TEXT NOT NULL, event_id TEXT NOT NULL, seen_at BIGINT NOT NULL,
        PRIMARY KEY (platform, event_id)
      );
      CREATE INDEX events_seen_at ON events (seen_at);
      CREATE TABLE lookup_hits (term_id TEXT PRIMARY KEY, count BIGINT NOT NULL, last_at BIGINT NOT NULL);
      CREATE TABLE lookup_misses (query TEXT PRIMARY KEY, count BIGINT NOT NULL, last_at BIGINT NOT NULL);
    `,
  },
  {
    // Version 2: claims on events with a lease, confirmed once answered (effectively-once replies), and the
    // event that claimed each explained term, so a redelivery after a crash takes over its terms.
    version: 2,
    sql: `
      ALTER TABLE events ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE events ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE thread_terms ADD COLUMN event_id TEXT;
    `,
  },
];
