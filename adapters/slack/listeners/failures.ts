import type { RespondFn } from "@slack/bolt";
import type { Inbound } from "../../../src/bot/conversation.js";
import { cannotPostText, SORRY } from "../../../src/present/messages.js";
import { describeSlackError } from "../api/errors.js";
import { resultModal } from "../blocks/form.js";
import { sentence } from "../blocks/render.js";
import { SLACK_MARKUP } from "../format/mrkdwn.js";
import type { ListenerDeps } from "./context.js";
import { privately, type SlackTarget, slackResponder } from "./responder.js";

/** How to add the bot to a channel, naming it as Slack shows it. */
export function inviteHint(botUserId: string | undefined): string {
  return botUserId === undefined ? "`/invite @mesh`" : `/invite ${SLACK_MARKUP.user(botUserId)}`;
}

/** Marks an event that could not be answered, so the receiver answers 500 and Slack delivers it again. */
class Redelivery extends Error {
  constructor(cause: unknown) {
    super("the event could not be answered; Slack will deliver it again", { cause });
    this.name = "Redelivery";
  }
}

/** True for an event that failed in a way a redelivery may fix. */
export function isRedelivery(error: unknown): boolean {
  return error instanceof Redelivery;
}

/** Where a failure happened, for the log. */
export interface FailureContext {
  readonly listener: string;
  readonly channel?: string | undefined;
  readonly user?: string | undefined;
  readonly team?: string | undefined;
}

/**
 * Logs a failed Slack call with its context and, when the asker can be reached, tells them in a sentence
 * what happened and what to do ("invite me with /invite @mesh"). Never throws.
 */
export async function reportFailure(
  deps: ListenerDeps,
  where: FailureContext,
  error: unknown,
  tell?: { respond: RespondFn | undefined; botUserId: string | undefined },
): Promise<void> {
  const info = describeSlackError(error);
  const fields = { ...where, slackError: info.detail, errorKind: info.kind, err: error };
  if (info.failure !== undefined) deps.logger.warn(fields, "Slack refused a call the user can fix");
  else deps.logger.error(fields, "Slack call failed");
  const respond = tell?.respond;
  if (respond === undefined) return;
  const text = info.failure === undefined ? SORRY : cannotPostText(info.failure, inviteHint(tell?.botUserId));
  try {
    await respond(privately(sentence(text), false));
  } catch (second) {
    deps.logger.error({ ...where, err: second }, "could not tell the user about a failed Slack call");
  }
}

/**
 * Hands one event to the bot with a responder for `target`. A failure is logged with `where` and, when the
 * asker can be reached privately, explained to them; a command that was not acked yet is acked with it.
 */
export async function handOver(
  deps: ListenerDeps,
  inbound: Inbound,
  target: SlackTarget,
  where: FailureContext,
  botUserId: string | undefined,
): Promise<void> {
  const responder = slackResponder(target);
  try {
    await deps.bot.receive(inbound, responder);
    if (target.ack !== undefined && !responder.acked()) await target.ack();
    if (target.viewAck !== undefined && !responder.acked()) await target.viewAck();
  } catch (error) {
    if (target.ack !== undefined && !responder.acked()) {
      deps.logger.error({ ...where, err: error }, "could not answer /mesh");
      await target.ack(privately(sentence(SORRY)));
      return;
    }
    if (target.viewAck !== undefined && !responder.acked()) {
      deps.logger.error({ ...where, err: error }, "could not take a submitted form");
      await target.viewAck({ response_action: "update", view: resultModal("mesh", SORRY) });
      return;
    }
    await reportFailure(deps, where, error, { respond: target.respond, botUserId });
    // An event with nobody to tell (a mention, a DM, a channel message) that failed for a reason the asker
    // cannot fix: the bot gave back its claim, and Slack's redelivery answers it.
    const fixable = describeSlackError(error).failure !== undefined;
    if (inbound.eventId !== undefined && target.respond === undefined && !fixable)
      throw new Redelivery(error);
  }
}
