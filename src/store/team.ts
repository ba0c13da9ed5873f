import type {
  GlossarySettings,
  Proposal,
  TeamRevision,
  TeamTermFields,
  TeamTermRecord,
} from "../core/team.js";

export type { GlossarySettings, Proposal, TeamRevision } from "../core/team.js";

import type { LookupStats } from "./lookup-stats.js";

/** A team's workspace on one platform: a Slack team, a Discord server, the terminal. */
export interface WorkspaceRef {
  readonly platform: string;
  readonly workspace: string;
}

/** Why a change to a team term was not made. */
export type TeamWriteRefusal =
  /** Adding a term the team has already. */
  | { readonly ok: false; readonly reason: "exists"; readonly current: TeamTermRecord }
  /** Someone changed the term since the form was opened. */
  | { readonly ok: false; readonly reason: "conflict"; readonly current: TeamTermRecord }
  /** The team has no such term (any more). */
  | { readonly ok: false; readonly reason: "missing" };

export type TeamWrite = { readonly ok: true; readonly record: TeamTermRecord } | TeamWriteRefusal;

export type NewProposal = Omit<Proposal, "id" | "status" | "decidedBy" | "decidedAt">;

/**
 * What a team keeps in its workspace: its own terms with every revision, who may change them, proposals,
 * and what its people looked up. Implemented beside each Store (SQLite, PostgreSQL).
 */
export interface TeamStore {
  /** The team's terms now. */
  terms(ws: WorkspaceRef): Promise<TeamTermRecord[]>;
  /** Every workspace that has team terms. */
  workspaces(): Promise<WorkspaceRef[]>;
  add(
    ws: WorkspaceRef,
    id: string,
    fields: TeamTermFields,
    relatedIds: readonly string[],
    by: string,
    at: number,
  ): Promise<TeamWrite>;
  /** Changes a term; with `baseRevision`, only if nobody changed it since that revision. */
  edit(
    ws: WorkspaceRef,
    id: string,
    fields: TeamTermFields,
    relatedIds: readonly string[],
    baseRevision: number | undefined,
    by: string,
    at: number,
  ): Promise<TeamWrite>;
  remove(ws: WorkspaceRef, id: string, by: string, at: number): Promise<TeamWrite>;
  /** Every revision of a term, oldest first, removals included. */
  history(ws: WorkspaceRef, id: string): Promise<TeamRevision[]>;
  /** The latest changes of the team's terms, newest first. */
  recent(ws: WorkspaceRef, limit: number): Promise<TeamRevision[]>;

  settings(ws: WorkspaceRef): Promise<GlossarySettings>;
  /** Changes the mode and/or the review channel (null clears it). */
  setSettings(
    ws: WorkspaceRef,
    change: { readonly mode?: GlossarySettings["mode"]; readonly reviewChannel?: string | null },
    by: string,
    at: number,
  ): Promise<GlossarySettings>;

  propose(proposal: NewProposal): Promise<Proposal>;
  proposal(id: string): Promise<Proposal | undefined>;
  openProposals(ws: WorkspaceRef, limit: number): Promise<Proposal[]>;
  /** Approves or rejects an open proposal; undefined when it was decided already (by someone else). */
  decide(id: string, status: "approved" | "rejected", by: string, at: number): Promise<Proposal | undefined>;

  /**
   * Counts `count` lookups in the workspace, the last at `at`: the term id they found, or the normalised
   * query that found nothing.
   */
  recordLookup(
    ws: WorkspaceRef,
    result: { readonly termId: string } | { readonly missedQuery: string },
    at: number,
    count?: number,
  ): Promise<void>;
  lookupStats(ws: WorkspaceRef, limit: number): Promise<LookupStats>;

  /**
   * Calls `onChange` when a workspace's team terms change, here or on another replica; with no workspace
   * when changes may have been missed (a lost connection came back), so every cached workspace reloads.
   * Returns a function that stops watching.
   */
  watch(onChange: (ws: WorkspaceRef | undefined) => void): () => void;
}

/** The database row of a term or revision, to a record. */
export function parseFields(json: unknown): TeamTermFields {
  const raw = JSON.parse(String(json)) as Partial<TeamTermFields>;
  return {
    term: String(raw.term ?? ""),
    aliases: (raw.aliases ?? []).map(String),
    summary: String(raw.summary ?? ""),
    body: String(raw.body ?? ""),
    related: (raw.related ?? []).map(String),
    sources: (raw.sources ?? []).map(String),
  };
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** A team_terms row as a record. */
export function recordOf(row: Record<string, unknown>): TeamTermRecord {
  return {
    id: String(row.term_id),
    fields: parseFields(row.fields),
    relatedIds: (JSON.parse(String(row.related_ids)) as unknown[]).map(String),
    addedBy: String(row.added_by),
    addedAt: num(row.added_at),
    changedBy: String(row.changed_by),
    changedAt: num(row.changed_at),
    revision: num(row.revision),
  };
}

/** A team_term_revisions row as a revision. */
export function revisionOf(row: Record<string, unknown>): TeamRevision {
  return {
    termId: String(row.term_id),
    revision: num(row.revision),
    action: String(row.action) as TeamRevision["action"],
    fields: parseFields(row.fields),
    by: String(row.changed_by),
    at: num(row.changed_at),
  };
}

/** A glossary_settings row (or none) as settings; review is the default. */
export function settingsOf(row: Record<string, unknown> | undefined): GlossarySettings {
  return {
    mode: row?.mode === "open" ? "open" : "review",
    reviewChannel: opt(row?.review_channel),
    changedBy: opt(row?.changed_by),
    changedAt: row?.changed_at == null ? undefined : num(row.changed_at),
  };
}

/** A proposals row as a proposal. */
export function proposalOf(row: Record<string, unknown>): Proposal {
  return {
    id: String(row.id),
    platform: String(row.platform),
    workspace: String(row.workspace),
    action: row.action === "edit" ? "edit" : "add",
    termId: String(row.term_id),
    fields: parseFields(row.fields),
    relatedIds: (JSON.parse(String(row.related_ids)) as unknown[]).map(String),
    baseRevision: row.base_revision == null ? undefined : num(row.base_revision),
    proposedBy: String(row.proposed_by),
    proposedAt: num(row.proposed_at),
    channel: opt(row.channel),
    reviewers: (JSON.parse(String(row.reviewers ?? "[]")) as unknown[]).map(String),
    status: String(row.status) as Proposal["status"],
    decidedBy: opt(row.decided_by),
    decidedAt: row.decided_at == null ? undefined : num(row.decided_at),
  };
}

/** The columns of a lookup-count row, as the stats want them. */
export function countOf(row: Record<string, unknown>): { key: string; count: number; lastAt: number } {
  return { key: String(row.key), count: num(row.count), lastAt: num(row.last_at) };
}

/** The same change listeners for every team store: in this process at once, others through the database. */
export class ChangeListeners {
  private readonly listeners = new Set<(ws: WorkspaceRef | undefined) => void>();

  add(listener: (ws: WorkspaceRef | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  emit(ws: WorkspaceRef | undefined): void {
    for (const l of this.listeners) l(ws);
  }
}

/** How long team data of an uninstalled or abandoned workspace is kept: proposals decided 30 days ago go. */
export const DECIDED_PROPOSALS_MS = 30 * 24 * 3600_000;
