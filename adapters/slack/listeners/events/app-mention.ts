import type { App } from "@slack/bolt";
import { autoExplainChangedText } from "../../../../src/core/messages.js";
import { sentence } from "../../blocks/render.js";
import { SLACK_MARKUP } from "../../format/mrkdwn.js";
import {
  answerQuestion,
  channelRef,
  type ListenerDeps,
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
      const reply = await answerQuestion(deps, client, {
        where,
        eventId: body.event_id,
        ref: channelRef(context, event.channel, body.team_id),
        user: event.user,
        text: stripBotMention(event.text, context.botUserId),
        channel: event.channel,
        thread: event.thread_ts ?? event.ts,
      });
      // Turning auto-explain on or off from a thread is announced in the channel itself.
      if (reply?.kind === "autoExplainSettings" && (reply.change === "on" || reply.change === "off")) {
        await post(
          client,
          event.channel,
          sentence(autoExplainChangedText(reply.enabled, event.user, SLACK_MARKUP)),
        );
      }
    } catch (error) {
      await reportFailure(deps, where, error);
    }
  });
}
