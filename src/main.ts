import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { ChatAdapter } from "./bot/conversation.js";
import { type DrainingHandle, drainingHandle } from "./bot/draining.js";
import { MeshBot } from "./bot/mesh-bot.js";
import {
  type Config,
  loadConfig,
  maskCredentials,
  misspelledVariables,
  noPlatformError,
  readEnvironment,
  wantsColor,
} from "./config.js";
import { loadGlossaryOffThread } from "./content/off-thread.js";
import { type ContentWatch, watchContent } from "./content/watch.js";
import { isMeshError, MeshError } from "./core/errors.js";
import { createServiceServer, type Readiness, type ServiceServer } from "./health.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { SETTINGS_CACHE_MS, withSettingsCache } from "./store/cached.js";
import type { InstallationStore } from "./store/installations.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/store.js";

const HOUR = 3600_000;

/** What `npm start -- --help` prints. */
const USAGE = `mesh-glossary-bot: service mesh jargon, explained, where people talk

Usage:
  npm start              the bot: in Slack and/or Discord when their settings are present,
                         otherwise a chat in this terminal (lines piped in work too)
  npm start -- serve     the configured chat platforms as a service (probes and /metrics on PORT);
                         never the terminal chat: with no platform configured it says what to set
  npm start -- --help    this text

Settings come from the environment or a .env file in this folder (.env.example lists them all;
README.md explains them). The glossary itself has a command line too: npx mesh help
`;

/** How often, at most, a platform that cannot be reached at start is tried again (ms). */
const RETRY_MAX_MS = 15_000;

/** Web API calls to Slack give up after a few quick tries: answers are for now, and shutdown must not wait. */
const SLACK_CLIENT = {
  retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
  timeout: 10_000,
} as const;

/** A chat platform with what main needs to run it as a service. */
interface Platform {
  readonly adapter: ChatAdapter;
  /** Connected to the platform now (readiness). */
  readonly connected: () => boolean;
  /** The URL it reaches the platform at, when set, for the sentence when it cannot. */
  readonly apiUrl: string | undefined;
}

/** The terminal chat when no chat platform is configured (and `serve` was not asked for). */
function terminalOnly(config: Config): boolean {
  return config.slack === undefined && config.discord === undefined;
}

/** Creates the terminal chat adapter. */
async function terminalAdapter(bot: MeshBot, logger: Logger): Promise<ChatAdapter> {
  const { createTerminalAdapter } = await import("../adapters/terminal/chat.js");
  return createTerminalAdapter({
    bot,
    logger,
    input: process.stdin,
    output: process.stdout,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    color: wantsColor(process.stdout.isTTY),
    session: `session-${Date.now()}`,
  });
}

/**
 * Creates the chat platforms the settings ask for, driving `bot`. The one place that sees every adapter;
 * each is imported only when it runs.
 */
async function createPlatforms(
  config: Config,
  bot: DrainingHandle,
  logger: Logger,
  server: ServiceServer,
  metrics: Metrics,
  store: Store & InstallationStore,
): Promise<Platform[]> {
  const platforms: Platform[] = [];
  if (config.slack !== undefined) {
    const { createSlackAdapter } = await import("../adapters/slack/index.js");
    const { webApi } = await import("@slack/bolt");
    const adapter = createSlackAdapter({
      config: config.slack,
      bot,
      logger,
      clientOptions: SLACK_CLIENT,
      http: server,
      drainTimeoutMs: config.service.shutdownTimeoutSeconds * 1000,
      installations: store,
    });
    adapter.app.client.on(webApi.WebClientEvent.RATE_LIMITED, () => metrics.rateLimited("slack"));
    platforms.push({ adapter, connected: adapter.connected, apiUrl: config.slack.apiUrl });
  }
  if (config.discord !== undefined) {
    const { createDiscordAdapter } = await import("../adapters/discord/index.js");
    const adapter = createDiscordAdapter({ config: config.discord, bot, logger });
    adapter.client.rest.on("rateLimited", () => metrics.rateLimited("discord"));
    platforms.push({ adapter, connected: adapter.connected, apiUrl: config.discord.apiUrl });
  }
  return platforms;
}

