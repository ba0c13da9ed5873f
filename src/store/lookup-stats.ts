// What people looked up, as the stores count it (globally and per workspace).

/** How many times a term was looked up, or how often a query found nothing. */
export interface LookupCount {
  readonly key: string;
  readonly count: number;
  readonly lastAt: number;
}

export interface LookupStats {
  /** Most looked-up term ids. */
  readonly top: readonly LookupCount[];
  /** Most frequent normalised queries that found nothing. */
  readonly misses: readonly LookupCount[];
}
