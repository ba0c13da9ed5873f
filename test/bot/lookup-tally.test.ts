import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LookupTally } from "../../src/bot/lookup-tally.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { Store } from "../../src/store/store.js";
import { memoryLogger } from "../adapters/slack/harness.js";

const T1 = { platform: "slack", workspace: "T1" };
const T2 = { platform: "slack", workspace: "T2" };
const NOW = 1_700_000_000_000;

let store: SqliteStore;
/** Every store write the tally made: [which, key, count]. */
let writes: [string, string, number][];

/** The store, with its lookup writes recorded. */
function recording(inner: SqliteStore): Store {
  const team = new Proxy(inner.team, {
    get(target, key, receiver) {
      if (key !== "recordLookup") return Reflect.get(target, key, receiver);
      return (
        ws: { workspace: string },
        result: { termId?: string; missedQuery?: string },
        at: number,
        n = 1,
      ) => {
        writes.push([`team ${ws.workspace}`, result.termId ?? `?${result.missedQuery}`, n]);
        return target.recordLookup(ws as typeof T1, result as { termId: string }, at, n);
      };
    },
  });
  return new Proxy(inner, {
    get(target, key, receiver) {
      if (key === "team") return team;
      if (key !== "recordLookup") return Reflect.get(target, key, receiver);
      return (result: { termId?: string; missedQuery?: string }, at: number, n = 1) => {
        writes.push(["all", result.termId ?? `?${result.missedQuery}`, n]);
        return target.recordLookup(result as { termId: string }, at, n);
      };
    },
  }) as Store;
}

beforeEach(() => {
  store = SqliteStore.open("sqlite::memory:");
  writes = [];
});
afterEach(() => store.close());

describe("LookupTally", () => {
  it("writes a burst of lookups as one write per term and workspace, and the whole bot's sums", async () => {
    const tally = new LookupTally(recording(store), memoryLogger().logger);
    for (let i = 0; i < 100; i++) tally.add(T1, { termId: "egress" }, NOW + i);
    tally.add(T2, { termId: "egress" }, NOW);
    tally.add(T1, { missedQuery: "kafka" }, NOW);
    // Nothing is written while the asker waits.
    expect(writes).toEqual([]);
    await tally.flush();
    expect(writes.sort()).toEqual([
      ["all", "?kafka", 1],
      ["all", "egress", 101],
      ["team T1", "?kafka", 1],
      ["team T1", "egress", 100],
      ["team T2", "egress", 1],
    ]);
    expect((await store.lookupStats(5)).top).toEqual([{ key: "egress", count: 101, lastAt: NOW + 99 }]);
    expect((await store.team.lookupStats(T1, 5)).top).toEqual([
      { key: "egress", count: 100, lastAt: NOW + 99 },
    ]);
  });

  it("writes by itself once the interval has passed, and only what is new", async () => {
    const tally = new LookupTally(recording(store), memoryLogger().logger, 20);
    tally.add(T1, { termId: "mtls" }, NOW);
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    tally.add(T1, { termId: "mtls" }, NOW + 1);
    await vi.waitFor(() => expect(writes).toHaveLength(4));
    await tally.flush();
    expect(writes).toHaveLength(4);
    expect((await store.lookupStats(5)).top).toEqual([{ key: "mtls", count: 2, lastAt: NOW + 1 }]);
  });

  it("logs a store that fails and drops those counts, without failing anyone", async () => {
    const { logger, lines } = memoryLogger();
    const tally = new LookupTally(store, logger);
    tally.add(T1, { termId: "egress" }, NOW);
    await store.close();
    await expect(tally.flush()).resolves.toBeUndefined();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, msg: "could not record lookup statistics", failed: 2, of: 2 }),
    );
    store = SqliteStore.open("sqlite::memory:");
  });
});
