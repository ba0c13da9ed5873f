import { runTerminalChat, TERMINAL_CHANNEL } from "../adapters/terminal/chat.js";
import { MeshBot } from "./bot/mesh-bot.js";
import { type Config, loadConfig, readEnvironment, wantsColor } from "./config.js";
import { loadGlossary } from "./content/load.js";
import { isMeshError } from "./core/errors.js";
import { createLogger } from "./logger.js";
import { openStore } from "./store/open.js";

/** The composition root: reads the settings, loads the glossary and store, and runs the configured adapters. */
async function main(): Promise<void> {
  const config: Config = loadConfig(await readEnvironment());
  const { glossary } = loadGlossary(config.contentPath);
  const store = await openStore(config.databaseUrl);
  await store.expire(Date.now());

  // Without Slack or Discord credentials the bot is a chat in this terminal.
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

main().catch((error: unknown) => {
  if (isMeshError(error)) {
    process.stderr.write(
      `mesh-glossary-bot could not start: ${[error.message, ...error.details.map((d) => `  ${d}`)].join("\n")}\n`,
    );
  } else {
    process.stderr.write(
      `mesh-glossary-bot crashed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
