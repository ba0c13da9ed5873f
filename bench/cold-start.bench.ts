/**
 * Cold start of the terminal CLI: `mesh define egress` as a fresh process, against the 500-term content
 * folder and against the real content, next to `node -e 0` (the floor no Node CLI can beat). Runs are
 * interleaved so background noise hits every command alike; the median of N runs after a warm-up counts.
 */
import { spawnSync } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { readContent } from "../src/content/load.js";
import { benchFixture, REAL_CONTENT, writeContentDir } from "./glossary-gen.js";
import { fmtMs, fmtRatio, median, nowMs, percentile, table } from "./stats.js";
import type { BenchModule, Goal } from "./types.js";

const ROOT = dirname(REAL_CONTENT);
const BIN = join(ROOT, "dist", "adapters", "terminal", "bin.js");
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const WARMUP = 2;

interface Command {
  readonly name: string;
  readonly args: readonly string[];
  /** Text the output must contain, so a failing command cannot pass as a fast one. */
  readonly expect?: string;
}

function runOnce(cmd: Command): number {
  const t0 = nowMs();
  const r = spawnSync(process.execPath, cmd.args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = nowMs() - t0;
  if (r.status !== 0 || (cmd.expect !== undefined && !r.stdout.includes(cmd.expect))) {
    throw new Error(`${cmd.name} failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(0, 400)}`);
  }
  return ms;
}

export const coldStartBench: BenchModule = {
  name: "cold-start",
  title: "Cold start: `mesh define egress` as a fresh process vs `node -e 0`",
  run(ctx) {
    const fx = benchFixture();
    const dir = writeContentDir(`content-${fx.terms.length}`, fx.syntheticTerms);
    const check = readContent(dir);
    if (check.problems.length > 0 || check.content.terms.length !== fx.terms.length) {
      throw new Error(
        `the generated folder ${dir} does not read back: ${check.problems[0]?.message ?? "count"}`,
      );
    }
    ctx.log(
      `Content: ${fx.terms.length} term files in ${relative(ROOT, dir)}; real content: ${fx.realTerms.length}.`,
    );

    const commands: Command[] = [
      { name: "node -e 0", args: ["-e", "0"] },
      {
        name: `define egress (${fx.terms.length} terms)`,
        args: [BIN, "define", "egress", "--content", dir],
        expect: "Egress",
      },
      {
        name: `define egress (real, ${fx.realTerms.length} terms)`,
        args: [BIN, "define", "egress", "--content", REAL_CONTENT],
        expect: "Egress",
      },
    ];
    for (let i = 0; i < WARMUP; i++) for (const c of commands) runOnce(c);
    const times = commands.map(() => [] as number[]);
    for (let i = 0; i < RUNS; i++) {
      commands.forEach((c, j) => {
        (times[j] as number[]).push(runOnce(c));
      });
    }

    const medians = times.map((t) => median(t));
    const floor = medians[0] as number;
    ctx.log();
    ctx.log(
      table(
        ["command", "median", "min", "p90", "vs node -e 0"],
        commands.map((c, j) => {
          const t = Float64Array.from(times[j] as number[]).sort();
          return [
            c.name,
            fmtMs(medians[j] as number),
            fmtMs(t[0] as number),
            fmtMs(percentile(t, 90)),
            fmtRatio((medians[j] as number) / floor),
          ];
        }),
      ),
    );
    ctx.log(`(${RUNS} interleaved runs each after ${WARMUP} warm-up runs; wall time of the whole process.)`);
    const big = (medians[1] as number) / floor;
    const real = (medians[2] as number) / floor;
    return [
      {
        name: `cold start: define, ${fx.terms.length} terms vs node -e 0`,
        target: "<= 6x",
        measured: fmtRatio(big),
        pass: big <= 6,
      },
      {
        name: "cold start: define, real content vs node -e 0",
        target: "(report)",
        measured: fmtRatio(real),
        pass: true,
      },
    ] satisfies Goal[];
  },
};
