// Answers never depend on bookkeeping, and each event is answered effectively once: claimed for a lease,
// delivered, then confirmed; a failed delivery gives its claim and its terms back for the redelivery.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Delivery, Inbound, Responder } from "../../src/bot/conversation.js";
import { MeshBot } from "../../src/bot/mesh-bot.js";
import type { BotObserver } from "../../src/bot/observer.js";
import { SETTINGS_UNAVAILABLE } from "../../src/present/messages.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { memoryLogger } from "../adapters/slack/harness.js";
import { realGlossary } from "../helpers.js";
import { recorder } from "./recorder.js";

const ref = { platform: "slack", workspace: "T1", channel: "C1" };
const LEASE = 10_000;
const JARGON = "our egress goes through the sidecar proxy with mTLS";

let store: SqliteStore;
let bot: MeshBot;
let now: number;
let logs: ReturnType<typeof memoryLogger>["lines"];
let observed: { requests: string[]; decisions: string[]; lookups: boolean[]; platformErrors: number };

beforeEach(async () => {
  now = 1_800_000_000_000;
  store = SqliteStore.open("sqlite::memory:");
  const memory = memoryLogger();
  logs = memory.lines;
  observed = { requests: [], decisions: [], lookups: [], platformErrors: 0 };
  const observer: BotObserver = {
    request: (platform, kind, outcome, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      observed.requests.push(`${platform}/${kind}/${outcome}`);
    },
    autoExplain: (_, reason) => observed.decisions.push(reason),
    lookup: (found) => observed.lookups.push(found),
    platformError: () => {
      observed.platformErrors += 1;
    },
  };
  bot = new MeshBot({
    glossary: realGlossary(),
    store,
    logger: memory.logger,
    autoExplain: { cooldownMs: 86_400_000, maxTerms: 5 },
    now: () => now,
    observer,
    claimLeaseMs: LEASE,
  });
  await store.setAutoExplain(ref, true, "U1", now);
});

afterEach(() => store.close());

const mention = (text: string, eventId: string): Inbound => ({
  kind: "message",
  ref,
  asker: { id: "U2", canManageChannel: true },
  thread: "t-mention",
  eventId,
  text,
  addressed: true,
  fromBot: false,
});
const channelMessage = (eventId: string, thread = "t1"): Extract<Inbound, { kind: "message" }> => ({
  kind: "message",
  ref,
  asker: { id: "U3", canManageChannel: false },
  thread,
  eventId,
  text: JARGON,
  addressed: false,
  fromBot: false,
});

/** A bot on the same store and clock with no cooldown: every thread explains its terms again. */
const botWithoutCooldown = () =>
  new MeshBot({
    glossary: realGlossary(),
    store,
    logger: memoryLogger().logger,
    autoExplain: { cooldownMs: 0, maxTerms: 5 },
    now: () => now,
    claimLeaseMs: LEASE,
  });

/** A responder whose platform refuses every message. */
function refusing(): Responder {
  const r = recorder();
  return {
    surface: r.surface,
    deliver: async (_: Delivery) => {
      throw Object.assign(new Error("an error occurred: 500"), { code: "slack_webapi_http_error" });
    },
    dismiss: r.dismiss,
  };
}

/** Makes every store call reject, as a database that went away does. */
function breakStore(): void {
  for (const method of [
    "channel",
    "claimEvent",
    "confirmEvent",
    "setAutoExplain",
    "isMuted",
    "claimExplained",
  ]) {
    (store as unknown as Record<string, unknown>)[method] = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    };
  }
}

