import type { App } from "@slack/bolt";
import * as actions from "./actions/index.js";
import * as mesh from "./commands/mesh.js";
import type { ListenerDeps } from "./context.js";
import * as events from "./events/index.js";
import type { EventHandlers } from "./events/types.js";
import * as explainMessage from "./shortcuts/explain-message.js";
import * as termForm from "./views/term-form.js";

/**
 * Registers every listener: the command, the events' table (with the events a mode adds), the buttons' table,
 * the shortcut and the form.
 */
export function registerListeners(app: App, deps: ListenerDeps, moreEvents?: EventHandlers): void {
  mesh.register(app, deps);
  events.register(app, deps, moreEvents);
  actions.register(app, deps);
  explainMessage.register(app, deps);
  termForm.register(app, deps);
}
