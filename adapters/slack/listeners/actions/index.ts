import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { type ActionName, actionPattern, decodeAction } from "../../blocks/actions.js";
import { askerOf, channelRef, type ListenerDeps, maintainersOf } from "../context.js";
import { handOver } from "../failures.js";

/**
 * Every button of the bot, and whether it sits on a private card (whose answer then takes its place) or on
 * a message others see too (answered with a new private message for the clicker). What a click asks for is
 * decoded from the action and its value (blocks/actions.ts).
 */
const BUTTONS: Readonly<Record<Exclude<ActionName, "source">, { fromPrivate: boolean }>> = Object.freeze({
  define: { fromPrivate: true },
  peekDefine: { fromPrivate: false },
  more: { fromPrivate: true },
  peekMore: { fromPrivate: false },
  share: { fromPrivate: true },
  silence: { fromPrivate: false },
  edit: { fromPrivate: false },
  propose: { fromPrivate: false },
  approve: { fromPrivate: false },
  reject: { fromPrivate: false },
  postExplanation: { fromPrivate: true },
});

/** Registers one listener per button of the table, and an ack for source links. */
export function register(app: App, deps: ListenerDeps): void {
  for (const [key, { fromPrivate }] of Object.entries(BUTTONS)) {
    const name = key as Exclude<ActionName, "source">;
    app.action<BlockAction<ButtonAction>>(
      actionPattern(name),
      async ({ ack, body, action, respond, client, context }) => {
        await ack();
        const container = body.container as { channel_id?: unknown; type?: unknown };
        const channel =
          body.channel?.id ?? (typeof container.channel_id === "string" ? container.channel_id : undefined);
        const team = body.team?.id ?? body.user.team_id;
        const ref = channelRef(context, channel ?? "unknown", team);
        // A button on the Home tab (a proposal there): no response_url, no channel.
        const fromHome = container.type === "view" && body.view?.type === "home";
        // A value this version did not write asks for no term: the bot says the button no longer works.
        const decoded = decodeAction(name, action.value) ?? {
          action: { kind: "more" as const, termId: "" },
          thread: undefined,
        };
        const admins = maintainersOf(deps, client, ref.workspace);
        const asker = askerOf(body.user.id, admins.isMaintainer);
        const where = { listener: name, channel, user: body.user.id, team };
        await handOver(
          deps,
          { kind: "action", ref, asker, thread: decoded.thread, action: decoded.action, fromPrivate },
          {
            client,
            channel,
            thread: decoded.thread,
            respond,
            triggerId: body.trigger_id,
            user: body.user.id,
            maintainers: admins.all,
            fromHome,
          },
          where,
          context.botUserId,
        );
        // The Home tab shows what the click changed (a proposal decided leaves the list).
        if (fromHome) {
          await handOver(
            deps,
            { kind: "home", ref, asker },
            { client, channel: undefined, thread: undefined, user: body.user.id },
            { ...where, listener: "app_home" },
            context.botUserId,
          );
        }
      },
    );
  }
  // Source links are URL buttons: Slack opens the page and still sends the click, which must be acked.
  app.action(actionPattern("source"), async ({ ack }) => {
    await ack();
  });
}
