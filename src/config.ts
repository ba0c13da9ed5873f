import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MeshError } from "./core/errors.js";

/** Where the glossary shipped with the bot lives, whatever the working directory. */
export const BUNDLED_CONTENT = fileURLToPath(new URL("../../content", import.meta.url));

export interface SlackConfig {
  readonly botToken: string;
  /** Required in HTTP mode; Socket Mode does not sign requests. */
  readonly signingSecret: string | undefined;
  /** Set for Socket Mode. */
  readonly appToken: string | undefined;
  /** Web API base, e.g. for GovSlack; undefined means Slack's default. */
  readonly apiUrl: string | undefined;
  readonly port: number;
}

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string | undefined;
  /** REST base, e.g. a rate-limit proxy; undefined means Discord's default. */
  readonly apiUrl: string | undefined;
}

export interface AutoExplainConfig {
  /** Seconds before a channel hears the same term explained again. */
  readonly cooldownSeconds: number;
  /** Terms defined in one reply; the rest are named only. */
  readonly maxTermsPerReply: number;
}

/** How the service starts and stops. */
export interface ServiceConfig {
  /** After SIGTERM: how long the orderly shutdown may take before the process exits anyway (s). */
  readonly shutdownTimeoutSeconds: number;
  /** At start: how long to keep retrying a platform that cannot be reached before giving up (s). */
  readonly startupTimeoutSeconds: number;
  /** How long a claim on an event holds before a redelivery may answer it (s). */
  readonly claimLeaseSeconds: number;
}

/** Every setting the bot reads, typed and checked. */
export interface Config {
  readonly contentPath: string;
  readonly databaseUrl: string;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** HTTP port: Slack's events in HTTP mode, and /healthz for probes whenever a chat platform runs. */
  readonly port: number;
  readonly slack: SlackConfig | undefined;
  readonly discord: DiscordConfig | undefined;
  readonly autoExplain: AutoExplainConfig;
  readonly service: ServiceConfig;
}

export const DEFAULT_DATABASE_URL = "sqlite:./data/mesh.db";
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

type Env = Readonly<Record<string, string | undefined>>;

function invalid(variable: string, sentence: string): MeshError {
  return new MeshError("CONFIG_INVALID", `${variable} ${sentence}`);
}

function optional(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === "" ? undefined : v;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw invalid(name, `must be a whole number from ${min} to ${max}, not "${raw}".`);
  }
  return Number(raw);
}

/**
 * Text with the credentials of every URL in it masked (`https://user:secret@host` → `https://***@host`), for
 * settings that hold URLs whenever they are written to a message or a log.
 */
export function maskCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1***@");
}

function url(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("protocol");
  } catch {
    throw invalid(
      name,
      `must be an http(s) URL, like https://slack.com/api/, not "${maskCredentials(raw)}".`,
    );
  }
  return raw;
}

function prefixed(env: Env, name: string, prefix: string, what: string): string {
  const v = optional(env, name);
  if (v === undefined) throw invalid(name, `is missing: ${what}.`);
  if (!v.startsWith(prefix)) throw invalid(name, `must start with "${prefix}" (${what}).`);
  return v;
}

function slackConfig(env: Env): SlackConfig | undefined {
  const anySlack = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"].some((n) =>
    optional(env, n),
  );
  if (!anySlack) return undefined;
  const botToken = prefixed(env, "SLACK_BOT_TOKEN", "xoxb-", "the bot token from OAuth & Permissions");
  const appToken = optional(env, "SLACK_APP_TOKEN");
  if (appToken !== undefined && !appToken.startsWith("xapp-")) {
    throw invalid("SLACK_APP_TOKEN", 'must start with "xapp-" (an app-level token with connections:write).');
  }
  const signingSecret = optional(env, "SLACK_SIGNING_SECRET");
  if (appToken === undefined && signingSecret === undefined) {
    throw invalid(
      "SLACK_SIGNING_SECRET",
      "is missing: HTTP mode needs the signing secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode).",
    );
  }
  if (signingSecret !== undefined && !/^[0-9a-f]{16,}$/i.test(signingSecret)) {
    throw invalid("SLACK_SIGNING_SECRET", "must be the hexadecimal signing secret from Basic Information.");
  }
  let apiUrl = url(env, "SLACK_API_URL");
  if (apiUrl !== undefined && !apiUrl.endsWith("/")) apiUrl = `${apiUrl}/`;
  return { botToken, signingSecret, appToken, apiUrl, port: integer(env, "PORT", 3000, 0, 65535) };
}

function discordConfig(env: Env): DiscordConfig | undefined {
  const token = optional(env, "DISCORD_TOKEN");
  const applicationId = optional(env, "DISCORD_APPLICATION_ID");
  if (token === undefined && applicationId === undefined) return undefined;
  if (token === undefined) throw invalid("DISCORD_TOKEN", "is missing: the bot token from the Bot page.");
  if (applicationId === undefined) {
    throw invalid("DISCORD_APPLICATION_ID", "is missing: the application id from General Information.");
  }
  if (!/^\d{5,25}$/.test(applicationId)) {
    throw invalid("DISCORD_APPLICATION_ID", `must be a numeric id (a snowflake), not "${applicationId}".`);
  }
  const guildId = optional(env, "DISCORD_GUILD_ID");
  if (guildId !== undefined && !/^\d{5,25}$/.test(guildId)) {
    throw invalid("DISCORD_GUILD_ID", `must be a numeric server id, not "${guildId}".`);
  }
  let apiUrl = url(env, "DISCORD_API_URL");
  if (apiUrl !== undefined) apiUrl = apiUrl.replace(/\/+$/, "");
  return { token, applicationId, guildId, apiUrl };
}

