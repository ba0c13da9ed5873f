import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Asker, Inbound } from "../../src/bot/conversation.js";
import { MeshBot } from "../../src/bot/mesh-bot.js";
import type { Reply } from "../../src/core/command.js";
import { silentLogger } from "../../src/logger.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { realGlossary } from "../helpers.js";
import { recorder } from "./recorder.js";

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

/** A channel message nobody addressed to the bot: auto-explain's business. */
function message(text: string, extra: { user?: string; thread?: string; eventId?: string } = {}) {
  const { user = "U3", ...rest } = extra;
  return bot.receive(
    {
      kind: "message",
      ref,
      asker: { id: user, canManageChannel: false },
      thread: "t1",
      text,
      addressed: false,
      fromBot: false,
      ...rest,
    },
    recorder(),
  );
}

/** `/mesh <text>`, asked privately as on Slack. */
function command(asker: Asker, text: string, responder = recorder()) {
  return bot.receive({ kind: "command", ref, asker, command: text, privately: true }, responder);
}

function receive(inbound: Inbound) {
  const r = recorder();
  return bot.receive(inbound, r).then((reply) => ({ reply, sent: r.sent, dismissed: () => r.dismissed }));
}

const ids = (reply: Reply | undefined) =>
  reply?.kind === "explanation" ? reply.terms.map((d) => d.term.id) : [];

describe("MeshBot", () => {
  it("counts what people look up, and the misses by their normalised query only", async () => {
    await command(member, "define egres");
    await command(member, "what is PIZZA??");
    await command(member, "define");
    const stats = await bot.stats(10);
    expect(stats.top.map((c) => [c.key, c.count])).toEqual([["egress", 1]]);
    expect(stats.misses.map((c) => c.key)).toEqual(["pizza"]);
  });

  it("writes the lookups it counted when it closes, so a restart loses none", async () => {
    await command(member, "define mtls");
    expect((await store.lookupStats(10)).top).toEqual([]);
    await bot.close();
    expect((await store.lookupStats(10)).top.map((c) => [c.key, c.count])).toEqual([["mtls", 1]]);
    expect((await store.team.lookupStats(ref, 10)).top.map((c) => [c.key, c.count])).toEqual([["mtls", 1]]);
  });

  it("lets only people who may manage the channel turn auto-explain on", async () => {
    expect(await command(member, "autoexplain on")).toEqual({
      kind: "denied",
      action: "autoexplain on",
      permission: "manage",
    });
    expect((await store.channel(ref)).autoExplain).toBe(false);
    const on = await command(admin, "autoexplain on");
    expect(on).toMatchObject({ kind: "autoExplainSettings", change: "on", enabled: true, changedBy: "U1" });
  });

  it("lets anyone mute their own messages", async () => {
    const muted = await command(member, "autoexplain mute");
    expect(muted).toMatchObject({ kind: "autoExplainSettings", change: "mute", userMuted: true });
    await command(admin, "autoexplain on");
    expect(await message("egress", { user: member.id })).toBeUndefined();
  });

  it("silences a term by any of its names, and says so when there is no such term", async () => {
    const silenced = await command(admin, "autoexplain silence latencies");
    expect(silenced).toMatchObject({
      kind: "autoExplainSettings",
      change: "silence",
      term: { id: "latency" },
    });
    expect(await command(admin, "autoexplain silence pizza")).toMatchObject({ kind: "notFound" });
  });

  it("explains jargon in opted-in channels only, each term once per thread", async () => {
    expect(await message("our egress needs mTLS")).toBeUndefined();
    await command(admin, "autoexplain on");
    expect(ids(await message("our egress needs mTLS"))).toEqual(["egress", "mtls"]);
    expect(ids(await message("egress and EWMA"))).toEqual(["ewma"]);
  });

  it("answers a redelivered message once", async () => {
    await command(admin, "autoexplain on");
    expect(ids(await message("egress", { eventId: "Ev1" }))).toEqual(["egress"]);
    expect(await message("egress", { eventId: "Ev1", thread: "t2" })).toBeUndefined();
  });

  it("respects the channel cooldown across threads, then explains again", async () => {
    await command(admin, "autoexplain on");
    expect(ids(await message("egress"))).toEqual(["egress"]);
    expect(await message("egress", { thread: "t2" })).toBeUndefined();
    now += DAY;
    expect(ids(await message("egress", { thread: "t3" }))).toEqual(["egress"]);
  });

  it("lists every term of a message on request, with no policy applied", async () => {
    const { reply } = await receive({ kind: "explain", ref, asker: member, text: "mTLS adds latency" });
    expect(reply).toMatchObject({ kind: "explanation", mode: "requested" });
    expect(ids(reply)).toEqual(["mtls", "latency"]);
  });

  it("still answers when statistics cannot be written", async () => {
    await store.close();
    const reply = await command(member, "define egress");
    expect(reply).toMatchObject({ kind: "definition", term: { id: "egress" } });
  });
});

