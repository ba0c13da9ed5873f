import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { actionPattern } from "../../blocks/actions.js";
import { renderReply } from "../../blocks/render.js";
import { askerOf, channelRef, type ListenerDeps, privately, reportFailure } from "../shared.js";
import { readClick, termOf } from "./click.js";

/** "Not jargon here" on an auto-explain reply: the term is no longer explained unprompted in this channel. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    actionPattern("silence"),
    async ({ ack, body, action, respond, context }) => {
      await ack();
      const click = readClick(body, action, "silence");
      try {
        const term = await termOf(deps, click, respond);
        if (term === undefined || click.channel === undefined) return;
        const reply = await deps.bot.run(
          channelRef(context, click.channel, click.where.team),
          askerOf(click.user),
          {
            kind: "silence",
            query: term.term,
            silenced: true,
          },
        );
        await respond(privately(renderReply(reply, { audience: "private" }), false));
      } catch (error) {
        await reportFailure(deps, click.where, error);
      }
    },
  );
}
