import { askerOf, channelRef, maintainersOf, stripBotMention } from "../context.js";
import { handOver } from "../failures.js";
import type { EventHandler } from "./types.js";

/** A direct message to the bot is a question: answered in the DM (in its thread, if it was in one). */
export const onDirectMessage: EventHandler<"message"> = async ({ event, body, client, context }, deps) => {
  // Edits, deletions and every other subtype are not questions; bots do not get answers.
  if (event.subtype !== undefined || event.bot_id !== undefined) return;
  const ref = channelRef(context, event.channel, body.team_id);
  const admins = maintainersOf(deps, client, ref.workspace);
  await handOver(
    deps,
    {
      kind: "message",
      ref,
      asker: askerOf(event.user, admins.isMaintainer),
      thread: event.thread_ts,
      eventId: body.event_id,
      text: stripBotMention(event.text ?? "", context.botUserId),
      addressed: true,
      fromBot: false,
    },
    { client, channel: event.channel, thread: event.thread_ts, user: event.user, maintainers: admins.all },
    { listener: "direct_message", channel: event.channel, user: event.user, team: context.teamId },
    context.botUserId,
  );
};
