/**
 * Discord round trips through the real discord.js and the loopback fake Discord, ours against a bare
 * discord.js client that answers a constant, on the same fake in the same run:
 *
 * - `/mesh define egress`: from the INTERACTION_CREATE the fake dispatches to the interaction callback the
 *   fake receives (bare: `interaction.reply("constant")`);
 * - auto-explain: from a MESSAGE_CREATE with jargon in an opted-in channel to the message posted in the
 *   thread started on it (bare: `startThread` + `thread.send("constant")`).
 *
 * Ours is a MeshBot over an in-memory SQLite store, with the settings cache the service puts in front of its
 * store, and the real content. Phases alternate bare/ours in
 * rounds so drift on the machine lands on both. Goal: ours within 1.2x of the bare client at p50.
 *
 *   node dist/bench/discord.bench.js         (after npm run build)
 * Environment: BENCH_DISCORD_SAMPLES (per phase and round, default 100), BENCH_DISCORD_ROUNDS (default 6).
 */
import { Client, Events, type Interaction, type Message, Partials } from "discord.js";
import { createDiscordAdapter, DISCORD_INTENTS } from "../adapters/discord/index.js";
import { MeshBot } from "../src/bot/mesh-bot.js";
import { BUNDLED_CONTENT } from "../src/config.js";
import { loadGlossary } from "../src/content/load.js";
import { silentLogger } from "../src/logger.js";
import { SETTINGS_CACHE_MS, withSettingsCache } from "../src/store/cached.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { type FakeDiscord, type RestCall, startFakeDiscord } from "../test/fakes/discord.js";
import { alternateRounds, type Contender, logGoals, reportRatios, runWhenMain } from "./round-trip.js";
import { nowMs, settleHeap } from "./stats.js";
import type { BenchContext, BenchModule, Goal } from "./types.js";

const SAMPLES = Number(process.env.BENCH_DISCORD_SAMPLES ?? 100);
const ROUNDS = Number(process.env.BENCH_DISCORD_ROUNDS ?? 6);
const WARMUP = 20;
/** Event-loop turns between samples: enough for the fake to send the echo and the client to handle it. */
const PAUSE_TURNS = 5;
const GOAL = 1.2;
const JARGON = "our egress goes through the sidecar proxy with mTLS";
const NO_MENTIONS = { parse: [], repliedUser: false } as const;
/**
 * Discord's global limit of 50 requests a second is enforced inside @discordjs/rest; at bench speed it would
 * be the thing measured (stalls of up to a second), so both clients lift it alike.
 */
const REST_OPTIONS = { globalRequestsPerSecond: 1_000_000 } as const;

