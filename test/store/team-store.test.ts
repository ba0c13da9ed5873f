// The team store's contract, on SQLite and on PostgreSQL: team terms with every revision, glossary settings,
// proposals decided once, per-workspace lookups, and changes heard by another replica.
import { beforeAll, describe, expect, it } from "vitest";
import { cleanFields } from "../../src/core/team.js";
import type { WorkspaceRef } from "../../src/store/team.js";
import {
  freshStores,
  POSTGRES_TARGET,
  postgresDatabase,
  sqliteDatabase,
  warmUpPostgres,
} from "./databases.js";

const T1: WorkspaceRef = { platform: "slack", workspace: "T1" };
const T2: WorkspaceRef = { platform: "slack", workspace: "T2" };
const NOW = 1_800_000_000_000;
const kraken = cleanFields({ term: "Kraken", summary: "Our ingress cluster in eu-west", aliases: "krk" });

beforeAll(warmUpPostgres, 120_000);

describe.each([
  ["SQLite", sqliteDatabase],
  [POSTGRES_TARGET, postgresDatabase],
] as const)("the %s team store", (_, makeDatabase) => {
  const db = freshStores(makeDatabase);

  it("adds a term once, per workspace, and keeps it across a restart", async () => {
    const added = await db.store.team.add(T1, "kraken", kraken, ["ingress"], "U1", NOW);
    expect(added).toMatchObject({ ok: true, record: { id: "kraken", revision: 1, addedBy: "U1" } });
    expect(await db.store.team.add(T1, "kraken", kraken, [], "U2", NOW)).toMatchObject({
      ok: false,
      reason: "exists",
    });
    expect(await db.store.team.terms(T2)).toEqual([]);
    const again = await db.open();
    const [term] = await again.team.terms(T1);
    expect(term).toMatchObject({ id: "kraken", fields: kraken, relatedIds: ["ingress"], revision: 1 });
    expect(await again.team.workspaces()).toEqual([T1]);
  });

  it("edits against the revision it read, and refuses a stale edit with the current text", async () => {
    await db.store.team.add(T1, "kraken", kraken, [], "U1", NOW);
    const first = { ...kraken, summary: "The ingress cluster, now in eu-central" };
    expect(await db.store.team.edit(T1, "kraken", first, [], 1, "U2", NOW + 1)).toMatchObject({
      ok: true,
      record: { revision: 2, changedBy: "U2", addedBy: "U1" },
    });
    const late = { ...kraken, summary: "Someone else's idea" };
    const refused = await db.store.team.edit(T1, "kraken", late, [], 1, "U3", NOW + 2);
    expect(refused).toMatchObject({ ok: false, reason: "conflict", current: { revision: 2, fields: first } });
    expect(await db.store.team.edit(T1, "nope", late, [], undefined, "U3", NOW)).toEqual({
      ok: false,
      reason: "missing",
    });
  });

  it("keeps every revision, removal included, and numbers on after a term comes back", async () => {
    await db.store.team.add(T1, "kraken", kraken, [], "U1", NOW);
    await db.store.team.edit(T1, "kraken", { ...kraken, summary: "Two" }, [], undefined, "U2", NOW + 1);
    await db.store.team.remove(T1, "kraken", "U3", NOW + 2);
    expect(await db.store.team.terms(T1)).toEqual([]);
    await db.store.team.add(T1, "kraken", kraken, [], "U4", NOW + 3);
    const history = await db.store.team.history(T1, "kraken");
    expect(history.map((r) => [r.revision, r.action, r.by])).toEqual([
      [1, "add", "U1"],
      [2, "edit", "U2"],
      [3, "remove", "U3"],
      [4, "add", "U4"],
    ]);
    expect(history[2]?.fields.summary).toBe("Two");
    const recent = await db.store.team.recent(T1, 2);
    expect(recent.map((r) => r.revision)).toEqual([4, 3]);
  });

  it("starts in review mode, and remembers the mode and the review channel separately", async () => {
    expect(await db.store.team.settings(T1)).toEqual({
      mode: "review",
      reviewChannel: undefined,
      changedBy: undefined,
      changedAt: undefined,
    });
    await db.store.team.setSettings(T1, { reviewChannel: "C9" }, "U1", NOW);
    const open = await db.store.team.setSettings(T1, { mode: "open" }, "U2", NOW + 1);
    expect(open).toEqual({ mode: "open", reviewChannel: "C9", changedBy: "U2", changedAt: NOW + 1 });
    expect((await db.store.team.setSettings(T1, { reviewChannel: null }, "U2", NOW + 2)).reviewChannel).toBe(
      undefined,
    );
    expect((await db.store.team.settings(T2)).mode).toBe("review");
  });

  it("decides a proposal once, whoever clicks second", async () => {
    const p = await db.store.team.propose({
      platform: "slack",
      workspace: "T1",
      action: "add",
      termId: "kraken",
      fields: kraken,
      relatedIds: [],
      baseRevision: undefined,
      proposedBy: "U5",
      proposedAt: NOW,
      channel: "C1",
      reviewers: ["U1"],
    });
    expect(await db.store.team.openProposals(T1, 10)).toEqual([p]);
    const [a, b] = await Promise.all([
      db.store.team.decide(p.id, "approved", "U1", NOW + 1),
      db.store.team.decide(p.id, "rejected", "U2", NOW + 1),
    ]);
    const decided = [a, b].filter((x) => x !== undefined);
    expect(decided).toHaveLength(1);
    expect(await db.store.team.proposal(p.id)).toMatchObject({ status: decided[0]?.status });
    expect(await db.store.team.openProposals(T1, 10)).toEqual([]);
  });

  it("counts lookups per workspace", async () => {
    await db.store.team.recordLookup(T1, { termId: "egress" }, NOW);
    await db.store.team.recordLookup(T1, { termId: "egress" }, NOW + 1);
    await db.store.team.recordLookup(T1, { missedQuery: "kafka" }, NOW);
    await db.store.team.recordLookup(T2, { termId: "mtls" }, NOW);
    const stats = await db.store.team.lookupStats(T1, 10);
    expect(stats.top.map((c) => [c.key, c.count])).toEqual([["egress", 2]]);
    expect(stats.misses.map((c) => c.key)).toEqual(["kafka"]);
  });

  it("adds a batch of a workspace's lookups in one write, keeping the latest time", async () => {
    await db.store.team.recordLookup(T1, { termId: "egress" }, NOW + 5);
    await db.store.team.recordLookup(T1, { termId: "egress" }, NOW + 2, 40);
    await db.store.team.recordLookup(T2, { termId: "egress" }, NOW, 7);
    const stats = await db.store.team.lookupStats(T1, 10);
    expect(stats.top).toEqual([{ key: "egress", count: 41, lastAt: NOW + 5 }]);
    expect((await db.store.team.lookupStats(T2, 10)).top).toEqual([{ key: "egress", count: 7, lastAt: NOW }]);
  });

  it("tells watchers in this process and on another replica that a workspace changed", async () => {
    const replica = await db.open();
    const here: (WorkspaceRef | undefined)[] = [];
    const there: (WorkspaceRef | undefined)[] = [];
    const stopHere = db.store.team.watch((ws) => here.push(ws));
    const stopThere = replica.team.watch((ws) => there.push(ws));
    // The other replica's LISTEN is set up asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await db.store.team.add(T1, "kraken", kraken, [], "U1", NOW);
    expect(here).toContainEqual(T1);
    if (db.database.name.startsWith("SQLite")) {
      // One file, one process: there is no other replica to tell.
      expect(there).toEqual([]);
    } else {
      await expect.poll(() => there, { timeout: 5000 }).toContainEqual(T1);
    }
    stopHere();
    stopThere();
  });
});
