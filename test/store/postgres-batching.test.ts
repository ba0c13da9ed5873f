// How the PostgreSQL store groups claims into statements: what a busy replica saves, counted on the database.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres.js";
import type { SqlDatabase } from "../../src/store/sql.js";

const ref = { platform: "slack", workspace: "T1", channel: "C1" };
const TERMS = ["egress", "mtls"];

let lite: PGlite;
let db: SqlDatabase;
let store: PostgresStore;
/** The claims of events and their terms PostgreSQL was sent, one per statement. */
let claimStatements = 0;
/** Statements of confirmations alone (not carried by a claim). */
let confirmStatements = 0;
/** Fails the next claim statement, as a database that drops a connection would. */
let failNextClaim = false;

beforeAll(async () => {
  lite = await PGlite.create();
  db = {
    query: async (sql, params) => {
      if (sql.includes("INSERT INTO thread_terms") && sql.includes("INSERT INTO events")) {
        claimStatements += 1;
        if (failNextClaim) {
          failNextClaim = false;
          throw new Error("connection terminated unexpectedly");
        }
      } else if (sql.startsWith("INSERT INTO events") && sql.includes("confirmed = 1"))
        confirmStatements += 1;
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
  confirmStatements = 0;
});

let next = 0;
/** A claim of a message that starts its own thread, as auto-explain makes for each message (a new one by default). */
function claimNew(id = `Ev${++next}`, at = Date.now(), on = store) {
  return on.claimEventAndTerms({ platform: "slack", eventId: id, at, leaseMs: 30_000 }, ref, id, TERMS);
}

/** Whether the platform, delivering `id` again once its claim's lease ran out, would get it answered again. */
async function answeredAgainAfterLease(id: string): Promise<boolean> {
  return store.claimEvent("slack", id, Date.now() + 60_000);
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
    // Back to back means within a millisecond of the last statement in production. Here the window is wider, so
    // that a pause of the test's own process (a collection, a compile) between two calls cannot end it.
    const busy = await PostgresStore.over(db, {}, { claimWindowMs: 250 });
    const claimOn = () => claimNew(undefined, undefined, busy);
    claimStatements = 0;
    await claimOn();
    expect(claimStatements).toBe(1);
    // Just after a statement: the first of these waits a moment, and the rest go with it.
    const claims = await Promise.all([claimOn(), claimOn(), claimOn()]);
    expect(claims).toEqual([
      { won: true, terms: TERMS },
      { won: true, terms: TERMS },
      { won: true, terms: TERMS },
    ]);
    expect(claimStatements).toBe(2);
    await busy.close();
  });
});

describe("confirmations on PostgreSQL", () => {
  it("sends a confirmation that is waiting in the next claim's statement, not in one of its own", async () => {
    await quiet();
    await claimNew("Answered");
    const confirmed = store.confirmEvent("slack", "Answered", Date.now());
    expect(await claimNew()).toEqual({ won: true, terms: TERMS });
    await confirmed;
    expect(claimStatements).toBe(2);
    expect(confirmStatements).toBe(0);
    // It was recorded: a redelivery after the lease is not answered twice, unlike an event never confirmed.
    await claimNew("Unconfirmed");
    expect(await answeredAgainAfterLease("Answered")).toBe(false);
    expect(await answeredAgainAfterLease("Unconfirmed")).toBe(true);
  });

  it("leaves the confirmation of an event to its own statement when the claim is of that same event", async () => {
    await quiet();
    await claimNew("Redelivered");
    const confirmed = store.confirmEvent("slack", "Redelivered", Date.now());
    // The platform delivers it again while the answer's record waits: the claim's lease turns it away.
    expect(await claimNew("Redelivered")).toEqual({ won: false, terms: [] });
    await confirmed;
    expect(confirmStatements).toBe(1);
    expect(await answeredAgainAfterLease("Redelivered")).toBe(false);
  });

  it("sends the confirmations a failed claim carried in a statement of their own", async () => {
    await quiet();
    await claimNew("Kept");
    const confirmed = store.confirmEvent("slack", "Kept", Date.now());
    failNextClaim = true;
    await expect(claimNew()).rejects.toThrow(/connection terminated/);
    await confirmed;
    expect(confirmStatements).toBe(1);
    expect(await answeredAgainAfterLease("Kept")).toBe(false);
  });
});
