import type { App } from "@slack/bolt";
import { renderReply } from "../../blocks/render.js";
import {
  askerOf,
  channelRef,
  type ListenerDeps,
  PLATFORM,
  post,
  reportFailure,
  stripBotMention,
} from "../shared.js";

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
      if (!(await deps.bot.firstDelivery(PLATFORM, body.event_id))) {
        deps.logger.debug({ ...where, eventId: body.event_id }, "redelivered direct message ignored");
        return;
      }
      const ref = channelRef(context, event.channel, body.team_id);
      const text = stripBotMention(event.text ?? "", context.botUserId);
      const reply = await deps.bot.command(ref, askerOf(event.user), text);
      const thread = event.thread_ts;
      const message = renderReply(
        reply,
        thread === undefined ? { audience: "public" } : { audience: "public", thread },
      );
      await post(client, event.channel, message, thread);
    } catch (error) {
      await reportFailure(deps, where, error);
    }
  });
}
