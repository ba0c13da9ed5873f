/**
 * Slack round trips through the real Bolt (HTTP mode, signed requests) and the loopback fake Slack, ours
 * against a bare Bolt app that answers a constant, in the same run:
 *
 * - `/mesh define egress`: from sending the signed slash command to its ack (the HTTP response), which is
 *   where our answer travels (bare: `ack("constant")`);
 * - auto-explain: from sending a `message` event with jargon in an opted-in channel to the thread reply the
 *   fake records as chat.postMessage (bare: `chat.postMessage` of a constant in the thread); the event's
 *   acknowledgement is printed beside it, without a goal (ours acks an event once it is answered);
 * - a burst of 200 concurrent `/mesh define` commands, which must all be acked inside Slack's 3 seconds.
 *
 * Ours is a MeshBot over an in-memory SQLite store, with the settings cache the service puts in front of its
 * store, and the real content. Each app has a fake of its own; both are up at once and take turns, one sample
 * each (who goes first alternating), so that drift on the machine, even over a fraction of a second, lands on
 * both alike; each takes its burst in turn after that. Both apps are started afresh in each of the rounds.
 * Goal: ours within 1.2x of the bare app at p50.
 *
 *   node dist/bench/slack.bench.js         (after npm run build)
 * Environment: BENCH_SLACK_SAMPLES (of each round trip, per app and round, default 100),
 * BENCH_SLACK_ROUNDS (default 6), BENCH_SLACK_BURST (default 200).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel } from "@slack/bolt";
import { createSlackAdapter } from "../adapters/slack/index.js";
import { MeshBot } from "../src/bot/mesh-bot.js";
import { BUNDLED_CONTENT } from "../src/config.js";
import { loadGlossary } from "../src/content/load.js";
import { silentLogger } from "../src/logger.js";
import { SETTINGS_CACHE_MS, withSettingsCache } from "../src/store/cached.js";
import { SqliteStore } from "../src/store/sqlite.js";
import {
  type FakeSlack,
  messageEvent,
  nextMessageTs,
  type SlackHttpClient,
  slackHttpClient,
  startFakeSlack,
} from "../test/fakes/slack.js";
import {
  type Contender as BaseContender,
  inTurn,
  logGoals,
  reportRatios,
  runRounds,
  runWhenMain,
} from "./round-trip.js";
import { distribution, fmtMs, nowMs, settleHeap } from "./stats.js";
import type { BenchContext, BenchModule, Goal } from "./types.js";

const SAMPLES = Number(process.env.BENCH_SLACK_SAMPLES ?? 100);
const ROUNDS = Number(process.env.BENCH_SLACK_ROUNDS ?? 6);
const BURST = Number(process.env.BENCH_SLACK_BURST ?? 200);
const WARMUP = 30;
const GOAL = 1.2;
/** Slack shows the user an error when a command is not acked within 3 seconds. */
const ACK_DEADLINE_MS = 3000;
const SECRET = "0123456789abcdef0123456789abcdef";
const CHANNEL = "C1";
const JARGON = "our egress goes through the sidecar proxy with mTLS";

/** A running app, whichever it is, with a client that signs requests to it. */
interface Contender extends BaseContender {
  readonly http: SlackHttpClient;
}

/** The baseline: Bolt in HTTP mode, acking a constant and posting a constant in the thread. */
async function startBare(fake: FakeSlack): Promise<Contender> {
  const app = new App({
    token: "xoxb-bench",
    signingSecret: SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl },
  });
  app.command("/mesh", async ({ ack }) => {
    await ack({ response_type: "ephemeral", text: "constant" });
  });
  app.event("message", async ({ event, client }) => {
    if (event.subtype !== undefined) return;
    await client.chat.postMessage({
      channel: event.channel,
      thread_ts: event.thread_ts ?? event.ts,
      text: "constant",
    });
  });
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    http: slackHttpClient(`http://127.0.0.1:${port}/slack/events`, SECRET, fake),
    async stop() {
      await app.stop();
    },
  };
}

