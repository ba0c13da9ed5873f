import type { Context, webApi } from "@slack/bolt";
import { askerOf, channelRef, type ListenerDeps, maintainersOf, stripBotMention } from "../context.js";
import { handOver } from "../failures.js";

/** Where a question to the bot was asked and what it says. */
export interface Question {
  readonly channel: string;
  readonly user: string;
  /** The thread to answer in; none for a DM outside a thread. */
  readonly thread: string | undefined;
  /** The text as sent: the bot's own mention is taken out here. */
  readonly text: string;
  /** The listener's name in the log. */
  readonly listener: string;
}

/**
 * A question addressed to the bot (a mention in a channel, a direct message), handed to the bot with who
 * maintains the workspace's glossary: answered where it was asked.
 */
export async function askBot(
  deps: ListenerDeps,
  request: {
    readonly body: { readonly team_id: string; readonly event_id: string };
    readonly client: webApi.WebClient;
    readonly context: Context;
  },
  question: Question,
): Promise<void> {
  const { body, client, context } = request;
  const { channel, user, thread } = question;
  const ref = channelRef(context, channel, body.team_id);
  const admins = maintainersOf(deps, client, ref.workspace);
  await handOver(
    deps,
    {
      kind: "message",
      ref,
      asker: askerOf(user, admins.isMaintainer),
      thread,
      eventId: body.event_id,
      text: stripBotMention(question.text, context.botUserId),
      addressed: true,
      fromBot: false,
    },
    { client, channel, thread, user, maintainers: admins.all },
    { listener: question.listener, channel, user, team: context.teamId },
    context.botUserId,
  );
}
