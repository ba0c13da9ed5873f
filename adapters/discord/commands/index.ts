import type { RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import { explainMessageCommand } from "./explain-message.js";
import { meshCommand } from "./mesh.js";

export { EXPLAIN_MESSAGE, explainMessageCommand } from "./explain-message.js";
export { AUTOEXPLAIN_ACTIONS, commandOf, meshCommand } from "./mesh.js";
export type { MessageCommand, SlashCommand } from "./types.js";

/** Every command the bot registers, as Discord's JSON. */
export function commandDefinitions(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [meshCommand.data.toJSON(), explainMessageCommand.data.toJSON()];
}