describe("when the store fails", () => {
  it("still answers a question that needs no state, and the log names the store", async () => {
    breakStore();
    const r = recorder();
    const reply = await bot.receive(mention("what is mTLS?", "Ev1"), r);
    expect(reply?.kind).toBe("definition");
    expect(r.sent[0]?.text).toContain("mTLS");
    const warning = logs.find((l) => l.component === "store");
    expect(warning?.msg).toMatch(/^the store is unavailable/);
    expect(observed.requests).toEqual(["slack/question/ok"]);
  });

  it("tells whoever changes a setting that it cannot be saved right now", async () => {
    breakStore();
    const r = recorder();
    await bot.receive(
      {
        kind: "command",
        ref,
        asker: { id: "U1", canManageChannel: true },
        command: "autoexplain off",
        privately: true,
      },
      r,
    );
    expect(r.sent.map((s) => [s.to.kind, s.text])).toEqual([["asker", SETTINGS_UNAVAILABLE]]);
    const asked = recorder();
    await bot.receive(mention("autoexplain on", "Ev2"), asked);
    expect(asked.sent.map((s) => [s.to.kind, s.text])).toEqual([["here", SETTINGS_UNAVAILABLE]]);
    expect(observed.requests).toEqual(["slack/command/error", "slack/question/error"]);
  });

  it("says nothing on a channel message, since whether the channel opted in is unknown", async () => {
    breakStore();
    const r = recorder();
    expect(await bot.receive(channelMessage("Ev3"), r)).toBeUndefined();
    expect(r.sent).toEqual([]);
    expect(observed.decisions).toEqual(["store-unavailable"]);
  });
});

