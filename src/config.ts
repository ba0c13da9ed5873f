import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MeshError } from "./core/errors.js";
import { boundedEditDistance } from "./core/normalize.js";

/** Where the glossary shipped with the bot lives, whatever the working directory. */
export const BUNDLED_CONTENT = fileURLToPath(new URL("../../content", import.meta.url));

export interface SlackConfig {
  /** The one workspace's bot token; undefined when the app is installed into many workspaces (`oauth`). */
  readonly botToken: string | undefined;
  /** Required in HTTP mode; Socket Mode does not sign requests. */
  readonly signingSecret: string | undefined;
  /** Set for Socket Mode. */
  readonly appToken: string | undefined;
  /** Web API base, e.g. for GovSlack; undefined means Slack's default. */
  readonly apiUrl: string | undefined;
  readonly port: number;
  /** Set when the app installs into many workspaces through Slack's OAuth flow (HTTP mode only). */
  readonly oauth?: SlackOAuthConfig;
}

/** Slack's "Add to Slack" flow: each workspace installs the app and gets its own bot token. */
export interface SlackOAuthConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Signs the OAuth `state`, so a redirect the bot did not start installs nothing. */
  readonly stateSecret: string;
  /** The redirect URL registered with Slack; Slack's single registered one when undefined. */
  readonly redirectUri: string | undefined;
}

/** Keys that seal secrets at rest (AES-256-GCM): writes use `key`, reads also accept `previousKey`. */
export interface EncryptionConfig {
  readonly key: Buffer;
  readonly previousKey: Buffer | undefined;
}

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string | undefined;
  /** REST base, e.g. a rate-limit proxy; undefined means Discord's default. */
  readonly apiUrl: string | undefined;
  /**
   * The one gateway shard this process runs, when several processes share the bot (DISCORD_SHARD_ID of
   * DISCORD_SHARD_COUNT). Undefined: one process, one shard, every server.
   */
  readonly shard?: DiscordShard | undefined;
}

/** One gateway session of several: Discord sends it the events of the servers with this shard number. */
export interface DiscordShard {
  /** From 0 to count - 1. */
  readonly id: number;
  /** How many shards the bot runs in all, one process each. */
  readonly count: number;
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
  /** Platform user ids who maintain every workspace's team glossary, besides admins (MESH_MAINTAINERS). */
  readonly maintainers: readonly string[];
  /** From MESH_ENCRYPTION_KEY; required when Slack installs into many workspaces. */
  readonly encryption?: EncryptionConfig;
  readonly service: ServiceConfig;
}

export const DEFAULT_DATABASE_URL = "sqlite:./data/mesh.db";
/** Far beyond any bot's needs (Discord asks for one shard per 1,000 or so servers); catches typos. */
const MAX_SHARDS = 65_536;
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

const SLACK_OAUTH_VARIABLES = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;

function slackConfig(env: Env): SlackConfig | undefined {
  const anySlack = [
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    ...SLACK_OAUTH_VARIABLES,
  ].some((n) => optional(env, n));
  if (!anySlack) return undefined;
  const oauth = slackOAuthConfig(env);
  const botToken =
    oauth === undefined
      ? prefixed(env, "SLACK_BOT_TOKEN", "xoxb-", "the bot token from OAuth & Permissions")
      : undefined;
  const appToken = optional(env, "SLACK_APP_TOKEN");
  if (appToken !== undefined && !appToken.startsWith("xapp-")) {
    throw invalid("SLACK_APP_TOKEN", 'must start with "xapp-" (an app-level token with connections:write).');
  }
  const signingSecret = optional(env, "SLACK_SIGNING_SECRET");
  if (appToken === undefined && signingSecret === undefined) {
    throw invalid(
      "SLACK_SIGNING_SECRET",
      oauth === undefined
        ? "is missing: HTTP mode needs the signing secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode)."
        : "is missing: installing into many workspaces needs the signing secret from Basic Information.",
    );
  }
  if (signingSecret !== undefined && !/^[0-9a-f]{16,}$/i.test(signingSecret)) {
    throw invalid("SLACK_SIGNING_SECRET", "must be the hexadecimal signing secret from Basic Information.");
  }
  let apiUrl = url(env, "SLACK_API_URL");
  if (apiUrl !== undefined && !apiUrl.endsWith("/")) apiUrl = `${apiUrl}/`;
  return {
    botToken,
    signingSecret,
    appToken,
    apiUrl,
    port: integer(env, "PORT", 3000, 0, 65535),
    ...(oauth === undefined ? {} : { oauth }),
  };
}

