import type { App } from "@slack/bolt";
import * as actions from "./actions/index.js";
import * as mesh from "./commands/mesh.js";
import type { ListenerDeps } from "./context.js";
import * as appHome from "./events/app-home.js";
import * as appMention from "./events/app-mention.js";
import * as channelMessage from "./events/channel-message.js";
import * as directMessage from "./events/direct-message.js";
import * as explainMessage from "./shortcuts/explain-message.js";
import * as termForm from "./views/term-form.js";

/** Registers every listener: the command, each event, the buttons' table, the shortcut and the form. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  mesh.register(app, deps);
  appMention.register(app, deps);
  directMessage.register(app, deps);
  channelMessage.register(app, deps);
  appHome.register(app, deps);
  actions.register(app, deps);
  explainMessage.register(app, deps);
  termForm.register(app, deps);
}
