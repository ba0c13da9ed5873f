/**
 * Discord round trips through the real discord.js and the loopback fake Discord, ours against a bare
 * discord.js client that answers a constant, in the same run:
 *
 * - `/mesh define egress`: from the INTERACTION_CREATE the fake dispatches to the interaction callback the
 *   fake receives (bare: `interaction.reply("constant")`);
 * - auto-explain: from a MESSAGE_CREATE with jargon in an opted-in channel to the message posted in the
 *   thread started on it (bare: `startThread` + `thread.send("constant")`).
 *
 * Ours is a MeshBot over an in-memory SQLite store, with the settings cache the service puts in front of its
 * store, and the real content. Each client has a fake of its own; both are up at once and take turns, one
 * sample each (who goes first alternating), so that drift on the machine, even over a fraction of a second,
 * lands on both alike. Before each sample the previous answer's echo (Discord sends the bot its own messages)
 * has been handled, so no sample pays for another's. Both clients are started afresh in each of the rounds.
 * Goal: ours within 1.2x of the bare client at p50.
 *
 *   node dist/bench/discord.bench.js         (after npm run build)
 * Environment: BENCH_DISCORD_SAMPLES (of each round trip, per client and round, default 100),
 * BENCH_DISCORD_ROUNDS (default 6).
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
import { type Contender, inTurn, logGoals, reportRatios, runRounds, runWhenMain } from "./round-trip.js";
import { distribution, fmtMs, nowMs, settleHeap, table } from "./stats.js";
import type { BenchContext, BenchModule, Goal } from "./types.js";

const SAMPLES = Number(process.env.BENCH_DISCORD_SAMPLES ?? 100);
const ROUNDS = Number(process.env.BENCH_DISCORD_ROUNDS ?? 6);
const WARMUP = 20;
/** Event-loop turns after each sample (and its echo), for whatever the answer left queued. */
const PAUSE_TURNS = 5;
const GOAL = 1.2;
const JARGON = "our egress goes through the sidecar proxy with mTLS";
const NO_MENTIONS = { parse: [], repliedUser: false } as const;
/**
 * Discord's global limit of 50 requests a second is enforced inside @discordjs/rest; at bench speed it would
 * be the thing measured (stalls of up to a second), so both clients lift it alike.
 */
const REST_OPTIONS = { globalRequestsPerSecond: 1_000_000 } as const;

/** A client under test, up, with what it has seen of its own messages. */
interface Side extends Contender {
  readonly fake: FakeDiscord;
  readonly echoes: Echoes;
}

/** Counts the messages a client received from its own bot user: Discord's echoes of what it posted. */
class Echoes {
  private seen = 0;
  private waiting: { count: number; resolve: () => void }[] = [];

  constructor(client: Client) {
    client.on(Events.MessageCreate, (m: Message) => {
      if (m.author.id !== client.user?.id) return;
      this.seen += 1;
      const due = this.waiting.filter((w) => w.count <= this.seen);
      this.waiting = this.waiting.filter((w) => w.count > this.seen);
      for (const w of due) w.resolve();
    });
  }

  get count(): number {
    return this.seen;
  }

