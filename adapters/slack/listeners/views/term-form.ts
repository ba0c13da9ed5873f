import type { App } from "@slack/bolt";
import { TERM_FORM } from "../../blocks/actions.js";
import { formMetadata, formValues, resultModal } from "../../blocks/form.js";
import { askerOf, channelRef, type ListenerDeps, maintainersOf } from "../context.js";
import { handOver } from "../failures.js";

/**
 * The term form submitted: handed to the bot, which shows problems beside the fields (the modal stays open)
 * or answers in the modal; proposals go to reviewers.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.view(TERM_FORM, async ({ ack, body, view, client, context }) => {
    const metadata = formMetadata(view.private_metadata);
    if (metadata === undefined) {
      await ack({
        response_action: "update",
        view: resultModal("mesh", "That form is too old to use; open it again."),
      });
      return;
    }
    const team = body.team?.id ?? body.user.team_id ?? context.teamId;
    const ref = channelRef(context, metadata.channel ?? body.user.id, team);
    const admins = maintainersOf(deps, client, ref.workspace);
    await handOver(
      deps,
      {
        kind: "form",
        ref,
        asker: askerOf(body.user.id, admins.isMaintainer),
        thread: metadata.thread,
        context: metadata.context,
        values: formValues(view),
      },
      {
        client,
        channel: metadata.channel,
        thread: metadata.thread,
        viewAck: (response) => ack(response),
        user: body.user.id,
        maintainers: admins.all,
      },
      { listener: "term_form", channel: metadata.channel, user: body.user.id, team },
      context.botUserId,
    );
  });
}
