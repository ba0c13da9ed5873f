import { pino } from "pino";

/** The structured logger every part of the bot is given; never console.log in shipped code. */
export type Logger = pino.Logger;

/** A JSON logger to stderr (stdout stays free for the terminal chat and CLI output). */
export function createLogger(level: pino.LevelWithSilent): Logger {
  return pino({ level, base: { app: "mesh-glossary-bot" } }, pino.destination(2));
}

/** A logger that drops everything, for tests and one-shot CLI commands. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