/** A start-up try that the start-up deadline ended before the platform answered. */
class CutShort extends Error {
  constructor() {
    super("no answer before the start-up deadline");
  }
}

/**
 * Starts a platform, trying again with backoff while it cannot be reached, for up to `timeoutMs`; a
 * platform that refuses the settings (a bad token) fails at once. Each failed try is logged.
 */
async function startWithRetries(
  platform: Platform,
  timeoutMs: number,
  logger: Logger,
  stopping: () => boolean,
): Promise<void> {
  const name = platform.adapter.name;
  const giveUpAt = Date.now() + timeoutMs;
  /** Why the last try that got an answer failed: a try cut short by the deadline says less. */
  let lastError: string | undefined;
  for (let attempt = 1; ; attempt++) {
    let timer: NodeJS.Timeout | undefined;
    try {
      // A try that hangs (a platform that accepts connections and never answers) ends at the deadline too.
      await Promise.race([
        platform.adapter.start(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CutShort()), Math.max(0, giveUpAt - Date.now()));
        }),
      ]);
      return;
    } catch (error) {
      if (isMeshError(error, "CONFIG_INVALID") || stopping()) throw error;
      const reason = maskCredentials(error instanceof Error ? error.message : String(error)).replace(
        /\.$/,
        "",
      );
      if (!(error instanceof CutShort)) lastError = reason;
      const wait = Math.min(RETRY_MAX_MS, 1000 * 2 ** (attempt - 1), giveUpAt - Date.now());
      if (wait <= 0) {
        const at = platform.apiUrl === undefined ? "" : ` at ${maskCredentials(platform.apiUrl)}`;
        const setting = name === "slack" ? "SLACK_API_URL" : "DISCORD_API_URL";
        throw new MeshError(
          "PLATFORM_API",
          `Could not reach ${name === "slack" ? "Slack" : "Discord"}${at} for ${Math.round(timeoutMs / 1000)} ` +
            `seconds (${attempt} tries; last error: ${lastError ?? reason}). Check the network, and ${setting} if you set it.`,
        );
      }
      logger.warn({ adapter: name, attempt, retryInMs: wait, reason }, "could not connect; trying again");
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (stopping()) throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Readiness: every configured platform connected, and the store answering. */
async function readiness(
  configured: readonly string[],
  platforms: readonly Platform[],
  started: boolean,
  store: Store | undefined,
): Promise<Readiness> {
  const checks: Record<string, string> = {};
  let ready = started;
  if (!started) checks.startup = "connecting";
  for (const name of configured) {
    const up = platforms.find((p) => p.adapter.name === name)?.connected() ?? false;
    checks[name] = up ? "connected" : "not connected";
    ready &&= up;
  }
  if (store === undefined) {
    checks.store = "opening";
    return { ready: false, checks };
  }
  try {
    await store.check();
    checks.store = "ok";
  } catch (error) {
    checks.store = error instanceof Error ? error.message : String(error);
    ready = false;
  }
  return { ready, checks };
}

/**
 * Serves CONTENT again when its files change, and on SIGHUP; content that fails the checks keeps the running
 * glossary, and the log names each file and line.
 */
function reloadContent(config: Config, bot: MeshBot, logger: Logger): ContentWatch & { stop(): void } {
  const watch = watchContent(
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
  const reload = () => watch.reload();
  process.on("SIGHUP", reload);
  return {
    reload: watch.reload,
    stop() {
      watch.stop();
      process.off("SIGHUP", reload);
    },
  };
}

/** A content error as one line per problem (file:line: sentence), for the log. */
function describeContentProblem(error: unknown): string {
  if (isMeshError(error)) return [error.message, ...error.details].join("\n");
  return error instanceof Error ? error.message : String(error);
}

/** A promise of the first SIGINT or SIGTERM. */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve(signal));
  });
}