/**
 * Reads and checks every setting. The only reader of the environment: a bad value stops start-up with a
 * sentence that names the variable.
 */
export function loadConfig(env: Env): Config {
  const logLevel = (optional(env, "LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw invalid("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}, not "${logLevel}".`);
  }
  const databaseUrl = optional(env, "DATABASE_URL") ?? DEFAULT_DATABASE_URL;
  if (!/^(?:sqlite:|postgres(?:ql)?:\/\/)/.test(databaseUrl)) {
    throw invalid(
      "DATABASE_URL",
      `must start with sqlite: (a file, e.g. ${DEFAULT_DATABASE_URL}) or postgres:// (a PostgreSQL server).`,
    );
  }
  return {
    contentPath: optional(env, "CONTENT") ?? BUNDLED_CONTENT,
    databaseUrl,
    logLevel: logLevel as Config["logLevel"],
    port: integer(env, "PORT", 3000, 0, 65535),
    slack: slackConfig(env),
    discord: discordConfig(env),
    autoExplain: {
      cooldownSeconds: integer(env, "AUTOEXPLAIN_COOLDOWN_SECONDS", 86_400, 0, 31_536_000),
      maxTermsPerReply: integer(env, "AUTOEXPLAIN_MAX_TERMS", 5, 1, 20),
    },
    service: {
      shutdownTimeoutSeconds: integer(env, "SHUTDOWN_TIMEOUT_SECONDS", 10, 1, 3600),
      startupTimeoutSeconds: integer(env, "STARTUP_TIMEOUT_SECONDS", 90, 1, 3600),
      claimLeaseSeconds: integer(env, "CLAIM_LEASE_SECONDS", 30, 1, 3600),
    },
  };
}

/** Every variable the bot reads. */
export const KNOWN_VARIABLES: readonly string[] = [
  "CONTENT",
  "DATABASE_URL",
  "LOG_LEVEL",
  "PORT",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_API_URL",
  "DISCORD_TOKEN",
  "DISCORD_APPLICATION_ID",
  "DISCORD_GUILD_ID",
  "DISCORD_API_URL",
  "AUTOEXPLAIN_COOLDOWN_SECONDS",
  "AUTOEXPLAIN_MAX_TERMS",
  "SHUTDOWN_TIMEOUT_SECONDS",
  "STARTUP_TIMEOUT_SECONDS",
  "CLAIM_LEASE_SECONDS",
  "NO_COLOR",
];

/** Edits (insertions, deletions, substitutions, swaps of neighbours) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * Variables that look like a misspelling of one of ours (SLACK_*, DISCORD_*, MESH_*, or close to any we
 * read, like DATABSE_URL), each named beside the one it resembles: "SLACK_BOT_TOKN (did you mean
 * SLACK_BOT_TOKEN?)".
 */
export function misspelledVariables(env: Env): string[] {
  const out: string[] = [];
  for (const name of Object.keys(env)) {
    if (KNOWN_VARIABLES.includes(name) || optional(env, name) === undefined) continue;
    const upper = name.toUpperCase();
    let best: { known: string; d: number } | undefined;
    for (const known of KNOWN_VARIABLES) {
      const d = upper === known ? 0 : distance(upper, known);
      if (best === undefined || d < best.d) best = { known, d };
    }
    if (best === undefined) continue;
    const ours = /^(?:SLACK|DISCORD|MESH)_/.test(upper);
    const limit = ours ? Math.max(2, Math.floor(best.known.length / 4)) : 2;
    if (best.d <= limit && (ours || best.known.length >= 8)) {
      out.push(`${name} (did you mean ${best.known}?)`);
    }
  }
  return out;
}

/**
 * For `mesh serve` with no chat platform configured: the sentence that says what to set, naming variables
 * that look like misspellings of those.
 */
export function noPlatformError(env: Env): MeshError {
  const typos = misspelledVariables(env);
  return new MeshError(
    "CONFIG_INVALID",
    "No chat platform is configured: set SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET for HTTP mode, or " +
      "SLACK_APP_TOKEN for Socket Mode) for Slack, and/or DISCORD_TOKEN (with DISCORD_APPLICATION_ID) for " +
      "Discord. `npm start` without them runs the terminal chat.",
    typos.length === 0 ? [] : [`Set but not read: ${typos.join(", ")}.`],
  );
}

/** The process environment with `.env` from the working directory layered under it, when there is one. */
export async function readEnvironment(): Promise<Env> {
  if (existsSync(".env")) {
    const dotenv = await import("dotenv");
    return { ...dotenv.parse(readFileSync(".env")), ...process.env };
  }
  return process.env;
}

/** Colour on a terminal unless NO_COLOR is set or the terminal is dumb (https://no-color.org). */
export function wantsColor(isTTY: boolean | undefined): boolean {
  return isTTY === true && process.env.NO_COLOR === undefined && process.env.TERM !== "dumb";
}
