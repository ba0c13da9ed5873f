import type { RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import { explainMessageCommand } from "./explain-message.js";
import { meshCommand } from "./mesh.js";
import type { MessageCommand, SlashCommand } from "./types.js";

export { EXPLAIN_MESSAGE, explainMessageCommand } from "./explain-message.js";
export { AUTOEXPLAIN_ACTIONS, commandOf, meshCommand } from "./mesh.js";
export type { MessageCommand, SlashCommand } from "./types.js";

/** Slash commands by name: what an interaction is dispatched on. */
export const SLASH_COMMANDS: ReadonlyMap<string, SlashCommand> = new Map([
  [meshCommand.data.name, meshCommand],
]);

/** Message context-menu commands by name. */
export const MESSAGE_COMMANDS: ReadonlyMap<string, MessageCommand> = new Map([
  [explainMessageCommand.data.name, explainMessageCommand],
]);

/** Every command the bot registers, as Discord's JSON (`npm run discord:commands`). */
export function commandDefinitions(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [
    ...[...SLASH_COMMANDS.values()].map((c) => c.data.toJSON()),
    ...[...MESSAGE_COMMANDS.values()].map((c) => c.data.toJSON()),
  ];
}