describe("effectively once", () => {
  it("answers a redelivery of a question it answered never again", async () => {
    const first = recorder();
    await bot.receive(mention("what is egress?", "Ev10"), first);
    now += 10 * LEASE;
    const again = recorder();
    expect(await bot.receive(mention("what is egress?", "Ev10"), again)).toBeUndefined();
    expect(first.sent).toHaveLength(1);
    expect(again.sent).toHaveLength(0);
  });

  it("does not hold up the answer for the record that it was answered; closing waits for that record", async () => {
    let landed: (() => void) | undefined;
    const confirm = store.confirmEvent.bind(store);
    store.confirmEvent = (...args) =>
      new Promise<void>((resolve) => {
        landed = () => void confirm(...args).then(resolve);
      });
    const first = recorder();
    expect((await bot.receive(mention("what is egress?", "Ev17"), first))?.kind).toBe("definition");
    expect(first.sent).toHaveLength(1);
    // The record is still on its way: the claim's lease keeps a redelivery away meanwhile.
    const retry = recorder();
    expect(await bot.receive(mention("what is egress?", "Ev17"), retry)).toBeUndefined();
    expect(retry.sent).toHaveLength(0);
    let closed = false;
    const closing = bot.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    landed?.();
    await closing;
    // Recorded: even long after the lease, the event is not answered again.
    expect(await store.claimEvent("slack", "Ev17", now + 10 * LEASE, LEASE)).toBe(false);
  });

  it("logs a record of an answered event that the store refused, and the answer stands", async () => {
    store.confirmEvent = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    };
    const r = recorder();
    expect((await bot.receive(mention("what is egress?", "Ev18"), r))?.kind).toBe("definition");
    await bot.close();
    expect(r.sent).toHaveLength(1);
    expect(observed.requests).toEqual(["slack/question/ok"]);
    expect(logs.find((l) => l.component === "store")?.msg).toBe(
      "the store is unavailable: could not confirm an answered event",
    );
  });

  it("gives a failed answer's claim back, so the redelivery answers at once", async () => {
    await expect(bot.receive(mention("what is egress?", "Ev11"), refusing())).rejects.toThrow(/500/);
    expect(observed.platformErrors).toBe(1);
    const redelivered = recorder();
    await bot.receive(mention("what is egress?", "Ev11"), redelivered);
    expect(redelivered.sent).toHaveLength(1);
    expect(observed.requests).toEqual(["slack/question/error", "slack/question/ok"]);
  });

  it("gives back the terms of an explanation it could not post, so the redelivery explains them", async () => {
    await expect(bot.receive(channelMessage("Ev12"), refusing())).rejects.toThrow();
    const redelivered = recorder();
    const reply = await bot.receive(channelMessage("Ev12"), redelivered);
    expect(reply?.kind).toBe("explanation");
    expect(redelivered.sent[0]?.text).toContain("Jargon in this message");
    // And the next thread in the channel is still within the cooldown of that explanation.
    expect(await bot.receive(channelMessage("Ev13", "t2"), recorder())).toBeUndefined();
    expect(observed.decisions).toEqual(["explained", "explained", "already-explained"]);
  });

  it("answers an event whose claimant died without answering, once its lease ran out", async () => {
    // A replica claimed the event and its terms, and was killed before posting: both claims are there.
    expect(await store.claimEvent("slack", "Ev14", now, LEASE)).toBe(true);
    expect(await store.claimExplained(ref, "t1", ["egress", "mtls"], now, 86_400_000, "Ev14")).toHaveLength(
      2,
    );
    const during = recorder();
    await bot.receive(channelMessage("Ev14"), during);
    expect(during.sent).toHaveLength(0);
    now += LEASE;
    const after = recorder();
    await bot.receive(channelMessage("Ev14"), after);
    expect(after.sent).toHaveLength(1);
    expect(after.sent[0]?.text).toContain("Egress");
    expect(after.sent[0]?.text).toContain("mTLS");
    expect(observed.decisions).toEqual(["redelivered", "explained"]);
  });

  it("without a cooldown, a message that starts its thread still takes over what its dead claimant claimed", async () => {
    const quick = botWithoutCooldown();
    // The replica that took the event claimed one term in the thread the message starts, then died.
    expect(await store.claimEvent("slack", "Ev15", now, LEASE)).toBe(true);
    expect(await store.claimExplained(ref, "t15", ["egress"], now, 0, "Ev15")).toEqual(["egress"]);
    now += LEASE;
    const after = recorder();
    await quick.receive({ ...channelMessage("Ev15", "t15"), startsThread: true }, after);
    expect(after.sent).toHaveLength(1);
    for (const name of ["Egress", "Sidecar proxy", "mTLS"]) expect(after.sent[0]?.text).toContain(name);
    // A reply in that thread finds every term taken.
    const reply = recorder();
    await quick.receive(channelMessage("Ev16", "t15"), reply);
    expect(reply.sent).toHaveLength(0);
  });

  it("without a cooldown, a message that starts its thread is claimed with its terms: once, and again after a failed post", async () => {
    const quick = botWithoutCooldown();
    const starts = (eventId: string, thread: string) => ({
      ...channelMessage(eventId, thread),
      startsThread: true,
    });
    const first = recorder();
    await quick.receive(starts("Ev30", "t30"), first);
    expect(first.sent).toHaveLength(1);
    // Slack sends it again (a retry): nothing more is said.
    const retry = recorder();
    await quick.receive(starts("Ev30", "t30"), retry);
    expect(retry.sent).toHaveLength(0);
    expect(await store.claimEvent("slack", "Ev30", now + 10 * LEASE)).toBe(false);
    // A post that fails gives its claims back: the redelivery explains every term.
    await expect(quick.receive(starts("Ev31", "t31"), refusing())).rejects.toThrow(/500/);
    const redelivered = recorder();
    await quick.receive(starts("Ev31", "t31"), redelivered);
    for (const name of ["Egress", "Sidecar proxy", "mTLS"]) expect(redelivered.sent[0]?.text).toContain(name);
    // A muted author gets nothing, and nothing is claimed for the message.
    await store.setMuted("slack", ref.workspace, "U3", true, now);
    const muted = recorder();
    await quick.receive(starts("Ev32", "t32"), muted);
    expect(muted.sent).toHaveLength(0);
    expect(await store.claimEvent("slack", "Ev32", now)).toBe(true);
    expect(await store.explainedInThread(ref, "t32")).toEqual(new Set());
  });

  it("counts lookups found and missed", async () => {
    await bot.receive(mention("define egress", "Ev20"), recorder());
    await bot.receive(mention("define pizzaqq", "Ev21"), recorder());
    expect(observed.lookups).toEqual([true, false]);
    expect(observed.requests).toEqual(["slack/question/ok", "slack/question/not_found"]);
  });
});
