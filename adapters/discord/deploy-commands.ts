/**
 * Registers the bot's commands with Discord: `npm run discord:commands` (after `npm run build`). Reads the
 * same settings as the bot; with DISCORD_GUILD_ID the commands go to that one server (they appear at once,
 * good for trying the bot out), without it they are global (every server the bot is in). Registering is a
 * deliberate step, not start-up work: run it again whenever the command definitions change.
 */
import { pathToFileURL } from "node:url";
import { ApplicationCommandType, DiscordAPIError, REST, Routes } from "discord.js";
import { type DiscordConfig, loadConfig, readEnvironment } from "../../src/config.js";
import { isMeshError, MeshError } from "../../src/core/errors.js";
import { commandDefinitions } from "./commands/index.js";

/** What was registered, and where. */
export interface DeployResult {
  readonly scope: "guild" | "global";
  readonly guildId: string | undefined;
  readonly commands: readonly { readonly id: string; readonly name: string; readonly type: number }[];
}

/** A REST client for the configured API base (Discord's unless DISCORD_API_URL says otherwise). */
export function restFor(config: DiscordConfig): REST {
  return new REST(config.apiUrl === undefined ? {} : { api: config.apiUrl }).setToken(config.token);
}

/** Replaces the application's commands (in one guild, or globally) with this version's definitions. */
export async function deployCommands(
  config: DiscordConfig,
  rest: REST = restFor(config),
): Promise<DeployResult> {
  const route =
    config.guildId === undefined
      ? Routes.applicationCommands(config.applicationId)
      : Routes.applicationGuildCommands(config.applicationId, config.guildId);
  let registered: { id: string; name: string; type?: number }[];
  try {
    registered = (await rest.put(route, { body: commandDefinitions() })) as typeof registered;
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      const hint =
        error.status === 401
          ? "DISCORD_TOKEN was refused: copy the token again from the Bot page."
          : error.status === 403 || error.status === 404
            ? "check DISCORD_APPLICATION_ID (General Information) and, if set, that the bot is in DISCORD_GUILD_ID's server with the applications.commands scope."
            : error.message;
      throw new MeshError("PLATFORM_API", `Discord refused the commands (${error.status}): ${hint}`, [], {
        cause: error,
      });
    }
    const api = config.apiUrl ?? "https://discord.com/api";
    const why = error instanceof Error && error.name === "AbortError" ? "no answer in time" : String(error);
    throw new MeshError(
      "PLATFORM_API",
      `Could not reach Discord's API at ${api} (${why}). Check the network${config.apiUrl === undefined ? "" : " and DISCORD_API_URL"}.`,
      [],
      { cause: error },
    );
  }
  return {
    scope: config.guildId === undefined ? "global" : "guild",
    guildId: config.guildId,
    commands: registered.map((c) => ({
      id: c.id,
      name: c.name,
      type: c.type ?? ApplicationCommandType.ChatInput,
    })),
  };
}

/** The lines the script prints about a deployment. */
export function describeDeployment(result: DeployResult): string[] {
  const where =
    result.scope === "guild"
      ? `to server ${result.guildId} (available now)`
      : "globally (every server the bot is in; Discord may take a few minutes to show them)";
  return [
    `Registered ${result.commands.length} commands ${where}:`,
    ...result.commands.map((c) =>
      c.type === ApplicationCommandType.Message
        ? `  ${c.name} (message menu: Apps > ${c.name})`
        : `  /${c.name}`,
    ),
  ];
}

async function main(): Promise<void> {
  const config = loadConfig(await readEnvironment());
  if (config.discord === undefined) {
    throw new MeshError(
      "CONFIG_INVALID",
      "DISCORD_TOKEN and DISCORD_APPLICATION_ID are needed to register commands (see docs/discord.md).",
    );
  }
  const result = await deployCommands(config.discord);
  process.stdout.write(`${describeDeployment(result).join("\n")}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `discord:commands failed: ${isMeshError(error) ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
