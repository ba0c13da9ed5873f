import {
  type InteractionReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
  type RepliableInteraction,
} from "discord.js";
import type { Asker, ChannelRef, Responder } from "../../../src/bot/conversation.js";
import { channelRef } from "../context.js";
import { DISCORD_SURFACE, NO_MENTIONS } from "../render/markup.js";
import { interactionPayload } from "../render/payload.js";
import { renderView } from "../render/reply.js";

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

/**
 * Answers an interaction: the first message is the reply, later ones follow up; private views are
 * ephemeral, public ones (a shared definition, an announcement) are seen by the channel.
 */
export function interactionResponder(interaction: RepliableInteraction): Responder {
  return {
    surface: DISCORD_SURFACE,
    deliver: ({ view }) => answer(interaction, interactionPayload(renderView(view))),
    // Discord's answers are never private cards to be replaced: nothing to remove.
    dismiss: async () => {},
  };
}