/**
 * OAuth mode (many workspaces): SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET, and no
 * SLACK_BOT_TOKEN. Socket Mode is for apps that are not distributed, so SLACK_APP_TOKEN is refused here.
 */
function slackOAuthConfig(env: Env): SlackOAuthConfig | undefined {
  const given = SLACK_OAUTH_VARIABLES.filter((n) => optional(env, n) !== undefined);
  if (given.length === 0) return undefined;
  if (optional(env, "SLACK_BOT_TOKEN") !== undefined) {
    throw invalid(
      given[0] ?? "SLACK_CLIENT_ID",
      "is set together with SLACK_BOT_TOKEN: set SLACK_BOT_TOKEN for one workspace, or SLACK_CLIENT_ID, " +
        "SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install into many, not both.",
    );
  }
  if (optional(env, "SLACK_APP_TOKEN") !== undefined) {
    throw invalid(
      "SLACK_APP_TOKEN",
      "cannot be used when installing into many workspaces: Slack allows Socket Mode only for apps that are " +
        "not distributed. Unset SLACK_APP_TOKEN to serve /slack/events over HTTP, or use SLACK_BOT_TOKEN for one workspace.",
    );
  }
  const clientId = optional(env, "SLACK_CLIENT_ID");
  if (clientId === undefined)
    throw invalid("SLACK_CLIENT_ID", "is missing: the Client ID from Basic Information.");
  if (!/^\d+\.\d+$/.test(clientId)) {
    throw invalid(
      "SLACK_CLIENT_ID",
      `must be the Client ID from Basic Information, like 1234567890.1234567890, not "${clientId}".`,
    );
  }
  const clientSecret = optional(env, "SLACK_CLIENT_SECRET");
  if (clientSecret === undefined) {
    throw invalid("SLACK_CLIENT_SECRET", "is missing: the Client Secret from Basic Information.");
  }
  if (!/^[0-9a-f]{16,}$/i.test(clientSecret)) {
    throw invalid("SLACK_CLIENT_SECRET", "must be the hexadecimal Client Secret from Basic Information.");
  }
  const stateSecret = optional(env, "SLACK_STATE_SECRET");
  if (stateSecret === undefined || stateSecret.length < 32) {
    throw invalid(
      "SLACK_STATE_SECRET",
      `${stateSecret === undefined ? "is missing" : "is too short"}: 32 or more random characters of your own that sign each install link (openssl rand -hex 32).`,
    );
  }
  const redirectUri = url(env, "SLACK_REDIRECT_URI");
  if (redirectUri !== undefined && new URL(redirectUri).pathname !== SLACK_REDIRECT_PATH) {
    throw invalid(
      "SLACK_REDIRECT_URI",
      `must end in ${SLACK_REDIRECT_PATH}, the path the bot answers Slack's redirect on.`,
    );
  }
  return { clientId, clientSecret, stateSecret, redirectUri };
}

/** Where Slack sends the installer back with a code (the Redirect URL in OAuth & Permissions). */
export const SLACK_REDIRECT_PATH = "/slack/oauth_redirect";

/** A 32-byte key written in base64 (`openssl rand -base64 32`). */
function encryptionKey(env: Env, name: string): Buffer | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, "base64") : undefined;
  if (key?.length !== 32) {
    throw invalid(
      name,
      `must be 32 bytes written in base64 (44 characters; make one with openssl rand -base64 32), not ${key === undefined ? "text that is not base64" : `${key.length} bytes`}.`,
    );
  }
  return key;
}

