import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";
import {
  POSTGRES_TARGET,
  postgresDatabase,
  sqliteDatabase,
  type TestDatabase,
  warmUpPostgres,
} from "./databases.js";

const general = { platform: "slack", workspace: "T1", channel: "C1" };
const random = { platform: "slack", workspace: "T1", channel: "C2" };
const DAY = 24 * 3600_000;
const NOW = 1_800_000_000_000;

beforeAll(warmUpPostgres, 120_000);

describe.each([
  ["SQLite", sqliteDatabase],
  [POSTGRES_TARGET, postgresDatabase],
] as const)("the %s store", (_, makeDatabase) => {
  let database: TestDatabase;
  let store: Store;
  const opened: Store[] = [];
  const open = async () => {
    const s = await database.open();
    opened.push(s);
    return s;
  };

  beforeEach(async () => {
    database = makeDatabase();
    store = await open();
  });

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await database.cleanup();
  });

  it("starts a channel it has never seen with auto-explain at the default it is given", async () => {
    expect(await store.channel(general)).toEqual({
      autoExplain: false,
      silenced: [],
      changedBy: undefined,
      changedAt: undefined,
    });
    expect((await store.channel(general, true)).autoExplain).toBe(true);
  });

  it("remembers who turned auto-explain on, and when", async () => {
    await store.setAutoExplain(general, true, "U42", NOW);
    expect(await store.channel(general)).toMatchObject({
      autoExplain: true,
      changedBy: "U42",
      changedAt: NOW,
    });
    expect((await store.channel(random)).autoExplain).toBe(false);
    await store.setAutoExplain(general, false, "U7", NOW + 1);
    expect(await store.channel(general, true)).toMatchObject({ autoExplain: false, changedBy: "U7" });
  });

  it("keeps settings across a restart", async () => {
    await store.setAutoExplain(general, true, "U42", NOW);
    await store.setSilenced(general, "latency", true, "U42", NOW);
    await store.setMuted("slack", "T1", "U9", true, NOW);
    await store.close();
    const again = await open();
    expect(await again.channel(general)).toMatchObject({ autoExplain: true, silenced: ["latency"] });
    expect(await again.isMuted("slack", "T1", "U9")).toBe(true);
  });

  it("silences and unsilences terms per channel", async () => {
    await store.setSilenced(general, "pod", true, "U1", NOW);
    await store.setSilenced(general, "latency", true, "U1", NOW);
    await store.setSilenced(general, "latency", true, "U1", NOW);
    expect((await store.channel(general)).silenced).toEqual(["latency", "pod"]);
    expect((await store.channel(random)).silenced).toEqual([]);
    await store.setSilenced(general, "pod", false, "U1", NOW);
    expect((await store.channel(general)).silenced).toEqual(["latency"]);
  });

  it("mutes and unmutes a user in one workspace only", async () => {
    await store.setMuted("slack", "T1", "U9", true, NOW);
    expect(await store.isMuted("slack", "T1", "U9")).toBe(true);
    expect(await store.isMuted("slack", "T2", "U9")).toBe(false);
    expect(await store.isMuted("discord", "T1", "U9")).toBe(false);
    await store.setMuted("slack", "T1", "U9", false, NOW);
    expect(await store.isMuted("slack", "T1", "U9")).toBe(false);
  });

  it("claims each term once per thread", async () => {
    expect(await store.claimExplained(general, "t1", ["egress", "mtls"], NOW, 0)).toEqual(["egress", "mtls"]);
    expect(await store.claimExplained(general, "t1", ["egress", "ewma"], NOW + 1, 0)).toEqual(["ewma"]);
    expect(await store.explainedInThread(general, "t1")).toEqual(new Set(["egress", "mtls", "ewma"]));
    expect(await store.claimExplained(general, "t2", ["egress"], NOW + 2, 0)).toEqual(["egress"]);
  });

  it("honours the per-channel cooldown across threads", async () => {
    await store.claimExplained(general, "t1", ["egress"], NOW, DAY);
    expect(await store.claimExplained(general, "t2", ["egress"], NOW + 3600_000, DAY)).toEqual([]);
    expect(await store.claimExplained(random, "t9", ["egress"], NOW + 3600_000, DAY)).toEqual(["egress"]);
    expect(await store.claimExplained(general, "t3", ["egress"], NOW + DAY, DAY)).toEqual(["egress"]);
    expect(await store.lastExplained(general, ["egress", "mtls"])).toEqual(new Map([["egress", NOW + DAY]]));
  });

  it("lets only one of many concurrent callers explain a term in a thread", async () => {
    const replica = await open();
    const attempts = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? store : replica).claimExplained(general, "busy", ["egress", "mtls"], NOW + i, DAY),
    );
    const won = (await Promise.all(attempts)).flat();
    expect(won.filter((id) => id === "egress")).toHaveLength(1);
    expect(won.filter((id) => id === "mtls")).toHaveLength(1);
  });

  it("without a cooldown, many messages at once each get their own thread's terms, and a shared thread's once", async () => {
    const replica = await open();
    // A busy channel: forty new threads and ten messages racing in one thread, from two replicas at once.
    const own = Array.from({ length: 40 }, (_, i) =>
      (i % 2 === 0 ? store : replica).claimExplained(
        general,
        `t${i}`,
        ["egress", "mtls"],
        NOW + i,
        0,
        `Ev${i}`,
      ),
    );
    const shared = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? store : replica).claimExplained(general, "busy", ["mtls", "egress", "mtls"], NOW, 0),
    );
    const [mine, theirs] = await Promise.all([Promise.all(own), Promise.all(shared)]);
    for (const won of mine) expect(won).toEqual(["egress", "mtls"]);
    expect(theirs.flat().filter((id) => id === "egress")).toHaveLength(1);
    expect(theirs.flat().filter((id) => id === "mtls").length).toBeGreaterThanOrEqual(1);
    expect(theirs.filter((won) => won.includes("mtls"))).toHaveLength(1);
    // Each thread reads back what it has, read alongside the others; an event's own claims can be left out.
    const reads = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => store.explainedInThread(general, `t${i}`)),
      store.explainedInThread(general, "t3", "Ev3"),
      store.explainedInThread(general, "t3", "Ev4"),
      store.explainedInThread(random, "t3"),
    ]);
    for (const set of reads.slice(0, 40)) expect(set).toEqual(new Set(["egress", "mtls"]));
    expect(reads.slice(40)).toEqual([new Set(), new Set(["egress", "mtls"]), new Set()]);
    // A redelivery of one of them takes its terms over; another event in that thread gets none.
    expect(
      await Promise.all([
        replica.claimExplained(general, "t5", ["egress"], NOW + 99, 0, "Ev5"),
        store.claimExplained(general, "t5", ["egress", "ewma"], NOW + 99, 0, "Ev99"),
      ]),
    ).toEqual([["egress"], ["ewma"]]);
  });

  it("claims an event and its new thread's terms in one step, as claimEvent and claimExplained would", async () => {
    const claim = (eventId: string, at = NOW) => ({ platform: "slack", eventId, at, leaseMs: 30_000 });
    expect(await store.claimEventAndTerms(claim("Ev1"), general, "t1", ["egress", "mtls"])).toEqual({
      won: true,
      terms: ["egress", "mtls"],
    });
    // The same event while its lease holds: taken, and no terms.
    expect(await store.claimEventAndTerms(claim("Ev1", NOW + 5), general, "t1", ["egress"])).toEqual({
      won: false,
      terms: [],
    });
    // Unconfirmed after its lease (its claimant died): a redelivery takes its own terms over.
    expect(
      await store.claimEventAndTerms(claim("Ev1", NOW + 60_000), general, "t1", ["mtls", "egress"]),
    ).toEqual({ won: true, terms: ["mtls", "egress"] });
    // Another event in that thread gets only the terms the thread does not have.
    expect(await store.claimEventAndTerms(claim("Ev2"), general, "t1", ["mtls", "ewma"])).toEqual({
      won: true,
      terms: ["ewma"],
    });
    // Confirmed: never again; and the claims are the ones the other calls see.
    await store.confirmEvent("slack", "Ev2", NOW + 1);
    expect(await store.claimEventAndTerms(claim("Ev2", NOW + 120_000), general, "t1", ["ewma"])).toEqual({
      won: false,
      terms: [],
    });
    expect(await store.claimEvent("slack", "Ev1", NOW + 61_000)).toBe(false);
    expect(await store.explainedInThread(general, "t1")).toEqual(new Set(["egress", "mtls", "ewma"]));
  });

  it("claims events with their terms at once across replicas: each event once, each term of a thread once", async () => {
    const replica = await open();
    const claim = (eventId: string) => ({ platform: "slack", eventId, at: NOW, leaseMs: 30_000 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? store : replica).claimEventAndTerms(claim(`Ev${i % 10}`), general, `t${i % 10}`, [
          "egress",
          "mtls",
        ]),
      ),
    );
    for (let e = 0; e < 10; e++) {
      const tries = results.filter((_, i) => i % 10 === e);
      expect(tries.map((r) => r.won).sort()).toEqual([false, true]);
      expect(tries.find((r) => r.won)?.terms).toEqual(["egress", "mtls"]);
      expect(tries.find((r) => !r.won)?.terms).toEqual([]);
    }
    // Two events starting one thread at once: each term goes to one of them.
    const both = await Promise.all([
      store.claimEventAndTerms(claim("EvA"), general, "shared", ["egress", "mtls"]),
      replica.claimEventAndTerms(claim("EvB"), general, "shared", ["mtls", "egress"]),
      store.claimEventAndTerms(claim("EvC"), general, "shared", ["egress"]),
    ]);
    expect(both.every((r) => r.won)).toBe(true);
    expect(both.flatMap((r) => r.terms).sort()).toEqual(["egress", "mtls"]);
  });

  it("never deadlocks when replicas claim one set of threads with their terms in opposite orders", async () => {
    const replica = await open();
    const claim = (eventId: string) => ({ platform: "slack", eventId, at: NOW, leaseMs: 30_000 });
    const terms = ["egress", "mtls", "ewma", "sidecar-proxy"];
    for (let round = 0; round < 50; round++) {
      const threads = ["a", "b", "c", "d"].map((t) => `round${round}-${t}`);
      const results = await Promise.all([
        ...threads.map((thread, i) =>
          store.claimEventAndTerms(claim(`S${round}-${i}`), general, thread, terms),
        ),
        ...[...threads]
          .reverse()
          .map((thread, i) =>
            replica.claimEventAndTerms(claim(`R${round}-${i}`), general, thread, [...terms].reverse()),
          ),
      ]);
      // Every claim is answered, and each thread explains each term once.
      expect(results.every((r) => r.won)).toBe(true);
      expect(results.flatMap((r) => r.terms)).toHaveLength(threads.length * terms.length);
    }
  });

  it("handles a redelivered event once", async () => {
    expect(await store.claimEvent("slack", "Ev1", NOW)).toBe(true);
    expect(await store.claimEvent("slack", "Ev1", NOW + 5)).toBe(false);
    expect(await store.claimEvent("discord", "Ev1", NOW)).toBe(true);
  });

  it("claims an event for a lease: a redelivery meanwhile is refused, one after the lease takes over", async () => {
    expect(await store.claimEvent("slack", "Ev2", NOW, 1000)).toBe(true);
    expect(await store.claimEvent("slack", "Ev2", NOW + 999, 1000)).toBe(false);
    // The first claimant died without answering: the redelivery after the lease answers it.
    expect(await store.claimEvent("slack", "Ev2", NOW + 1000, 1000)).toBe(true);
    expect(await store.claimEvent("slack", "Ev2", NOW + 1500, 1000)).toBe(false);
    await store.confirmEvent("slack", "Ev2", NOW + 1600);
    // Answered: never again, however late the redelivery.
    expect(await store.claimEvent("slack", "Ev2", NOW + DAY / 2, 1000)).toBe(false);
  });

  it("releases a claim whose answer failed, so the redelivery answers at once; a confirmed one stays", async () => {
    expect(await store.claimEvent("slack", "Ev3", NOW, 60_000)).toBe(true);
    await store.releaseEvent("slack", "Ev3");
    expect(await store.claimEvent("slack", "Ev3", NOW + 1, 60_000)).toBe(true);
    await store.confirmEvent("slack", "Ev3", NOW + 2);
    await store.releaseEvent("slack", "Ev3");
    expect(await store.claimEvent("slack", "Ev3", NOW + 3, 60_000)).toBe(false);
  });

  it("records an event answered even when its claim is no longer on record", async () => {
    await store.confirmEvent("slack", "Ev5", NOW);
    expect(await store.claimEvent("slack", "Ev5", NOW + 1, 60_000)).toBe(false);
    // Confirmations asked together may go in one statement: one event twice in it is recorded once.
    await Promise.all([0, 1, 2].map((i) => store.confirmEvent("slack", "Ev6", NOW + i)));
    expect(await store.claimEvent("slack", "Ev6", NOW + 2, 60_000)).toBe(false);
  });

  it("lets exactly one of two replicas claim an event, and one again after a release", async () => {
    const replica = await open();
    const first = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? store : replica).claimEvent("slack", "Ev4", NOW, 60_000)),
    );
    expect(first.filter(Boolean)).toHaveLength(1);
    await replica.releaseEvent("slack", "Ev4");
    const second = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? store : replica).claimEvent("slack", "Ev4", NOW + 1, 60_000),
      ),
    );
    expect(second.filter(Boolean)).toHaveLength(1);
  });

  it("gives back the terms of an explanation that was not posted, and only those", async () => {
    await store.claimExplained(general, "t0", ["mtls"], NOW - 2 * DAY, DAY);
    expect(await store.claimExplained(general, "t1", ["egress", "mtls"], NOW, DAY)).toEqual([
      "egress",
      "mtls",
    ]);
    await store.releaseExplained(general, "t1", ["egress", "mtls"], NOW);
    expect(await store.explainedInThread(general, "t1")).toEqual(new Set());
    expect(await store.explainedInThread(general, "t0")).toEqual(new Set(["mtls"]));
    // The cooldown the failed claim started is gone too: the next message explains them.
    expect(await store.claimExplained(general, "t2", ["egress", "mtls"], NOW + 5, DAY)).toEqual([
      "egress",
      "mtls",
    ]);
    // A release for another moment leaves an explanation that was posted alone.
    await store.releaseExplained(general, "t2", ["egress"], NOW + 6);
    expect(await store.explainedInThread(general, "t2")).toEqual(new Set(["egress", "mtls"]));
  });

  it("lets the redelivery of an event take over the terms its dead claimant claimed, and nobody else", async () => {
    expect(await store.claimExplained(general, "t1", ["egress", "mtls"], NOW, DAY, "Ev5")).toEqual([
      "egress",
      "mtls",
    ]);
    expect(await store.explainedInThread(general, "t1", "Ev5")).toEqual(new Set());
    expect(await store.explainedInThread(general, "t1", "Ev6")).toEqual(new Set(["egress", "mtls"]));
    expect(await store.claimExplained(general, "t1", ["egress"], NOW + 1, DAY, "Ev6")).toEqual([]);
    expect(await store.claimExplained(general, "t1", ["egress", "mtls"], NOW + 2, DAY, "Ev5")).toEqual([
      "egress",
      "mtls",
    ]);
    // Taken over at the new moment: a failure of this answer releases them.
    await store.releaseExplained(general, "t1", ["egress", "mtls"], NOW + 2);
    expect(await store.explainedInThread(general, "t1")).toEqual(new Set());
  });

  it("answers a health check while it works, and fails it once closed", async () => {
    await expect(store.check()).resolves.toBeUndefined();
    await store.close();
    await expect(store.check()).rejects.toThrow(/closed/);
  });

  it("keeps concurrent writes of settings and counts intact", async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        Promise.all([
          store.recordLookup({ termId: "egress" }, NOW + i),
          store.setSilenced(general, `term-${i % 5}`, true, "U1", NOW + i),
        ]),
      ),
    );
    const stats = await store.lookupStats(5);
    expect(stats.top).toEqual([{ key: "egress", count: 50, lastAt: expect.any(Number) }]);
    expect((await store.channel(general)).silenced).toHaveLength(5);
  });

  it("adds a batch of lookups in one write, keeping the latest time", async () => {
    await store.recordLookup({ termId: "egress" }, NOW + 5);
    await store.recordLookup({ termId: "egress" }, NOW + 2, 40);
    await store.recordLookup({ missedQuery: "kafka" }, NOW, 3);
    const stats = await store.lookupStats(10);
    expect(stats.top).toEqual([{ key: "egress", count: 41, lastAt: NOW + 5 }]);
    expect(stats.misses).toEqual([{ key: "kafka", count: 3, lastAt: NOW }]);
  });

  it("counts lookups per term and misses by their normalised query", async () => {
    for (const termId of ["egress", "egress", "mtls"]) await store.recordLookup({ termId }, NOW);
    for (const q of ["pizza", "kafka", "kafka"]) await store.recordLookup({ missedQuery: q }, NOW);
    const stats = await store.lookupStats(10);
    expect(stats.top.map((c) => [c.key, c.count])).toEqual([
      ["egress", 2],
      ["mtls", 1],
    ]);
    expect(stats.misses.map((c) => [c.key, c.count])).toEqual([
      ["kafka", 2],
      ["pizza", 1],
    ]);
  });

  it("forgets old threads and delivered events but keeps settings", async () => {
    await store.setAutoExplain(general, true, "U1", NOW - 90 * DAY);
    await store.claimExplained(general, "old", ["egress"], NOW - 40 * DAY, DAY);
    await store.claimExplained(general, "new", ["mtls"], NOW - DAY, DAY);
    await store.claimEvent("slack", "old-event", NOW - 2 * DAY);
    await store.claimEvent("slack", "new-event", NOW - 1000);
    await store.expire(NOW);
    expect(await store.explainedInThread(general, "old")).toEqual(new Set());
    expect(await store.explainedInThread(general, "new")).toEqual(new Set(["mtls"]));
    expect(await store.lastExplained(general, ["egress"])).toEqual(new Map());
    expect(await store.claimEvent("slack", "old-event", NOW)).toBe(true);
    expect(await store.claimEvent("slack", "new-event", NOW)).toBe(false);
    expect((await store.channel(general)).autoExplain).toBe(true);
  });
});
