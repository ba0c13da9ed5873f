import type { App } from "@slack/bolt";
import type { Reply } from "../../../../src/core/command.js";
import { autoExplainChangedText, SORRY } from "../../../../src/core/messages.js";
import { SLASH_COMMAND } from "../../blocks/actions.js";
import { renderReply, sentence } from "../../blocks/render.js";
import { SLACK_MARKUP } from "../../format/mrkdwn.js";
import { askerOf, channelRef, type ListenerDeps, post, privately, reportFailure } from "../shared.js";

/**
 * `/mesh ...`: every answer is private (the ack body, ephemeral). Turning auto-explain on or off is also
 * announced in the channel, naming who did it.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client, context }) => {
    const ref = channelRef(context, command.channel_id, command.team_id);
    const asker = askerOf(command.user_id);
    const where = {
      listener: "command",
      channel: command.channel_id,
      user: command.user_id,
      team: ref.workspace,
    };
    let reply: Reply;
    try {
      reply = await deps.bot.command(ref, asker, command.text);
    } catch (error) {
      deps.logger.error({ ...where, err: error }, "could not answer /mesh");
      await ack(privately(sentence(SORRY)));
      return;
    }
    const echo = `${SLASH_COMMAND} ${command.text}`.trim();
    await ack(privately(renderReply(reply, { audience: "private", echo })));
    if (reply.kind === "autoExplainSettings" && (reply.change === "on" || reply.change === "off")) {
      const announcement = autoExplainChangedText(reply.enabled, asker.id, SLACK_MARKUP);
      try {
        await post(client, command.channel_id, sentence(announcement));
      } catch (error) {
        await reportFailure(deps, where, error, { respond, botUserId: context.botUserId });
      }
    }
  });
}
