import type { App } from "@slack/bolt";
import { renderReply } from "../../blocks/render.js";
import { channelRef, type ListenerDeps, mentionsBot, post, reportFailure } from "../shared.js";

/**
 * Auto-explain: a plain message in a channel that opted in gets one threaded reply naming and defining the
 * jargon in it. MeshBot applies the policy (muted authors, silenced terms, once per thread, cooldown) and
 * drops redelivered events by their event id.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.event("message", async ({ event, body, client, context }) => {
    if (event.channel_type === "im") return;
    // Bot messages, edits, deletions, joins and every other subtype are never explained.
    if (event.subtype !== undefined) return;
    const text = event.text ?? "";
    // A message that mentions the bot is a question; app_mention answers it.
    if (mentionsBot(text, context.botUserId)) return;
    const thread = event.thread_ts ?? event.ts;
    const where = {
      listener: "auto_explain",
      channel: event.channel,
      user: event.user,
      team: context.teamId,
    };
    try {
      const reply = await deps.bot.message({
        ref: channelRef(context, event.channel, body.team_id),
        thread,
        user: event.user,
        fromBot: event.bot_id !== undefined,
        text,
        eventId: body.event_id,
      });
      if (reply === undefined) return;
      await post(client, event.channel, renderReply(reply, { audience: "public", thread }), thread);
    } catch (error) {
      await reportFailure(deps, where, error);
    }
  });
}