/** Ours: the Slack adapter over a MeshBot with the real glossary, auto-explain on in the channel. */
async function startOurs(fake: FakeSlack): Promise<Contender> {
  const { glossary } = loadGlossary(BUNDLED_CONTENT);
  // As the service composes it: channel settings and mutes cached in front of the store.
  const store = withSettingsCache(SqliteStore.open("sqlite::memory:"), SETTINGS_CACHE_MS);
  const logger = silentLogger();
  // Cooldown 0: every sample is a new thread that explains the same terms again.
  const bot = new MeshBot({ glossary, store, logger, autoExplain: { cooldownMs: 0, maxTerms: 5 } });
  await store.setAutoExplain(
    { platform: "slack", workspace: fake.teamId, channel: CHANNEL },
    true,
    "U1",
    Date.now(),
  );
  const adapter = createSlackAdapter({
    config: {
      botToken: "xoxb-bench",
      signingSecret: SECRET,
      appToken: undefined,
      apiUrl: fake.apiUrl,
      port: 0,
    },
    bot,
    logger,
    listen: { port: 0, host: "127.0.0.1" },
  });
  await adapter.start();
  const port = adapter.address()?.port;
  return {
    http: slackHttpClient(`http://127.0.0.1:${port}/slack/events`, SECRET, fake),
    async stop() {
      await adapter.stop();
      await store.close();
    },
  };
}

/** One signed `/mesh define egress`, timed from sending to the ack; throws unless acked with a 200. */
async function defineOnce(c: Contender): Promise<number> {
  const t0 = nowMs();
  const res = await c.http.command({ text: "define egress", channel_id: CHANNEL });
  const ms = nowMs() - t0;
  if (res.status !== 200 || (!res.body.includes("gress") && !res.body.includes("constant"))) {
    throw new Error(`/mesh define answered ${res.status}: ${res.body.slice(0, 200)}`);
  }
  return ms;
}

/**
 * One jargon message event, timed from sending to the thread reply reaching the fake (what the channel sees),
 * and to its acknowledgement: bare Bolt acks before its listener runs, ours once the reply is posted (so a
 * failed event gets a 500 and Slack sends it again). The next sample waits for both.
 */
async function threadOnce(fake: FakeSlack, c: Contender): Promise<{ reply: number; ack: number }> {
  const ts = nextMessageTs();
  const t0 = nowMs();
  const replied = fake
    .waitForCall("chat.postMessage", (call) => call.args.thread_ts === ts, 5000)
    .then(() => nowMs());
  const res = await c.http.event(messageEvent({ text: JARGON, channel: CHANNEL, ts }));
  const acked = nowMs();
  if (res.status !== 200) throw new Error(`the message event answered ${res.status}`);
  return { reply: (await replied) - t0, ack: acked - t0 };
}

/** BURST signed commands at once; the slowest ack and how many were acked in time. */
async function burst(c: Contender): Promise<{ maxMs: number; inTime: number; wallMs: number }> {
  const t0 = nowMs();
  const latencies = await Promise.all(
    Array.from({ length: BURST }, async () => {
      const s = nowMs();
      const res = await c.http.command({ text: "define egress", channel_id: CHANNEL });
      return res.status === 200 ? nowMs() - s : Number.POSITIVE_INFINITY;
    }),
  );
  const maxMs = Math.max(...latencies);
  return { maxMs, inTime: latencies.filter((ms) => ms < ACK_DEADLINE_MS).length, wallMs: nowMs() - t0 };
}

interface Samples {
  define: number[];
  thread: number[];
  threadAck: number[];
  burst: { maxMs: number; inTime: number; wallMs: number }[];
}

/** An app up for a round, with its fake and where its samples go. */
interface Side extends BaseContender {
  readonly fake: FakeSlack;
  readonly app: Contender;
  readonly samples: Samples;
}

