import { askBot } from "./question.js";
import type { EventHandler } from "./types.js";

/** "@mesh what is an init container?" in a channel: a question, answered in the thread of the mention. */
export const onAppMention: EventHandler<"app_mention"> = async (args, deps) => {
  const { event } = args;
  if (event.bot_id !== undefined || event.user === undefined) return;
  await askBot(deps, args, {
    channel: event.channel,
    user: event.user,
    thread: event.thread_ts ?? event.ts,
    text: event.text,
    listener: "app_mention",
  });
};
