import { askerOf, channelRef, maintainersOf, stripBotMention } from "../context.js";
import { handOver } from "../failures.js";
import type { EventHandler } from "./types.js";

/** "@mesh what is an init container?" in a channel: a question, answered in the thread of the mention. */
export const onAppMention: EventHandler<"app_mention"> = async ({ event, body, client, context }, deps) => {
  if (event.bot_id !== undefined || event.user === undefined) return;
  const thread = event.thread_ts ?? event.ts;
  const ref = channelRef(context, event.channel, body.team_id);
  const admins = maintainersOf(deps, client, ref.workspace);
  await handOver(
    deps,
    {
      kind: "message",
      ref,
      asker: askerOf(event.user, admins.isMaintainer),
      thread,
      eventId: body.event_id,
      text: stripBotMention(event.text, context.botUserId),
      addressed: true,
      fromBot: false,
    },
    { client, channel: event.channel, thread, user: event.user, maintainers: admins.all },
    { listener: "app_mention", channel: event.channel, user: event.user, team: context.teamId },
    context.botUserId,
  );
};
