import type { RespondArguments, RespondFn, types, webApi } from "@slack/bolt";
import type { Delivery, Responder } from "../../../src/bot/conversation.js";
import type { FieldProblem } from "../../../src/core/team.js";
import type { FormView, View } from "../../../src/present/view.js";
import { formModal, resultModal } from "../blocks/form.js";
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

/**
 * Block Kit handed to the Web API client as the JSON it would send anyway (a form field holds blocks as a JSON
 * string). Given the array, the client first walks all of it for a debug line it builds even when debug is
 * off; for an explanation that walk took longer than the rest of the call.
 */
function asSent(blocks: types.KnownBlock[]): types.KnownBlock[] {
  return JSON.stringify(blocks) as unknown as types.KnownBlock[];
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
    blocks: asSent(message.blocks),
    unfurl_links: false,
    unfurl_media: false,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
  });
  return result.ts;
}

/**
 * A view as a message that stays where it is sent (a proposal in the review channel or a DM, the Home tab),
 * not an ephemeral card: its buttons answer the clicker privately and it offers no "Share in channel".
 */
function standing(view: View): SlackMessage {
  return renderView({ ...view, visibility: "public" }, undefined);
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
  /** A command's or click's trigger id, which opens a modal for the asker. */
  readonly triggerId?: string | undefined;
  /** A submitted modal's ack: field errors, or the modal updated to say what happened. */
  readonly viewAck?: ((response?: ViewResponse) => Promise<void>) | undefined;
  /** Who acted, for the home tab. */
  readonly user?: string | undefined;
  /**
   * The click came from the asker's Home tab, which has no response_url: what is said to the asker, and
   * what would replace the message clicked, goes to their direct messages with the bot instead.
   */
  readonly fromHome?: boolean | undefined;
  /** The workspace's admins and owners, when asked who maintains the glossary. */
  readonly maintainers?: (() => Promise<string[]>) | undefined;
}

/** What a view_submission is acked with. */
export type ViewResponse =
  | { response_action: "errors"; errors: Record<string, string> }
  | { response_action: "update"; view: ReturnType<typeof resultModal> };

/** A responder that also says whether the event was acked. */
export interface SlackResponder extends Responder {
  readonly acked: () => boolean;
}

/**
 * Answers one Slack event: private messages through the ack and then response_url, public ones with
 * chat.postMessage in the thread (announcements in the channel itself), proposals in the review channel or
 * to people directly, forms as modals, the home tab with views.publish.
 */
export function slackResponder(target: SlackTarget): SlackResponder {
  let acked = false;
  const publicly = async (message: SlackMessage, channel: string | undefined, thread: string | undefined) => {
    if (channel === undefined) throw new Error("no conversation to post in");
    await post(target.client, channel, message, thread);
  };
  const responder: SlackResponder = {
    surface: SLACK_SURFACE,
    acked: () => acked,
    async deliver({ to, view }: Delivery) {
      const message = renderView(view, target.thread);
      switch (to.kind) {
        case "asker":
          if (target.viewAck !== undefined && !acked) {
            acked = true;
            await target.viewAck({ response_action: "update", view: resultModal("mesh", message.text) });
          } else if (target.ack !== undefined && !acked) {
            acked = true;
            await target.ack(privately(message));
          } else if (target.respond !== undefined) {
            await target.respond(privately(message, to.replace));
          } else if (target.fromHome === true) {
            await publicly(standing(view), target.user, undefined);
          }
          return;
        case "here":
        case "thread":
          return publicly(message, target.channel, target.thread);
        case "channel":
          return publicly(message, target.channel, undefined);
        case "review":
          return publicly(standing(view), to.channel, undefined);
        case "person":
          // A user id as the channel posts in the bot's direct messages with that person.
          return publicly(standing(view), to.user, undefined);
        case "source":
          if (target.fromHome === true) return publicly(standing(view), target.user, undefined);
          if (target.respond === undefined) return publicly(message, target.channel, target.thread);
          // In place of the message clicked, for everyone who sees it (not an ephemeral answer).
          await target.respond({
            replace_original: true,
            text: message.text,
            blocks: message.blocks,
            unfurl_links: false,
            unfurl_media: false,
          } as RespondArguments);
          return;
        case "home":
          if (target.user === undefined) return;
          await target.client.views.publish({
            user_id: target.user,
            view: { type: "home", blocks: standing(view).blocks },
          });
          return;
      }
    },
    async dismiss() {
      await target.respond?.({ delete_original: true });
    },
    ...(target.triggerId === undefined
      ? {}
      : {
          openForm: async (form: FormView) => {
            await target.client.views.open({
              trigger_id: target.triggerId as string,
              view: formModal(form, {
                context: form.context,
                channel: target.channel,
                thread: target.thread,
              }),
            });
          },
        }),
    ...(target.viewAck === undefined
      ? {}
      : {
          formProblems: async (problems: readonly FieldProblem[]) => {
            acked = true;
            const errors: Record<string, string> = {};
            for (const p of problems) errors[p.field] ??= p.message;
            await target.viewAck?.({ response_action: "errors", errors });
          },
        }),
    ...(target.maintainers === undefined ? {} : { maintainers: target.maintainers }),
  };
  return responder;
}
