import type { App } from "@slack/bolt";
import { SLASH_COMMAND } from "../../blocks/actions.js";
import { askerOf, channelRef, type ListenerDeps, maintainersOf } from "../context.js";
import { handOver } from "../failures.js";

/**
 * `/mesh ...`: the bot answers privately, in the ack (Slack does not show the command with an ephemeral
 * answer, so it is echoed above it); announcements are posted in the channel.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client, context }) => {
    // A payload without `text` is a bare `/mesh`.
    const text = typeof command.text === "string" ? command.text : "";
    const ref = channelRef(context, command.channel_id, command.team_id);
    const admins = maintainersOf(deps, client, ref.workspace);
    await handOver(
      deps,
      {
        kind: "command",
        ref,
        asker: askerOf(command.user_id, admins.isMaintainer),
        command: text,
        privately: true,
        echo: `${SLASH_COMMAND} ${text}`.trim(),
      },
      {
        client,
        channel: command.channel_id,
        thread: undefined,
        ack,
        respond,
        triggerId: command.trigger_id,
        user: command.user_id,
        maintainers: admins.all,
      },
      { listener: "command", channel: command.channel_id, user: command.user_id, team: ref.workspace },
      context.botUserId,
    );
  });
}
