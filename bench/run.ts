/**
 * The bench runner: a registry of bench modules, run in one process so every ratio compares numbers measured
 * in the same run on the same machine. Prints a section per module and a summary of the goals.
 *
 *   npm run bench                  every module
 *   npm run bench -- detect lookup modules whose name contains any of the words
 *   npm run bench -- --list        the module names
 *
 * Benchmarks inform, they do not gate: the exit code is 0 whatever the goals say (2 for a bad argument, 1 if
 * the harness itself crashes).
 * Environment: BENCH_SEED, BENCH_TERMS (default 500), BENCH_LOOKUP_QUERIES, BENCH_COLD_RUNS.
 */
import { coldStartBench } from "./cold-start.bench.js";
import { detectBench } from "./detect.bench.js";
import { discordBench } from "./discord.bench.js";
import { fleetBench } from "./fleet.bench.js";
import { benchFixture } from "./glossary-gen.js";
import { lookupBench } from "./lookup.bench.js";
import { slackBench } from "./slack.bench.js";
import { canCollect, fmtMs, nowMs, runtimeLine, settleHeap, table } from "./stats.js";
import type { BenchModule, Goal } from "./types.js";

/** Every bench, in run order. */
const MODULES: readonly BenchModule[] = [
  detectBench,
  lookupBench,
  coldStartBench,
  slackBench,
  discordBench,
  fleetBench,
];

function select(args: readonly string[]): BenchModule[] | undefined {
  const words = args.filter((a) => !a.startsWith("-")).map((a) => a.toLowerCase());
  if (words.length === 0) return [...MODULES];
  const chosen = MODULES.filter((m) => words.some((w) => m.name.includes(w)));
  return chosen.length === 0 ? undefined : chosen;
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes("--list")) {
    for (const m of MODULES) console.log(`${m.name.padEnd(12)} ${m.title}`);
    return 0;
  }
  const chosen = select(args);
  if (chosen === undefined) {
    console.error(
      `bench: no module matches ${args.join(" ")}; modules: ${MODULES.map((m) => m.name).join(", ")}`,
    );
    return 2;
  }
  const fx = benchFixture();
  console.log(
    `mesh-glossary-bot bench: ${runtimeLine()}, ` +
      `seed ${fx.seed}, ${fx.terms.length} terms (${fx.realTerms.length} real + ${fx.syntheticTerms.length} ` +
      `synthetic, generated in ${fmtMs(fx.generateMs)}), gc ${canCollect ? "between phases" : "unavailable (run with --expose-gc)"}.`,
  );

  const goals: { module: string; goal: Goal }[] = [];
  const started = nowMs();
  for (const m of chosen) {
    console.log(`\n== ${m.name}: ${m.title} ==\n`);
    settleHeap();
    const t0 = nowMs();
    try {
      const result = await m.run({ log: (line = "") => console.log(line) });
      for (const goal of result) goals.push({ module: m.name, goal });
    } catch (error) {
      console.log(`ERROR: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      goals.push({
        module: m.name,
        goal: { name: `${m.name}: the bench ran`, target: "no error", measured: "error", pass: false },
      });
    }
    console.log(`\n(${m.name} took ${fmtMs(nowMs() - t0)})`);
  }

  console.log("\n== summary ==\n");
  console.log(
    table(
      ["goal", "target", "measured", "result"],
      goals.map(({ goal }) => [goal.name, goal.target, goal.measured, goal.pass ? "PASS" : "MISS  <=="]),
    ),
  );
  const missed = goals.filter((g) => !g.goal.pass);
  console.log(
    `\n${goals.length - missed.length} of ${goals.length} goals met in ${fmtMs(nowMs() - started)}.` +
      (missed.length === 0 ? "" : ` MISS: ${missed.map((g) => g.goal.name).join("; ")}.`),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A crash of the harness itself is not a benchmark result: that one does fail.
    console.error(error);
    process.exitCode = 1;
  },
);
