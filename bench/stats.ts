/**
 * Timing and reporting helpers shared by the bench modules: a monotonic clock, gc between phases, latency
 * distributions, throughput loops and plain-text tables. Nothing here knows about the glossary.
 */

import { cpus } from "node:os";

/** The Node.js and the machine that measured: ratios differ between Node.js lines, so every run says which. */
export function runtimeLine(): string {
  const cpu = cpus();
  return `node ${process.version}, ${cpu.length} x ${cpu[0]?.model.trim() ?? "cpu"}`;
}

/** Monotonic time in milliseconds, sub-microsecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const collect = (globalThis as { gc?: () => void }).gc;

/** True when the run can collect garbage between phases (node --expose-gc). */
export const canCollect = collect !== undefined;

/** Collects garbage, when the run allows it, so one phase's garbage is not billed to the next. */
export function settleHeap(): void {
  if (collect !== undefined) {
    collect();
    collect();
  }
}

/** Summary of a sample of durations, in milliseconds. */
export interface Distribution {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending sample. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(Float64Array.from(values).sort(), 50);
}

export function distribution(samples: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/**
 * Times each call of `fn(input)` separately, over every input, in rounds until both `minRounds` rounds and
 * `minMs` of measured time have passed (or `maxRounds`). Returns per-call durations in milliseconds.
 */
export function timeEach<T>(
  inputs: readonly T[],
  fn: (input: T) => unknown,
  opts: { minRounds?: number; maxRounds?: number; minMs?: number } = {},
): Float64Array {
  const minRounds = opts.minRounds ?? 1;
  const maxRounds = opts.maxRounds ?? 1000;
  const minMs = opts.minMs ?? 0;
  const samples: number[] = [];
  let total = 0;
  let sink = 0;
  for (let round = 0; round < maxRounds; round++) {
    for (const input of inputs) {
      const t0 = process.hrtime.bigint();
      const r = fn(input);
      const t1 = process.hrtime.bigint();
      const ms = Number(t1 - t0) / 1e6;
      samples.push(ms);
      total += ms;
      if (r !== undefined) sink++;
    }
    if (round + 1 >= minRounds && total >= minMs) break;
  }
  keep(sink);
  return Float64Array.from(samples);
}

/**
 * Runs `pass()` (one pass over a workload) repeatedly until `minMs` have passed and at least `minPasses`
 * passes ran; returns the median pass time in milliseconds. The median resists a stray GC or scheduler pause.
 */
export function timePasses(
  pass: () => number,
  opts: { minPasses?: number; maxPasses?: number; minMs?: number } = {},
): { medianMs: number; passes: number } {
  const minPasses = opts.minPasses ?? 5;
  const maxPasses = opts.maxPasses ?? 10_000;
  const minMs = opts.minMs ?? 500;
  const times: number[] = [];
  let total = 0;
  let sink = 0;
  while (times.length < maxPasses && (times.length < minPasses || total < minMs)) {
    const t0 = nowMs();
    sink += pass();
    const ms = nowMs() - t0;
    times.push(ms);
    total += ms;
  }
  keep(sink);
  return { medianMs: median(times), passes: times.length };
}

/**
 * Runs several passes in turn, round after round, until `minRounds` rounds and `minMs` of measured time have
 * passed; returns each pass's median time in milliseconds. Interleaving exposes every pass to the same
 * background load, so ratios between them hold up on a busy machine.
 */
export function timeInterleaved(
  passes: readonly (() => number)[],
  opts: { minRounds?: number; maxRounds?: number; minMs?: number } = {},
): number[] {
  const minRounds = opts.minRounds ?? 10;
  const maxRounds = opts.maxRounds ?? 10_000;
  const minMs = opts.minMs ?? 500;
  const times = passes.map(() => [] as number[]);
  let total = 0;
  let sink = 0;
  for (let round = 0; round < maxRounds && (round < minRounds || total < minMs); round++) {
    passes.forEach((pass, j) => {
      const t0 = nowMs();
      sink += pass();
      const ms = nowMs() - t0;
      (times[j] as number[]).push(ms);
      total += ms;
    });
  }
  keep(sink);
  return times.map((t) => median(t));
}

let blackhole = 0;
/** Keeps results alive so the optimiser cannot drop the work that produced them. */
export function keep(value: number): void {
  blackhole = (blackhole + value) | 0;
}
export function blackholeValue(): number {
  return blackhole;
}

/** Formats a duration in ms with a unit that keeps 3 significant digits. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1e3).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

/** Formats a ratio: 1234x, 12.3x, 1.23x. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return "n/a";
  if (r >= 100) return `${Math.round(r)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

export function fmtPct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A fixed-width text table; numeric-looking cells are right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = /^[-+]?[\d.,]+(?:\s?[a-zµ/%]+)?$|^n\/a$/i;
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return numeric.test(c) && i > 0 ? c.padStart(w) : c.padEnd(w);
      })
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
