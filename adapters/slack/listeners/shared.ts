import type { Context, RespondArguments, RespondFn, webApi } from "@slack/bolt";
import type { Asker, MeshBot } from "../../../src/bot/mesh-bot.js";
import type { Reply } from "../../../src/core/command.js";
import { cannotPostText, SORRY } from "../../../src/core/messages.js";
import type { ChannelRef } from "../../../src/core/place.js";
import type { Logger } from "../../../src/logger.js";
import { describeSlackError } from "../api/errors.js";
import { renderReply, type SlackMessage, sentence } from "../blocks/render.js";
import { SLACK_MARKUP } from "../format/mrkdwn.js";

/** What every listener is given. */
export interface ListenerDeps {
  readonly bot: MeshBot;
  readonly logger: Logger;
}

/** The platform name in channel refs and event ids. */
export const PLATFORM = "slack";

/** The workspace a request came from: the team, or the Enterprise Grid org for org-wide installs. */
export function workspaceOf(context: Context, fallback?: string): string {
  return context.teamId ?? fallback ?? context.enterpriseId ?? "unknown";
}

/** The store's key for a Slack conversation. */
export function channelRef(context: Context, channel: string, team?: string): ChannelRef {
  return { platform: PLATFORM, workspace: workspaceOf(context, team), channel };
}

/** In Slack anyone in a channel may change its auto-explain settings. */
export function askerOf(user: string): Asker {
  return { id: user, canManageChannel: true };
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

/**
 * A message for respond() or ack() that only the asker sees. `replaceOriginal` says whether a click's answer
 * takes the place of the message clicked (a private card) or comes as a new private message.
 */
export function privately(message: SlackMessage, replaceOriginal?: boolean): RespondArguments {
  return {
    response_type: "ephemeral",
    ...(replaceOriginal === undefined ? {} : { replace_original: replaceOriginal }),
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** Posts a message (in a thread when given), never unfurling links. Returns the message ts. */
export async function post(
  client: webApi.WebClient,
  channel: string,
  message: SlackMessage,
  threadTs?: string,
): Promise<string | undefined> {
  const result = await client.chat.postMessage({
    channel,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
  });
  return result.ts;
}

/** How to add the bot to a channel, naming it as Slack shows it. */
export function inviteHint(botUserId: string | undefined): string {
  return botUserId === undefined ? "`/invite @mesh`" : `/invite ${SLACK_MARKUP.user(botUserId)}`;
}

/** Where a failure happened, for the log. */
export interface FailureContext {
  readonly listener: string;
  readonly channel?: string | undefined;
  readonly user?: string | undefined;
  readonly team?: string | undefined;
}

/**
 * Logs a failed Slack call with its context and, when the asker can be reached, tells them in a sentence
 * what happened and what to do ("invite me with /invite @mesh"). Never throws.
 */
export async function reportFailure(
  deps: ListenerDeps,
  where: FailureContext,
  error: unknown,
  tell?: { respond: RespondFn | undefined; botUserId: string | undefined },
): Promise<void> {
  const info = describeSlackError(error);
  const fields = { ...where, slackError: info.detail, errorKind: info.kind, err: error };
  if (info.failure !== undefined) deps.logger.warn(fields, "Slack refused a call the user can fix");
  else deps.logger.error(fields, "Slack call failed");
  const respond = tell?.respond;
  if (respond === undefined) return;
  const text = info.failure === undefined ? SORRY : cannotPostText(info.failure, inviteHint(tell?.botUserId));
  try {
    await respond(privately(sentence(text), false));
  } catch (second) {
    deps.logger.error({ ...where, err: second }, "could not tell the user about a failed Slack call");
  }
}

/** A question put to the bot: a mention in a channel or a direct message. */
export interface Question {
  readonly where: FailureContext;
  readonly eventId: string;
  readonly ref: ChannelRef;
  readonly user: string;
  readonly text: string;
  readonly channel: string;
  /** The thread to answer in, if any. */
  readonly thread: string | undefined;
}

/**
 * Answers a question where it was asked, once per event id (Slack redelivers events it thinks were not
 * acked). Returns the reply, or undefined for a redelivery.
 */
export async function answerQuestion(
  deps: ListenerDeps,
  client: webApi.WebClient,
  question: Question,
): Promise<Reply | undefined> {
  if (!(await deps.bot.firstDelivery(PLATFORM, question.eventId))) {
    deps.logger.debug({ ...question.where, eventId: question.eventId }, "redelivered question ignored");
    return undefined;
  }
  const reply = await deps.bot.command(question.ref, askerOf(question.user), question.text);
  const { thread } = question;
  const message = renderReply(
    reply,
    thread === undefined ? { audience: "public" } : { audience: "public", thread },
  );
  await post(client, question.channel, message, thread);
  return reply;
}
