/** The contract between bench/run.ts and each bench module. */

/** One goal from the issue, as measured in this run. */
export interface Goal {
  /** What is compared, e.g. "detect: ours vs naive RegExp loop (throughput)". */
  readonly name: string;
  /** The goal as written, e.g. ">= 100x". */
  readonly target: string;
  /** The measured value, formatted. */
  readonly measured: string;
  readonly pass: boolean;
}

export interface BenchContext {
  /** Prints one line of the module's section. */
  log(line?: string): void;
}

export interface BenchModule {
  /** Short name used by the filter argument (`npm run bench -- detect`). */
  readonly name: string;
  /** Section heading. */
  readonly title: string;
  /** Measures, logging as it goes; returns the goals it checked (none is fine). */
  run(ctx: BenchContext): Promise<readonly Goal[]> | readonly Goal[];
}
