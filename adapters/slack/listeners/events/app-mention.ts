import type { App } from "@slack/bolt";
import { askerOf, channelRef, type ListenerDeps, stripBotMention } from "../context.js";
import { handOver } from "../failures.js";

/** "@mesh what is an init container?" in a channel: a question, answered in the thread of the mention. */
export function register(app: App, deps: ListenerDeps): void {
  app.event("app_mention", async ({ event, body, client, context }) => {
    if (event.bot_id !== undefined || event.user === undefined) return;
    const thread = event.thread_ts ?? event.ts;
    await handOver(
      deps,
      {
        kind: "message",
        ref: channelRef(context, event.channel, body.team_id),
        asker: askerOf(event.user),
        thread,
        eventId: body.event_id,
        text: stripBotMention(event.text, context.botUserId),
        addressed: true,
        fromBot: false,
      },
      { client, channel: event.channel, thread },
      { listener: "app_mention", channel: event.channel, user: event.user, team: context.teamId },
      context.botUserId,
    );
  });
}
