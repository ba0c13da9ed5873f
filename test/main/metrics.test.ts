import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/metrics.js";
import { SqliteStore } from "../../src/store/sqlite.js";

const REF = { platform: "slack", workspace: "T1", channel: "C1" };

describe("the store's metrics", () => {
  it("times every call by operation and counts the failed ones, however often a method is used", async () => {
    const metrics = createMetrics();
    const sqlite = SqliteStore.open("sqlite::memory:");
    const store = metrics.instrumentStore(sqlite);
    // The same method, fetched again for each call, stays one operation with one count.
    for (let i = 0; i < 3; i++) expect(await store.claimEvent("slack", `Ev${i}`, 1_000)).toBe(true);
    expect(await store.claimEvent("slack", "Ev0", 1_001)).toBe(false);
    await store.setAutoExplain(REF, true, "U1", 1_000);
    expect((await store.channel(REF)).autoExplain).toBe(true);
    await sqlite.close();
    // A closed store fails: the call rejects as it would have, and is counted as an error.
    await expect(store.channel(REF)).rejects.toThrow();
    await expect(store.setAutoExplain(REF, false, "U1", 2_000)).rejects.toThrow();
    const { body } = await metrics.page();
    expect(body).toMatch(/^mesh_store_operation_duration_seconds_count\{operation="claimEvent"\} 4$/m);
    expect(body).toMatch(/^mesh_store_operation_duration_seconds_count\{operation="channel"\} 2$/m);
    expect(body).toMatch(/^mesh_store_operation_duration_seconds_count\{operation="setAutoExplain"\} 2$/m);
    expect(body).toMatch(/^mesh_store_errors_total\{operation="channel"\} 1$/m);
    expect(body).toMatch(/^mesh_store_errors_total\{operation="setAutoExplain"\} 1$/m);
    expect(body).not.toMatch(/^mesh_store_errors_total\{operation="claimEvent"\}/m);
  });
});
