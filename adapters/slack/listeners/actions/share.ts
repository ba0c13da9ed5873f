import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { relatedTerms } from "../../../../src/core/glossary.js";
import { actionPattern } from "../../blocks/actions.js";
import { termCard } from "../../blocks/render.js";
import { type ListenerDeps, post, reportFailure } from "../shared.js";
import { readClick, termOf } from "./click.js";

/**
 * "Share in channel" on a private card: posts the term for everyone (in the thread the question came from,
 * when known), credited to whoever shared it, then removes the private card.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    actionPattern("share"),
    async ({ ack, body, action, respond, client, context }) => {
      await ack();
      const click = readClick(body, action, "share");
      try {
        const term = await termOf(deps, click, respond);
        if (term === undefined || click.channel === undefined) return;
        const thread = click.ref?.thread;
        const card = termCard(
          term,
          { related: relatedTerms(deps.bot.glossary, term) },
          { audience: "public", sharedBy: click.user, ...(thread === undefined ? {} : { thread }) },
        );
        await post(client, click.channel, card, thread);
        await respond({ delete_original: true });
      } catch (error) {
        await reportFailure(deps, click.where, error, { respond, botUserId: context.botUserId });
      }
    },
  );
}
