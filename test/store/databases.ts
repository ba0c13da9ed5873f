// Test databases for the store: a temporary SQLite file, and PostgreSQL — the server DATABASE_URL names when it
// is a postgres:// URL (CI starts one), else PGlite, PostgreSQL compiled to WebAssembly and run in-process.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach } from "vitest";
import type { InstallationStore, StoreOptions } from "../../src/store/installations.js";
import { PostgresStore } from "../../src/store/postgres.js";
import type { SqlDatabase } from "../../src/store/sql.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { Store } from "../../src/store/store.js";

/** A database the store tests can open several stores on, as several replicas would. */
export interface TestDatabase {
  readonly name: string;
  /** Opens one more store (one more "replica" or a restart) on the same data. */
  open(options?: StoreOptions): Promise<Store & InstallationStore>;
  /** Runs SQL straight on the database, past the store, to see what it holds. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** The files the database lives in (SQLite), for looking at their bytes; none for PostgreSQL. */
  files(): string[];
  /** Drops everything the test created. */
  cleanup(): Promise<void>;
}

/**
 * A fresh database for each test of the describe block it is called in, opened as a store before the test,
 * with every store the test opened closed and the database dropped after it.
 */
export function freshStores(make: () => TestDatabase, options?: StoreOptions) {
  let database: TestDatabase | undefined;
  let first: (Store & InstallationStore) | undefined;
  const opened: Store[] = [];
  const open = async (o: StoreOptions | undefined = options) => {
    if (database === undefined) throw new Error("no database outside a test");
    const s = await database.open(o);
    opened.push(s);
    return s;
  };
  beforeEach(async () => {
    database = make();
    first = await open();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await database?.cleanup();
  });
  return {
    /** Opens one more store on the test's database: another replica, or a restart. */
    open,
    /** Closes every store opened so far (to look at the files they leave). */
    async closeAll(): Promise<void> {
      for (const s of opened.splice(0)) await s.close();
    },
    /** The store opened before the test. */
    get store(): Store & InstallationStore {
      if (first === undefined) throw new Error("no store outside a test");
      return first;
    },
    get database(): TestDatabase {
      if (database === undefined) throw new Error("no database outside a test");
      return database;
    },
  };
}

/** A fresh SQLite file in a temporary folder. */
export function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "mesh-store-"));
  const file = join(dir, "data", "mesh.db");
  const url = `sqlite:${file}`;
  return {
    name: "SQLite",
    open: async (options) => SqliteStore.open(url, options),
    async rows(sql) {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    files: () =>
      readdirSync(join(dir, "data"))
        .filter((name) => name.startsWith("mesh.db"))
        .map((name) => join(dir, "data", name)),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const serverUrl = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;

/** Which PostgreSQL the tests run against, for test names. */
export const POSTGRES_TARGET =
  serverUrl === undefined
    ? "PostgreSQL (in-process PGlite: DATABASE_URL names no server)"
    : "PostgreSQL (server at DATABASE_URL)";

/** PostgreSQL: a fresh schema on the DATABASE_URL server, or an in-process PGlite when there is none. */
export function postgresDatabase(): TestDatabase {
  if (serverUrl !== undefined) {
    const schema = `mesh_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const separator = serverUrl.includes("?") ? "&" : "?";
    const url = `${serverUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    let created = false;
    return {
      name: "PostgreSQL server",
      async open(options) {
        if (!created) {
          await admin(`CREATE SCHEMA ${schema}`);
          created = true;
        }
        return PostgresStore.connect(url, options);
      },
      async rows(sql) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          await client.end();
        }
      },
      files: () => [],
      cleanup: async () => {
        if (created) await admin(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  }
  const schema = `mesh_test_${++liteSchemas}`;
  const ready = sharedLite().then(async (lite) => {
    // One PGlite per test file (it takes seconds to boot); a schema per test keeps tests apart.
    await lite.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
    return lite;
  });
  const db: SqlDatabase = {
    query: async (sql, params) => (await ready).query(sql, params as unknown[]),
    transaction: async (work) =>
      (await ready).transaction((tx) => work({ query: (sql, params) => tx.query(sql, params as unknown[]) })),
    // Each store "closes" its handle; the in-process server lives as long as the test file.
    close: async () => {},
    // PGlite has LISTEN/NOTIFY in-process; it never loses the connection, so never reconnects.
    listen: async (channel, onNotify) => {
      const unlisten = await (await ready).listen(channel, onNotify);
      return async () => unlisten();
    },
  };
  return {
    name: "PostgreSQL (PGlite, no server at DATABASE_URL)",
    open: async (options) => PostgresStore.over(db, options),
    rows: async (sql) => (await db.query(sql)).rows,
    files: () => [],
    cleanup: async () => {
      await (await ready).exec(`DROP SCHEMA ${schema} CASCADE; SET search_path TO public`);
    },
  };
}

/** Boots the in-process PostgreSQL ahead of the tests when there is no server (it takes a few seconds). */
export async function warmUpPostgres(): Promise<void> {
  if (serverUrl === undefined) await sharedLite();
}

let lite: Promise<PGlite> | undefined;
let liteSchemas = 0;

function sharedLite(): Promise<PGlite> {
  lite ??= PGlite.create();
  return lite;
}
