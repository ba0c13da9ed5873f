import type { App } from "@slack/bolt";
import { actionPattern } from "../../blocks/actions.js";

/** Source links are URL buttons: Slack opens the page and still sends the click, which must be acked. */
export function register(app: App): void {
  app.action(actionPattern("source"), async ({ ack }) => {
    await ack();
  });
}
