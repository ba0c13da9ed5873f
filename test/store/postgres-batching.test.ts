// How the PostgreSQL store groups claims into statements: what a busy replica saves, counted on the database.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres.js";
import type { SqlDatabase } from "../../src/store/sql.js";

const ref = { platform: "slack", workspace: "T1", channel: "C1" };
const TERMS = ["egress", "mtls"];

let lite: PGlite;
let store: PostgresStore;
/** The claims of events and their terms PostgreSQL was sent, one per statement. */
let claimStatements = 0;

beforeAll(async () => {
  lite = await PGlite.create();
  const db: SqlDatabase = {
    query: async (sql, params) => {
      if (sql.includes("INSERT INTO thread_terms") && sql.includes("INSERT INTO events"))
        claimStatements += 1;
      return lite.query(sql, params as unknown[]);
    },
    transaction: (work) =>
      lite.transaction((tx) => work({ query: (sql, p) => tx.query(sql, p as unknown[]) })),
    close: async () => {},
  };
  store = await PostgresStore.over(db);
}, 120_000);

afterAll(async () => {
  await store.close();
  await lite.close();
});

beforeEach(() => {
  claimStatements = 0;
});

let next = 0;
/** A claim of a new message that starts its own thread, as auto-explain makes for each message. */
function claimNew() {
  const id = `Ev${++next}`;
  return store.claimEventAndTerms(
    { platform: "slack", eventId: id, at: Date.now(), leaseMs: 30_000 },
    ref,
    id,
    TERMS,
  );
}

const quiet = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("claims on PostgreSQL", () => {
  it("claims a message after a quiet spell at once: the next one goes in a statement of its own", async () => {
    await quiet();
    const [first, second] = await Promise.all([claimNew(), claimNew()]);
    expect(first).toEqual({ won: true, terms: TERMS });
    expect(second).toEqual({ won: true, terms: TERMS });
    // The first did not wait for the second, which went after it.
    expect(claimStatements).toBe(2);
  });

  it("claims messages arriving back to back a few at a time, each still winning its own terms", async () => {
    await quiet();
    await claimNew();
    expect(claimStatements).toBe(1);
    // Just after a statement: the first of these waits a moment, and the rest go with it.
    const claims = await Promise.all([claimNew(), claimNew(), claimNew()]);
    expect(claims).toEqual([
      { won: true, terms: TERMS },
      { won: true, terms: TERMS },
      { won: true, terms: TERMS },
    ]);
    expect(claimStatements).toBe(2);
  });
});
