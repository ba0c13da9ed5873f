import type { App } from "@slack/bolt";
import { autoExplainChangedText } from "../../../../src/core/messages.js";
import { renderReply, sentence } from "../../blocks/render.js";
import { SLACK_MARKUP } from "../../format/mrkdwn.js";
import {
  askerOf,
  channelRef,
  type ListenerDeps,
  PLATFORM,
  post,
  reportFailure,
  stripBotMention,
} from "../shared.js";

/**
 * "@mesh what is an init container?" in a channel: answered in the thread of the mention, once per event
 * (Slack redelivers events it thinks were not acked).
 */
export function register(app: App, deps: ListenerDeps): void {
  app.event("app_mention", async ({ event, body, client, context }) => {
    if (event.bot_id !== undefined || event.user === undefined) return;
    const where = { listener: "app_mention", channel: event.channel, user: event.user, team: context.teamId };
    try {
      if (!(await deps.bot.firstDelivery(PLATFORM, body.event_id))) {
        deps.logger.debug({ ...where, eventId: body.event_id }, "redelivered mention ignored");
        return;
      }
      const ref = channelRef(context, event.channel, body.team_id);
      const asker = askerOf(event.user);
      const thread = event.thread_ts ?? event.ts;
      const reply = await deps.bot.command(ref, asker, stripBotMention(event.text, context.botUserId));
      await post(client, event.channel, renderReply(reply, { audience: "public", thread }), thread);
      if (reply.kind === "autoExplainSettings" && (reply.change === "on" || reply.change === "off")) {
        await post(
          client,
          event.channel,
          sentence(autoExplainChangedText(reply.enabled, asker.id, SLACK_MARKUP)),
        );
      }
    } catch (error) {
      await reportFailure(deps, where, error);
    }
  });
}
