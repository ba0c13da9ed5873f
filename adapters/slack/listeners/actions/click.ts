import type { BlockAction, ButtonAction, Context, RespondFn } from "@slack/bolt";
import { relatedTerms } from "../../../../src/core/glossary.js";
import { staleControlText } from "../../../../src/core/messages.js";
import type { Term } from "../../../../src/core/types.js";
import { type ButtonRef, decodeRef } from "../../blocks/actions.js";
import { renderReply, sentence, termCard } from "../../blocks/render.js";
import { SLACK_MARKUP } from "../../format/mrkdwn.js";
import {
  askerOf,
  channelRef,
  type FailureContext,
  type ListenerDeps,
  privately,
  reportFailure,
} from "../shared.js";

/** A button click, reduced to what the handlers need. */
export interface Click {
  readonly ref: ButtonRef | undefined;
  readonly channel: string | undefined;
  readonly user: string;
  readonly where: FailureContext;
}

/** Reads a button click's value, channel and user. */
export function readClick(body: BlockAction, action: ButtonAction, listener: string): Click {
  const container = body.container as { channel_id?: unknown };
  const channel =
    body.channel?.id ?? (typeof container.channel_id === "string" ? container.channel_id : undefined);
  return {
    ref: decodeRef(action.value),
    channel,
    user: body.user.id,
    where: { listener, channel, user: body.user.id, team: body.team?.id ?? body.user.team_id },
  };
}

/** The term a click is about, or undefined (after telling the clicker) when it no longer exists. */
export async function termOf(
  deps: ListenerDeps,
  click: Click,
  respond: RespondFn,
): Promise<Term | undefined> {
  const term = click.ref === undefined ? undefined : deps.bot.glossary.get(click.ref.termId);
  if (term === undefined) {
    deps.logger.info({ ...click.where, value: click.ref?.termId }, "click on a stale button");
    await respond(privately(sentence(staleControlText(SLACK_MARKUP)), false));
  }
  return term;
}

/**
 * Answers a click with a term's card, privately: in place of the private card clicked (`replace`) or as a
 * new private message under a public one. `expanded` shows the full text ("More"); otherwise the click is
 * a lookup (a related term, a "did you mean" choice) and is answered and counted like one.
 */
export async function answerWithCard(
  deps: ListenerDeps,
  args: { body: BlockAction; action: ButtonAction; respond: RespondFn; context: Context },
  listener: string,
  how: { expanded: boolean; replace: boolean },
): Promise<void> {
  const click = readClick(args.body, args.action, listener);
  try {
    const term = await termOf(deps, click, args.respond);
    if (term === undefined) return;
    const thread = click.ref?.thread;
    const opts =
      thread === undefined ? { audience: "private" as const } : { audience: "private" as const, thread };
    const message = how.expanded
      ? termCard(term, { related: relatedTerms(deps.bot.glossary, term) }, { ...opts, expanded: true })
      : renderReply(
          await deps.bot.run(
            channelRef(args.context, click.channel ?? "unknown", click.where.team),
            askerOf(click.user),
            { kind: "define", query: term.term },
          ),
          opts,
        );
    await args.respond(privately(message, how.replace));
  } catch (error) {
    await reportFailure(deps, click.where, error);
  }
}
