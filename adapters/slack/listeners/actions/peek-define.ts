import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { actionPattern } from "../../blocks/actions.js";
import type { ListenerDeps } from "../shared.js";
import { answerWithCard } from "./click.js";

/** A related term on a public message: that term's card, for the clicker only. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    actionPattern("peekDefine"),
    async ({ ack, body, action, respond, context }) => {
      await ack();
      await answerWithCard(deps, { body, action, respond, context }, "peekDefine", {
        expanded: false,
        replace: false,
      });
    },
  );
}
