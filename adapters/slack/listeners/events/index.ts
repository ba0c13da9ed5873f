import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../context.js";
import { onAppHomeOpened } from "./app-home.js";
import { onAppMention } from "./app-mention.js";
import { onChannelMessage } from "./channel-message.js";
import { onDirectMessage } from "./direct-message.js";
import type { EventHandler, EventHandlers, HandledEvent } from "./types.js";

/**
 * Every event the bot answers, by type. A message is a question in a DM, and may be auto-explained in a
 * channel; a mention in a channel is a question; the Home tab shows the team's glossary.
 */
const EVENTS: EventHandlers = {
  app_mention: onAppMention,
  message: (args, deps) =>
    args.event.channel_type === "im" ? onDirectMessage(args, deps) : onChannelMessage(args, deps),
  app_home_opened: onAppHomeOpened,
};

/**
 * One Bolt listener for every event type (Bolt runs each registered listener's middleware on every request,
 * commands and buttons included, so one listener keeps each request as cheap as with one event), handing each
 * event to its handler from the table.
 */
export function register(app: App, deps: ListenerDeps, more: EventHandlers = {}): void {
  const handlers: EventHandlers = { ...EVENTS, ...more };
  app.event(new RegExp(`^(?:${Object.keys(handlers).join("|")})$`), async (args) => {
    // The type tag comes with the event: its handler is typed for it.
    const handle = handlers[args.event.type as HandledEvent] as EventHandler<string> | undefined;
    await handle?.(args, deps);
  });
}
