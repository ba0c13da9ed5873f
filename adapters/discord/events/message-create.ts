import { type Message, PermissionFlagsBits } from "discord.js";
import type { Asker, Delivery, Responder } from "../../../src/bot/conversation.js";
import { missingPermissionText } from "../../../src/present/messages.js";
import type { View } from "../../../src/present/view.js";
import { channelRef, type DiscordContext, messageContext } from "../context.js";
import { elsewhere } from "../interactions/respond.js";
import {
  botPermissionsIn,
  IN_THREAD_PERMISSIONS,
  isMissingPermissions,
  missingPermissions,
  REPLY_PERMISSIONS,
} from "../permissions.js";
import { DISCORD_MARKUP, DISCORD_SURFACE, NO_MENTIONS } from "../render/markup.js";
import { messagePayload } from "../render/payload.js";
import { type DiscordReply, renderView, withoutEmbeds } from "../render/reply.js";
import { postInThread } from "../threads.js";

const patterns = new Map<string, RegExp>();

/** The bot's mention tokens in a message: `<@id>`, `<@!id>`, and its managed role `<@&role>`. */
function mentionPattern(botId: string, roleId: string | undefined): RegExp {
  const key = `${botId}/${roleId ?? ""}`;
  let pattern = patterns.get(key);
  if (pattern === undefined) {
    pattern = new RegExp(`<@!?${botId}>${roleId === undefined ? "" : `|<@&${roleId}>`}`, "g");
    patterns.set(key, pattern);
  }
  return pattern;
}

/**
 * Every message the bot can see, handed to the bot: a DM or a message that mentions the bot is a question
 * (answered with a reply to it); any other message in a server may be auto-explained in its thread. Messages
 * from bots (this one included: Discord echoes its own posts) and webhooks are ignored.
 */
export async function handleMessage(message: Message, ctx: DiscordContext): Promise<void> {
  if (message.author.bot || message.webhookId !== null || message.system) return;
  const botId = message.client.user.id;
  const ref = channelRef(message.guildId, message.channel, message.channelId);
  const base = { kind: "message", ref, eventId: message.id, fromBot: false } as const;
  if (!message.inGuild()) {
    await ctx.bot.receive(
      {
        ...base,
        asker: { id: message.author.id, canManageChannel: true },
        text: message.content.replace(mentionPattern(botId, undefined), " ").trim(),
        addressed: true,
      },
      messageResponder(message, ctx),
    );
    return;
  }
  // The bot's managed role is looked up (a scan of its roles) only for a message that mentions some role.
  const role = message.content.includes("<@&") ? message.guild.members.me?.roles.botRole?.id : undefined;
  const pattern = mentionPattern(botId, role);
  const addressed = message.content.search(pattern) >= 0;
  // Rights matter only to questions (which may change settings): nobody pays for them on every message.
  const permissions = () => message.channel.permissionsFor(message.member ?? message.author.id);
  const asker: Asker = {
    id: message.author.id,
    canManageChannel: addressed && (permissions()?.has(PermissionFlagsBits.ManageChannels) ?? false),
    canMaintain: async () => permissions()?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
  await ctx.bot.receive(
    {
      ...base,
      asker,
      thread: message.channel.isThread() ? message.channel.id : message.id,
      startsThread: !message.channel.isThread(),
      text: addressed ? message.content.replace(pattern, " ").trim() : message.content,
      addressed,
    },
    messageResponder(message, ctx),
  );
}

/**
 * Answers a message: answers to a question as a reply to it, auto-explanations in a thread on it,
 * announcements in its channel.
 */
function messageResponder(message: Message, ctx: DiscordContext): Responder {
  return {
    surface: DISCORD_SURFACE,
    async deliver({ to, view }: Delivery) {
      switch (to.kind) {
        case "thread":
          if (message.inGuild()) await explainInThread(message, view, ctx);
          return;
        case "channel":
          if (message.channel.isSendable()) await message.channel.send(messagePayload(renderView(view)));
          return;
        case "review":
        case "person":
          return elsewhere(message.client, to, renderView(view));
        case "home":
          return;
        default:
          await replyTo(message, renderView(view), ctx);
      }
    },
    // A message has no private answer to remove.
    dismiss: async () => {},
    maintainers: async () => (message.guild === null ? [] : [message.guild.ownerId]),
  };
}

/** Answers a question with a reply to it; without permission to, tells the asker by DM why none came. */
async function replyTo(message: Message, reply: DiscordReply, ctx: DiscordContext): Promise<void> {
  let rendered = reply;
  // Without Embed Links Discord drops a bot's embeds, which would leave an empty reply: send text instead.
  if (message.inGuild() && rendered.embeds.length > 0) {
    if (missingPermissions(botPermissionsIn(message.channel), [PermissionFlagsBits.EmbedLinks]).length > 0) {
      rendered = withoutEmbeds(rendered);
    }
  }
  try {
    await message.reply(messagePayload(rendered));
  } catch (error) {
    if (!isMissingPermissions(error) || !message.inGuild()) throw error;
    const me = message.guild.members.me ?? message.client.user.id;
    const missing = missingPermissions(message.channel.permissionsFor(me), [
      ...(message.channel.isThread() ? IN_THREAD_PERMISSIONS : REPLY_PERMISSIONS),
      PermissionFlagsBits.EmbedLinks,
    ]);
    const names = missing.length > 0 ? missing : ["Send Messages"];
    ctx.logger.warn(
      { ...messageContext(message), code: error.code, missing: names },
      "could not answer a mention: missing permissions in the channel",
    );
    // The asker is waiting for an answer: tell them privately why none came.
    await message.author
      .send({
        content: missingPermissionText(names, DISCORD_MARKUP, {
          where: `in <#${message.channelId}>`,
          consequence: "I couldn't answer your question there",
        }),
        allowedMentions: NO_MENTIONS,
      })
      .catch((dmError: unknown) =>
        ctx.logger.warn(
          { ...messageContext(message), err: dmError },
          "could not tell the asker by DM either",
        ),
      );
  }
}

/** An auto-explanation, in the message's thread (started when the bot may); nobody to tell when it may not. */
async function explainInThread(message: Message<true>, view: View, ctx: DiscordContext): Promise<void> {
  const channel = message.channel;
  try {
    await postInThread(message, view, ctx.logger);
  } catch (error) {
    if (!isMissingPermissions(error)) throw error;
    // Nobody asked for this reply, so there is nobody to tell: the log names the channel and the gap.
    const me = message.guild.members.me ?? message.client.user.id;
    ctx.logger.warn(
      {
        ...messageContext(message),
        code: error.code,
        missing: missingPermissions(
          channel.permissionsFor(me),
          channel.isThread() ? IN_THREAD_PERMISSIONS : REPLY_PERMISSIONS,
        ),
      },
      "could not post an auto-explanation: missing permissions in the channel",
    );
  }
}
