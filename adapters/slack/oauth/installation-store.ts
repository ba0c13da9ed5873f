import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Logger } from "../../../src/logger.js";
import { PLATFORM } from "../listeners/context.js";

/** An installation as the bot's store keeps it: tokens apart (sealed at rest), the rest as JSON text. */
export interface StoredInstallation {
  readonly platform: string;
  /** The team id, or the enterprise id of an org-wide install: the workspace of the bot's channel refs. */
  readonly workspace: string;
  readonly secrets: Readonly<Record<string, string>>;
  readonly details: string;
}

/**
 * What the adapter needs of the store's installations. src/main.ts passes the store itself (its
 * `InstallationStore`); the adapter names only the methods it calls, and so never imports the store.
 */
export interface SlackInstallations {
  saveInstallation(installation: StoredInstallation, at: number): Promise<void>;
  installation(platform: string, workspace: string): Promise<StoredInstallation | undefined>;
  deleteInstallation(platform: string, workspace: string, at: number): Promise<boolean>;
}

/** The workspace an installation (or a query for one) belongs to. */
function workspaceKey(
  orgWide: boolean | undefined,
  enterpriseId?: string,
  teamId?: string,
): string | undefined {
  return orgWide === true ? enterpriseId : (teamId ?? enterpriseId);
}

/** Bolt's installation as the store keeps it: the four tokens out of the details, into `secrets`. */
export function toStored(installation: Installation): StoredInstallation {
  const workspace = workspaceKey(
    installation.isEnterpriseInstall,
    installation.enterprise?.id,
    installation.team?.id,
  );
  if (workspace === undefined) throw new Error("Slack's installation names neither a team nor an org");
  const { bot, user } = installation;
  const secrets: Record<string, string> = {};
  if (bot?.token !== undefined) secrets.bot = bot.token;
  if (bot?.refreshToken !== undefined) secrets.botRefresh = bot.refreshToken;
  if (user.token !== undefined) secrets.user = user.token;
  if (user.refreshToken !== undefined) secrets.userRefresh = user.refreshToken;
  const details = {
    ...installation,
    user: { ...user, token: undefined, refreshToken: undefined },
    ...(bot === undefined ? {} : { bot: { ...bot, token: undefined, refreshToken: undefined } }),
  };
  return { platform: PLATFORM, workspace, secrets, details: JSON.stringify(details) };
}

/** The store's installation as Bolt wants it back, tokens in place. */
export function fromStored(stored: StoredInstallation): Installation {
  const installation = JSON.parse(stored.details) as Installation;
  const { bot, botRefresh, user, userRefresh } = stored.secrets;
  if (installation.bot !== undefined && bot !== undefined) {
    installation.bot.token = bot;
    if (botRefresh !== undefined) installation.bot.refreshToken = botRefresh;
  }
  if (user !== undefined) installation.user.token = user;
  if (userRefresh !== undefined) installation.user.refreshToken = userRefresh;
  return installation;
}

/** At most this many workspaces are remembered as already reported (a bound on memory, not a limit). */
const REPORTED_LIMIT = 10_000;

/**
 * Bolt's installation store over the bot's store. Bolt asks it for the installation of every event, command
 * and click; a workspace without one is refused (Bolt then acks and runs no listener), and logged once per
 * workspace and reason rather than once per event.
 */
export class SlackInstallationStore implements InstallationStore {
  private readonly reported = new Map<string, string>();

  constructor(
    private readonly installations: SlackInstallations,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const stored = toStored(installation);
    await this.installations.saveInstallation(stored, this.now());
    this.reported.delete(stored.workspace);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const workspace = workspaceKey(query.isEnterpriseInstall, query.enterpriseId, query.teamId) ?? "unknown";
    let stored: StoredInstallation | undefined;
    try {
      stored = await this.installations.installation(PLATFORM, workspace);
    } catch (error) {
      this.reportOnce(workspace, "unreadable", () =>
        this.logger.error(
          { err: error, team: workspace },
          "Slack installation could not be read; this workspace's events are ignored",
        ),
      );
      throw error;
    }
    if (stored === undefined) {
      this.reportOnce(workspace, "missing", () =>
        this.logger.warn(
          { team: workspace, enterprise: query.enterpriseId },
          "Slack workspace has no installation; its events are ignored until it installs the app from /slack/install",
        ),
      );
      throw new Error(`no installation for Slack workspace ${workspace}`);
    }
    this.reported.delete(workspace);
    return fromStored(stored);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const workspace = workspaceKey(query.isEnterpriseInstall, query.enterpriseId, query.teamId);
    if (workspace !== undefined) await this.remove(workspace);
  }

  /** Deletes a workspace's installation and tokens; true when there was one. */
  async remove(workspace: string): Promise<boolean> {
    return this.installations.deleteInstallation(PLATFORM, workspace, this.now());
  }

  /** Drops the user token of a workspace's installation (the bot's stays). */
  async removeUserToken(workspace: string): Promise<void> {
    const stored = await this.installations.installation(PLATFORM, workspace);
    if (stored === undefined) return;
    const { user: _user, userRefresh: _userRefresh, ...secrets } = stored.secrets;
    await this.installations.saveInstallation({ ...stored, secrets }, this.now());
  }

  private reportOnce(workspace: string, reason: string, log: () => void): void {
    if (this.reported.get(workspace) === reason) return;
    if (this.reported.size >= REPORTED_LIMIT) this.reported.clear();
    this.reported.set(workspace, reason);
    log();
  }
}
