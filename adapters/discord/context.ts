import type { Channel, Message } from "discord.js";
import type { BotHandle, ChannelRef } from "../../src/bot/conversation.js";
import type { Logger } from "../../src/logger.js";

/** The platform name in ChannelRefs and event ids. */
export const PLATFORM = "discord";

/** What every listener is handed: the bot's narrow handle and a logger. */
export interface DiscordContext {
  readonly bot: BotHandle;
  readonly logger: Logger;
}

/**
 * The ChannelRef of a Discord place: workspace is the guild id ("dm" outside servers); a thread's settings
 * are its parent channel's, so a thread maps to its parent.
 */
export function channelRef(
  guildId: string | null,
  channel: Channel | null,
  channelId: string | null,
): ChannelRef {
  const parent = channel?.isThread() === true ? channel.parentId : null;
  return { platform: PLATFORM, workspace: guildId ?? "dm", channel: parent ?? channelId ?? "unknown" };
}

/** Where a message is and who wrote it, for log lines about it. */
export function messageContext(message: Message): Record<string, string | null> {
  return {
    guild: message.guildId,
    channel: message.channelId,
    message: message.id,
    author: message.author.id,
  };
}
