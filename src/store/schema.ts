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
    // Version 2: Slack installations (one a workspace, tokens sealed with AES-256-GCM) and the workspaces that
    // removed the app, whose settings expire 30 days later.
    version: 2,
    sql: `
      CREATE TABLE installations (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, secrets TEXT NOT NULL, details TEXT NOT NULL,
        installed_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
        PRIMARY KEY (platform, workspace)
      );
      CREATE TABLE departed_workspaces (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, departed_at BIGINT NOT NULL,
        PRIMARY KEY (platform, workspace)
      );
      CREATE INDEX departed_workspaces_departed_at ON departed_workspaces (departed_at);
    `,
  },
  {
    // The team's own glossary: terms and every revision, who may change them, proposals, and lookups
    // counted per workspace.
    version: 3,
    sql: `
      CREATE TABLE team_terms (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, term_id TEXT NOT NULL,
        fields TEXT NOT NULL, related_ids TEXT NOT NULL,
        added_by TEXT NOT NULL, added_at BIGINT NOT NULL, changed_by TEXT NOT NULL, changed_at BIGINT NOT NULL,
        revision INTEGER NOT NULL,
        PRIMARY KEY (platform, workspace, term_id)
      );
      CREATE TABLE team_term_revisions (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, term_id TEXT NOT NULL, revision INTEGER NOT NULL,
        action TEXT NOT NULL, fields TEXT NOT NULL, related_ids TEXT NOT NULL,
        changed_by TEXT NOT NULL, changed_at BIGINT NOT NULL,
        PRIMARY KEY (platform, workspace, term_id, revision)
      );
      CREATE INDEX team_term_revisions_recent ON team_term_revisions (platform, workspace, changed_at);
      CREATE TABLE glossary_settings (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, mode TEXT NOT NULL, review_channel TEXT,
        changed_by TEXT, changed_at BIGINT,
        PRIMARY KEY (platform, workspace)
      );
      CREATE TABLE proposals (
        id TEXT PRIMARY KEY, platform TEXT NOT NULL, workspace TEXT NOT NULL, action TEXT NOT NULL,
        term_id TEXT NOT NULL, fields TEXT NOT NULL, related_ids TEXT NOT NULL, base_revision INTEGER,
        proposed_by TEXT NOT NULL, proposed_at BIGINT NOT NULL, channel TEXT, reviewers TEXT NOT NULL,
        status TEXT NOT NULL, decided_by TEXT, decided_at BIGINT
      );
      CREATE INDEX proposals_open ON proposals (platform, workspace, status);
      CREATE TABLE workspace_lookups (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
        count BIGINT NOT NULL, last_at BIGINT NOT NULL,
        PRIMARY KEY (platform, workspace, kind, key)
      );
    `,
  },
  {
    // Version 4: claims on events with a lease, confirmed once answered (effectively-once replies), and the
    // event that claimed each explained term, so a redelivery after a crash takes over its terms.
    version: 4,
    sql: `
      ALTER TABLE events ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE events ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE thread_terms ADD COLUMN event_id TEXT;
    `,
  },
];