/** The baseline: discord.js with the same intents, answering a constant. */
async function startBare(fake: FakeDiscord): Promise<Contender> {
  const client = new Client({
    intents: [...DISCORD_INTENTS],
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    rest: { api: fake.apiUrl, ...REST_OPTIONS },
  });
  client.on(Events.InteractionCreate, (i: Interaction) => {
    if (i.isChatInputCommand())
      void i.reply({ content: "constant", allowedMentions: NO_MENTIONS }).catch(() => {});
  });
  client.on(Events.MessageCreate, (m: Message) => {
    if (m.author.bot || !m.inGuild() || m.channel.isThread()) return;
    void m
      .startThread({ name: "Jargon" })
      .then((t) => t.send({ content: "constant", allowedMentions: NO_MENTIONS }))
      .catch(() => {});
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login("bench-token");
  await ready;
  return { stop: () => client.destroy() };
}

/** Ours: the Discord adapter over a MeshBot with the real glossary, auto-explain on in the channel. */
async function startOurs(fake: FakeDiscord): Promise<Contender> {
  const { glossary } = loadGlossary(BUNDLED_CONTENT);
  // As the service composes it: channel settings and mutes cached in front of the store.
  const store = withSettingsCache(SqliteStore.open("sqlite::memory:"), SETTINGS_CACHE_MS);
  const logger = silentLogger();
  // Cooldown 0: every sample is a new thread that explains the same terms again.
  const bot = new MeshBot({ glossary, store, logger, autoExplain: { cooldownMs: 0, maxTerms: 5 } });
  await store.setAutoExplain(
    { platform: "discord", workspace: fake.guildId, channel: fake.channelId },
    true,
    fake.user.id,
    Date.now(),
  );
  const adapter = createDiscordAdapter({
    config: {
      token: "bench-token",
      applicationId: fake.applicationId,
      guildId: undefined,
      apiUrl: fake.apiUrl,
    },
    bot,
    logger,
    rest: REST_OPTIONS,
  });
  await adapter.start();
  return {
    async stop() {
      await adapter.stop();
      await store.close();
    },
  };
}

/** Times `trigger` (which dispatches one gateway event) to the first REST call `answered` accepts. */
async function sample(
  fake: FakeDiscord,
  trigger: () => string,
  answered: (id: string) => (c: RestCall) => boolean,
): Promise<number> {
  const t0 = nowMs();
  let id = "";
  const seen = new Promise<number>((resolve, reject) => {
    // The id is known only after dispatch; the predicate runs on calls that arrive later, so it is set by then.
    fake.waitForCall((c) => id !== "" && answered(id)(c), 5000).then(() => resolve(nowMs()), reject);
  });
  id = trigger();
  return (await seen) - t0;
}

const defineTrigger = (fake: FakeDiscord) => () =>
  fake.interaction({ kind: "chatInput", subcommand: "define", options: { term: "egress" } });
const defineAnswered = (id: string) => (c: RestCall) =>
  c.method === "POST" && c.path.startsWith(`/interactions/${id}/`);
const messageTrigger = (fake: FakeDiscord) => () => fake.messageCreate({ content: JARGON });
const threadAnswered = (id: string) => (c: RestCall) =>
  c.method === "POST" && c.path === `/channels/${id}/messages`;

interface Samples {
  define: number[];
  thread: number[];
}

async function measure(fake: FakeDiscord, samples: Samples, count: number): Promise<void> {
  for (let i = 0; i < WARMUP; i++) {
    await sample(fake, defineTrigger(fake), defineAnswered);
    await sample(fake, messageTrigger(fake), threadAnswered);
  }
  settleHeap();
  for (let i = 0; i < count; i++) {
    await pause();
    samples.define.push(await sample(fake, defineTrigger(fake), defineAnswered));
  }
  for (let i = 0; i < count; i++) {
    await pause();
    samples.thread.push(await sample(fake, messageTrigger(fake), threadAnswered));
  }
}

/**
 * A breath between samples: the echo of the previous answer (Discord sends the bot its own messages) is
 * handled before the next event, so each sample is one request's latency, not a queue's.
 */
async function pause(): Promise<void> {
  for (let i = 0; i < PAUSE_TURNS; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Runs the bench and returns its goals; prints through `ctx.log`. */
export async function runDiscordBench(ctx: BenchContext): Promise<Goal[]> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 5000 });
  const bare: Samples = { define: [], thread: [] };
  const ours: Samples = { define: [], thread: [] };
  try {
    await alternateRounds(ctx, ROUNDS, [
      { who: "bare", start: () => startBare(fake), measure: () => measure(fake, bare, SAMPLES) },
      { who: "ours", start: () => startOurs(fake), measure: () => measure(fake, ours, SAMPLES) },
    ]);
  } finally {
    await fake.close();
  }
  const goals = reportRatios(
    ctx,
    {
      platform: "discord",
      baseline: "bare discord.js",
      goal: GOAL,
      rounds: ROUNDS,
      header: `${ROUNDS} rounds x ${SAMPLES} samples per phase (after ${WARMUP} warm-up), same fake, alternating bare and ours:`,
    },
    [
      { label: "/mesh define egress -> callback", bare: bare.define, ours: ours.define },
      { label: "jargon message -> thread message", bare: bare.thread, ours: ours.thread },
    ],
  );
  logGoals(ctx, goals);
  return goals;
}

/** For bench/run.ts. */
export const discordBench: BenchModule = {
  name: "discord",
  title: "Discord round trips: ours vs a bare discord.js client, same fake",
  run: runDiscordBench,
};

runWhenMain(import.meta.url, discordBench);
