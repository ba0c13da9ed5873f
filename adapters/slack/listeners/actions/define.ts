import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { actionPattern } from "../../blocks/actions.js";
import type { ListenerDeps } from "../shared.js";
import { answerWithCard } from "./click.js";

/** A related term or a "did you mean" choice on a private card: that term's card, in place. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    actionPattern("define"),
    async ({ ack, body, action, respond, context }) => {
      await ack();
      await answerWithCard(deps, { body, action, respond, context }, "define", {
        expanded: false,
        replace: true,
      });
    },
  );
}
