import type { App } from "@slack/bolt";
import { EXPLAIN_SHORTCUT } from "../../blocks/actions.js";
import { renderReply } from "../../blocks/render.js";
import { type ListenerDeps, privately, reportFailure } from "../shared.js";

/** The "Explain this message" message shortcut: every term in the chosen message, for the asker only. */
export function register(app: App, deps: ListenerDeps): void {
  app.shortcut(EXPLAIN_SHORTCUT, async ({ ack, shortcut, respond }) => {
    await ack();
    if (shortcut.type !== "message_action") return;
    const where = {
      listener: "explain_message",
      channel: shortcut.channel.id,
      user: shortcut.user.id,
      team: shortcut.team?.id,
    };
    try {
      const reply = deps.bot.explainText(shortcut.message.text ?? "");
      const thread = shortcut.message.thread_ts ?? shortcut.message.ts;
      await respond(privately(renderReply(reply, { audience: "private", thread })));
    } catch (error) {
      await reportFailure(deps, where, error);
    }
  });
}
