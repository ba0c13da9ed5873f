import { ChannelType, DiscordAPIError, type Message, RESTJSONErrorCodes } from "discord.js";
import type { Logger } from "../../src/logger.js";
import type { View } from "../../src/present/view.js";
import { messageContext } from "./context.js";
import {
  botPermissionsIn,
  isMissingPermissions,
  missingPermissions,
  THREAD_PERMISSIONS,
} from "./permissions.js";
import { threadName } from "./render/explanation.js";
import { messagePayload } from "./render/payload.js";
import { renderView } from "./render/reply.js";

/** Channel types where a thread can be started on a message. */
const THREADABLE = new Set<ChannelType>([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

/**
 * Posts an explanation of `message` for everyone, in the message's thread: the thread it is in or already
 * has, else one started on it (named after the terms), else, where the bot may not start one, as a reply to
 * it in the channel. Outside servers (a DM) it replies. A failure to post at all is the caller's to report.
 */
export async function postInThread(message: Message, view: View, logger: Logger): Promise<void> {
  const payload = messagePayload(renderView(view));
  const channel = message.channel;
  if (channel.isThread()) {
    await channel.send(payload);
    return;
  }
  if (message.hasThread && message.thread !== null) {
    await message.thread.send(payload);
    return;
  }
  if (!message.inGuild()) {
    await message.reply(payload);
    return;
  }
  const missing = missingPermissions(botPermissionsIn(message.channel), THREAD_PERMISSIONS);
  if (missing.length === 0 && THREADABLE.has(message.channel.type)) {
    try {
      const thread = await message.startThread({ name: threadName(explainedTerms(view)) });
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
      logger.warn(
        { ...messageContext(message), code: (error as DiscordAPIError).code },
        "could not start an auto-explain thread; replying in the channel",
      );
    }
  } else {
    logger.debug({ ...messageContext(message), missing }, "no thread permissions; replying in the channel");
  }
  await message.reply(payload);
}

/** The terms a view explains, for the thread's name. */
function explainedTerms(view: View) {
  return view.blocks.flatMap((b) => (b.type === "explanation" ? b.terms : []));
}
