import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { TeamTermFields, TeamTermRecord } from "../core/team.js";
import type { LookupStats } from "./lookup-stats.js";
import {
  ChangeListeners,
  countOf,
  type GlossarySettings,
  type NewProposal,
  type Proposal,
  proposalOf,
  recordOf,
  revisionOf,
  settingsOf,
  type TeamRevision,
  type TeamStore,
  type TeamWrite,
  type WorkspaceRef,
} from "./team.js";

type Row = Record<string, unknown>;

/** The team's terms, settings, proposals and lookups in the embedded SQLite file (one process). */
export class SqliteTeamStore implements TeamStore {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly listeners = new ChangeListeners();

  constructor(private readonly db: Database.Database) {}

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private current(ws: WorkspaceRef, id: string): TeamTermRecord | undefined {
    const row = this.sql("SELECT * FROM team_terms WHERE platform = ? AND workspace = ? AND term_id = ?").get(
      ws.platform,
      ws.workspace,
      id,
    ) as Row | undefined;
    return row === undefined ? undefined : recordOf(row);
  }

  private lastRevision(ws: WorkspaceRef, id: string): number {
    const row = this.sql(
      "SELECT MAX(revision) AS revision FROM team_term_revisions WHERE platform = ? AND workspace = ? AND term_id = ?",
    ).get(ws.platform, ws.workspace, id) as { revision: number | null } | undefined;
    return row?.revision ?? 0;
  }

