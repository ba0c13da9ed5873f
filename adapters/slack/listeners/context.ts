import type { Context, webApi } from "@slack/bolt";
import type { Asker, BotHandle, ChannelRef } from "../../../src/bot/conversation.js";
import type { Logger } from "../../../src/logger.js";
import type { SlackDirectory } from "../api/directory.js";

/** What every listener is given: the bot's narrow handle, a logger, and who the admins are. */
export interface ListenerDeps {
  readonly bot: BotHandle;
  readonly logger: Logger;
  readonly directory: SlackDirectory;
}

/** The platform name in channel refs and event ids. */
export const PLATFORM = "slack";

/**
 * The workspace a request came from: the team, or the Enterprise Grid org for org-wide installs (one
 * installation serves every team of the org, and a channel shared between its teams keeps one setting).
 * It is also the key of the workspace's installation in OAuth mode.
 */
export function workspaceOf(context: Context, fallback?: string): string {
  if (context.isEnterpriseInstall === true && context.enterpriseId !== undefined) return context.enterpriseId;
  return context.teamId ?? fallback ?? context.enterpriseId ?? "unknown";
}

/** The bot's name for a Slack conversation. */
export function channelRef(context: Context, channel: string, team?: string): ChannelRef {
  return { platform: PLATFORM, workspace: workspaceOf(context, team), channel };
}

/**
 * In Slack anyone in a channel may change its auto-explain settings; workspace admins and owners maintain
 * the team's glossary (asked of Slack only when it matters).
 */
export function askerOf(user: string, maintains?: (user: string) => Promise<boolean>): Asker {
  return {
    id: user,
    canManageChannel: true,
    ...(maintains === undefined ? {} : { canMaintain: () => maintains(user) }),
  };
}

/** How a listener asks Slack who maintains the glossary of a workspace. */
export function maintainersOf(deps: ListenerDeps, client: webApi.WebClient, team: string) {
  return {
    isMaintainer: (user: string) => deps.directory.isAdmin(client, team, user),
    all: () => deps.directory.adminsOf(client, team),
  };
}

/**
 * Removes mentions of the bot from a message ("<@UBOT> what is mTLS?" → "what is mTLS?"), and a leading
 * mention of any user when the bot's own id is unknown.
 */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const own =
    botUserId === undefined
      ? /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/
      : new RegExp(`<@${botUserId.replace(/[^A-Z0-9]/gi, "")}(?:\\|[^>]*)?>`, "g");
  return text
    .replace(own, " ")
    .replace(/^[\s:,]+/, "")
    .trim();
}

/** True when the text mentions the bot (Slack then also sends app_mention, which answers it). */
export function mentionsBot(text: string, botUserId: string | undefined): boolean {
  return botUserId !== undefined && (text.includes(`<@${botUserId}>`) || text.includes(`<@${botUserId}|`));
}