  /** Resolves once `count` echoes have arrived (or after `timeoutMs`, should one never come). */
  until(count: number, timeoutMs: number): Promise<void> {
    if (this.seen >= count) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiting.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** The baseline: discord.js with the same intents, answering a constant. */
async function startBare(fake: FakeDiscord): Promise<Side> {
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
  const echoes = new Echoes(client);
  await client.login("bench-token");
  await ready;
  return { fake, echoes, stop: () => client.destroy() };
}

/** Ours: the Discord adapter over a MeshBot with the real glossary, auto-explain on in the channel. */
async function startOurs(fake: FakeDiscord): Promise<Side> {
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
  const echoes = new Echoes(adapter.client);
  await adapter.start();
  return {
    fake,
    echoes,
    async stop() {
      await adapter.stop();
      await store.close();
    },
  };
}

/** One sample: the round trip, and how long into it an earlier call `split` names arrived (when asked). */
interface Timed {
  readonly ms: number;
  readonly splitMs: number | undefined;
}

/**
 * Times `trigger` (which dispatches one gateway event) to the first REST call `answered` accepts; then, out of
 * the timing, waits for the echo of a public answer and lets the client handle it, so the next sample starts
 * from a quiet client. With `split`, also when the call it names reached the fake.
 */
async function sample(
  side: Side,
  trigger: (fake: FakeDiscord) => string,
  answered: (id: string) => (c: RestCall) => boolean,
  split?: (id: string) => (c: RestCall) => boolean,
): Promise<Timed> {
  const echoed = side.echoes.count + 1;
  const t0 = nowMs();
  const p0 = performance.now();
  let id = "";
  const seen = new Promise<{ at: number; call: RestCall }>((resolve, reject) => {
    // The id is known only after dispatch; the predicate runs on calls that arrive later, so it is set by then.
    side.fake
      .waitForCall((c) => id !== "" && answered(id)(c), 5000)
      .then((call) => resolve({ at: nowMs(), call }), reject);
  });
  id = trigger(side.fake);
  const { at, call } = await seen;
  const earlier = split === undefined ? undefined : side.fake.calls.findLast(split(id));
  if (isPublic(call)) await side.echoes.until(echoed, 1000);
  await pause();
  return { ms: at - t0, splitMs: earlier === undefined ? undefined : earlier.receivedAt - p0 };
}

/** Whether Discord echoes an answer back to the bot: every message but an ephemeral interaction reply. */
function isPublic(call: RestCall): boolean {
  const body = call.body as { type?: number; data?: { flags?: number } } | undefined;
  if (!call.path.startsWith("/interactions/")) return true;
  return body?.type === 4 && ((body.data?.flags ?? 0) & 64) === 0;
}

const defineTrigger = (fake: FakeDiscord) =>
  fake.interaction({ kind: "chatInput", subcommand: "define", options: { term: "egress" } });
const defineAnswered = (id: string) => (c: RestCall) =>
  c.method === "POST" && c.path.startsWith(`/interactions/${id}/`);
const messageTrigger = (fake: FakeDiscord) => fake.messageCreate({ content: JARGON });
const threadAnswered = (id: string) => (c: RestCall) =>
  c.method === "POST" && c.path === `/channels/${id}/messages`;
/** The request that starts the thread on the message: what comes before it is the decision to explain. */
const threadStarted = (id: string) => (c: RestCall) =>
  c.method === "POST" && c.path.endsWith(`/${id}/threads`);

interface Samples {
  define: number[];
  thread: number[];
  /** Of each thread round trip, the time until the request that starts the thread arrived, and the rest. */
  threadStart: number[];
  threadRest: number[];
}

/**
 * One round: both clients warmed up, then `count` samples of each round trip from each, taking turns sample by
 * sample, the first turn alternating between them.
 */
async function measure(sides: readonly { side: Side; samples: Samples }[], count: number): Promise<void> {
  for (const { side } of sides) {
    for (let i = 0; i < WARMUP; i++) {
      await sample(side, defineTrigger, defineAnswered);
      await sample(side, messageTrigger, threadAnswered);
    }
  }
  settleHeap();
  for (let i = 0; i < count; i++) {
    for (const { side, samples } of inTurn(sides, i)) {
      samples.define.push((await sample(side, defineTrigger, defineAnswered)).ms);
    }
  }
  for (let i = 0; i < count; i++) {
    for (const { side, samples } of inTurn(sides, i)) {
      const { ms, splitMs } = await sample(side, messageTrigger, threadAnswered, threadStarted);
      samples.thread.push(ms);
      if (splitMs !== undefined) {
        samples.threadStart.push(splitMs);
        samples.threadRest.push(ms - splitMs);
      }
    }
  }
}

/**
 * Where the thread round trip's time goes, at p50: up to the request that starts the thread (the gateway event,
 * the decision, for ours the store's claim and the rendering) and from there to the message (the thread's
 * creation, then the message's request, larger for ours).
 */
function logThreadSplit(ctx: BenchContext, bare: Samples, ours: Samples): void {
  const p50 = (xs: readonly number[]) => distribution([...xs]).p50;
  const rows = [
    ["event -> thread requested", bare.threadStart, ours.threadStart],
    ["thread requested -> message", bare.threadRest, ours.threadRest],
  ] as const;
  ctx.log("");
  ctx.log("Where the thread round trip goes (p50 of each part, from when each request reached the fake):");
  ctx.log("");
  ctx.log(
    table(
      ["part", "bare", "ours", "ours - bare"],
      rows.map(([label, b, o]) => [label, fmtMs(p50(b)), fmtMs(p50(o)), fmtMs(p50(o) - p50(b))]),
    ),
  );
}

/** A few event-loop turns: whatever the last answer left queued runs before the next sample. */
async function pause(): Promise<void> {
  for (let i = 0; i < PAUSE_TURNS; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Runs the bench and returns its goals; prints through `ctx.log`. */
export async function runDiscordBench(ctx: BenchContext): Promise<Goal[]> {
  const fakes = [
    await startFakeDiscord({ heartbeatIntervalMs: 5000 }),
    await startFakeDiscord({ heartbeatIntervalMs: 5000 }),
  ] as const;
  const bare: Samples = { define: [], thread: [], threadStart: [], threadRest: [] };
  const ours: Samples = { define: [], thread: [], threadStart: [], threadRest: [] };
  const side =
    (fake: FakeDiscord, samples: Samples, start: (fake: FakeDiscord) => Promise<Side>) => async () => {
      const started = await start(fake);
      return { side: started, samples, stop: () => started.stop() };
    };
  try {
    await runRounds(
      ctx,
      ROUNDS,
      [side(fakes[0], bare, startBare), side(fakes[1], ours, startOurs)],
      (sides) => measure(sides, SAMPLES),
    );
  } finally {
    for (const fake of fakes) await fake.close();
  }
  const goals = reportRatios(
    ctx,
    {
      platform: "discord",
      baseline: "bare discord.js",
      goal: GOAL,
      rounds: ROUNDS,
      header: `${ROUNDS} rounds x ${SAMPLES} samples of each (after ${WARMUP} warm-up), bare and ours up at once on a fake each, taking turns sample by sample:`,
    },
    [
      { label: "/mesh define egress -> callback", bare: bare.define, ours: ours.define },
      { label: "jargon message -> thread message", bare: bare.thread, ours: ours.thread },
    ],
  );
  logThreadSplit(ctx, bare, ours);
  logGoals(ctx, goals);
  return goals;
}

/** For bench/run.ts. */
export const discordBench: BenchModule = {
  name: "discord",
  title: "Discord round trips: ours vs a bare discord.js client, taking turns",
  run: runDiscordBench,
};

runWhenMain(import.meta.url, discordBench);
