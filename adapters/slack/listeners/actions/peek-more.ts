import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { actionPattern } from "../../blocks/actions.js";
import type { ListenerDeps } from "../shared.js";
import { answerWithCard } from "./click.js";

/** "More" on a public message (an answer in a thread, an auto-explain line): the full text, for the clicker only. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    actionPattern("peekMore"),
    async ({ ack, body, action, respond, context }) => {
      await ack();
      await answerWithCard(deps, { body, action, respond, context }, "peekMore", {
        expanded: true,
        replace: false,
      });
    },
  );
}
