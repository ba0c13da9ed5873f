import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { type ActionName, ANY_ACTION, actionNameOf, decodeAction } from "../../blocks/actions.js";
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

/**
 * One listener for every button (Bolt runs each registered listener's matchers on every request, so one
 * listener keeps each command and message as cheap as the first). Which button was clicked comes from the
 * table; a source link only needs its ack; an id this version does not know gets a sentence saying the
 * button no longer works.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ANY_ACTION,
    async ({ ack, body, action, respond, client, context }) => {
      await ack();
      const name = actionNameOf(action.action_id);
      // Source links are URL buttons: Slack opens the page and still sends the click, which is only acked.
      if (name === "source") return;
      const fromPrivate = name === undefined ? true : BUTTONS[name].fromPrivate;
      const container = body.container as { channel_id?: unknown; type?: unknown };
      const channel =
        body.channel?.id ?? (typeof container.channel_id === "string" ? container.channel_id : undefined);
      const team = body.team?.id ?? body.user.team_id;
      const ref = channelRef(context, channel ?? "unknown", team);
      // A button on the Home tab (a proposal there): no response_url, no channel.
      const fromHome = container.type === "view" && body.view?.type === "home";
      // A value this version did not write asks for no term: the bot says the button no longer works.
      const decoded = (name === undefined ? undefined : decodeAction(name, action.value)) ?? {
        action: { kind: "more" as const, termId: "" },
        thread: undefined,
      };
      const admins = maintainersOf(deps, client, ref.workspace);
      const asker = askerOf(body.user.id, admins.isMaintainer);
      const where = { listener: name ?? action.action_id, channel, user: body.user.id, team };
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
