import { randomUUID } from "node:crypto";
import type { TeamTermFields, TeamTermRecord } from "../core/team.js";
import type { LookupStats } from "./lookup-stats.js";
import type { SqlDatabase, SqlExecutor } from "./sql.js";
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

/** The channel replicas tell each other on that a workspace's team terms changed. */
export const TEAM_CHANGES_CHANNEL = "mesh_team_terms";

/**
 * The team's terms, settings, proposals and lookups in PostgreSQL, shared by every replica. Writes to one
 * workspace's terms take that workspace's advisory lock, and tell the other replicas with NOTIFY.
 */
export class PostgresTeamStore implements TeamStore {
  private readonly listeners = new ChangeListeners();
  private stopListening: Promise<() => Promise<void>> | undefined;

  constructor(private readonly db: SqlDatabase) {}

  private async current(q: SqlExecutor, ws: WorkspaceRef, id: string): Promise<TeamTermRecord | undefined> {
    const { rows } = await q.query(
      "SELECT * FROM team_terms WHERE platform = $1 AND workspace = $2 AND term_id = $3",
      [ws.platform, ws.workspace, id],
    );
    return rows[0] === undefined ? undefined : recordOf(rows[0]);
  }

  /** Runs `work` holding the workspace's lock; a successful write is announced to every replica. */
  private async change(ws: WorkspaceRef, work: (tx: SqlExecutor) => Promise<TeamWrite>): Promise<TeamWrite> {
    const result = await this.db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('team/' || $1 || '/' || $2))", [
        ws.platform,
        ws.workspace,
      ]);
      const outcome = await work(tx);
      if (outcome.ok) await tx.query("SELECT pg_notify($1, $2)", [TEAM_CHANGES_CHANNEL, JSON.stringify(ws)]);
      return outcome;
    });
    if (result.ok) this.listeners.emit(ws);
    return result;
  }

  private async write(
    tx: SqlExecutor,
    ws: WorkspaceRef,
    record: TeamTermRecord,
    action: TeamRevision["action"],
    by: string,
    at: number,
  ): Promise<void> {
    const fields = JSON.stringify(record.fields);
    const related = JSON.stringify(record.relatedIds);
    if (action === "remove") {
      await tx.query("DELETE FROM team_terms WHERE platform = $1 AND workspace = $2 AND term_id = $3", [
        ws.platform,
        ws.workspace,
        record.id,
      ]);
    } else {
      await tx.query(
        `INSERT INTO team_terms (platform, workspace, term_id, fields, related_ids, added_by, added_at, changed_by, changed_at, revision)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (platform, workspace, term_id) DO UPDATE SET fields = excluded.fields,
           related_ids = excluded.related_ids, changed_by = excluded.changed_by, changed_at = excluded.changed_at,
           revision = excluded.revision`,
        [
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
        ],
      );
    }
    await tx.query(
      `INSERT INTO team_term_revisions (platform, workspace, term_id, revision, action, fields, related_ids, changed_by, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [ws.platform, ws.workspace, record.id, record.revision, action, fields, related, by, at],
    );
  }

  async terms(ws: WorkspaceRef): Promise<TeamTermRecord[]> {
    const { rows } = await this.db.query(
      "SELECT * FROM team_terms WHERE platform = $1 AND workspace = $2 ORDER BY term_id",
      [ws.platform, ws.workspace],
    );
    return rows.map(recordOf);
  }

  async workspaces(): Promise<WorkspaceRef[]> {
    const { rows } = await this.db.query(
      "SELECT DISTINCT platform, workspace FROM team_terms ORDER BY platform, workspace",
    );
    return rows.map((r) => ({ platform: String(r.platform), workspace: String(r.workspace) }));
  }

  add(
    ws: WorkspaceRef,
    id: string,
    fields: TeamTermFields,
    relatedIds: readonly string[],
    by: string,
    at: number,
  ): Promise<TeamWrite> {
    return this.change(ws, async (tx) => {
      const current = await this.current(tx, ws, id);
      if (current !== undefined) return { ok: false, reason: "exists", current };
      const { rows } = await tx.query(
        "SELECT MAX(revision) AS revision FROM team_term_revisions WHERE platform = $1 AND workspace = $2 AND term_id = $3",
        [ws.platform, ws.workspace, id],
      );
      const record: TeamTermRecord = {
        id,
        fields,
        relatedIds: [...relatedIds],
        addedBy: by,
        addedAt: at,
        changedBy: by,
        changedAt: at,
        // Numbering goes on after a removal, so history reads in order.
        revision: Number(rows[0]?.revision ?? 0) + 1,
      };
      await this.write(tx, ws, record, "add", by, at);
      return { ok: true, record };
    });
  }

  edit(
    ws: WorkspaceRef,
    id: string,
    fields: TeamTermFields,
    relatedIds: readonly string[],
    baseRevision: number | undefined,
    by: string,
    at: number,
  ): Promise<TeamWrite> {
    return this.change(ws, async (tx) => {
      const current = await this.current(tx, ws, id);
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
      await this.write(tx, ws, record, "edit", by, at);
      return { ok: true, record };
    });
  }

  remove(ws: WorkspaceRef, id: string, by: string, at: number): Promise<TeamWrite> {
    return this.change(ws, async (tx) => {
      const current = await this.current(tx, ws, id);
      if (current === undefined) return { ok: false, reason: "missing" };
      const record = { ...current, changedBy: by, changedAt: at, revision: current.revision + 1 };
      await this.write(tx, ws, record, "remove", by, at);
      return { ok: true, record };
    });
  }

  async history(ws: WorkspaceRef, id: string): Promise<TeamRevision[]> {
    const { rows } = await this.db.query(
      "SELECT * FROM team_term_revisions WHERE platform = $1 AND workspace = $2 AND term_id = $3 ORDER BY revision",
      [ws.platform, ws.workspace, id],
    );
    return rows.map(revisionOf);
  }

  async recent(ws: WorkspaceRef, limit: number): Promise<TeamRevision[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM team_term_revisions WHERE platform = $1 AND workspace = $2
       ORDER BY changed_at DESC, revision DESC LIMIT $3`,
      [ws.platform, ws.workspace, limit],
    );
    return rows.map(revisionOf);
  }

  async settings(ws: WorkspaceRef): Promise<GlossarySettings> {
    const { rows } = await this.db.query(
      "SELECT * FROM glossary_settings WHERE platform = $1 AND workspace = $2",
      [ws.platform, ws.workspace],
    );
    return settingsOf(rows[0]);
  }

  async setSettings(
    ws: WorkspaceRef,
    change: { readonly mode?: GlossarySettings["mode"]; readonly reviewChannel?: string | null },
    by: string,
    at: number,
  ): Promise<GlossarySettings> {
    const keepChannel = change.reviewChannel === undefined;
    await this.db.query(
      `INSERT INTO glossary_settings (platform, workspace, mode, review_channel, changed_by, changed_at)
       VALUES ($1, $2, COALESCE($3, 'review'), $4, $5, $6)
       ON CONFLICT (platform, workspace) DO UPDATE SET
         mode = COALESCE($3, glossary_settings.mode),
         review_channel = CASE WHEN $7 THEN glossary_settings.review_channel ELSE excluded.review_channel END,
         changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
      [ws.platform, ws.workspace, change.mode ?? null, change.reviewChannel ?? null, by, at, keepChannel],
    );
    return this.settings(ws);
  }

  async propose(proposal: NewProposal): Promise<Proposal> {
    const id = randomUUID().replaceAll("-", "");
    await this.db.query(
      `INSERT INTO proposals (id, platform, workspace, action, term_id, fields, related_ids, base_revision,
         proposed_by, proposed_at, channel, reviewers, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open')`,
      [
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
      ],
    );
    return { ...proposal, id, status: "open", decidedBy: undefined, decidedAt: undefined };
  }

  async proposal(id: string): Promise<Proposal | undefined> {
    const { rows } = await this.db.query("SELECT * FROM proposals WHERE id = $1", [id]);
    return rows[0] === undefined ? undefined : proposalOf(rows[0]);
  }

  async openProposals(ws: WorkspaceRef, limit: number): Promise<Proposal[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM proposals WHERE platform = $1 AND workspace = $2 AND status = 'open'
       ORDER BY proposed_at DESC LIMIT $3`,
      [ws.platform, ws.workspace, limit],
    );
    return rows.map(proposalOf);
  }

  async decide(
    id: string,
    status: "approved" | "rejected",
    by: string,
    at: number,
  ): Promise<Proposal | undefined> {
    const { rows } = await this.db.query(
      `UPDATE proposals SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = 'open'
       RETURNING *`,
      [status, by, at, id],
    );
    return rows[0] === undefined ? undefined : proposalOf(rows[0]);
  }

  async recordLookup(
    ws: WorkspaceRef,
    result: { readonly termId: string } | { readonly missedQuery: string },
    at: number,
    count = 1,
  ): Promise<void> {
    const [kind, key] = "termId" in result ? ["hit", result.termId] : ["miss", result.missedQuery];
    await this.db.query(
      `INSERT INTO workspace_lookups (platform, workspace, kind, key, count, last_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (platform, workspace, kind, key)
       DO UPDATE SET count = workspace_lookups.count + excluded.count,
         last_at = GREATEST(workspace_lookups.last_at, excluded.last_at)`,
      [ws.platform, ws.workspace, kind, key, count, at],
    );
  }

  async lookupStats(ws: WorkspaceRef, limit: number): Promise<LookupStats> {
    const read = async (kind: string) =>
      (
        await this.db.query(
          `SELECT key, count, last_at FROM workspace_lookups WHERE platform = $1 AND workspace = $2 AND kind = $3
           ORDER BY count DESC, last_at DESC LIMIT $4`,
          [ws.platform, ws.workspace, kind, limit],
        )
      ).rows.map(countOf);
    const [top, misses] = await Promise.all([read("hit"), read("miss")]);
    return { top, misses };
  }

  watch(onChange: (ws: WorkspaceRef | undefined) => void): () => void {
    const stop = this.listeners.add(onChange);
    // One LISTEN per store, opened with the first watcher: other replicas' changes arrive through it.
    if (this.stopListening === undefined && this.db.listen !== undefined) {
      this.stopListening = this.db.listen(
        TEAM_CHANGES_CHANNEL,
        (payload) => this.listeners.emit(workspaceOf(payload)),
        () => this.listeners.emit(undefined),
      );
      this.stopListening.catch(() => {});
    }
    return () => {
      stop();
      if (this.listeners.size === 0 && this.stopListening !== undefined) {
        const listening = this.stopListening;
        this.stopListening = undefined;
        void listening.then((unlisten) => unlisten()).catch(() => {});
      }
    };
  }

  /** Stops listening for other replicas' changes. */
  async close(): Promise<void> {
    const listening = this.stopListening;
    this.stopListening = undefined;
    if (listening !== undefined) await (await listening.catch(() => async () => {}))();
  }
}

function workspaceOf(payload: string): WorkspaceRef | undefined {
  try {
    const ws = JSON.parse(payload) as Partial<WorkspaceRef>;
    return typeof ws.platform === "string" && typeof ws.workspace === "string"
      ? { platform: ws.platform, workspace: ws.workspace }
      : undefined;
  } catch {
    return undefined;
  }
}
