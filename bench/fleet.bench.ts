/**
 * Fleet figures: what one replica sustains and what it costs in memory, as an operator sizing a fleet needs.
 *
 * - Sustained auto-explain throughput of one replica on PostgreSQL: jargon messages per second (each a new
 *   thread in an opted-in channel) sent open-loop at rising rates, until the p99 acknowledgement passes 1 s.
 *   Ours is the real service (`node dist/src/main.js serve`, Slack HTTP mode, PostgreSQL); the baseline is a
 *   bare Bolt app that replies with a constant thread message (bench/fleet-bare.ts). Both acknowledge an
 *   event once its reply is posted, on the same fake Slack. Goal: ours at least 0.7x the bare app.
 * - Resident memory of each process, idle (started and connected, before any traffic) and at its peak (the
 *   kernel's high-water mark after the same fixed load for both: 1500 messages, 50 at a time). Goal: ours at
 *   most 1.3x the bare app.
 *
 *   node dist/bench/fleet.bench.js           (after npm run build)
 * The two run side by side and take each step of the load in turn, back to back, so that other load on the
 * machine lands on both alike; BENCH_FLEET_ROUNDS rounds, each keeping its best sustained rate (load from
 * elsewhere only ever lowers it), its median idle memory and its highest peak.
 *
 * The driver sends each server's events over at most BENCH_FLEET_CONNECTIONS connections, kept alive, as a
 * platform's delivery does; events due beyond them wait their turn, and their latency counts from when they
 * were due. (Unbounded, an overloaded step opened thousands of connections, which outlived it.)
 *
 * Environment: DATABASE_URL (a postgres:// server; default the local one), BENCH_FLEET_ROUNDS (default 2),
 * BENCH_FLEET_STEP_SECONDS (default 4), BENCH_FLEET_START_RATE (default 50 messages/s),
 * BENCH_FLEET_CONNECTIONS (default 128).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent } from "node:http";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";
import {
  type FakeSlack,
  messageEvent,
  nextMessageTs,
  slackHttpClient,
  startFakeSlack,
} from "../test/fakes/slack.js";
import { logGoals, runWhenMain } from "./round-trip.js";
import { distribution, fmtMs, fmtRatio, median, nowMs, table } from "./stats.js";
import type { BenchContext, BenchModule, Goal } from "./types.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SECRET = "0123456789abcdef0123456789abcdef";
const CHANNEL = "C1";
const JARGON = "our egress goes through the sidecar proxy with mTLS";
const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 2);
const STEP_S = Number(process.env.BENCH_FLEET_STEP_SECONDS ?? 4);
const START_RATE = Number(process.env.BENCH_FLEET_START_RATE ?? 50);
const CONNECTIONS = Number(process.env.BENCH_FLEET_CONNECTIONS ?? 128);
const P99_LIMIT_MS = 1000;
/** Steps spent narrowing the sustained rate once a step failed. */
const BISECT = 3;
/** The fixed load both contenders get before their peak memory is read. */
const PEAK_MESSAGES = 1500;
const PEAK_CONCURRENCY = 50;
const THROUGHPUT_GOAL = 0.7;
const MEMORY_GOAL = 1.3;
const POSTGRES = process.env.DATABASE_URL?.startsWith("postgres")
  ? process.env.DATABASE_URL
  : "postgres://postgres@127.0.0.1:5432/test";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** Resident memory of a process now and at its peak, in MB, from the kernel. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

interface Server {
  readonly who: string;
  readonly proc: ChildProcess;
  readonly port: number;
  /** The driver's connections to it. */
  readonly agent: Agent;
  stop(): Promise<void>;
}

/** The driver's Slack, towards one server, over that server's connections. */
const slackFor = (fake: FakeSlack, server: Server) =>
  slackHttpClient(`http://127.0.0.1:${server.port}/slack/events`, SECRET, fake, { agent: server.agent });

