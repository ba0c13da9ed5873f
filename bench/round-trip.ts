/** What the Slack and Discord round-trip benches share: rounds taken in turns, ratio tables, standalone runs. */
import { pathToFileURL } from "node:url";
import { distribution, fmtMs, fmtRatio, runtimeLine, table } from "./stats.js";
import type { BenchContext, BenchModule, Goal } from "./types.js";

/** A client under test once started: ours or the bare baseline. */
export interface Contender {
  stop(): Promise<void>;
}

/**
 * Runs `rounds` rounds. In each, every contender is started afresh (by `starters`, in order) and `measure`
 * takes their samples together, in turns (see `inTurn`), so that drift on the machine lands on all alike.
 */
export async function runRounds<C extends Contender>(
  ctx: BenchContext,
  rounds: number,
  starters: readonly (() => Promise<C>)[],
  measure: (contenders: readonly C[]) => Promise<void>,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const started: C[] = [];
    try {
      for (const start of starters) started.push(await start());
      await measure(started);
    } finally {
      for (const contender of started) await contender.stop();
    }
    ctx.log(`round ${round + 1}/${rounds}: measured`);
  }
}

/** The order of the `turn`th turn: each contender goes first as often as the other. */
export function inTurn<T>(contenders: readonly T[], turn: number): readonly T[] {
  return turn % 2 === 0 ? contenders : [...contenders].reverse();
}

/**
 * The p50 ratio of each round on its own (samples are appended round by round, the same number each), lowest
 * and highest: how far one round's figure may stray from the whole run's.
 */
function roundSpread(bare: readonly number[], ours: readonly number[], rounds: number): string {
  if (rounds < 2 || bare.length % rounds !== 0 || ours.length % rounds !== 0) return "-";
  const slice = (xs: readonly number[], r: number) => {
    const n = xs.length / rounds;
    return xs.slice(r * n, (r + 1) * n);
  };
  const ratios = Array.from(
    { length: rounds },
    (_, r) => distribution(slice(ours, r)).p50 / distribution(slice(bare, r)).p50,
  );
  return `${fmtRatio(Math.min(...ratios))}-${fmtRatio(Math.max(...ratios))}`;
}

/**
 * Prints p50/p99 of each round trip, ours against bare, with the spread of the rounds' own p50 ratios, and
 * returns a p50 goal for each (over all rounds' samples together).
 */
export function reportRatios(
  ctx: BenchContext,
  options: { platform: string; baseline: string; goal: number; header: string; rounds: number },
  phases: readonly { label: string; bare: readonly number[]; ours: readonly number[] }[],
): Goal[] {
  const rows: string[][] = [];
  const goals: Goal[] = [];
  for (const { label, bare, ours } of phases) {
    const b = distribution([...bare]);
    const o = distribution([...ours]);
    const ratio50 = o.p50 / b.p50;
    rows.push([
      label,
      fmtMs(b.p50),
      fmtMs(o.p50),
      fmtRatio(ratio50),
      roundSpread(bare, ours, options.rounds),
      fmtMs(b.p99),
      fmtMs(o.p99),
      fmtRatio(o.p99 / b.p99),
    ]);
    goals.push({
      name: `${options.platform}: ${label}, ours vs ${options.baseline} (p50)`,
      target: `<= ${options.goal}x`,
      measured: fmtRatio(ratio50),
      pass: ratio50 <= options.goal,
    });
  }
  ctx.log("");
  ctx.log(options.header);
  ctx.log("");
  ctx.log(
    table(
      [
        "round trip",
        "bare p50",
        "ours p50",
        "ratio p50",
        "rounds' p50 ratios",
        "bare p99",
        "ours p99",
        "ratio p99",
      ],
      rows,
    ),
  );
  return goals;
}

/** Prints each goal's verdict at the end of a section. */
export function logGoals(ctx: BenchContext, goals: readonly Goal[]): void {
  ctx.log("");
  for (const g of goals) ctx.log(`${g.pass ? "PASS" : "MISS"}  ${g.name}: ${g.measured} (goal ${g.target})`);
}

/** Runs a bench module on its own when its compiled file is the entry point (`node dist/bench/x.bench.js`). */
export function runWhenMain(moduleUrl: string, bench: BenchModule): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  console.log(`== ${bench.name}: ${bench.title} ==\n${runtimeLine()}\n`);
  Promise.resolve(bench.run({ log: (line = "") => console.log(line) })).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