describe("MeshBot owns the conversation", () => {
  const question = (text: string, eventId?: string): Inbound => ({
    kind: "message",
    ref,
    asker: admin,
    thread: "t9",
    eventId,
    text,
    addressed: true,
    fromBot: false,
  });

  it("answers a question where it was asked, for everyone there, once per event id", async () => {
    const first = await receive(question("what is mTLS?", "Ev7"));
    expect(first.reply).toMatchObject({ kind: "definition", term: { id: "mtls" } });
    expect(first.sent.map((s) => [s.to.kind, s.visibility])).toEqual([["here", "public"]]);
    expect(first.sent[0]?.text).toMatch(/^mTLS/);
    const again = await receive(question("what is mTLS?", "Ev7"));
    expect(again.reply).toBeUndefined();
    expect(again.sent).toEqual([]);
  });

  it("announces auto-explain turned on or off in the channel, naming who did it, on every route", async () => {
    const asked = await receive(question("autoexplain on"));
    expect(asked.sent.map((s) => s.to.kind)).toEqual(["here", "channel"]);
    expect(asked.sent[1]?.text).toContain("Auto-explain turned on by U1");
    const typed = recorder();
    await command(admin, "autoexplain off", typed);
    expect(typed.sent.map((s) => [s.to.kind, s.visibility])).toEqual([
      ["asker", "private"],
      ["channel", "public"],
    ]);
    expect(typed.sent[1]?.text).toContain("Auto-explain turned off by U1");
    // Nothing to announce when nothing changed, or when the change was refused.
    const refused = recorder();
    await command(member, "autoexplain on", refused);
    const status = recorder();
    await command(admin, "autoexplain status", status);
    expect([...refused.sent, ...status.sent].map((s) => s.to.kind)).toEqual(["asker", "asker"]);
  });

  it("shares definitions asked for in public, and keeps misses and browsing with the asker", async () => {
    const inPublic = (text: string) =>
      receive({ kind: "command", ref, asker: member, command: text, privately: false });
    expect((await inPublic("define egress")).sent.map((s) => [s.to.kind, s.visibility])).toEqual([
      ["here", "public"],
    ]);
    for (const text of ["define pizza", "search retries", "list", "help"]) {
      expect(
        (await inPublic(text)).sent.map((s) => s.to.kind),
        text,
      ).toEqual(["asker"]);
    }
    const secret = await receive({
      kind: "command",
      ref,
      asker: member,
      command: "define egress",
      privately: true,
      echo: "/mesh define egress",
    });
    expect(secret.sent.map((s) => [s.to.kind, s.visibility])).toEqual([["asker", "private"]]);
    expect(secret.sent[0]?.delivery.view.blocks[0]).toEqual({ type: "echo", text: "/mesh define egress" });
  });

  it("answers buttons through the bot: define, More, share, not jargon, and stale ones", async () => {
    const click = (action: Extract<Inbound, { kind: "action" }>["action"], fromPrivate = true) =>
      receive({ kind: "action", ref, asker: member, action, fromPrivate });
    const define = await click({ kind: "define", termId: "egress", privately: true });
    expect(define.sent.map((s) => s.to)).toEqual([{ kind: "asker", replace: true }]);
    const inPublic = await click({ kind: "define", termId: "egress", privately: false }, false);
    expect(inPublic.sent.map((s) => [s.to.kind, s.visibility])).toEqual([["here", "public"]]);
    const more = await click({ kind: "more", termId: "mtls" }, false);
    expect(more.sent.map((s) => s.to)).toEqual([{ kind: "asker", replace: false }]);
    expect(more.sent[0]?.delivery.view.blocks[0]).toMatchObject({ type: "card", expanded: true });
    const share = await click({ kind: "share", termId: "mtls" });
    expect(share.sent.map((s) => [s.to.kind, s.visibility])).toEqual([["here", "public"]]);
    expect(share.sent[0]?.text).toContain("Shared by U2");
    expect(share.dismissed()).toBe(1);
    const silence = await click({ kind: "silence", termId: "latency" }, false);
    expect(silence.reply).toMatchObject({ kind: "denied" });
    expect(silence.sent.map((s) => s.to.kind)).toEqual(["asker"]);
    const stale = await click({ kind: "more", termId: "no-such-term" });
    expect(stale.sent.map((s) => [s.to.kind, s.visibility])).toEqual([["asker", "private"]]);
    expect(stale.sent[0]?.text).toContain("That button no longer works");
  });

  it("explains jargon in a thread on the message, and says what it does when a conversation opens", async () => {
    await command(admin, "autoexplain on");
    const explained = await receive({
      kind: "message",
      ref,
      asker: member,
      thread: "t5",
      text: "egress",
      addressed: false,
      fromBot: false,
    });
    expect(explained.sent.map((s) => [s.to.kind, s.visibility])).toEqual([["thread", "public"]]);
    const opened = await receive({ kind: "open", ref, asker: member });
    expect(opened.sent[0]?.text).toContain("Auto-explain is on here");
  });

  it("completes what someone types, naming the alias that matched", async () => {
    expect((await bot.complete("circuit breaker", 3))[0]).toEqual({
      label: "Circuit breaking (circuit breaker)",
      termId: "circuit-breaking",
    });
    expect(await bot.complete("", 25)).toHaveLength(25);
  });
});
