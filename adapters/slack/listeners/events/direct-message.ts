import { askBot } from "./question.js";
import type { EventHandler } from "./types.js";

/** A direct message to the bot is a question: answered in the DM (in its thread, if it was in one). */
export const onDirectMessage: EventHandler<"message"> = async (args, deps) => {
  const { event } = args;
  // Edits, deletions and every other subtype are not questions; bots do not get answers.
  if (event.subtype !== undefined || event.bot_id !== undefined) return;
  await askBot(deps, args, {
    channel: event.channel,
    user: event.user,
    thread: event.thread_ts,
    text: event.text ?? "",
    listener: "direct_message",
  });
};
