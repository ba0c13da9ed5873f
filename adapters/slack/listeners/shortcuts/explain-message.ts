import type { App } from "@slack/bolt";
import { EXPLAIN_SHORTCUT } from "../../blocks/actions.js";
import { askerOf, channelRef, type ListenerDeps } from "../context.js";
import { handOver } from "../failures.js";

/** The "Explain this message" message shortcut: every term in the chosen message, for the asker only. */
export function register(app: App, deps: ListenerDeps): void {
  app.shortcut(EXPLAIN_SHORTCUT, async ({ ack, shortcut, respond, client, context }) => {
    await ack();
    if (shortcut.type !== "message_action") return;
    const thread = shortcut.message.thread_ts ?? shortcut.message.ts;
    await handOver(
      deps,
      {
        kind: "explain",
        ref: channelRef(context, shortcut.channel.id, shortcut.team?.id),
        asker: askerOf(shortcut.user.id),
        thread,
        text: shortcut.message.text ?? "",
      },
      { client, channel: shortcut.channel.id, thread, respond },
      {
        listener: "explain_message",
        channel: shortcut.channel.id,
        user: shortcut.user.id,
        team: shortcut.team?.id,
      },
      context.botUserId,
    );
  });
}