/** The terminal chat: `npm start` with no chat platform configured. */
async function runTerminal(config: Config, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  // The terminal's screen belongs to the chat: only warnings and errors reach stderr there.
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const typos = misspelledVariables(env);
  if (typos.length > 0) logger.warn({ variables: typos }, "settings that look misspelt were not read");
  const glossary = await loadGlossaryOffThread(config.contentPath);
  const store = await openStore(config.databaseUrl, { encryption: config.encryption });
  await store.expire(Date.now());
  const bot = new MeshBot({
    glossary,
    store,
    logger,
    // One person, one conversation: the per-channel cooldown would only hide answers from them.
    autoExplain: { cooldownMs: 0, maxTerms: config.autoExplain.maxTermsPerReply },
    enabledByDefault: (ref) => ref.platform === "terminal",
    maintainers: new Set(config.maintainers),
  });
  const content = reloadContent(config, bot, logger);
  const adapter = await terminalAdapter(bot, logger);
  const signal = signalled();
  await adapter.start();
  await Promise.race([signal, adapter.ended]);
  await adapter.stop();
  content.stop();
  await bot.close();
  await store.close();
  // A pipe that is still open (Ctrl-C before end of input) would keep the process alive.
  process.stdin.destroy();
}

/**
 * The service: the probes and /metrics listen first, then the store opens and the platforms connect (with
 * retries while they cannot be reached). On SIGTERM it stops in order, within SHUTDOWN_TIMEOUT_SECONDS:
 * readiness 503 and new work refused, work in flight finished, platforms disconnected, the store closed;
 * past the deadline, it exits anyway.
 */
async function runService(config: Config): Promise<number> {
  const logger = createLogger(config.logLevel);
  const { service } = config;
  const metrics = createMetrics();
  let store: Store | undefined;
  let platforms: Platform[] = [];
  let started = false;
  let stopping = false;
  const configured = [config.slack && "slack", config.discord && "discord"].filter(
    (name): name is string => typeof name === "string",
  );
  const server = createServiceServer({
    status: () => ({ adapters: platforms.map((p) => p.adapter.name) }),
    ready: () => readiness(configured, platforms, started, store),
    metrics: () => metrics.page(),
  });
  // Listening before anything starts: a signal during start-up still stops the bot cleanly.
  const signal = signalled();
  void signal.then(() => {
    stopping = true;
  });
  await server.listen(config.port);

  let handle: DrainingHandle | undefined;
  let bot: MeshBot | undefined;
  let content: ReturnType<typeof reloadContent> | undefined;
  const expiry = setInterval(() => {
    store?.expire(Date.now()).catch((err: unknown) => logger.warn({ err }, "could not expire old records"));
  }, HOUR);
  expiry.unref();

  const shutdown = async (why: string): Promise<void> => {
    stopping = true;
    const deadline = Date.now() + service.shutdownTimeoutSeconds * 1000;
    const left = () => Math.max(0, deadline - Date.now());
    // A hard stop if the orderly one does not finish in time (a platform that will not let go).
    const hard = setTimeout(() => {
      logger.error({ timeoutSeconds: service.shutdownTimeoutSeconds }, "shutdown took too long; exiting");
      logger.flush();
      process.exit(1);
    }, left());
    hard.unref();
    clearInterval(expiry);
    content?.stop();
    logger.info({ reason: why }, "shutting down");
    server.drain();
    handle?.close();
    const pending = (await server.settled(left())) + ((await handle?.settled(left())) ?? 0);
    if (pending > 0) logger.warn({ pending }, "stopping with answers still in progress");
    for (const p of [...platforms].reverse()) {
      await p.adapter
        .stop()
        .catch((err: unknown) => logger.warn({ err, adapter: p.adapter.name }, "stop failed"));
    }
    await bot?.close();
    await store?.close().catch((err: unknown) => logger.warn({ err }, "could not close the store"));
    await server.close();
    clearTimeout(hard);
  };

  try {
    const glossary = await loadGlossaryOffThread(config.contentPath);
    const opened = metrics.instrumentStore(
      await openStore(config.databaseUrl, { encryption: config.encryption }),
    );
    // Settings read for every message are kept a few seconds instead of asked: replicas sharing PostgreSQL see
    // each other's changes that late; a SQLite file has this one process as its only writer, so it sees every
    // change at once, and each message reads nothing from it but its claims.
    const shared = withSettingsCache(opened, SETTINGS_CACHE_MS);
    store = shared;
    await shared.expire(Date.now());
    bot = new MeshBot({
      glossary,
      store: shared,
      logger,
      maintainers: new Set(config.maintainers),
      observer: metrics.observer,
      claimLeaseMs: service.claimLeaseSeconds * 1000,
      autoExplain: {
        cooldownMs: config.autoExplain.cooldownSeconds * 1000,
        maxTerms: config.autoExplain.maxTermsPerReply,
      },
    });
    content = reloadContent(config, bot, logger);
    handle = drainingHandle(bot);
    platforms = await createPlatforms(config, handle, logger, server, metrics, shared);
    const timeoutMs = service.startupTimeoutSeconds * 1000;
    const starting = Promise.all(
      platforms.map(async (p) => {
        await startWithRetries(p, timeoutMs, logger, () => stopping);
        logger.info({ adapter: p.adapter.name }, "connected");
      }),
    );
    const first = await Promise.race([starting.then(() => "started" as const), signal]);
    if (first !== "started") {
      starting.catch(() => {});
      await shutdown(`${first} during start-up`);
      return 0;
    }
    started = true;
  } catch (error) {
    await shutdown("start-up failed");
    throw error;
  }
  logger.info(
    { adapters: platforms.map((p) => p.adapter.name), port: server.address()?.port },
    "mesh-glossary-bot is running",
  );
  await shutdown(await signal);
  return 0;
}

