import type { Server } from "node:http";
import { runTerminalChat, TERMINAL_CHANNEL } from "../adapters/terminal/chat.js";
import type { ChatAdapter } from "./bot/adapter.js";
import { MeshBot } from "./bot/mesh-bot.js";
import { type Config, loadConfig, readEnvironment, wantsColor } from "./config.js";
import { loadGlossary } from "./content/load.js";
import { isMeshError } from "./core/errors.js";
import type { Glossary } from "./core/glossary.js";
import { startHealthServer } from "./health.js";
import { createLogger } from "./logger.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/store.js";

const HOUR = 3600_000;

/** The composition root: reads the settings, loads the glossary and store, and runs the configured adapters. */
async function main(): Promise<void> {
  const config: Config = loadConfig(await readEnvironment());
  const { glossary } = loadGlossary(config.contentPath);
  const store = await openStore(config.databaseUrl);
  await store.expire(Date.now());
  if (config.slack === undefined && config.discord === undefined) {
    await runTerminal(config, glossary, store);
  } else {
    await runChatPlatforms(config, glossary, store);
  }
}

/** Without Slack or Discord credentials the bot is a chat in this terminal. */
async function runTerminal(config: Config, glossary: Glossary, store: Store): Promise<void> {
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const bot = new MeshBot({
    glossary,
    store,
    logger,
    // One person, one conversation: the per-channel cooldown would only hide answers from them.
    autoExplain: { cooldownMs: 0, maxTerms: config.autoExplain.maxTermsPerReply },
    enabledByDefault: (ref) => ref.platform === TERMINAL_CHANNEL.platform,
  });
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
  await runTerminalChat({
    bot,
    logger,
    input: process.stdin,
    output: process.stdout,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    color: wantsColor(process.stdout.isTTY),
    session: `session-${Date.now()}`,
    signal: stop.signal,
  });
  // A pipe that is still open (Ctrl-C before EOF) would keep the process alive.
  process.stdin.destroy();
  await store.close();
}

/** Slack and/or Discord, until SIGTERM or SIGINT. */
async function runChatPlatforms(config: Config, glossary: Glossary, store: Store): Promise<void> {
  const logger = createLogger(config.logLevel);
  // A bug in one handler must not take every conversation down with it.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  const bot = new MeshBot({
    glossary,
    store,
    logger,
    autoExplain: {
      cooldownMs: config.autoExplain.cooldownSeconds * 1000,
      maxTerms: config.autoExplain.maxTermsPerReply,
    },
  });
  const adapters: ChatAdapter[] = [];
  if (config.slack !== undefined) {
    const { createSlackAdapter } = await import("../adapters/slack/index.js");
    adapters.push(createSlackAdapter({ config: config.slack, bot, logger }));
  }
  if (config.discord !== undefined) {
    const { createDiscordAdapter } = await import("../adapters/discord/index.js");
    adapters.push(createDiscordAdapter({ config: config.discord, bot, logger }));
  }
  const started: ChatAdapter[] = [];
  let health: Server | undefined;
  const shutdown = async () => {
    clearInterval(expiry);
    for (const a of started.reverse())
      await a.stop().catch((err: unknown) => logger.warn({ err }, "stop failed"));
    health?.close();
    await store.close();
  };
  const expiry = setInterval(() => {
    store.expire(Date.now()).catch((err: unknown) => logger.warn({ err }, "could not expire old records"));
  }, HOUR);
  expiry.unref();
  try {
    for (const adapter of adapters) {
      await adapter.start();
      started.push(adapter);
      logger.info({ adapter: adapter.name }, "connected");
    }
    // The Slack adapter answers /healthz on PORT itself; otherwise probes get this one.
    if (config.slack === undefined) {
      health = await startHealthServer(config.port, () => ({ adapters: started.map((a) => a.name) }));
    }
  } catch (error) {
    await shutdown();
    throw error;
  }
  logger.info(
    { terms: glossary.terms.length, adapters: started.map((a) => a.name) },
    "mesh-glossary-bot is running",
  );
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  logger.info("shutting down");
  await shutdown();
}

function report(error: unknown): void {
  if (isMeshError(error)) {
    process.stderr.write(
      `mesh-glossary-bot could not start: ${[error.message, ...error.details.map((d) => `  ${d}`)].join("\n")}\n`,
    );
  } else {
    process.stderr.write(
      `mesh-glossary-bot crashed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
}

main().catch((error: unknown) => {
  report(error);
  process.exitCode = 1;
});
