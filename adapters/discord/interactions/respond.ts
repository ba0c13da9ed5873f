import {
  type Client,
  type InteractionReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
  type RepliableInteraction,
} from "discord.js";
import type { Asker, Audience, ChannelRef, Delivery, Responder } from "../../../src/bot/conversation.js";
import type { FormView } from "../../../src/present/view.js";
import { channelRef } from "../context.js";
import { formModal } from "../render/form.js";
import { DISCORD_SURFACE, NO_MENTIONS } from "../render/markup.js";
import { interactionPayload, messagePayload, updatePayload } from "../render/payload.js";
import { type DiscordReply, renderView } from "../render/reply.js";

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

/**
 * Who clicked or typed: in a server, Manage Channels decides who may change the channel's auto-explain, and
 * Manage Server who maintains the team's glossary.
 */
export function askerOf(interaction: RepliableInteraction): Asker {
  const has = (flag: bigint) => interaction.memberPermissions?.has(flag) ?? false;
  return {
    id: interaction.user.id,
    canManageChannel: interaction.inGuild() ? has(PermissionFlagsBits.ManageChannels) : true,
    canMaintain: async () => interaction.inGuild() && has(PermissionFlagsBits.ManageGuild),
  };
}

/** The channel an interaction happened in (a thread counts as its parent channel). */
export function interactionRef(interaction: RepliableInteraction): ChannelRef {
  return channelRef(interaction.guildId, interaction.channel, interaction.channelId);
}

/**
 * Answers an interaction: the first message is the reply, later ones follow up; private views are
 * ephemeral, public ones (a shared definition, an announcement) are seen by the channel. A decided proposal
 * replaces the message its button was on; proposals go to the review channel or to people directly; forms
 * open as modals where the interaction allows one.
 */
export function interactionResponder(interaction: RepliableInteraction): Responder {
  const component = interaction.isMessageComponent() ? interaction : undefined;
  const modal =
    interaction.isChatInputCommand() || interaction.isMessageComponent() ? interaction : undefined;
  return {
    surface: DISCORD_SURFACE,
    async deliver({ to, view }: Delivery) {
      const rendered = renderView(view);
      switch (to.kind) {
        case "source":
          if (component !== undefined && !component.replied && !component.deferred) {
            await component.update(updatePayload(rendered));
            return;
          }
          return answer(interaction, interactionPayload(rendered));
        case "review":
        case "person":
          return elsewhere(interaction.client, to, rendered);
        case "home":
          // Discord has no home tab.
          return;
        default:
          return answer(interaction, interactionPayload(rendered));
      }
    },
    // Discord's answers are never private cards to be replaced: nothing to remove.
    dismiss: async () => {},
    ...(modal === undefined
      ? {}
      : {
          openForm: async (form: FormView) => {
            await modal.showModal(formModal(form));
          },
        }),
    maintainers: async () => {
      const owner = interaction.guild?.ownerId;
      return owner === undefined ? [] : [owner];
    },
  };
}

/** Posts in another channel of the server (the review channel) or to one person directly. */
export async function elsewhere(
  client: Client,
  to: Extract<Audience, { kind: "review" | "person" }>,
  rendered: DiscordReply,
): Promise<void> {
  const payload = messagePayload(rendered);
  if (to.kind === "person") {
    await client.users.send(to.user, payload);
    return;
  }
  const channel = await client.channels.fetch(to.channel);
  if (channel === null || !channel.isSendable()) throw new Error(`cannot post in channel ${to.channel}`);
  await channel.send(payload);
}
