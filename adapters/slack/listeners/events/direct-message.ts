import type { App } from "@slack/bolt";
import { answerQuestion, channelRef, type ListenerDeps, reportFailure, stripBotMention } from "../shared.js";

/** A direct message to the bot is a question: answered in the DM (in its thread, if it was in one). */
export function register(app: App, deps: ListenerDeps): void {
  app.event("message", async ({ event, body, client, context }) => {
    if (event.channel_type !== "im") return;
    // Edits, deletions and every other subtype are not questions; bots do not get answers.
    if (event.subtype !== undefined || event.bot_id !== undefined) return;
    const where = {
      listener: "direct_message",
      channel: event.channel,
      user: event.user,
      team: context.teamId,
    };
    try {
      await answerQuestion(deps, client, {
        where,
        eventId: body.event_id,
        ref: channelRef(context, event.channel, body.team_id),
        user: event.user,
        text: stripBotMention(event.text ?? "", context.botUserId),
        channel: event.channel,
        thread: event.thread_ts,
      });
    } catch (error) {
      await reportFailure(deps, where, error);
    }
  });
}
