import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { actionPattern } from "../../blocks/actions.js";
import type { ListenerDeps } from "../shared.js";
import { answerWithCard } from "./click.js";

/** Replaces a private card with the term's full text. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    actionPattern("more"),
    async ({ ack, body, action, respond, context }) => {
      await ack();
      await answerWithCard(deps, { body, action, respond, context }, "more", {
        expanded: true,
        replace: true,
      });
    },
  );
}
