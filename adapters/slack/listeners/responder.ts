import type { RespondArguments, RespondFn, webApi } from "@slack/bolt";
import type { Delivery, Responder } from "../../../src/bot/conversation.js";
import { renderView, type SlackMessage } from "../blocks/render.js";
import { SLACK_SURFACE } from "../format/mrkdwn.js";

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

/** Where one Slack event can be answered. */
export interface SlackTarget {
  readonly client: webApi.WebClient;
  /** The conversation the event came from; undefined when Slack did not say (nothing public is posted). */
  readonly channel: string | undefined;
  /** The thread the conversation is in: public answers go there, and buttons carry it. */
  readonly thread: string | undefined;
  /** A slash command's ack: the first private answer goes in it. */
  readonly ack?: ((message?: RespondArguments) => Promise<void>) | undefined;
  /** The response_url of a command, click or shortcut: private answers after the ack. */
  readonly respond?: RespondFn | undefined;
}

/** A responder that also says whether a command was acked. */
export interface SlackResponder extends Responder {
  readonly acked: () => boolean;
}

/**
 * Answers one Slack event: private messages through the ack and then response_url, public ones with
 * chat.postMessage in the thread (announcements in the channel itself).
 */
export function slackResponder(target: SlackTarget): SlackResponder {
  let acked = false;
  const publicly = async (message: SlackMessage, thread: string | undefined) => {
    if (target.channel === undefined) throw new Error("no conversation to post in");
    await post(target.client, target.channel, message, thread);
  };
  return {
    surface: SLACK_SURFACE,
    acked: () => acked,
    async deliver({ to, view }: Delivery) {
      const message = renderView(view, target.thread);
      switch (to.kind) {
        case "asker":
          if (target.ack !== undefined && !acked) {
            acked = true;
            await target.ack(privately(message));
          } else if (target.respond !== undefined) {
            await target.respond(privately(message, to.replace));
          }
          return;
        case "here":
        case "thread":
          return publicly(message, target.thread);
        case "channel":
          return publicly(message, undefined);
      }
    },
    async dismiss() {
      await target.respond?.({ delete_original: true });
    },
  };
}
