// Test databases for the store: a temporary SQLite file, and PostgreSQL — the server DATABASE_URL names when it
// is a postgres:// URL (CI starts one), else PGlite, PostgreSQL compiled to WebAssembly and run in-process.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PostgresStore, type SqlDatabase } from "../../src/store/postgres.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { Store } from "../../src/store/store.js";

/** A database the store tests can open several stores on, as several replicas would. */
export interface TestDatabase {
  readonly name: string;
  /** Opens one more store (one more "replica" or a restart) on the same data. */
  open(): Promise<Store>;
  /** Drops everything the test created. */
  cleanup(): Promise<void>;
}

/** A fresh SQLite file in a temporary folder. */
export function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "mesh-store-"));
  const url = `sqlite:${join(dir, "data", "mesh.db")}`;
  return {
    name: "SQLite",
    open: async () => SqliteStore.open(url),
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
      async open() {
        if (!created) {
          await admin(`CREATE SCHEMA ${schema}`);
          created = true;
        }
        return PostgresStore.connect(url);
      },
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
    open: async () => PostgresStore.over(db),
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
