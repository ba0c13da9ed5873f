import { askerOf, channelRef, maintainersOf } from "../context.js";
import { handOver } from "../failures.js";
import type { EventHandler } from "./types.js";

/** The App Home tab opened: the team's latest terms and, for maintainers, the proposals waiting. */
export const onAppHomeOpened: EventHandler<"app_home_opened"> = async (
  { event, body, client, context },
  deps,
) => {
  if (event.tab !== "home") return;
  const ref = channelRef(context, event.channel, body.team_id);
  const admins = maintainersOf(deps, client, ref.workspace);
  await handOver(
    deps,
    { kind: "home", ref, asker: askerOf(event.user, admins.isMaintainer) },
    { client, channel: undefined, thread: undefined, user: event.user },
    { listener: "app_home", user: event.user, team: context.teamId },
    context.botUserId,
  );
};
