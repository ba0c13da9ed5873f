// Replicas on PostgreSQL keep channel settings and mutes for a few seconds: what one changes is seen at once
// by itself and within the TTL by the others; a failed read is never kept.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withSettingsCache } from "../../src/store/cached.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { Store } from "../../src/store/store.js";

const ref = { platform: "slack", workspace: "T1", channel: "C1" };
let shared: SqliteStore;
let now: number;
let replicaA: Store;
let replicaB: Store;

beforeEach(() => {
  shared = SqliteStore.open("sqlite::memory:");
  now = 1_800_000_000_000;
  replicaA = withSettingsCache(shared, 5000, () => now);
  replicaB = withSettingsCache(shared, 5000, () => now);
});
afterEach(() => shared.close());

describe("the settings cache", () => {
  it("shows a replica its own change at once, and another replica's within the TTL", async () => {
    expect((await replicaA.channel(ref)).autoExplain).toBe(false);
    expect((await replicaB.channel(ref)).autoExplain).toBe(false);
    await replicaA.setAutoExplain(ref, true, "U1", now);
    expect((await replicaA.channel(ref)).autoExplain).toBe(true);
    expect((await replicaB.channel(ref)).autoExplain).toBe(false);
    now += 5000;
    expect((await replicaB.channel(ref)).autoExplain).toBe(true);
  });

  it("does the same for mutes and silenced terms", async () => {
    expect(await replicaA.isMuted("slack", "T1", "U9")).toBe(false);
    await replicaA.setMuted("slack", "T1", "U9", true, now);
    expect(await replicaA.isMuted("slack", "T1", "U9")).toBe(true);
    await replicaA.channel(ref);
    await replicaA.setSilenced(ref, "pod", true, "U1", now);
    expect((await replicaA.channel(ref)).silenced).toEqual(["pod"]);
  });

  it("keeps no failed read: the next call asks the store again", async () => {
    let calls = 0;
    const flaky = new Proxy(shared, {
      get(target, key) {
        if (key === "channel") {
          return async () => {
            calls += 1;
            if (calls === 1) throw new Error("the database is away");
            return target.channel(ref);
          };
        }
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const cached = withSettingsCache(flaky, 5000, () => now);
    await expect(cached.channel(ref)).rejects.toThrow(/away/);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await cached.channel(ref)).autoExplain).toBe(false);
    expect(calls).toBe(2);
  });

  it("passes everything else straight to the store", async () => {
    expect(await replicaA.claimEvent("slack", "Ev1", now)).toBe(true);
    expect(await replicaB.claimEvent("slack", "Ev1", now)).toBe(false);
  });
});
