import type { Server } from "node:http";
import type { ChatAdapter } from "./bot/conversation.js";
import { MeshBot } from "./bot/mesh-bot.js";
import { type Config, loadConfig, readEnvironment, wantsColor } from "./config.js";
import { loadGlossary } from "./content/load.js";
import { watchContent } from "./content/watch.js";
import { isMeshError, MeshError } from "./core/errors.js";
import { startHealthServer } from "./health.js";
import { createLogger, type Logger } from "./logger.js";
import type { InstallationStore } from "./store/installations.js";
import { openStore } from "./store/open.js";

const HOUR = 3600_000;

/** What `npm start -- --help` prints. */
const USAGE = `mesh-glossary-bot: service mesh jargon, explained, where people talk

Usage:
  npm start              the bot: in Slack and/or Discord when their settings are present,
                         otherwise a chat in this terminal (lines piped in work too)
  npm start -- --help    this text

Settings come from the environment or a .env file in this folder (.env.example lists them all;
README.md explains them). The glossary itself has a command line too: npx mesh help
`;

/** The arguments `npm start -- ...` was given: run, or print the usage. */
function readArguments(args: readonly string[]): "run" | "help" {
  if (args.length === 0) return "run";
  if (args.length === 1 && ["--help", "-h", "help"].includes(args[0] as string)) return "help";
  throw new MeshError(
    "USAGE",
    `mesh-glossary-bot takes no argument "${args.join(" ")}"; npm start -- --help says what it takes.`,
  );
}

/** The terminal chat when no chat platform is configured; otherwise Slack and/or Discord. */
function terminalOnly(config: Config): boolean {
  return config.slack === undefined && config.discord === undefined;
}

/**
 * Creates the adapters the settings ask for, with the bot they drive. The one place that sees every adapter;
 * each is imported only when it runs.
 */
async function createAdapters(
  config: Config,
  bot: MeshBot,
  logger: Logger,
  store: InstallationStore,
): Promise<ChatAdapter[]> {
  if (terminalOnly(config)) {
    const { createTerminalAdapter } = await import("../adapters/terminal/chat.js");
    return [
      createTerminalAdapter({
        bot,
        logger,
        input: process.stdin,
        output: process.stdout,
        interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
        color: wantsColor(process.stdout.isTTY),
        session: `session-${Date.now()}`,
      }),
    ];
  }
  const adapters: ChatAdapter[] = [];
  if (config.slack !== undefined) {
    const { createSlackAdapter } = await import("../adapters/slack/index.js");
    adapters.push(createSlackAdapter({ config: config.slack, bot, logger, installations: store }));
  }
  if (config.discord !== undefined) {
    const { createDiscordAdapter } = await import("../adapters/discord/index.js");
    adapters.push(createDiscordAdapter({ config: config.discord, bot, logger }));
  }
  return adapters;
}

/**
 * The composition root: reads the settings, loads the glossary and store, starts the configured adapters,
 * and stops them on SIGTERM or SIGINT (or when the terminal chat ends).
 */
async function main(): Promise<void> {
  if (readArguments(process.argv.slice(2)) === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const config: Config = loadConfig(await readEnvironment());
  const terminal = terminalOnly(config);
  // The terminal's screen belongs to the chat: only warnings and errors reach stderr there.
  const logger = createLogger(terminal && config.logLevel === "info" ? "warn" : config.logLevel);
  const { glossary } = loadGlossary(config.contentPath);
  const store = await openStore(config.databaseUrl, { encryption: config.encryption });
  await store.expire(Date.now());
  // A bug in one handler must not take every conversation down with it.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  const bot = new MeshBot({
    glossary,
    store,
    logger,
    autoExplain: {
      // One person, one conversation: the per-channel cooldown would only hide answers from them.
      cooldownMs: terminal ? 0 : config.autoExplain.cooldownSeconds * 1000,
      maxTerms: config.autoExplain.maxTermsPerReply,
    },
    // The terminal chat explains from the first line; chat channels opt in.
    enabledByDefault: (ref) => terminal && ref.platform === "terminal",
    maintainers: new Set(config.maintainers),
  });
  const adapters = await createAdapters(config, bot, logger, store);
  // Listening before anything starts: a signal during start-up still stops the bot cleanly.
  const signalled = new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  const started: ChatAdapter[] = [];
  let health: Server | undefined;
  const expiry = setInterval(() => {
    store.expire(Date.now()).catch((err: unknown) => logger.warn({ err }, "could not expire old records"));
  }, HOUR);
  expiry.unref();
  // CONTENT is served again when its files change or on SIGHUP; broken content keeps the running glossary.
  const content = watchContent(
    config.contentPath,
    (fresh, terms) => {
      bot.replaceGlossary(fresh);
      logger.info({ terms }, "content reloaded");
    },
    (error) =>
      logger.error(
        { detail: describeContentProblem(error) },
        "content not reloaded; still serving the previous glossary",
      ),
  );
  const reload = () => content.reload();
  process.on("SIGHUP", reload);
  const shutdown = async () => {
    clearInterval(expiry);
    content.stop();
    process.off("SIGHUP", reload);
    for (const a of started.reverse())
      await a.stop().catch((err: unknown) => logger.warn({ err }, "stop failed"));
    health?.close();
    bot.close();
    await store.close();
  };
  try {
    for (const adapter of adapters) {
      await adapter.start();
      started.push(adapter);
      logger.info({ adapter: adapter.name }, "connected");
    }
    // The Slack adapter answers /healthz on PORT itself; other chat platforms get this one.
    if (!terminal && config.slack === undefined) {
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
  await Promise.race([signalled, ...started.flatMap((a) => a.ended ?? [])]);
  logger.info("shutting down");
  await shutdown();
  // A pipe that is still open (Ctrl-C before end of input) would keep the process alive.
  if (terminal) process.stdin.destroy();
}

/** A content error as one line per problem (file:line: sentence), for the log. */
function describeContentProblem(error: unknown): string {
  if (isMeshError(error)) return [error.message, ...error.details].join("\n");
  return error instanceof Error ? error.message : String(error);
}

function report(error: unknown): void {
  if (isMeshError(error, "USAGE")) {
    process.stderr.write(`${error.message}\n`);
  } else if (isMeshError(error)) {
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
  process.exitCode = isMeshError(error, "USAGE") ? 2 : 1;
});