/** Spawns a server process and waits for the line that says it is up. */
async function spawnServer(
  who: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Server> {
  const port = await freePort();
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${who} did not start:\n${stderr}`)), 20_000);
    proc.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (ready.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once("exit", () => reject(new Error(`${who} exited:\n${stderr}`)));
  });
  // Only the first lines matter; the rest must not fill a pipe nobody reads.
  proc.stderr?.removeAllListeners("data");
  proc.stderr?.resume();
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  return {
    who,
    proc,
    port,
    agent,
    stop: () =>
      new Promise((resolve) => {
        agent.destroy();
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}

interface Step {
  readonly rate: number;
  readonly sent: number;
  readonly ok: number;
  readonly p50: number;
  readonly p99: number;
  readonly achieved: number;
}

/** Sends jargon messages open-loop at `rate` per second for STEP_S seconds; acknowledgement latencies. */
async function step(fake: FakeSlack, server: Server, rate: number): Promise<Step> {
  const slack = slackFor(fake, server);
  const latencies: number[] = [];
  let ok = 0;
  let sent = 0;
  const pending: Promise<void>[] = [];
  const t0 = nowMs();
  const total = Math.round(rate * STEP_S);
  while (sent < total) {
    const due = Math.min(total, Math.floor(((nowMs() - t0) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const started = nowMs();
      pending.push(
        slack.event(messageEvent({ text: JARGON, channel: CHANNEL, ts: nextMessageTs() })).then(
          (res) => {
            latencies.push(nowMs() - started);
            if (res.status === 200) ok += 1;
          },
          () => {
            latencies.push(Number.POSITIVE_INFINITY);
          },
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(pending);
  const elapsed = (nowMs() - t0) / 1000;
  const d = distribution(latencies);
  fake.reset();
  return { rate, sent, ok, p50: d.p50, p99: d.p99, achieved: ok / elapsed };
}

/**
 * Raises the rate by half each step until p99 passes the limit or answers fail, then narrows the gap between
 * the last rate that held and the first that did not in BISECT more steps. The servers take each step in
 * turn, back to back, so that load from elsewhere on the machine lands on both alike. The best sustained
 * rate of each.
 */
async function sustained(ctx: BenchContext, fake: FakeSlack, servers: readonly Server[]): Promise<number[]> {
  const tryRate = async (server: Server, rate: number): Promise<{ held: boolean; achieved: number }> => {
    const s = await step(fake, server, rate);
    ctx.log(
      `  ${server.who.padEnd(5)} ${String(rate).padStart(5)}/s: ${s.ok}/${s.sent} acked, p50 ${fmtMs(s.p50)}, ` +
        `p99 ${fmtMs(s.p99)}, ${s.achieved.toFixed(0)}/s`,
    );
    // Let the step's stragglers settle before the next.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { held: s.p99 <= P99_LIMIT_MS && s.ok === s.sent, achieved: Math.min(rate, s.achieved) };
  };
  const state = servers.map((server) => ({ server, best: 0, good: 0, bad: 0 }));
  /** One step for one server, remembered as the last rate that held or the first that did not. */
  const probeAt = async (x: (typeof state)[number], rate: number) => {
    const r = await tryRate(x.server, rate);
    if (r.held) {
      x.good = rate;
      x.best = Math.max(x.best, r.achieved);
    } else {
      x.bad = rate;
    }
  };
  for (
    let rate = START_RATE;
    rate < 20_000 && state.some((x) => x.bad === 0);
    rate = Math.round(rate * 1.5)
  ) {
    for (const x of state) if (x.bad === 0) await probeAt(x, rate);
  }
  for (let n = 0; n < BISECT; n++) {
    for (const x of state) {
      if (x.bad > 0 && x.bad - x.good > 5) await probeAt(x, Math.round((x.good + x.bad) / 2));
    }
  }
  return state.map((x) => x.best);
}

/** A few messages, so the process has loaded and compiled what it serves. */
async function warmUp(fake: FakeSlack, server: Server): Promise<void> {
  const slack = slackFor(fake, server);
  for (let i = 0; i < 50; i++)
    await slack.event(messageEvent({ text: JARGON, channel: CHANNEL, ts: nextMessageTs() }));
  await slack.command({ text: "define egress", channel_id: CHANNEL });
  fake.reset();
}

/** The same fixed load for both, at which the peak is read: PEAK_MESSAGES messages, PEAK_CONCURRENCY at a time. */
async function peakLoad(fake: FakeSlack, server: Server): Promise<void> {
  const slack = slackFor(fake, server);
  let next = 0;
  await Promise.all(
    Array.from({ length: PEAK_CONCURRENCY }, async () => {
      while (next++ < PEAK_MESSAGES) {
        await slack.event(messageEvent({ text: JARGON, channel: CHANNEL, ts: nextMessageTs() }));
      }
    }),
  );
  fake.reset();
}

interface Measured {
  readonly best: number;
  readonly idleMb: number;
  readonly peakMb: number;
}

/** Measures both servers, started side by side: memory idle, then at the same fixed load, then throughput. */
async function measure(ctx: BenchContext, fake: FakeSlack, servers: readonly Server[]): Promise<Measured[]> {
  // Idle: started and connected, before any traffic.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = servers.map((server) => memoryOf(server.proc.pid ?? 0).rssMb);
  const peak: number[] = [];
  for (const server of servers) {
    await warmUp(fake, server);
    await peakLoad(fake, server);
    peak.push(memoryOf(server.proc.pid ?? 0).peakMb);
  }
  const best = await sustained(ctx, fake, servers);
  return servers.map((_, i) => ({ best: best[i] ?? 0, idleMb: idle[i] ?? 0, peakMb: peak[i] ?? 0 }));
}

/** Runs the bench and returns its goals; prints through `ctx.log`. */
export async function runFleetBench(ctx: BenchContext): Promise<Goal[]> {
  const admin = new pg.Client({ connectionString: POSTGRES });
  try {
    await admin.connect();
  } catch (error) {
    ctx.log(`PostgreSQL at ${POSTGRES.replace(/\/\/[^@/]*@/, "//***@")} does not answer (${String(error)}).`);
    return [
      {
        name: "fleet: the bench ran on PostgreSQL",
        target: "a server answers",
        measured: "none",
        pass: false,
      },
    ];
  }
  const schema = `mesh_fleet_${Date.now()}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(POSTGRES);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const fake = await startFakeSlack({ waitTimeoutMs: 10_000 });
  const runs: { bare: Measured[]; ours: Measured[] } = { bare: [], ours: [] };
  try {
    const env = { SLACK_API_URL: fake.apiUrl, SLACK_SIGNING_SECRET: SECRET };
    for (let round = 1; round <= ROUNDS; round++) {
      ctx.log(`round ${round}/${ROUNDS}:`);
      await admin.query(`DROP SCHEMA ${schema} CASCADE; CREATE SCHEMA ${schema}`);
      const servers: Server[] = [];
      try {
        servers.push(await spawnServer("bare", ["dist/bench/fleet-bare.js"], env, /bare app is running/));
        const ours = await spawnServer(
          "ours",
          ["dist/src/main.js", "serve"],
          {
            ...env,
            SLACK_BOT_TOKEN: "xoxb-bench",
            DATABASE_URL: url.toString(),
            AUTOEXPLAIN_COOLDOWN_SECONDS: "0",
            LOG_LEVEL: "info",
          },
          /mesh-glossary-bot is running/,
        );
        servers.push(ours);
        await slackFor(fake, ours).command({
          text: "autoexplain on",
          channel_id: CHANNEL,
        });
        const [bare, measured] = await measure(ctx, fake, servers);
        if (bare !== undefined) runs.bare.push(bare);
        if (measured !== undefined) runs.ours.push(measured);
      } finally {
        for (const server of servers) await server.stop();
      }
    }
  } finally {
    await fake.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
    await admin.end();
  }
  const summary = (m: Measured[]): Measured => ({
    best: Math.max(...m.map((x) => x.best)),
    idleMb: median(m.map((x) => x.idleMb)),
    peakMb: Math.max(...m.map((x) => x.peakMb)),
  });
  const bare = summary(runs.bare);
  const ours = summary(runs.ours);
  const throughput = ours.best / bare.best;
  const idle = ours.idleMb / bare.idleMb;
  const peak = ours.peakMb / bare.peakMb;
  ctx.log("");
  ctx.log(
    `One replica, Slack HTTP mode, each message a new thread in an opted-in channel, steps of ${STEP_S} s rising by half from ${START_RATE}/s until p99 > ${P99_LIMIT_MS} ms, then ${BISECT} steps narrowing; peak memory after ${PEAK_MESSAGES} messages ${PEAK_CONCURRENCY} at a time:`,
  );
  ctx.log("");
  ctx.log(
    table(
      ["", "bare Bolt (constant reply)", "ours (PostgreSQL)", "ratio"],
      [
        ["sustained auto-explain (msg/s)", bare.best.toFixed(0), ours.best.toFixed(0), fmtRatio(throughput)],
        ["resident memory idle (MB)", bare.idleMb.toFixed(1), ours.idleMb.toFixed(1), fmtRatio(idle)],
        ["resident memory peak (MB)", bare.peakMb.toFixed(1), ours.peakMb.toFixed(1), fmtRatio(peak)],
      ],
    ),
  );
  // Each round ran both side by side; its ratio shows how far load from elsewhere moved the figure above.
  const roundRatios = runs.ours.map((o, i) => fmtRatio(o.best / (runs.bare[i]?.best ?? Number.NaN)));
  ctx.log("");
  ctx.log(
    `sustained auto-explain, each round's ratio (ours vs bare, side by side): ${roundRatios.join(", ")}`,
  );
  const goals: Goal[] = [
    {
      name: "fleet: sustained auto-explain on PostgreSQL, ours vs bare Bolt",
      target: `>= ${THROUGHPUT_GOAL}x`,
      measured: `${fmtRatio(throughput)} (${ours.best.toFixed(0)} vs ${bare.best.toFixed(0)} msg/s)`,
      pass: throughput >= THROUGHPUT_GOAL,
    },
    {
      name: "fleet: resident memory idle, ours vs bare Bolt",
      target: `<= ${MEMORY_GOAL}x`,
      measured: `${fmtRatio(idle)} (${ours.idleMb.toFixed(0)} vs ${bare.idleMb.toFixed(0)} MB)`,
      pass: idle <= MEMORY_GOAL,
    },
    {
      name: "fleet: resident memory at peak, ours vs bare Bolt",
      target: `<= ${MEMORY_GOAL}x`,
      measured: `${fmtRatio(peak)} (${ours.peakMb.toFixed(0)} vs ${bare.peakMb.toFixed(0)} MB)`,
      pass: peak <= MEMORY_GOAL,
    },
  ];
  logGoals(ctx, goals);
  return goals;
}

/** For bench/run.ts. */
export const fleetBench: BenchModule = {
  name: "fleet",
  title: "Fleet figures: one replica on PostgreSQL vs a bare Bolt app (throughput, memory)",
  run: runFleetBench,
};

runWhenMain(import.meta.url, fleetBench);
