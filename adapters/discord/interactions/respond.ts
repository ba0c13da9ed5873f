import {
  type Client,
  type InteractionReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
  type RepliableInteraction,
} from "discord.js";
import type { Asker, Audience, ChannelRef, Delivery, Responder } from "../../../src/bot/conversation.js";
import type { Logger } from "../../../src/logger.js";
import type { FormView, View } from "../../../src/present/view.js";
import { channelRef } from "../context.js";
import { formModal } from "../render/form.js";
import { DISCORD_SURFACE, NO_MENTIONS } from "../render/markup.js";
import { interactionPayload, messagePayload, updatePayload } from "../render/payload.js";
import { type DiscordReply, renderView } from "../render/reply.js";
import { postInThread } from "../threads.js";

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

/** What an interaction's answers are about, beyond the interaction itself. */
export interface ResponderOptions {
  /** The message "Explain this message" explains: its "Post in thread" button names it. */
  readonly explained?: string | undefined;
  /** "Post in thread" was clicked: answers for everyone go to this message's thread, not the channel. */
  readonly thread?: { readonly message: string; readonly logger: Logger } | undefined;
}

/**
 * Answers an interaction: the first message is the reply, later ones follow up; private views are
 * ephemeral, public ones (a shared definition, an announcement) are seen by the channel. A decided proposal
 * replaces the message its button was on; proposals go to the review channel or to people directly; forms
 * open as modals where the interaction allows one; an explanation shared from a private answer goes to the
 * thread of the message it explains, and the private answer is removed.
 */
export function interactionResponder(
  interaction: RepliableInteraction,
  options: ResponderOptions = {},
): Responder {
  const component = interaction.isMessageComponent() ? interaction : undefined;
  const modal =
    interaction.isChatInputCommand() || interaction.isMessageComponent() ? interaction : undefined;
  const render = (view: View) => renderView(view, { explained: options.explained });
  /** Whether the click was acknowledged without a message, so the message it was on is the original. */
  let acknowledged = false;
  const reply = (rendered: DiscordReply) => answer(interaction, interactionPayload(rendered));
  return {
    surface: DISCORD_SURFACE,
    async deliver({ to, view }: Delivery) {
      switch (to.kind) {
        case "source":
          if (component !== undefined && !component.replied && !component.deferred) {
            await component.update(updatePayload(render(view)));
            return;
          }
          return reply(render(view));
        case "review":
        case "person":
          return elsewhere(interaction.client, to, render(view));
        case "home":
          // Discord has no home tab.
          return;
        case "here":
          if (options.thread !== undefined && component !== undefined) {
            const { message, logger } = options.thread;
            // Posting in a thread can take longer than Discord waits for an answer to the click.
            if (!component.replied && !component.deferred) {
              await component.deferUpdate();
              acknowledged = true;
            }
            const explained = await component.channel?.messages.fetch(message).catch(() => undefined);
            if (explained !== undefined) {
              await postInThread(explained, view, logger);
              return;
            }
          }
          return reply(render(view));
        default:
          return reply(render(view));
      }
    },
    // The private answer a click shared is removed, as it is replaced by the public post.
    async dismiss() {
      if (acknowledged && component?.message.flags.has(MessageFlags.Ephemeral) === true) {
        await component.deleteReply().catch(() => {});
      }
    },
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
