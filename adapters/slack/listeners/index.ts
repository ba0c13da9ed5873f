import type { App } from "@slack/bolt";
import * as define from "./actions/define.js";
import * as more from "./actions/more.js";
import * as peekDefine from "./actions/peek-define.js";
import * as peekMore from "./actions/peek-more.js";
import * as share from "./actions/share.js";
import * as silence from "./actions/silence.js";
import * as source from "./actions/source.js";
import * as mesh from "./commands/mesh.js";
import * as appMention from "./events/app-mention.js";
import * as channelMessage from "./events/channel-message.js";
import * as directMessage from "./events/direct-message.js";
import type { ListenerDeps } from "./shared.js";
import * as explainMessage from "./shortcuts/explain-message.js";

/** Registers every listener: one module per command, event, action and shortcut. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  mesh.register(app, deps);
  appMention.register(app, deps);
  directMessage.register(app, deps);
  channelMessage.register(app, deps);
  more.register(app, deps);
  peekMore.register(app, deps);
  define.register(app, deps);
  peekDefine.register(app, deps);
  share.register(app, deps);
  silence.register(app, deps);
  source.register(app);
  explainMessage.register(app, deps);
}
