// The installation contract, on SQLite and PostgreSQL: one installation a workspace, tokens sealed at rest,
// key rotation, and the 30 days a workspace's settings outlive its removal of the app.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { MeshError } from "../../src/core/errors.js";
import type { Installation } from "../../src/store/installations.js";
import {
  freshStores,
  POSTGRES_TARGET,
  postgresDatabase,
  sqliteDatabase,
  warmUpPostgres,
} from "./databases.js";

const DAY = 24 * 3600_000;
const NOW = 1_800_000_000_000;
const KEY = randomBytes(32);
const NEXT_KEY = randomBytes(32);

const BOT_TOKEN = "xoxb-111-222-plaintextBotToken";
const REFRESH_TOKEN = "xoxe-1-plaintextRefreshToken";

function installation(workspace: string, bot = BOT_TOKEN): Installation {
  return {
    platform: "slack",
    workspace,
    secrets: { bot, botRefresh: REFRESH_TOKEN },
    details: JSON.stringify({ team: { id: workspace, name: `Team ${workspace}` }, bot: { userId: "UBOT" } }),
  };
}

beforeAll(warmUpPostgres, 120_000);

describe.each([
  ["SQLite", sqliteDatabase],
  [POSTGRES_TARGET, postgresDatabase],
] as const)("installations in the %s store", (_, makeDatabase) => {
  const db = freshStores(makeDatabase, { encryption: { key: KEY } });

  it("keeps one installation a workspace and gives its tokens back", async () => {
    await db.store.saveInstallation(installation("T1"), NOW);
    await db.store.saveInstallation(installation("T2", "xoxb-team-two"), NOW);
    expect(await db.store.installation("slack", "T1")).toEqual(installation("T1"));
    expect((await db.store.installation("slack", "T2"))?.secrets.bot).toBe("xoxb-team-two");
    expect(await db.store.installation("slack", "T3")).toBeUndefined();
    expect(await db.store.installation("discord", "T1")).toBeUndefined();
  });

  it("replaces a workspace's installation when it installs again or its token is refreshed", async () => {
    await db.store.saveInstallation(installation("T1"), NOW);
    await db.store.saveInstallation(installation("T1", "xoxe.xoxb-refreshed"), NOW + 1);
    expect((await db.store.installation("slack", "T1"))?.secrets.bot).toBe("xoxe.xoxb-refreshed");
    expect(await db.database.rows("SELECT installed_at, updated_at FROM installations")).toEqual([
      { installed_at: expect.anything(), updated_at: expect.anything() },
    ]);
  });

  it("never writes a token in clear, and keeps the installation across a restart", async () => {
    await db.store.saveInstallation(installation("T1"), NOW);
    const rows = await db.database.rows("SELECT * FROM installations");
    expect(rows).toHaveLength(1);
    const text = JSON.stringify(rows);
    expect(text).toContain("T1");
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain(REFRESH_TOKEN);
    expect(text).not.toContain("plaintext");
    // Each token is sealed on its own, with its own nonce.
    const sealed = JSON.parse(String(rows[0]?.secrets)) as Record<string, string>;
    expect(Object.keys(sealed).sort()).toEqual(["bot", "botRefresh"]);
    expect(sealed.bot?.split(".")[2]).not.toBe(sealed.botRefresh?.split(".")[2]);
    await db.closeAll();
    for (const file of db.database.files()) {
      expect(readFileSync(file).includes("plaintext"), file).toBe(false);
    }
    const again = await db.open();
    expect(await again.installation("slack", "T1")).toEqual(installation("T1"));
  });

  it("reads tokens sealed under the previous key and seals them again under the new one", async () => {
    await db.store.saveInstallation(installation("T1"), NOW);
    await db.store.close();
    const rotating = await db.open({ encryption: { key: NEXT_KEY, previousKey: KEY } });
    expect(await rotating.installation("slack", "T1")).toEqual(installation("T1"));
    await rotating.close();
    // Every token is now under the new key: the old one can go.
    const rotated = await db.open({ encryption: { key: NEXT_KEY } });
    expect(await rotated.installation("slack", "T1")).toEqual(installation("T1"));
  });

  it("seals again at its hourly clean-up what a replica still on the old key wrote meanwhile", async () => {
    const rotated = await db.open({ encryption: { key: NEXT_KEY, previousKey: KEY } });
    // `store` still runs with the old key only, as a replica not yet restarted would.
    await db.store.saveInstallation(installation("T2"), NOW);
    await rotated.expire(NOW);
    const onlyNew = await db.open({ encryption: { key: NEXT_KEY } });
    expect(await onlyNew.installation("slack", "T2")).toEqual(installation("T2"));
  });

  it("says which setting is missing when a token was sealed under a key it does not have", async () => {
    await db.store.saveInstallation(installation("T1"), NOW);
    const other = await db.open({ encryption: { key: randomBytes(32) } });
    const error = await other.installation("slack", "T1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeshError);
    expect((error as MeshError).message).toContain("MESH_ENCRYPTION_KEY_PREVIOUS");
  });

  it("refuses to keep an installation without MESH_ENCRYPTION_KEY", async () => {
    const keyless = await db.open({});
    await expect(keyless.saveInstallation(installation("T1"), NOW)).rejects.toThrow(/MESH_ENCRYPTION_KEY/);
    expect(await db.database.rows("SELECT * FROM installations")).toEqual([]);
  });

  it("deletes the installation at once and the workspace's settings 30 days later", async () => {
    const general = { platform: "slack", workspace: "T1", channel: "C1" };
    const stays = { platform: "slack", workspace: "T2", channel: "C1" };
    for (const ref of [general, stays]) {
      await db.store.saveInstallation(installation(ref.workspace), NOW - 40 * DAY);
      await db.store.setAutoExplain(ref, true, "U1", NOW - 40 * DAY);
      await db.store.setSilenced(ref, "latency", true, "U1", NOW - 40 * DAY);
      await db.store.setMuted("slack", ref.workspace, "U9", true, NOW - 40 * DAY);
    }
    await db.store.claimExplained(general, "t1", ["egress"], NOW - 2 * DAY, DAY);

    expect(await db.store.deleteInstallation("slack", "T1", NOW - 31 * DAY)).toBe(true);
    expect(await db.store.installation("slack", "T1")).toBeUndefined();
    expect(await db.store.deleteInstallation("slack", "T1", NOW - 20 * DAY)).toBe(false);
    expect(await db.store.deleteInstallation("slack", "T2", NOW - 29 * DAY)).toBe(true);
    const sealedRows = await db.database.rows("SELECT workspace FROM installations");
    expect(sealedRows).toEqual([]);

    await db.store.expire(NOW);
    expect(await db.store.channel(general)).toMatchObject({ autoExplain: false, silenced: [] });
    expect(await db.store.isMuted("slack", "T1", "U9")).toBe(false);
    expect(await db.store.explainedInThread(general, "t1")).toEqual(new Set());
    // Gone for less than 30 days: everything is still there if it comes back.
    expect(await db.store.channel(stays)).toMatchObject({ autoExplain: true, silenced: ["latency"] });
    expect(await db.store.isMuted("slack", "T2", "U9")).toBe(true);
  });

  it("keeps the settings of a workspace that came back within the 30 days", async () => {
    const ref = { platform: "slack", workspace: "T1", channel: "C1" };
    await db.store.saveInstallation(installation("T1"), NOW - 50 * DAY);
    await db.store.setAutoExplain(ref, true, "U1", NOW - 50 * DAY);
    await db.store.deleteInstallation("slack", "T1", NOW - 45 * DAY);
    await db.store.saveInstallation(installation("T1"), NOW - 40 * DAY);
    await db.store.expire(NOW);
    expect((await db.store.channel(ref)).autoExplain).toBe(true);
    expect(await db.store.installation("slack", "T1")).toEqual(installation("T1"));
  });
});
