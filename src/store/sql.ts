// What the PostgreSQL stores need of a database: a pool (node-postgres) or anything that speaks like one.

/** Runs one SQL statement with $1-style parameters. */
export interface SqlExecutor {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A PostgreSQL connection pool, or anything that speaks like one (PGlite in tests). */
export interface SqlDatabase extends SqlExecutor {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** LISTENs on a channel (see pg-listen.ts); `onReconnect` after a lost connection is back. */
  listen?(
    channel: string,
    onNotify: (payload: string) => void,
    onReconnect: () => void,
  ): Promise<() => Promise<void>>;
}
