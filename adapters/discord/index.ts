export {
  createDiscordAdapter,
  DISCORD_INTENTS,
  type DiscordAdapter,
  type DiscordAdapterOptions,
} from "./client.js";
export { commandDefinitions } from "./commands/index.js";
export { type DeployResult, deployCommands } from "./deploy-commands.js";
