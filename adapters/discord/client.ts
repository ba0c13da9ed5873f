import {
  Client,
  DiscordjsError,
  DiscordjsErrorCodes,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  type Interaction,
  type Message,
  Partials,
  RESTEvents,
  type RESTOptions,
} from "discord.js";
import type { BotHandle, ChatAdapter } from "../../src/bot/conversation.js";
import type { DiscordConfig } from "../../src/config.js";
import { MeshError } from "../../src/core/errors.js";
import type { Logger } from "../../src/logger.js";
import type { DiscordContext } from "./context.js";
import { handleInteraction } from "./events/interaction-create.js";
import { handleMessage } from "./events/message-create.js";
import { NO_MENTIONS } from "./render/markup.js";

export interface DiscordAdapterOptions {
  readonly config: DiscordConfig;
  readonly bot: BotHandle;
  readonly logger: Logger;
  /**
   * @discordjs/rest settings layered over the library defaults (3 retries, 15 s timeout, 50 requests a
   * second). Production passes none; tests shorten the retries so a failing fake cannot stall a suite, and
   * the benchmark lifts the global request rate, which would otherwise be what it measures.
   */
  readonly rest?: Partial<Pick<RESTOptions, "retries" | "timeout" | "offset" | "globalRequestsPerSecond">>;
}

/** The Discord adapter, with the discord.js client it drives. */
export interface DiscordAdapter extends ChatAdapter {
  readonly client: Client;
  /** The gateway session is up (false while it reconnects). */
  connected(): boolean;
}

/** What a gateway close code Discord will not recover from means, for the person running the bot. */
function closeError(code: number): MeshError {
  const why: Record<number, string> = {
    [GatewayCloseCodes.AuthenticationFailed]:
      "Discord refused DISCORD_TOKEN: copy it again from the Bot page.",
    [GatewayCloseCodes.DisallowedIntents]:
      "Discord refused the Message Content intent: turn on Message Content Intent under Privileged Gateway Intents on the application's Bot page.",
    [GatewayCloseCodes.InvalidIntents]: "Discord refused the gateway intents this version asks for.",
  };
  return new MeshError(
    code in why ? "CONFIG_INVALID" : "PLATFORM_API",
    why[code] ?? `Discord closed the gateway connection with code ${code}.`,
  );
}

function startError(error: unknown): unknown {
  if (error instanceof MeshError) return error;
  if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) {
    return new MeshError(
      "CONFIG_INVALID",
      "Discord refused DISCORD_TOKEN: copy it again from the Bot page.",
      [],
      {
        cause: error,
      },
    );
  }
  return error;
}

/** Gateway intents: guilds and their messages (with content, a privileged intent) and DMs. */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
] as const;

/**
 * Creates the Discord adapter: a discord.js 14 client on the gateway that answers `/mesh`, autocomplete,
 * buttons and "Explain this message", questions by mention or DM, and auto-explains jargon in threads.
 * Commands are registered separately (`npm run discord:commands`), not at start.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { config, bot } = options;
  const logger = options.logger.child({ adapter: "discord" });
  const client = new Client({
    intents: [...DISCORD_INTENTS],
    // DM channels are not cached before their first message: without this, DMs are dropped.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    rest: { ...(config.apiUrl === undefined ? {} : { api: config.apiUrl }), ...options.rest },
    // One shard of several (a StatefulSet pod each): Discord sends this session only its shard's servers.
    ...(config.shard === undefined ? {} : { shards: config.shard.id, shardCount: config.shard.count }),
  });
  const ctx: DiscordContext = { bot, logger };

  let stopping = false;
  // Every listener catches its own failures: one bad event never takes the process down.
  client.on(Events.MessageCreate, (message: Message) => {
    handleMessage(message, ctx).catch((error: unknown) =>
      logger.error(
        { err: error, guild: message.guildId, channel: message.channelId, message: message.id },
        "could not handle a message",
      ),
    );
  });
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    handleInteraction(interaction, ctx).catch((error: unknown) =>
      logger.error({ err: error, interaction: interaction.id }, "could not handle an interaction"),
    );
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, "discord client warning"));
  // discord.js reconnects and resumes by itself; this fires only for closes it will not recover from.
  client.on(Events.ShardDisconnect, (event, shard) => {
    gatewayUp = false;
    if (stopping) return;
    logger.error(
      { shard, code: event.code, hint: closeError(event.code).message },
      "gateway closed for good",
    );
  });
  let gatewayUp = false;
  client.on(Events.ShardReady, () => {
    gatewayUp = true;
  });
  client.on(Events.ShardReconnecting, (shard) => {
    gatewayUp = false;
    if (!stopping) logger.info({ shard }, "gateway reconnecting");
  });
  client.on(Events.ShardResume, (shard, replayed) => {
    gatewayUp = true;
    logger.info({ shard, replayed }, "gateway session resumed");
  });
  client.on(Events.ShardError, (error, shard) => logger.error({ err: error, shard }, "gateway error"));
  client.rest.on(RESTEvents.RateLimited, (info) =>
    logger.warn(
      { route: info.route, method: info.method, retryAfter: info.retryAfter, global: info.global },
      "rate limited by Discord; waiting",
    ),
  );

  let started = false;
  return {
    name: "discord",
    client,
    connected: () => gatewayUp && !stopping,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      // A close Discord will not let us recover from (bad intents, bad token) must fail start, not hang it.
      const refused = new Promise<never>((_, reject) =>
        client.once(Events.ShardDisconnect, (event) => reject(closeError(event.code))),
      );
      refused.catch(() => {}); // read by the race below; later closes are logged by the ShardDisconnect listener
      try {
        await Promise.race([client.login(config.token).then(() => ready), refused]);
      } catch (error) {
        await client.destroy();
        throw startError(error);
      }
      started = true;
      logger.info(
        { user: client.user?.id, application: config.applicationId, guilds: client.guilds.cache.size },
        "connected to Discord",
      );
    },
    async stop() {
      // destroy() does not always stop a reconnect already under way: the process exits after stop() anyway.
      stopping = true;
      await client.destroy();
      if (started) logger.info("disconnected from Discord");
      started = false;
    },
  };
}