/**
 * One round: both apps warmed up, then `count` samples of each round trip from each, taking turns sample by
 * sample (the first turn alternating between them), then each one's burst.
 */
async function measure(sides: readonly Side[], count: number): Promise<void> {
  for (const { fake, app } of sides) {
    for (let i = 0; i < WARMUP; i++) {
      await defineOnce(app);
      await threadOnce(fake, app);
    }
    fake.reset();
  }
  settleHeap();
  for (let i = 0; i < count; i++) {
    for (const { app, samples } of inTurn(sides, i)) samples.define.push(await defineOnce(app));
  }
  for (let i = 0; i < count; i++) {
    for (const { fake, app, samples } of inTurn(sides, i)) {
      const { reply, ack } = await threadOnce(fake, app);
      samples.thread.push(reply);
      samples.threadAck.push(ack);
    }
  }
  for (const { fake, app, samples } of sides) {
    fake.reset();
    settleHeap();
    samples.burst.push(await burst(app));
    fake.reset();
  }
}

/** Runs the bench and returns its goals; prints through `ctx.log`. */
export async function runSlackBench(ctx: BenchContext): Promise<Goal[]> {
  const fakes = [
    await startFakeSlack({ waitTimeoutMs: 5000 }),
    await startFakeSlack({ waitTimeoutMs: 5000 }),
  ] as const;
  const bare: Samples = { define: [], thread: [], threadAck: [], burst: [] };
  const ours: Samples = { define: [], thread: [], threadAck: [], burst: [] };
  const side =
    (fake: FakeSlack, samples: Samples, start: (fake: FakeSlack) => Promise<Contender>) => async () => {
      const app = await start(fake);
      return { fake, app, samples, stop: () => app.stop() };
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
      platform: "slack",
      baseline: "bare Bolt",
      goal: GOAL,
      rounds: ROUNDS,
      header: `${ROUNDS} rounds x ${SAMPLES} samples of each (after ${WARMUP} warm-up), bare and ours up at once on a fake each, taking turns sample by sample:`,
    },
    [
      { label: "/mesh define egress -> ack", bare: bare.define, ours: ours.define },
      { label: "jargon message -> thread reply", bare: bare.thread, ours: ours.thread },
    ],
  );
  ctx.log("");
  ctx.log(
    `The jargon message's acknowledgement (no goal): ours ${fmtMs(distribution(ours.threadAck).p50)} at p50, ` +
      `after its reply is posted; bare ${fmtMs(distribution(bare.threadAck).p50)}, before its listener runs.`,
  );
  const worst = (s: Samples) => s.burst.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
  const oursBurst = worst(ours);
  const bareBurst = worst(bare);
  ctx.log("");
  ctx.log(
    `${BURST} concurrent /mesh define, worst of ${ROUNDS} bursts: ours max ack ${fmtMs(oursBurst.maxMs)} ` +
      `(${oursBurst.inTime}/${BURST} inside ${ACK_DEADLINE_MS / 1000} s, burst took ${fmtMs(oursBurst.wallMs)}); ` +
      `bare max ack ${fmtMs(bareBurst.maxMs)}.`,
  );
  goals.push({
    name: `slack: ${BURST} concurrent /mesh define all acked inside ${ACK_DEADLINE_MS / 1000} s`,
    target: `${BURST}/${BURST}, max < ${ACK_DEADLINE_MS / 1000} s`,
    measured: `${ours.burst.reduce((n, b) => Math.min(n, b.inTime), BURST)}/${BURST}, max ${fmtMs(oursBurst.maxMs)}`,
    pass: ours.burst.every((b) => b.inTime === BURST),
  });
  logGoals(ctx, goals);
  return goals;
}

/** For bench/run.ts. */
export const slackBench: BenchModule = {
  name: "slack",
  title: "Slack round trips: ours vs a bare Bolt app, taking turns",
  run: runSlackBench,
};

runWhenMain(import.meta.url, slackBench);
