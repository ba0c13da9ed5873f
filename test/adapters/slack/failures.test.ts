// What happens when Slack, the network or the bot itself fails: rate limits, refused posts, server errors,
// forged or stale requests, a broken store. Real Bolt against the loopback fake Slack.
import { afterEach, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../../adapters/slack/index.js";
import { MeshBot } from "../../../src/bot/mesh-bot.js";
import { silentLogger } from "../../../src/logger.js";
import { SETTINGS_UNAVAILABLE } from "../../../src/present/messages.js";
import { SqliteStore } from "../../../src/store/sqlite.js";
import { messageEvent, nextMessageTs, startFakeSlack } from "../../fakes/slack.js";
import { realGlossary } from "../../helpers.js";
import { button, type Harness, MODES, SIGNING_SECRET, startHarness } from "./harness.js";

const mtls = realGlossary().get("mtls");
const JARGON = "we should turn on mTLS for the sidecar proxy";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function started(mode: "http" | "socket" = "http", retries?: number): Promise<Harness> {
  h = await startHarness(mode, retries === undefined ? {} : { retries });
  return h;
}

describe("Slack API failures", () => {
  it("waits out a 429 (Retry-After) and the thread reply still lands", async () => {
    const s = await started();
    await s.command("autoexplain on");
    s.fake.reset();
    s.fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const ts = nextMessageTs();
    const started429 = Date.now();
    await s.event(messageEvent({ text: JARGON, ts }));
    const attempts = s.posts();
    expect(attempts.map((c) => c.failure)).toEqual([{ status: 429, retryAfter: 1 }, undefined]);
    expect(attempts[1]?.args).toMatchObject({ channel: "C1", thread_ts: ts });
    expect(Date.now() - started429).toBeGreaterThanOrEqual(950);
  });

  it("tells the user to invite the bot when turning auto-explain on in a channel it is not in", async () => {
    const s = await started();
    s.fake.failNext("chat.postMessage", { error: "not_in_channel" });
    const ack = await s.command("autoexplain on", { channel_id: "C77", user_id: "U3" });
    expect(String(ack.text)).toContain("Auto-explain is *on*");
    const told = await s.fake.waitForResponse();
    expect(told.body).toMatchObject({ response_type: "ephemeral" });
    expect(String(told.body.text)).toContain("I'm not a member of this channel");
    expect(String(told.body.text)).toContain(`/invite <@${s.fake.botUserId}>`);
    const logged = s.logs.find((l) => l.slackError === "not_in_channel");
    expect(logged).toMatchObject({ listener: "command", channel: "C77", user: "U3" });
  });

  it("keeps the private card and explains why when sharing fails with channel_not_found", async () => {
    const s = await started();
    const ack = await s.command("define mtls", { channel_id: "G5" });
    const share = button(ack, "Share in channel");
    s.fake.failNext("chat.postMessage", { error: "channel_not_found" });
    await s.click({
      actionId: share.action_id ?? "",
      value: share.value ?? "",
      channel: "G5",
      ephemeral: true,
    });
    const told = await s.fake.waitForResponse();
    expect(told.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(told.body.text)).toContain("I can't reach this conversation");
    expect(s.fake.responses.some((r) => r.body.delete_original === true)).toBe(false);
  });

  it("logs a 500 from the Web API, answers Slack 500 so it redelivers, and answers the redelivery", async () => {
    const s = await started("http", 1);
    await s.command("autoexplain on");
    s.fake.reset();
    s.fake.failNext("chat.postMessage", { status: 500 }, 2);
    const http = s.http;
    if (http === undefined) throw new Error("HTTP mode has a signing client");
    const event = messageEvent({ text: "is mTLS on?" });
    const first = await http.event(event, { eventId: "EvFail" });
    // Not acknowledged: the answer was not posted, so Slack is asked to deliver the event again.
    expect(first.status).toBe(500);
    expect(s.posts().map((c) => c.failure)).toEqual([{ status: 500 }, { status: 500 }]);
    const logged = s.logs.find((l) => l.msg === "Slack call failed");
    expect(logged).toMatchObject({ listener: "auto_explain", channel: "C1", slackError: "500" });
    // Slack's redelivery is answered: the claim and the terms were given back.
    const again = await http.event(event, { eventId: "EvFail", retryNum: 1 });
    expect(again.status).toBe(200);
    expect(s.posts()).toHaveLength(3);
    expect(s.posts()[2]?.failure).toBeUndefined();
    expect(JSON.stringify(s.posts()[2]?.args)).toContain("mTLS");
    const health = await fetch(`${s.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it("says privately that settings cannot be saved when the store fails, and keeps serving", async () => {
    const s = await started();
    await s.store.close();
    const ack = await s.command("autoexplain status");
    expect(ack).toMatchObject({ response_type: "ephemeral", text: SETTINGS_UNAVAILABLE });
    // The log blames the store, not Slack.
    expect(
      s.logs.some((l) => l.component === "store" && String(l.msg).startsWith("the store is unavailable")),
    ).toBe(true);
    expect(s.logs.some((l) => l.msg === "could not answer /mesh")).toBe(false);
    // Lookups need no store: they still work.
    const define = await s.command("define mtls");
    expect(String(define.text)).toContain(mtls?.summary ?? "?");
  });
});

describe("the last line of defence", () => {
  it("logs an error that escapes a listener through app.error, and keeps serving", async () => {
    const s = await started();
    const http = s.http;
    if (http === undefined) throw new Error("HTTP mode has a signing client");
    // A shortcut payload without the channel Slack always sends: the listener fails after its ack.
    const res = await http.interaction({
      type: "message_action",
      callback_id: "explain_message",
      trigger_id: "1.2.3",
      message_ts: "1710000000.000100",
      message: { type: "message", user: "U2", ts: "1710000000.000100", text: "mTLS" },
    });
    expect(res.status).toBe(200);
    await s.adapter.settled();
    expect(s.logs.find((l) => l.msg === "unhandled error in a Slack listener")).toMatchObject({ level: 50 });
    const ack = await s.command("define mtls");
    expect(String(ack.text)).toContain(mtls?.summary ?? "?");
  });
});

describe("requests that are not from Slack", () => {
  it("rejects a bad signature and a stale timestamp with 401 and answers nothing", async () => {
    const s = await started();
    const http = s.http;
    if (http === undefined) throw new Error("HTTP mode has a signing client");
    const forged = await http.command({ text: "define mtls" }, { signature: `v0=${"0".repeat(64)}` });
    expect(forged.status).toBe(401);
    const stale = await http.command(
      { text: "define mtls" },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(stale.status).toBe(401);
    const forgedEvent = await http.event(messageEvent({ text: JARGON }), { signature: "v0=bad" });
    expect(forgedEvent.status).toBe(401);
    await s.adapter.settled();
    expect(s.fake.calls.filter((c) => c.method !== "auth.test")).toHaveLength(0);
    expect(s.fake.responses).toHaveLength(0);
    // Bolt's warning reaches the bot's own structured log.
    const warning = s.logs.find((l) =>
      String(l.msg).startsWith("Failed to parse and verify the request data"),
    );
    expect(warning).toMatchObject({ level: 40, lib: "bolt" });
    // A correctly signed request right after is answered.
    const ok = await http.command({ text: "define mtls" });
    expect(ok.status).toBe(200);
  });
});

describe.each(MODES)("running in %s mode", (mode) => {
  it("serves GET /healthz for Kubernetes probes", async () => {
    const s = await started(mode);
    const res = await fetch(`${s.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(
      mode === "http" ? { ok: true, mode } : { ok: true, mode, connected: true },
    );
    expect((await fetch(`${s.baseUrl}/nope`)).status).toBe(404);
  });

  it("reaches Slack through SLACK_API_URL (GovSlack) for the Web API and the Socket Mode connection", async () => {
    const s = await started(mode);
    expect(s.fake.callsTo("auth.test")[0]?.token).toBe("xoxb-test");
    if (mode === "socket") {
      expect(s.fake.callsTo("apps.connections.open")[0]?.token).toBe("xapp-test");
      expect(s.fake.socket.openConnections).toBe(1);
    }
    await s.adapter.stop();
    if (mode === "socket") await s.fake.socket.disconnected();
    await expect(fetch(`${s.baseUrl}/healthz`)).rejects.toThrow();
  });
});

describe("starting", () => {
  it("fails start-up with a sentence naming SLACK_BOT_TOKEN when Slack rejects the token", async () => {
    const fake = await startFakeSlack();
    const store = SqliteStore.open("sqlite::memory:");
    try {
      fake.onCall("auth.test", () => ({ ok: false, error: "invalid_auth" }));
      const bot = new MeshBot({
        glossary: realGlossary(),
        store,
        logger: silentLogger(),
        autoExplain: { cooldownMs: 0, maxTerms: 5 },
      });
      const adapter = createSlackAdapter({
        config: {
          botToken: "xoxb-bad",
          signingSecret: SIGNING_SECRET,
          appToken: undefined,
          apiUrl: fake.apiUrl,
          port: 0,
        },
        bot,
        logger: silentLogger(),
        clientOptions: { retryConfig: { retries: 0 } },
        listen: { port: 0, host: "127.0.0.1" },
      });
      await expect(adapter.start()).rejects.toThrow(/SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)/);
      expect(adapter.address()).toBeUndefined();
      expect(fake.callsTo("auth.test")).toHaveLength(1);
      await adapter.stop();
    } finally {
      await store.close();
      await fake.close();
    }
  });
});
