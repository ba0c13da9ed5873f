import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MeshBot } from "../../src/bot/mesh-bot.js";
import type { Reply } from "../../src/core/command.js";
import { silentLogger } from "../../src/logger.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { realGlossary } from "../helpers.js";

const ref = { platform: "slack", workspace: "T1", channel: "C1" };
const admin = { id: "U1", canManageChannel: true };
const member = { id: "U2", canManageChannel: false };
const DAY = 86_400_000;

let store: SqliteStore;
let bot: MeshBot;
let now: number;

beforeEach(() => {
  now = 1_800_000_000_000;
  store = SqliteStore.open("sqlite::memory:");
  bot = new MeshBot({
    glossary: realGlossary(),
    store,
    logger: silentLogger(),
    autoExplain: { cooldownMs: DAY, maxTerms: 5 },
    now: () => now,
  });
});

afterEach(() => store.close());

function message(text: string, extra: Partial<Parameters<MeshBot["message"]>[0]> = {}) {
  return bot.message({ ref, thread: "t1", user: "U3", fromBot: false, text, ...extra });
}

const ids = (reply: Reply | undefined) =>
  reply?.kind === "explanation" ? reply.terms.map((d) => d.term.id) : [];

describe("MeshBot", () => {
  it("counts what people look up, and the misses by their normalised query only", async () => {
    await bot.command(ref, member, "define egres");
    await bot.command(ref, member, "what is PIZZA??");
    await bot.command(ref, member, "define");
    const stats = await bot.stats(10);
    expect(stats.top.map((c) => [c.key, c.count])).toEqual([["egress", 1]]);
    expect(stats.misses.map((c) => c.key)).toEqual(["pizza"]);
  });

  it("lets only people who may manage the channel turn auto-explain on", async () => {
    expect(await bot.command(ref, member, "autoexplain on")).toEqual({
      kind: "denied",
      action: "autoexplain on",
      permission: "manage",
    });
    expect((await store.channel(ref)).autoExplain).toBe(false);
    const on = await bot.command(ref, admin, "autoexplain on");
    expect(on).toMatchObject({ kind: "autoExplainSettings", change: "on", enabled: true, changedBy: "U1" });
  });

  it("lets anyone mute their own messages", async () => {
    const muted = await bot.command(ref, member, "autoexplain mute");
    expect(muted).toMatchObject({ kind: "autoExplainSettings", change: "mute", userMuted: true });
    await bot.command(ref, admin, "autoexplain on");
    expect(await message("egress", { user: member.id })).toBeUndefined();
  });

  it("silences a term by any of its names, and says so when there is no such term", async () => {
    const silenced = await bot.command(ref, admin, "autoexplain silence latencies");
    expect(silenced).toMatchObject({
      kind: "autoExplainSettings",
      change: "silence",
      term: { id: "latency" },
    });
    expect(await bot.command(ref, admin, "autoexplain silence pizza")).toMatchObject({ kind: "notFound" });
  });

  it("explains jargon in opted-in channels only, each term once per thread", async () => {
    expect(await message("our egress needs mTLS")).toBeUndefined();
    await bot.command(ref, admin, "autoexplain on");
    expect(ids(await message("our egress needs mTLS"))).toEqual(["egress", "mtls"]);
    expect(ids(await message("egress and EWMA"))).toEqual(["ewma"]);
  });

  it("answers a redelivered message once", async () => {
    await bot.command(ref, admin, "autoexplain on");
    expect(ids(await message("egress", { eventId: "Ev1" }))).toEqual(["egress"]);
    expect(await message("egress", { eventId: "Ev1", thread: "t2" })).toBeUndefined();
  });

  it("respects the channel cooldown across threads, then explains again", async () => {
    await bot.command(ref, admin, "autoexplain on");
    expect(ids(await message("egress"))).toEqual(["egress"]);
    expect(await message("egress", { thread: "t2" })).toBeUndefined();
    now += DAY;
    expect(ids(await message("egress", { thread: "t3" }))).toEqual(["egress"]);
  });

  it("lists every term of a message on request, with no policy applied", () => {
    const reply = bot.explainText("mTLS adds latency");
    expect(reply).toMatchObject({ kind: "explanation", mode: "requested" });
    expect(ids(reply)).toEqual(["mtls", "latency"]);
  });

  it("still answers when statistics cannot be written", async () => {
    await store.close();
    const reply = await bot.command(ref, member, "define egress");
    expect(reply).toMatchObject({ kind: "definition", term: { id: "egress" } });
  });
});
