import { MeshError } from "../core/errors.js";
import { type EncryptionKeys, SecretBox } from "./secrets.js";
import type { RetentionPolicy } from "./store.js";

/**
 * A chat app's installation in one workspace, as a platform's install flow (Slack's OAuth) produced it. The
 * workspace is the one channel settings are kept under: a Slack team, or the Enterprise Grid org of an
 * org-wide install.
 */
export interface Installation {
  readonly platform: string;
  readonly workspace: string;
  /** Tokens by name (e.g. "bot", "botRefresh"): sealed with AES-256-GCM before they reach the database. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Everything else about the installation (ids, scopes, names), as JSON text. Never a secret. */
  readonly details: string;
}

/**
 * Where installations live. A workspace that removes the app loses its installation (and tokens) at once; its
 * settings stay for `RetentionPolicy.departedMs` in case it comes back, then `expire()` deletes them. During a
 * key rotation, tokens sealed under the previous key are sealed again under the current one when the store
 * opens, when they are read, and at each `expire()`.
 */
export interface InstallationStore {
  /** Adds or replaces a workspace's installation; a workspace that had left is back. */
  saveInstallation(installation: Installation, at: number): Promise<void>;
  /** The workspace's installation, tokens opened; undefined when it has none. */
  installation(platform: string, workspace: string): Promise<Installation | undefined>;
  /** Deletes the installation and its tokens, and starts the countdown on the workspace's settings. */
  deleteInstallation(platform: string, workspace: string, at: number): Promise<boolean>;
}

/** Store options beyond the database URL. */
export interface StoreOptions {
  /** MESH_ENCRYPTION_KEY (and the previous key during a rotation): needed to keep installations. */
  readonly encryption?: EncryptionKeys | undefined;
}

/** An installation as the database holds it: tokens sealed, as JSON text. */
export interface InstallationRow {
  readonly secrets: string;
  readonly details: string;
}

/**
 * Tables whose rows belong to one workspace (`platform`, `workspace` columns): what `expire()` deletes once a
 * workspace has been gone for the retention period.
 */
export const WORKSPACE_TABLES = [
  "channel_settings",
  "silenced_terms",
  "muted_users",
  "thread_terms",
  "channel_terms",
  "team_terms",
  "team_term_revisions",
  "glossary_settings",
  "proposals",
  "workspace_lookups",
] as const;

/** Seals and opens the tokens of installations for both stores. */
export class InstallationSealer {
  private readonly box: SecretBox | undefined;

  constructor(options: StoreOptions) {
    this.box = options.encryption === undefined ? undefined : new SecretBox(options.encryption);
  }

  private required(): SecretBox {
    if (this.box === undefined) {
      throw new MeshError(
        "CONFIG_INVALID",
        "MESH_ENCRYPTION_KEY is not set: installations keep their tokens encrypted under it (openssl rand -base64 32).",
      );
    }
    return this.box;
  }

  /** The secrets of `installation`, each sealed under the current key, as the database keeps them. */
  seal(installation: Installation): string {
    const box = this.required();
    const sealed: Record<string, string> = {};
    for (const [name, value] of Object.entries(installation.secrets)) {
      sealed[name] = box.seal(value, context(installation.platform, installation.workspace, name));
    }
    return JSON.stringify(sealed);
  }

  /** Opens a row; `resealed` is set when a value was under the previous key (the row should be rewritten). */
  open(
    platform: string,
    workspace: string,
    row: InstallationRow,
  ): { installation: Installation; resealed: string | undefined } {
    const box = this.required();
    const secrets: Record<string, string> = {};
    let stale = false;
    for (const [name, value] of Object.entries(sealedSecrets(row.secrets))) {
      const opened = box.open(value, context(platform, workspace, name));
      secrets[name] = opened.value;
      stale ||= opened.stale;
    }
    const installation = { platform, workspace, secrets, details: row.details };
    return { installation, resealed: stale ? this.seal(installation) : undefined };
  }

  /** The row's secrets sealed again under the current key, or undefined when they already are (or cannot be opened). */
  reseal(platform: string, workspace: string, row: InstallationRow): string | undefined {
    if (this.box === undefined) return undefined;
    const box = this.box;
    if (Object.values(sealedSecrets(row.secrets)).every((v) => box.isCurrent(v))) return undefined;
    try {
      return this.open(platform, workspace, row).resealed;
    } catch {
      // Sealed under a key this process does not have: left as it is, and reported when it is read.
      return undefined;
    }
  }
}

function context(platform: string, workspace: string, name: string): string {
  return `${platform}/${workspace}/${name}`;
}

function sealedSecrets(json: string): Record<string, string> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

/** Workspaces that removed the app before this time are forgotten by `expire(now, retention)`. */
export function departedBefore(now: number, retention: RetentionPolicy): number {
  return now - (retention.departedMs ?? 30 * 24 * 3600_000);
}

/**
 * The statements that forget workspaces gone since before the cutoff (the first parameter): their rows in
 * every workspace table, then the record of their departure. `$1` for PostgreSQL, `?` for SQLite.
 */
export function expireDepartedSql(param: "?" | "$1"): string[] {
  const gone = `SELECT platform, workspace FROM departed_workspaces WHERE departed_at < ${param}`;
  return [
    ...WORKSPACE_TABLES.map((table) => `DELETE FROM ${table} WHERE (platform, workspace) IN (${gone})`),
    `DELETE FROM departed_workspaces WHERE departed_at < ${param}`,
  ];
}
