import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { ListenerDeps } from "../context.js";

/** What Bolt hands a listener of one event type. */
export type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;

/** A handler of one event type (events/index.ts routes each event to the handler of its type). */
export type EventHandler<T extends string> = (args: EventArgs<T>, deps: ListenerDeps) => Promise<void>;

/** The Events API types the bot subscribes to (manifest.yaml; the last two in OAuth mode only). */
export type HandledEvent =
  | "app_mention"
  | "message"
  | "app_home_opened"
  | "app_uninstalled"
  | "tokens_revoked";

/** Handlers by event type: the bot's, and the events a mode adds (OAuth: uninstalls and revoked tokens). */
export type EventHandlers = { readonly [T in HandledEvent]?: EventHandler<T> };
