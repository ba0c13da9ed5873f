import { askerOf, channelRef, mentionsBot } from "../context.js";
import { handOver } from "../failures.js";
import type { EventHandler } from "./types.js";

/**
 * A plain message in a channel: the bot may explain its jargon in its thread (auto-explain). A message that
 * mentions the bot is left to app_mention, which Slack sends too.
 */
export const onChannelMessage: EventHandler<"message"> = async ({ event, body, client, context }, deps) => {
  // Bot messages, edits, deletions, joins and every other subtype are never explained.
  if (event.subtype !== undefined) return;
  const text = event.text ?? "";
  if (mentionsBot(text, context.botUserId)) return;
  const thread = event.thread_ts ?? event.ts;
  await handOver(
    deps,
    {
      kind: "message",
      ref: channelRef(context, event.channel, body.team_id),
      asker: askerOf(event.user),
      thread,
      eventId: body.event_id,
      text,
      addressed: false,
      fromBot: event.bot_id !== undefined,
      startsThread: event.thread_ts === undefined,
    },
    { client, channel: event.channel, thread },
    { listener: "auto_explain", channel: event.channel, user: event.user, team: context.teamId },
    context.botUserId,
  );
};
