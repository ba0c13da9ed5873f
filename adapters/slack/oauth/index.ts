import type { Logger as BoltLogger, HTTPReceiverOptions } from "@slack/bolt";
import { SLACK_REDIRECT_PATH, type SlackOAuthConfig } from "../../../src/config.js";
import type { Logger } from "../../../src/logger.js";
import { workspaceOf } from "../listeners/context.js";
import type { EventHandlers } from "../listeners/events/types.js";
import { SlackInstallationStore, type SlackInstallations } from "./installation-store.js";
import { installPage, sendInstalled, sendInstallFailed } from "./pages.js";

export type { SlackInstallations, StoredInstallation } from "./installation-store.js";

/** The bot scopes every workspace grants: the same as adapters/slack/manifest.yaml asks for. */
export const BOT_SCOPES = [
  "app_mentions:read",
  "channels:history",
  "groups:history",
  "mpim:history",
  "im:history",
  "chat:write",
  "commands",
  "users:read",
] as const;

/** Where installers start: a page with an "Add to Slack" link. */
export const INSTALL_PATH = "/slack/install";

/** The paths OAuth mode serves beside /slack/events: the install page and Slack's redirect back. */
export const OAUTH_PATHS = [INSTALL_PATH, SLACK_REDIRECT_PATH] as const;

/** What Bolt logs, at warn, for every event of a workspace without an installation. */
const AUTHORIZATION_MISS = "Authorization of incoming event did not succeed";

/** @slack/oauth's errors about the install link itself (state missing, forged or expired; no code; cancelled). */
function isInstallLinkError(value: unknown): boolean {
  const code = value instanceof Error ? (value as Error & { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("slack_oauth_");
}

export interface SlackOAuthOptions {
  readonly oauth: SlackOAuthConfig;
  /** SLACK_API_URL: oauth.v2.access goes there too; its host also serves the authorize page (GovSlack). */
  readonly apiUrl: string | undefined;
  readonly installations: SlackInstallations;
  readonly logger: Logger;
}

/** Bolt's OAuth support, set up for the bot: the installer's options and the uninstall listeners. */
export interface SlackOAuth {
  /** Receiver options that turn on Bolt's installer, state checks and per-workspace authorization. */
  readonly appOptions: Pick<
    HTTPReceiverOptions,
    | "clientId"
    | "clientSecret"
    | "stateSecret"
    | "scopes"
    | "redirectUri"
    | "installationStore"
    | "installerOptions"
  >;
  /** Bolt's logger, without the warning Bolt writes for every event of a workspace that has no installation. */
  quiet(logger: BoltLogger): BoltLogger;
  /** Handlers that delete installations on app_uninstalled and tokens_revoked, for the events' table. */
  readonly events: EventHandlers;
}

/**
 * OAuth mode: every workspace installs the app from /slack/install and gets its own bot token, kept (sealed)
 * in the store; Bolt authorizes each event, command and click with its workspace's installation. Token
 * rotation works as Slack and Bolt define it: an installation whose bot token expires within two hours is
 * refreshed (oauth.v2.access with the refresh token) before the event is handled, and saved again.
 */
export function slackOAuth(options: SlackOAuthOptions): SlackOAuth {
  const { oauth, apiUrl } = options;
  const logger = options.logger.child({ component: "oauth" });
  const store = new SlackInstallationStore(options.installations, logger);
  // Slack serves the authorize page beside its Web API: https://slack.com/api/ -> https://slack.com/oauth/v2/authorize.
  const authorizationUrl =
    apiUrl === undefined ? undefined : new URL("../oauth/v2/authorize", apiUrl).toString();
  return {
    appOptions: {
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      stateSecret: oauth.stateSecret,
      scopes: [...BOT_SCOPES],
      ...(oauth.redirectUri === undefined ? {} : { redirectUri: oauth.redirectUri }),
      installationStore: store,
      installerOptions: {
        installPath: INSTALL_PATH,
        redirectUriPath: SLACK_REDIRECT_PATH,
        // The state is signed with SLACK_STATE_SECRET, tied to the browser by a cookie, and good for 10 minutes.
        stateVerification: true,
        directInstall: false,
        renderHtmlForInstallPath: installPage,
        ...(authorizationUrl === undefined ? {} : { authorizationUrl }),
        callbackOptions: {
          success: (installation, _options, _req, res) => {
            logger.info(
              {
                team: installation.team?.id,
                enterprise: installation.enterprise?.id,
                orgWide: installation.isEnterpriseInstall === true,
                rotation: installation.bot?.refreshToken !== undefined,
              },
              "Slack app installed",
            );
            sendInstalled(installation, res);
          },
          failure: (error, _options, _req, res) => {
            logger.warn({ errorCode: error.code, reason: error.message }, "Slack installation failed");
            sendInstallFailed(error, res);
          },
        },
      },
    },
    quiet: (bolt) => ({
      ...bolt,
      warn: (...msg: unknown[]) =>
        typeof msg[0] === "string" && msg[0].startsWith(AUTHORIZATION_MISS)
          ? bolt.debug(...msg)
          : bolt.warn(...msg),
      // A stale or forged install link is the installer's doing: the failure callback reports it, at warn.
      error: (...msg: unknown[]) => (isInstallLinkError(msg[0]) ? bolt.debug(...msg) : bolt.error(...msg)),
    }),
    events: {
      app_uninstalled: async ({ context }) => {
        const workspace = workspaceOf(context);
        const removed = await store.remove(workspace);
        logger.info({ team: workspace, removed }, "Slack app uninstalled: installation and tokens deleted");
      },
      tokens_revoked: async ({ event, context }) => {
        const workspace = workspaceOf(context);
        if ((event.tokens.bot ?? []).length > 0) {
          const removed = await store.remove(workspace);
          logger.info({ team: workspace, removed }, "Slack bot token revoked: installation deleted");
        } else if ((event.tokens.oauth ?? []).length > 0) {
          await store.removeUserToken(workspace);
          logger.info({ team: workspace }, "Slack user token revoked: dropped from the installation");
        }
      },
    },
  };
}