function encryptionConfig(env: Env, slack: SlackConfig | undefined): { encryption?: EncryptionConfig } {
  const key = encryptionKey(env, "MESH_ENCRYPTION_KEY");
  const previousKey = encryptionKey(env, "MESH_ENCRYPTION_KEY_PREVIOUS");
  if (key === undefined && previousKey !== undefined) {
    throw invalid(
      "MESH_ENCRYPTION_KEY",
      "is missing while MESH_ENCRYPTION_KEY_PREVIOUS is set: the previous key only reads, the current one writes.",
    );
  }
  if (key === undefined && slack?.oauth !== undefined) {
    throw invalid(
      "MESH_ENCRYPTION_KEY",
      "is missing: installing into many workspaces keeps each workspace's tokens encrypted under it (openssl rand -base64 32).",
    );
  }
  return key === undefined ? {} : { encryption: { key, previousKey } };
}

/** DISCORD_SHARD_ID and DISCORD_SHARD_COUNT: both or neither, whole numbers, the id below the count. */
function discordShard(env: Env): DiscordShard | undefined {
  const rawId = optional(env, "DISCORD_SHARD_ID");
  const rawCount = optional(env, "DISCORD_SHARD_COUNT");
  if (rawId === undefined && rawCount === undefined) return undefined;
  if (rawCount === undefined) {
    throw invalid(
      "DISCORD_SHARD_COUNT",
      "is missing: DISCORD_SHARD_ID needs it, set to how many shards run in all (one process each).",
    );
  }
  if (rawId === undefined) {
    throw invalid(
      "DISCORD_SHARD_ID",
      "is missing: DISCORD_SHARD_COUNT needs it, set to this process's shard, from 0 to the count less one.",
    );
  }
  const count = integer(env, "DISCORD_SHARD_COUNT", 1, 1, MAX_SHARDS);
  if (!/^\d+$/.test(rawId) || Number(rawId) >= count) {
    throw invalid(
      "DISCORD_SHARD_ID",
      `must be a whole number from 0 to ${count - 1} (DISCORD_SHARD_COUNT is ${count}), not "${rawId}".`,
    );
  }
  return { id: Number(rawId), count };
}

function discordConfig(env: Env): DiscordConfig | undefined {
  const token = optional(env, "DISCORD_TOKEN");
  const applicationId = optional(env, "DISCORD_APPLICATION_ID");
  const shard = discordShard(env);
  if (token === undefined && applicationId === undefined) {
    if (shard !== undefined) {
      throw invalid(
        "DISCORD_TOKEN",
        "is missing: DISCORD_SHARD_ID and DISCORD_SHARD_COUNT are Discord settings.",
      );
    }
    return undefined;
  }
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
  return { token, applicationId, guildId, apiUrl, shard };
}

/** MESH_MAINTAINERS: platform user ids (U0123ABC, 8123...), separated by commas or spaces. */
function maintainers(env: Env): string[] {
  const raw = optional(env, "MESH_MAINTAINERS");
  if (raw === undefined) return [];
  const ids = raw.split(/[\s,]+/).filter((id) => id !== "");
  const bad = ids.find((id) => !/^[A-Za-z0-9_-]{2,40}$/.test(id));
  if (bad !== undefined) {
    throw invalid(
      "MESH_MAINTAINERS",
      `must list user ids separated by commas (like U0123ABC,U0456DEF), not "${bad}".`,
    );
  }
  return [...new Set(ids)];
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
  const slack = slackConfig(env);
  return {
    contentPath: optional(env, "CONTENT") ?? BUNDLED_CONTENT,
    databaseUrl,
    logLevel: logLevel as Config["logLevel"],
    port: integer(env, "PORT", 3000, 0, 65535),
    slack,
    discord: discordConfig(env),
    autoExplain: {
      cooldownSeconds: integer(env, "AUTOEXPLAIN_COOLDOWN_SECONDS", 86_400, 0, 31_536_000),
      maxTermsPerReply: integer(env, "AUTOEXPLAIN_MAX_TERMS", 5, 1, 20),
    },
    maintainers: maintainers(env),
    ...encryptionConfig(env, slack),
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
      const d = upper === known ? 0 : boundedEditDistance(upper, known, Math.max(upper.length, known.length));
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
