import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { BotAction } from "../../../../src/bot/conversation.js";
import { type ActionName, actionPattern, decodeRef } from "../../blocks/actions.js";
import { askerOf, channelRef, type ListenerDeps } from "../context.js";
import { handOver } from "../failures.js";

/**
 * What each button asks the bot for, and whether it sat on a private card (whose answer then takes its
 * place) or on a public message (answered with a new private message for the clicker).
 */
const ACTIONS: Readonly<
  Record<Exclude<ActionName, "source">, { kind: BotAction["kind"]; fromPrivate: boolean }>
> = Object.freeze({
  define: { kind: "define", fromPrivate: true },
  peekDefine: { kind: "define", fromPrivate: false },
  more: { kind: "more", fromPrivate: true },
  peekMore: { kind: "more", fromPrivate: false },
  share: { kind: "share", fromPrivate: true },
  silence: { kind: "silence", fromPrivate: false },
});

function botAction(kind: BotAction["kind"], termId: string): BotAction {
  // Slack answers every click privately; sharing is its own button.
  return kind === "define" ? { kind, termId, privately: true } : { kind, termId };
}

/** Registers one listener per button of the table, and an ack for source links. */
export function register(app: App, deps: ListenerDeps): void {
  for (const [name, { kind, fromPrivate }] of Object.entries(ACTIONS)) {
    app.action<BlockAction<ButtonAction>>(
      actionPattern(name as ActionName),
      async ({ ack, body, action, respond, client, context }) => {
        await ack();
        const container = body.container as { channel_id?: unknown };
        const channel =
          body.channel?.id ?? (typeof container.channel_id === "string" ? container.channel_id : undefined);
        const team = body.team?.id ?? body.user.team_id;
        const ref = decodeRef(action.value);
        await handOver(
          deps,
          {
            kind: "action",
            ref: channelRef(context, channel ?? "unknown", team),
            asker: askerOf(body.user.id),
            thread: ref?.thread,
            // An id the bot did not write finds no term: the bot says the button no longer works.
            action: botAction(kind, ref?.termId ?? ""),
            fromPrivate,
          },
          { client, channel, thread: ref?.thread, respond },
          { listener: name, channel, user: body.user.id, team },
          context.botUserId,
        );
      },
    );
  }
  // Source links are URL buttons: Slack opens the page and still sends the click, which must be acked.
  app.action(actionPattern("source"), async ({ ack }) => {
    await ack();
  });
}