function report(error: unknown): void {
  if (isMeshError(error, "USAGE")) {
    process.stderr.write(`${error.message}\n`);
  } else if (isMeshError(error)) {
    process.stderr.write(
      maskCredentials(
        `mesh-glossary-bot could not start: ${[error.message, ...error.details.map((d) => `  ${d}`)].join("\n")}\n`,
      ),
    );
  } else {
    process.stderr.write(
      `mesh-glossary-bot crashed: ${maskCredentials(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
  }
}

/**
 * The composition root. `serve` (the image's command) runs the configured chat platforms and never the
 * terminal chat; without an argument, the terminal chat runs when no platform is configured.
 */
async function main(args: readonly string[]): Promise<number> {
  const command = args[0];
  if (args.length === 1 && ["--help", "-h", "help"].includes(command ?? "")) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length > 1 || (command !== undefined && command !== "serve")) {
    throw new MeshError(
      "USAGE",
      `mesh-glossary-bot takes "serve" or no argument, not "${args.join(" ")}"; npm start -- --help says more.`,
    );
  }
  const env = await readEnvironment();
  const config = loadConfig(env);
  if (terminalOnly(config)) {
    if (command === "serve") throw noPlatformError(env);
    await runTerminal(config, env);
    return 0;
  }
  return runService(config);
}

/**
 * Runs the bot as `node dist/src/main.js [serve]` or `mesh serve` would, and resolves with the exit code
 * once it stopped; a failure to start is told on stderr in a sentence (exit 1). The process is then made to
 * exit shortly after, whatever a library left running.
 */
export async function runMain(args: readonly string[]): Promise<number> {
  // A bug in one handler must not take every conversation down with it; nor may an error nobody awaited.
  process.on("unhandledRejection", (reason) => {
    process.stderr.write(
      `${JSON.stringify({ level: 50, time: Date.now(), msg: "unhandled rejection", err: maskCredentials(String(reason)) })}\n`,
    );
  });
  let code: number;
  try {
    code = await main(args);
  } catch (error) {
    report(error);
    code = isMeshError(error, "USAGE") ? 2 : 1;
  }
  // Nothing of ours is left running; a library's stray timer or socket must not keep the process up.
  setTimeout(() => process.exit(code), 100).unref();
  return code;
}

/** True when this file is the program node was asked to run (not imported by the `mesh` CLI). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  runMain(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
