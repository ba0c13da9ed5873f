import {
  type InteractionReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
  type RepliableInteraction,
} from "discord.js";
import type { Asker } from "../../../src/bot/mesh-bot.js";
import type { ChannelRef } from "../../../src/core/place.js";
import { channelRef } from "../context.js";
import { NO_MENTIONS } from "../render/markup.js";

/** Replies, or follows up when the interaction was already answered or deferred. */
export async function answer(
  interaction: RepliableInteraction,
  payload: InteractionReplyOptions,
): Promise<void> {
  if (interaction.replied || interaction.deferred) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

/** A private line of text for the asker alone. */
export function privately(content: string): InteractionReplyOptions {
  return { content, allowedMentions: NO_MENTIONS, flags: MessageFlags.Ephemeral };
}

/** Who clicked or typed: in a server, Manage Channels decides who may change the channel's auto-explain. */
export function askerOf(interaction: RepliableInteraction): Asker {
  return {
    id: interaction.user.id,
    canManageChannel: interaction.inGuild()
      ? (interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false)
      : true,
  };
}

/** The channel an interaction happened in (a thread counts as its parent channel). */
export function interactionRef(interaction: RepliableInteraction): ChannelRef {
  return channelRef(interaction.guildId, interaction.channel, interaction.channelId);
}
