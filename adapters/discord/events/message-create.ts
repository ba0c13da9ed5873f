import {
  ChannelType,
  DiscordAPIError,
  type Message,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from "discord.js";
import type { Asker } from "../../../src/bot/mesh-bot.js";
import type { Reply } from "../../../src/core/command.js";
import { missingPermissionText } from "../../../src/core/messages.js";
import { channelRef, type DiscordContext, PLATFORM } from "../context.js";
import {
  IN_THREAD_PERMISSIONS,
  isMissingPermissions,
  missingPermissions,
  REPLY_PERMISSIONS,
  THREAD_PERMISSIONS,
} from "../permissions.js";
import { threadName } from "../render/explanation.js";
import { DISCORD_MARKUP, NO_MENTIONS } from "../render/markup.js";
import { messagePayload } from "../render/payload.js";
import { renderReply, withoutEmbeds } from "../render/reply.js";

/** Channel types where a thread can be started on a message. */
const THREADABLE = new Set<ChannelType>([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

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
 * Every message the bot can see: a DM is a question; a message that mentions the bot is a question answered
 * with a reply to it; any other message in an opted-in channel may get an auto-explanation in its thread.
 * Messages from bots (this one included: Discord echoes its own posts) and webhooks are ignored.
 */
export async function handleMessage(message: Message, ctx: DiscordContext): Promise<void> {
  if (message.author.bot || message.webhookId !== null || message.system) return;
  const botId = message.client.user.id;
  if (!message.inGuild()) {
    await answerQuestion(message, ctx, message.content.replace(mentionPattern(botId, undefined), " "), {
      id: message.author.id,
      canManageChannel: true,
    });
    return;
  }
  const roleId = message.guild.members.me?.roles.botRole?.id;
  const pattern = mentionPattern(botId, roleId);
  if (message.content.search(pattern) >= 0) {
    const canManage =
      message.channel
        .permissionsFor(message.member ?? message.author.id)
        ?.has(PermissionFlagsBits.ManageChannels) ?? false;
    await answerQuestion(message, ctx, message.content.replace(pattern, " "), {
      id: message.author.id,
      canManageChannel: canManage,
    });
    return;
  }
  await autoExplain(message, ctx);
}

function context(message: Message): Record<string, string | null> {
  return {
    guild: message.guildId,
    channel: message.channelId,
    message: message.id,
    author: message.author.id,
  };
}

/** A question put to the bot by mention or DM: answered with a reply to that message, once per message. */
async function answerQuestion(
  message: Message,
  ctx: DiscordContext,
  text: string,
  asker: Asker,
): Promise<void> {
  if (!(await ctx.bot.firstDelivery(PLATFORM, message.id))) return;
  const ref = channelRef(message.guildId, message.channel, message.channelId);
  const reply = await ctx.bot.command(ref, asker, text.trim());
  let rendered = renderReply(reply);
  // Without Embed Links Discord drops a bot's embeds, which would leave an empty reply: send text instead.
  if (message.inGuild() && rendered.embeds.length > 0) {
    const me = message.guild.members.me ?? message.client.user.id;
    if (missingPermissions(message.channel.permissionsFor(me), [PermissionFlagsBits.EmbedLinks]).length > 0) {
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
      { ...context(message), code: error.code, missing: names },
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
        ctx.logger.warn({ ...context(message), err: dmError }, "could not tell the asker by DM either"),
      );
  }
}

/** Auto-explain: asks the shared policy, then answers in the message's thread (starting one if it may). */
async function autoExplain(message: Message<true>, ctx: DiscordContext): Promise<void> {
  const channel = message.channel;
  const inThread = channel.isThread();
  const reply = await ctx.bot.message({
    ref: channelRef(message.guildId, channel, message.channelId),
    thread: inThread ? channel.id : message.id,
    user: message.author.id,
    fromBot: false,
    text: message.content,
    eventId: message.id,
  });
  if (reply === undefined) return;
  try {
    await deliverExplanation(message, reply, ctx);
  } catch (error) {
    if (!isMissingPermissions(error)) throw error;
    // Nobody asked for this reply, so there is nobody to tell: the log names the channel and the gap.
    const me = message.guild.members.me ?? message.client.user.id;
    ctx.logger.warn(
      {
        ...context(message),
        code: error.code,
        missing: missingPermissions(
          channel.permissionsFor(me),
          inThread ? IN_THREAD_PERMISSIONS : REPLY_PERMISSIONS,
        ),
      },
      "could not post an auto-explanation: missing permissions in the channel",
    );
  }
}

async function deliverExplanation(
  message: Message<true>,
  reply: Extract<Reply, { kind: "explanation" }>,
  ctx: DiscordContext,
): Promise<void> {
  const payload = messagePayload(renderReply(reply));
  const channel = message.channel;
  if (channel.isThread()) {
    await channel.send(payload);
    return;
  }
  if (message.hasThread && message.thread !== null) {
    await message.thread.send(payload);
    return;
  }
  const me = message.guild.members.me ?? message.client.user.id;
  const missing = missingPermissions(channel.permissionsFor(me), THREAD_PERMISSIONS);
  if (missing.length === 0 && THREADABLE.has(channel.type)) {
    try {
      const thread = await message.startThread({ name: threadName(reply.terms) });
      await thread.send(payload);
      return;
    } catch (error) {
      const taken =
        error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage;
      if (!isMissingPermissions(error) && !taken) throw error;
      if (taken) {
        // Someone started a thread on the message first: it has the message's id; explain in it.
        const existing = await message.client.channels.fetch(message.id).catch(() => null);
        if (existing?.isThread() === true) {
          await existing.send(payload);
          return;
        }
      }
      ctx.logger.warn(
        { ...context(message), code: (error as DiscordAPIError).code },
        "could not start an auto-explain thread; replying in the channel",
      );
    }
  } else {
    ctx.logger.debug({ ...context(message), missing }, "no thread permissions; replying in the channel");
  }
  await message.reply(payload);
}