  private write(
    ws: WorkspaceRef,
    record: TeamTermRecord,
    action: TeamRevision["action"],
    by: string,
    at: number,
  ): void {
    const fields = JSON.stringify(record.fields);
    const related = JSON.stringify(record.relatedIds);
    if (action === "remove") {
      this.sql("DELETE FROM team_terms WHERE platform = ? AND workspace = ? AND term_id = ?").run(
        ws.platform,
        ws.workspace,
        record.id,
      );
    } else {
      this.sql(
        `INSERT INTO team_terms (platform, workspace, term_id, fields, related_ids, added_by, added_at, changed_by, changed_at, revision)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, workspace, term_id) DO UPDATE SET fields = excluded.fields,
           related_ids = excluded.related_ids, changed_by = excluded.changed_by, changed_at = excluded.changed_at,
           revision = excluded.revision`,
      ).run(
        ws.platform,
        ws.workspace,
        record.id,
        fields,
        related,
        record.addedBy,
        record.addedAt,
        record.changedBy,
        record.changedAt,
        record.revision,
      );
    }
    this.sql(
      `INSERT INTO team_term_revisions (platform, workspace, term_id, revision, action, fields, related_ids, changed_by, changed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(ws.platform, ws.workspace, record.id, record.revision, action, fields, related, by, at);
  }

  async terms(ws: WorkspaceRef): Promise<TeamTermRecord[]> {
    return (
      this.sql("SELECT * FROM team_terms WHERE platform = ? AND workspace = ? ORDER BY term_id").all(
        ws.platform,
        ws.workspace,
      ) as Row[]
    ).map(recordOf);
  }

  async workspaces(): Promise<WorkspaceRef[]> {
    return (
      this.sql(
        "SELECT DISTINCT platform, workspace FROM team_terms ORDER BY platform, workspace",
      ).all() as Row[]
    ).map((r) => ({ platform: String(r.platform), workspace: String(r.workspace) }));
  }

  async add(
    ws: WorkspaceRef,
    id: string,
    fields: TeamTermFields,
    relatedIds: readonly string[],
    by: string,
    at: number,
  ): Promise<TeamWrite> {
    const result = this.db
      .transaction((): TeamWrite => {
        const current = this.current(ws, id);
        if (current !== undefined) return { ok: false, reason: "exists", current };
        const record: TeamTermRecord = {
          id,
          fields,
          relatedIds: [...relatedIds],
          addedBy: by,
          addedAt: at,
          changedBy: by,
          changedAt: at,
          // Numbering goes on after a removal, so history reads in order.
          revision: this.lastRevision(ws, id) + 1,
        };
        this.write(ws, record, "add", by, at);
        return { ok: true, record };
      })
      .immediate();
    if (result.ok) this.listeners.emit(ws);
    return result;
  }

  async edit(
    ws: WorkspaceRef,
    id: string,
    fields: TeamTermFields,
    relatedIds: readonly string[],
    baseRevision: number | undefined,
    by: string,
    at: number,
  ): Promise<TeamWrite> {
    const result = this.db
      .transaction((): TeamWrite => {
        const current = this.current(ws, id);
        if (current === undefined) return { ok: false, reason: "missing" };
        if (baseRevision !== undefined && current.revision !== baseRevision) {
          return { ok: false, reason: "conflict", current };
        }
        const record: TeamTermRecord = {
          ...current,
          fields,
          relatedIds: [...relatedIds],
          changedBy: by,
          changedAt: at,
          revision: current.revision + 1,
        };
        this.write(ws, record, "edit", by, at);
        return { ok: true, record };
      })
      .immediate();
    if (result.ok) this.listeners.emit(ws);
    return result;
  }

  async remove(ws: WorkspaceRef, id: string, by: string, at: number): Promise<TeamWrite> {
    const result = this.db
      .transaction((): TeamWrite => {
        const current = this.current(ws, id);
        if (current === undefined) return { ok: false, reason: "missing" };
        const record = { ...current, changedBy: by, changedAt: at, revision: current.revision + 1 };
        this.write(ws, record, "remove", by, at);
        return { ok: true, record };
      })
      .immediate();
    if (result.ok) this.listeners.emit(ws);
    return result;
  }

  async history(ws: WorkspaceRef, id: string): Promise<TeamRevision[]> {
    return (
      this.sql(
        "SELECT * FROM team_term_revisions WHERE platform = ? AND workspace = ? AND term_id = ? ORDER BY revision",
      ).all(ws.platform, ws.workspace, id) as Row[]
    ).map(revisionOf);
  }

  async recent(ws: WorkspaceRef, limit: number): Promise<TeamRevision[]> {
    return (
      this.sql(
        `SELECT * FROM team_term_revisions WHERE platform = ? AND workspace = ?
         ORDER BY changed_at DESC, revision DESC LIMIT ?`,
      ).all(ws.platform, ws.workspace, limit) as Row[]
    ).map(revisionOf);
  }

  async settings(ws: WorkspaceRef): Promise<GlossarySettings> {
    return settingsOf(
      this.sql("SELECT * FROM glossary_settings WHERE platform = ? AND workspace = ?").get(
        ws.platform,
        ws.workspace,
      ) as Row | undefined,
    );
  }

  async setSettings(
    ws: WorkspaceRef,
    change: { readonly mode?: GlossarySettings["mode"]; readonly reviewChannel?: string | null },
    by: string,
    at: number,
  ): Promise<GlossarySettings> {
    this.db
      .transaction(() => {
        const now = settingsOf(
          this.sql("SELECT * FROM glossary_settings WHERE platform = ? AND workspace = ?").get(
            ws.platform,
            ws.workspace,
          ) as Row | undefined,
        );
        const channel = change.reviewChannel === undefined ? now.reviewChannel : change.reviewChannel;
        this.sql(
          `INSERT INTO glossary_settings (platform, workspace, mode, review_channel, changed_by, changed_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, workspace) DO UPDATE SET mode = excluded.mode,
           review_channel = excluded.review_channel, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
        ).run(ws.platform, ws.workspace, change.mode ?? now.mode, channel ?? null, by, at);
      })
      .immediate();
    return this.settings(ws);
  }

  async propose(proposal: NewProposal): Promise<Proposal> {
    const id = randomUUID().replaceAll("-", "");
    this.sql(
      `INSERT INTO proposals (id, platform, workspace, action, term_id, fields, related_ids, base_revision,
         proposed_by, proposed_at, channel, reviewers, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
    ).run(
      id,
      proposal.platform,
      proposal.workspace,
      proposal.action,
      proposal.termId,
      JSON.stringify(proposal.fields),
      JSON.stringify(proposal.relatedIds),
      proposal.baseRevision ?? null,
      proposal.proposedBy,
      proposal.proposedAt,
      proposal.channel ?? null,
      JSON.stringify(proposal.reviewers),
    );
    return { ...proposal, id, status: "open", decidedBy: undefined, decidedAt: undefined };
  }

  async proposal(id: string): Promise<Proposal | undefined> {
    const row = this.sql("SELECT * FROM proposals WHERE id = ?").get(id) as Row | undefined;
    return row === undefined ? undefined : proposalOf(row);
  }

  async openProposals(ws: WorkspaceRef, limit: number): Promise<Proposal[]> {
    return (
      this.sql(
        `SELECT * FROM proposals WHERE platform = ? AND workspace = ? AND status = 'open'
         ORDER BY proposed_at DESC LIMIT ?`,
      ).all(ws.platform, ws.workspace, limit) as Row[]
    ).map(proposalOf);
  }

  async decide(
    id: string,
    status: "approved" | "rejected",
    by: string,
    at: number,
  ): Promise<Proposal | undefined> {
    const changed = this.sql(
      "UPDATE proposals SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'open'",
    ).run(status, by, at, id);
    return changed.changes === 1 ? this.proposal(id) : undefined;
  }

  async recordLookup(
    ws: WorkspaceRef,
    result: { readonly termId: string } | { readonly missedQuery: string },
    at: number,
    count = 1,
  ): Promise<void> {
    const [kind, key] = "termId" in result ? ["hit", result.termId] : ["miss", result.missedQuery];
    this.sql(
      `INSERT INTO workspace_lookups (platform, workspace, kind, key, count, last_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, workspace, kind, key)
       DO UPDATE SET count = count + excluded.count, last_at = max(last_at, excluded.last_at)`,
    ).run(ws.platform, ws.workspace, kind, key, count, at);
  }

  async lookupStats(ws: WorkspaceRef, limit: number): Promise<LookupStats> {
    const read = (kind: string) =>
      (
        this.sql(
          `SELECT key, count, last_at FROM workspace_lookups WHERE platform = ? AND workspace = ? AND kind = ?
           ORDER BY count DESC, last_at DESC LIMIT ?`,
        ).all(ws.platform, ws.workspace, kind, limit) as Row[]
      ).map(countOf);
    return { top: read("hit"), misses: read("miss") };
  }

  watch(onChange: (ws: WorkspaceRef | undefined) => void): () => void {
    return this.listeners.add(onChange);
  }
}
