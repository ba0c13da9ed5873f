// A running Discord adapter for tests: the loopback fake Discord, the real discord.js client built by
// createDiscordAdapter, and a MeshBot over an in-memory SQLite store with the real glossary.
import { PermissionFlagsBits } from "discord.js";
import { pino } from "pino";
import { expect } from "vitest";
import { createDiscordAdapter, type DiscordAdapter } from "../../../adapters/discord/index.js";
import { MeshBot } from "../../../src/bot/mesh-bot.js";
import type { Glossary } from "../../../src/core/glossary.js";
import type { ChannelRef } from "../../../src/core/place.js";
import { SqliteStore } from "../../../src/store/sqlite.js";
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  type InteractionSpec,
  type RestCall,
  startFakeDiscord,
} from "../../fakes/discord.js";
import { realGlossary } from "../../helpers.js";

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface Harness {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  bot: MeshBot;
  store: SqliteStore;
  glossary: Glossary;
  /** Everything the adapter logged (debug and up). */
  logs: LogLine[];
  /** The ChannelRef of a channel of the fake guild (default: the first text channel). */
  ref(channelId?: string): ChannelRef;
  /** Turns auto-explain on in a channel, as `/mesh autoexplain action:on` would. */
  autoExplainOn(channelId?: string): Promise<void>;
  /** Dispatches an interaction and resolves with its callback (the bot's answer) at the fake. */
  interact(spec: InteractionSpec): Promise<{ id: string; callback: RestCall }>;
  /** The first POST to a channel's messages route matching `filter`, made or coming. */
  post(channelId: string, filter?: (c: RestCall) => boolean, timeoutMs?: number): Promise<RestCall>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  fake?: FakeDiscordOptions;
  glossary?: Glossary;
  /** The per-channel cooldown of auto-explain; 0 so tests can reuse terms across threads. */
  cooldownMs?: number;
  maxTerms?: number;
  /** User ids who maintain every server's team glossary (MESH_MAINTAINERS). */
  maintainers?: string[];
}

/** Permissions of a member who may change a channel's settings. */
export const MANAGER = String(PermissionFlagsBits.ManageChannels | PermissionFlagsBits.ViewChannel);

/** Permissions of a member who maintains the server's team glossary (Manage Server). */
export const SERVER_MANAGER = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel);

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeDiscord(options.fake);
  const logs: LogLine[] = [];
  const logger = pino(
    { level: "debug" },
    {
      write(line: string) {
        logs.push(JSON.parse(line) as LogLine);
      },
    },
  );
  const glossary = options.glossary ?? realGlossary();
  const store = SqliteStore.open("sqlite::memory:");
  const bot = new MeshBot({
    glossary,
    store,
    logger,
    autoExplain: { cooldownMs: options.cooldownMs ?? 0, maxTerms: options.maxTerms ?? 5 },
    maintainers: new Set(options.maintainers ?? []),
  });
  const adapter = createDiscordAdapter({
    config: {
      token: "test-token",
      applicationId: fake.applicationId,
      guildId: undefined,
      apiUrl: fake.apiUrl,
    },
    bot,
    logger,
    // Short limits so a broken answer fails a test in seconds, not the library's 15 s x 3 retries.
    rest: { retries: 1, timeout: 3000 },
  });
  await adapter.start();
  const ref = (channelId = fake.channelId): ChannelRef => ({
    platform: "discord",
    workspace: fake.guildId,
    channel: channelId,
  });
  return {
    fake,
    adapter,
    bot,
    store,
    glossary,
    logs,
    ref,
    async autoExplainOn(channelId = fake.channelId) {
      await store.setAutoExplain(ref(channelId), true, fake.user.id, Date.now());
    },
    async interact(spec) {
      const id = fake.interaction(spec);
      const callback = await fake.waitForCall(
        (c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`),
        3000,
      );
      return { id, callback };
    },
    post(channelId, filter = () => true, timeoutMs = 3000) {
      return fake.waitForCall(
        (c) =>
          c.method === "POST" && c.path === `/channels/${channelId}/messages` && c.status < 300 && filter(c),
        timeoutMs,
      );
    },
    async stop() {
      await adapter.stop();
      await fake.close();
      await store.close();
    },
  };
}

/** The message body of a REST call that posts content (channel messages, interaction replies, webhooks). */
export function postedMessage(call: RestCall): Record<string, unknown> | undefined {
  const body = call.body as Record<string, unknown> | undefined;
  if (body === undefined || typeof body !== "object") return undefined;
  if (call.path.startsWith("/interactions/")) {
    const type = body.type as number;
    return type === 4 || type === 7 ? (body.data as Record<string, unknown>) : undefined;
  }
  if (call.path.startsWith("/webhooks/") && (call.method === "POST" || call.method === "PATCH")) return body;
  if (call.method === "POST" && /^\/channels\/\d+\/messages$/.test(call.path)) return body;
  return undefined;
}

/**
 * The rule that no reply pings anyone: every REST call that posted content asked Discord to parse no
 * mentions at all. Called after every test.
 */
export function expectNoPings(fake: FakeDiscord): void {
  for (const call of fake.calls) {
    const message = postedMessage(call);
    if (message === undefined) continue;
    expect(message.allowed_mentions, `${call.method} ${call.path}`).toMatchObject({ parse: [] });
    const allowed = message.allowed_mentions as { users?: unknown[]; roles?: unknown[] };
    expect(allowed.users ?? []).toEqual([]);
    expect(allowed.roles ?? []).toEqual([]);
  }
}

/** Calls that posted content (what a user would see arrive). */
export function posts(fake: FakeDiscord): RestCall[] {
  return fake.calls.filter((c) => postedMessage(c) !== undefined && c.status < 300);
}

/** Body of an interaction callback: `{ type, data }`. */
export function callbackData(call: RestCall): {
  type: number;
  data: {
    content?: string;
    flags?: number;
    embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
    components?: { type: number; components: { custom_id?: string; label?: string; style?: number }[] }[];
    choices?: { name: string; value: string }[];
  };
} {
  return call.body as ReturnType<typeof callbackData>;
}

/** Every button of a message body, flattened. */
export function buttonsOf(message: {
  components?: { components: { custom_id?: string; label?: string }[] }[];
}): { custom_id?: string; label?: string }[] {
  return (message.components ?? []).flatMap((r) => r.components);
}

export const EPHEMERAL = 64;

/** Waits long enough for in-flight handlers to finish, for assertions that something did NOT happen. */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
