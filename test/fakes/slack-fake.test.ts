// Proves the loopback fake Slack works with the REAL @slack/bolt (HTTP and Socket Mode) and web-api.
import { createHmac } from "node:crypto";
import { Agent, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, ErrorCode, LogLevel, SocketModeReceiver, verifySlackRequest, webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import {
  blockActionsPayload,
  eventCallbackBody,
  type FakeSlack,
  messageEvent,
  messageShortcutPayload,
  type SlackHttpClient,
  signSlackRequest,
  slackHttpClient,
  slashCommandPayload,
  startFakeSlack,
  viewSubmissionPayload,
} from "./slack.js";

const SECRET = "test-signing-secret";

// Everything a test starts is stopped here, newest first.
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await startFakeSlack();
  cleanups.push(() => fake.close());
  return fake;
}

/** An HTTP-mode Bolt app on a free port, talking to a fresh fake. */
async function httpApp(
  setup: (app: App) => void,
): Promise<{ app: App; fake: FakeSlack; http: SlackHttpClient }> {
  const fake = await fakeSlack();
  const app = new App({
    token: "xoxb-test",
    signingSecret: SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  setup(app);
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  cleanups.push(() => app.stop());
  const { port } = server.address() as AddressInfo;
  return { app, fake, http: slackHttpClient(`http://127.0.0.1:${port}/slack/events`, SECRET, fake) };
}

describe("signSlackRequest", () => {
  it("reproduces the test vector from Slack's 'Verifying requests from Slack' docs", () => {
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V" +
      "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
      "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN" +
      "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signSlackRequest("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });

  it("agrees with an independent node:crypto HMAC and Bolt's own verifier", () => {
    const body = '{"type":"event_callback","event":{"text":"ünïcode ✓"}}';
    const ts = Math.floor(Date.now() / 1000);
    const expected = `v0=${createHmac("sha256", "s3cret").update(`v0:${ts}:${body}`, "utf8").digest("hex")}`;
    const sig = signSlackRequest("s3cret", ts, body);
    expect(sig).toBe(expected);
    // Bolt's exported verifier throws on mismatch.
    const headers = { "x-slack-signature": sig, "x-slack-request-timestamp": ts };
    expect(() => verifySlackRequest({ signingSecret: "s3cret", body, headers })).not.toThrow();
    expect(() => verifySlackRequest({ signingSecret: "other", body, headers })).toThrow();
  });
});

describe("the fake's Web API, raw", () => {
  it("parses JSON and multipart bodies, answers unknown methods ok, sends Retry-After on 429", async () => {
    const fake = await fakeSlack();
    const json = await fetch(`${fake.apiUrl}foo.bar`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: "Bearer xoxb-json" },
      body: JSON.stringify({ channel: "C1", blocks: [{ type: "divider" }] }),
    });
    expect(await json.json()).toEqual({ ok: true });
    const form = new FormData();
    form.append("channels", "C2");
    form.append("token", "xoxb-form");
    form.append("file", new Blob([new Uint8Array([1, 2, 3])]), "a.bin");
    await fetch(`${fake.apiUrl}files.upload`, { method: "POST", body: form });
    expect(fake.calls).toEqual([
      { method: "foo.bar", token: "xoxb-json", args: { channel: "C1", blocks: [{ type: "divider" }] } },
      {
        method: "files.upload",
        token: "xoxb-form",
        args: { channels: "C2", file: { filename: "a.bin", size: 3, type: "application/octet-stream" } },
      },
    ]);
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const limited = await fetch(`${fake.apiUrl}chat.postMessage`, { method: "POST", body: "channel=C1" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    fake.failNext("chat.postMessage", { drop: true });
    await expect(
      fetch(`${fake.apiUrl}chat.postMessage`, { method: "POST", body: "channel=C1" }),
    ).rejects.toThrow();
    const ok = await fetch(`${fake.apiUrl}chat.postMessage`, { method: "POST", body: "channel=C1" });
    expect(await ok.json()).toMatchObject({ ok: true, channel: "C1", ts: "1700000000.000100" });
    await expect(fake.waitForCall("never.called", undefined, 50)).rejects.toThrow(/never.called/);
  });
});

describe("Bolt HTTP mode against the fake", () => {
  it("delivers a signed slash command to app.command and returns its ack body", async () => {
    let seen: { text: string; channel: string; user: string } | undefined;
    const { fake, http } = await httpApp((app) => {
      app.command("/mesh", async ({ command, ack }) => {
        seen = { text: command.text, channel: command.channel_id, user: command.user_id };
        await ack({ response_type: "ephemeral", text: `looking up ${command.text}` });
      });
    });
    const res = await http.command({ text: "sidecar", channel_id: "C42", user_id: "U7" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_type: "ephemeral", text: "looking up sidecar" });
    expect(seen).toEqual({ text: "sidecar", channel: "C42", user: "U7" });
    // Bolt verified the bot token with auth.test at start, through slackApiUrl.
    expect(fake.callsTo("auth.test")[0]?.token).toBe("xoxb-test");
  });

  it("sends over a bounded agent's connections when given one, and retries a reused one the server closed", async () => {
    const fake = await fakeSlack();
    const app = new App({
      token: "xoxb-test",
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    let handled = 0;
    app.command("/mesh", async ({ ack }) => {
      handled += 1;
      await ack("ok");
    });
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    cleanups.push(() => app.stop());
    let connections = 0;
    server.on("connection", () => {
      connections += 1;
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    cleanups.push(async () => agent.destroy());
    const { port } = server.address() as AddressInfo;
    const http = slackHttpClient(`http://127.0.0.1:${port}/slack/events`, SECRET, fake, { agent });
    const first = await Promise.all(Array.from({ length: 8 }, () => http.command({ text: "egress" })));
    expect(first.map((r) => [r.status, r.body])).toEqual(Array.from({ length: 8 }, () => [200, "ok"]));
    // Eight requests, two at a time, on two kept-alive connections.
    expect(connections).toBe(2);
    // The server drops its idle connections just as the next requests reuse them: each is sent again.
    server.closeIdleConnections();
    const again = await Promise.all([http.command({ text: "egress" }), http.command({ text: "egress" })]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(handled).toBe(10);
  });

  it("ack('text') comes back as a plain 200 body", async () => {
    const { http } = await httpApp((app) => {
      app.command("/mesh", async ({ ack }) => {
        await ack("plain");
      });
    });
    const res = await http.command({ text: "x" });
    expect(res).toMatchObject({ status: 200, body: "plain" });
    expect(res.json).toBeUndefined();
  });

  it("respond() posts JSON to the fake's response_url", async () => {
    const { fake, http } = await httpApp((app) => {
      app.command("/mesh", async ({ ack, respond }) => {
        await ack();
        await respond({ response_type: "in_channel", text: "a sidecar is a proxy" });
      });
    });
    const res = await http.command({ text: "sidecar" });
    expect(res.status).toBe(200);
    const r = await fake.waitForResponse();
    expect(r.url.startsWith(`${fake.url}/response/`)).toBe(true);
    expect(r.body).toEqual({ response_type: "in_channel", text: "a sidecar is a proxy" });
  });

  it("respond() rejects when the response_url fails (failNext('response_url'))", async () => {
    let error: unknown;
    const { fake, http } = await httpApp((app) => {
      app.command("/mesh", async ({ ack, respond }) => {
        await ack();
        await respond("late").catch((e: unknown) => {
          error = e;
        });
      });
    });
    fake.failNext("response_url", { status: 500 });
    await http.command({ text: "x" });
    await expect.poll(() => error).toBeDefined();
    expect(error).toMatchObject({ code: ErrorCode.RespondError, statusCode: 500 });
    expect(fake.responses[0]).toMatchObject({ body: { text: "late" }, failure: { status: 500 } });
  });

  it("records client.chat.postMessage with parsed blocks, bearer token and increasing ts", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*sidecar*: a proxy" } }];
    const results: string[] = [];
    const { fake, http } = await httpApp((app) => {
      app.command("/mesh", async ({ ack, client, command }) => {
        await ack();
        const a = await client.chat.postMessage({ channel: command.channel_id, text: "sidecar", blocks });
        const b = await client.chat.postMessage({
          channel: command.channel_id,
          text: "[1] {not json",
          thread_ts: String(a.ts),
        });
        results.push(String(a.ts), String(b.ts), String(a.message?.bot_id));
      });
    });
    await http.command({ text: "sidecar", channel_id: "C9" });
    const [first, second] = await fake.waitForCalls("chat.postMessage", 2);
    await expect.poll(() => results.length).toBe(3);
    expect(first?.token).toBe("xoxb-test");
    expect(first?.args).toMatchObject({ channel: "C9", text: "sidecar", blocks });
    expect(first?.args.blocks).toEqual(blocks); // an array again, not a JSON string
    expect(second?.args.text).toBe("[1] {not json"); // free text stays text
    expect(second?.args.thread_ts).toBe(results[0]);
    expect(results[0]).toBe("1700000000.000100");
    expect(Number(results[1])).toBeGreaterThan(Number(results[0]));
    expect(results[2]).toBe("BBOT");
  });

  it("onCall shapes replies and failNext({error}) surfaces as a platform error in the handler", async () => {
    let history: unknown;
    let error: unknown;
    const { fake, http } = await httpApp((app) => {
      app.command("/mesh", async ({ ack, client }) => {
        await ack();
        history = (await client.conversations.history({ channel: "C1" })).messages;
        try {
          await client.chat.postMessage({ channel: "C404", text: "x" });
        } catch (e) {
          error = e;
        }
      });
    });
    fake.onCall("conversations.history", () => ({
      messages: [{ type: "message", text: "earlier", ts: "1.1" }],
    }));
    fake.failNext("chat.postMessage", { error: "channel_not_found" });
    await http.command({ text: "x" });
    const call = await fake.waitForCall("chat.postMessage");
    expect(call.failure).toEqual({ error: "channel_not_found" });
    await expect.poll(() => error).toBeDefined();
    expect(history).toEqual([{ type: "message", text: "earlier", ts: "1.1" }]);
    expect(error).toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { error: "channel_not_found" },
    });
  });

  it("rejects a bad signature and a stale timestamp with 401 before any handler runs", async () => {
    let handled = 0;
    const { http } = await httpApp((app) => {
      app.command("/mesh", async ({ ack }) => {
        handled += 1;
        await ack();
      });
    });
    const bad = await http.command({ text: "x" }, { signature: `v0=${"0".repeat(64)}` });
    expect(bad).toMatchObject({ status: 401, body: "" });
    const stale = await http.command({ text: "x" }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    const unsigned = await http.raw("command=%2Fmesh&text=x", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(unsigned.status).toBe(401);
    // A correctly signed form body with "; charset" is verified but then fails to parse: 400.
    const ts = Math.floor(Date.now() / 1000);
    const body = new URLSearchParams(slashCommandPayload({ text: "x" })).toString();
    const charset = await http.raw(body, {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": signSlackRequest(SECRET, ts, body),
    });
    expect(charset.status).toBe(400);
    expect(handled).toBe(0);
    expect((await http.command({ text: "x" })).status).toBe(200);
    expect(handled).toBe(1);
  });

  it("answers a signed url_verification with the challenge", async () => {
    const { http } = await httpApp(() => {});
    const res = await http.urlVerification("chal-123");
    expect(res).toMatchObject({ status: 200, json: { challenge: "chal-123" } });
  });

  it("passes X-Slack-Retry-Num/Reason to the event handler as context.retryNum/retryReason", async () => {
    const seen: { text: unknown; retryNum: unknown; retryReason: unknown }[] = [];
    const { http } = await httpApp((app) => {
      app.event("message", async ({ event, context }) => {
        seen.push({
          text: "text" in event ? event.text : undefined,
          retryNum: context.retryNum,
          retryReason: context.retryReason,
        });
      });
    });
    const ev = messageEvent({ text: "what is mTLS?", user: "U5" });
    expect((await http.event(ev, { eventId: "Ev1" })).status).toBe(200);
    expect((await http.event(ev, { eventId: "Ev1", retryNum: 1, retryReason: "http_timeout" })).status).toBe(
      200,
    );
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual([
      { text: "what is mTLS?", retryNum: undefined, retryReason: undefined },
      { text: "what is mTLS?", retryNum: 1, retryReason: "http_timeout" },
    ]);
  });

  it("ignores the bot's own messages (ignoreSelf uses auth.test's user_id)", async () => {
    const seen: string[] = [];
    const { fake, http } = await httpApp((app) => {
      app.event("message", async ({ event }) => {
        seen.push("user" in event ? String(event.user) : "?");
      });
    });
    await http.event(messageEvent({ text: "mine", user: fake.botUserId }));
    await http.event(messageEvent({ text: "theirs", user: "U2" }));
    await expect.poll(() => seen).toEqual(["U2"]);
  });

  it("routes a block_actions interaction to app.action, with respond() at the filled response_url", async () => {
    let action: { id: string; value: string | undefined } | undefined;
    const { fake, http } = await httpApp((app) => {
      app.action("define", async ({ ack, action: a, respond }) => {
        await ack();
        if (a.type === "button" && "action_id" in a) action = { id: a.action_id, value: a.value };
        await respond({ replace_original: true, text: "defined" });
      });
    });
    const res = await http.interaction(blockActionsPayload({ actionId: "define", value: "envoy" }));
    expect(res.status).toBe(200);
    const r = await fake.waitForResponse();
    expect(r.body).toEqual({ replace_original: true, text: "defined" });
    expect(action).toEqual({ id: "define", value: "envoy" });
  });

  it("routes a message shortcut to app.shortcut", async () => {
    let text: string | undefined;
    const { http } = await httpApp((app) => {
      app.shortcut("define_message", async ({ ack, shortcut }) => {
        await ack();
        if (shortcut.type === "message_action") text = shortcut.message.text;
      });
    });
    const res = await http.interaction(
      messageShortcutPayload({
        callbackId: "define_message",
        message: { text: "what is a VirtualService?" },
      }),
    );
    expect(res.status).toBe(200);
    expect(text).toBe("what is a VirtualService?");
  });
});

describe("views and people", () => {
  const modal = {
    type: "modal" as const,
    callback_id: "form",
    title: { type: "plain_text" as const, text: "Add" },
    submit: { type: "plain_text" as const, text: "Save" },
    private_metadata: '{"n":1}',
    blocks: [
      {
        type: "input" as const,
        block_id: "name",
        label: { type: "plain_text" as const, text: "Name" },
        element: { type: "plain_text_input" as const, action_id: "value", initial_value: "kraken" },
      },
      {
        type: "input" as const,
        block_id: "notes",
        optional: true,
        label: { type: "plain_text" as const, text: "Notes" },
        element: { type: "plain_text_input" as const, action_id: "value", multiline: true },
      },
    ],
  };

  it("views.open takes a trigger once and a modal within Slack's limits; the view comes back to app.view", async () => {
    let submitted: unknown;
    let metadata: string | undefined;
    const { app, fake, http } = await httpApp((a) => {
      a.view("form", async ({ ack, view }) => {
        submitted = view.state.values;
        metadata = view.private_metadata;
        await ack({ response_action: "errors", errors: { name: "Taken" } });
      });
    });
    const opened = await app.client.views.open({ trigger_id: "1.2.abc", view: modal });
    expect(opened.view).toMatchObject({ type: "modal", callback_id: "form", root_view_id: opened.view?.id });
    await expect(app.client.views.open({ trigger_id: "1.2.abc", view: modal })).rejects.toMatchObject({
      data: { error: "exchanged_trigger_id" },
    });
    const tooLong = {
      ...modal,
      title: { type: "plain_text" as const, text: "A title longer than 24 chars" },
    };
    await expect(app.client.views.open({ trigger_id: "1.2.def", view: tooLong })).rejects.toMatchObject({
      data: { error: "invalid_arguments" },
    });
    const bigInput = {
      ...modal,
      blocks: [{ ...modal.blocks[1], element: { ...modal.blocks[1]?.element, max_length: 4000 } }],
    };
    await expect(
      app.client.views.open({ trigger_id: "1.2.ghi", view: bigInput as never }),
    ).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    const held = fake.views.get(String(opened.view?.id));
    if (held === undefined) throw new Error("the fake did not keep the view");
    const res = await http.interaction(viewSubmissionPayload(held, { notes: "eu-west" }));
    expect(res.json).toEqual({ response_action: "errors", errors: { name: "Taken" } });
    expect(submitted).toEqual({
      name: { value: { type: "plain_text_input", value: "kraken" } },
      notes: { value: { type: "plain_text_input", value: "eu-west" } },
    });
    expect(metadata).toBe('{"n":1}');
  });

  it("users.info and users.list (paged) describe the workspace's admins and owners", async () => {
    const fake = await fakeSlack();
    fake.users.set({ id: "UADMIN", admin: true });
    fake.users.set({ id: "UOWNER", owner: true });
    for (let i = 0; i < 5; i += 1) fake.users.set({ id: `UM${i}` });
    const { client } = new App({
      token: "xoxb-test",
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      tokenVerificationEnabled: false,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    expect((await client.users.info({ user: "UOWNER" })).user).toMatchObject({
      is_admin: true,
      is_owner: true,
    });
    expect((await client.users.info({ user: "UM1" })).user).toMatchObject({
      is_admin: false,
      is_owner: false,
    });
    await expect(client.users.info({ user: "nobody" })).rejects.toMatchObject({
      data: { error: "user_not_found" },
    });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.users.list({ limit: 3, ...(cursor === undefined ? {} : { cursor }) });
      expect((page.members ?? []).length).toBeLessThanOrEqual(3);
      ids.push(...(page.members ?? []).map((m) => String(m.id)));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor !== undefined);
    expect(ids).toEqual(["UBOT", "UADMIN", "UOWNER", "UM0", "UM1", "UM2", "UM3", "UM4"]);
  });
});

describe("web-api retries against the fake", () => {
  const client = (fake: FakeSlack, extra: Record<string, unknown> = {}) =>
    new App({
      token: "xoxb-test",
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      tokenVerificationEnabled: false,
      clientOptions: {
        slackApiUrl: fake.apiUrl,
        retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 10 },
        ...extra,
      },
    }).client;

  it("waits Retry-After on a 429 and then retries to success", async () => {
    const fake = await fakeSlack();
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const started = Date.now();
    const res = await client(fake).chat.postMessage({ channel: "C1", text: "hi" });
    const elapsed = Date.now() - started;
    expect(res.ok).toBe(true);
    expect(fake.callsTo("chat.postMessage").map((c) => c.failure)).toEqual([
      { status: 429, retryAfter: 1 },
      undefined,
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
  });

  it("rejectRateLimitedCalls turns a 429 into an immediate rate-limited error", async () => {
    const fake = await fakeSlack();
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 30 });
    const err = await client(fake, { rejectRateLimitedCalls: true })
      .chat.postMessage({ channel: "C1", text: "hi" })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 30 });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("retries an HTTP 500 and a dropped connection, but not an {ok:false} error", async () => {
    const fake = await fakeSlack();
    const c = client(fake);
    fake.failNext("chat.postMessage", { status: 500 });
    expect((await c.chat.postMessage({ channel: "C1", text: "a" })).ok).toBe(true);
    fake.failNext("chat.update", { drop: true });
    expect((await c.chat.update({ channel: "C1", ts: "1.2", text: "b" })).ts).toBe("1.2");
    fake.failNext("chat.delete", { drop: true }, 2);
    const dropped = await c.chat.delete({ channel: "C1", ts: "1.2" }).catch((e: unknown) => e);
    expect(dropped).toMatchObject({ code: webApi.ErrorCode.RequestError });
    fake.failNext("reactions.add", { error: "already_reacted" }, 2);
    const platform = await c.reactions
      .add({ channel: "C1", timestamp: "1.2", name: "x" })
      .catch((e: unknown) => e);
    expect(platform).toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { error: "already_reacted" },
    });
    expect(fake.calls.map((x) => x.method)).toEqual([
      "chat.postMessage",
      "chat.postMessage",
      "chat.update",
      "chat.update",
      "chat.delete",
      "chat.delete",
      "reactions.add",
    ]);
  });

  it("with retries:0 a 429 still waits Retry-After, then fails as a request error (not a rate-limit error)", async () => {
    const fake = await fakeSlack();
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 0 });
    const err = await client(fake, { retryConfig: { retries: 0 } })
      .chat.postMessage({ channel: "C1", text: "a" })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: webApi.ErrorCode.RequestError });
    expect(String((err as Error).message)).toContain("rate limit was exceeded");
  });

  it("a 500 with retries:0 fails fast with an HTTP error", async () => {
    const fake = await fakeSlack();
    fake.failNext("chat.postMessage", { status: 500 });
    const err = await client(fake, { retryConfig: { retries: 0 } })
      .chat.postMessage({ channel: "C1", text: "a" })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 500 });
  });
});

describe("Bolt Socket Mode against the fake", () => {
  async function socketApp(fake: FakeSlack, setup: (app: App) => void): Promise<App> {
    const app = new App({
      token: "xoxb-test",
      appToken: "xapp-test",
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    setup(app);
    await app.start();
    cleanups.push(() => app.stop());
    return app;
  }

  it("connects through apps.connections.open, acks a slash command with its payload, stops cleanly", async () => {
    const fake = await fakeSlack();
    const app = await socketApp(fake, (a) => {
      a.command("/mesh", async ({ command, ack }) => {
        await ack({ response_type: "ephemeral", text: `looking up ${command.text}` });
      });
    });
    const open = fake.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe("xapp-test");
    expect(fake.socket.connections).toBe(1);
    await fake.socket.connected();

    const ack = await fake.socket.send("slash_commands", slashCommandPayload({ text: "mesh" }, fake));
    expect(ack.payload).toEqual({ response_type: "ephemeral", text: "looking up mesh" });
    expect(ack.envelope_id).toBe(fake.socket.envelopes[0]?.envelope_id);

    await app.stop();
    await fake.socket.disconnected();
    expect(fake.socket.openConnections).toBe(0);
  });

  it("delivers events_api envelopes to app.event with retry_attempt as context.retryNum", async () => {
    const fake = await fakeSlack();
    const seen: { text: unknown; retryNum: unknown; retryReason: unknown }[] = [];
    await socketApp(fake, (a) => {
      a.event("message", async ({ event, context, client }) => {
        seen.push({
          text: "text" in event ? event.text : undefined,
          retryNum: context.retryNum,
          retryReason: context.retryReason,
        });
        await client.chat.postMessage({ channel: event.channel, text: "answer" });
      });
    });
    const body = eventCallbackBody(messageEvent({ text: "what is xDS?", channel: "C7" }), fake);
    const ack = await fake.socket.send("events_api", body);
    expect(ack.payload).toEqual({});
    await fake.socket.send("events_api", body, { retry_attempt: 2, retry_reason: "timeout" });
    await expect.poll(() => seen.length).toBe(2);
    // Over Socket Mode, Slack (and the fake) sends retry_attempt 0 on first delivery: retryNum is 0, not undefined.
    expect(seen).toEqual([
      { text: "what is xDS?", retryNum: 0, retryReason: "" },
      { text: "what is xDS?", retryNum: 2, retryReason: "timeout" },
    ]);
    const posts = await fake.waitForCalls("chat.postMessage", 2);
    expect(posts.map((p) => [p.args.channel, p.token])).toEqual([
      ["C7", "xoxb-test"],
      ["C7", "xoxb-test"],
    ]);
  });

  it("routes an interactive block_actions envelope to app.action", async () => {
    const fake = await fakeSlack();
    let value: string | undefined;
    await socketApp(fake, (a) => {
      a.action("define", async ({ ack, action }) => {
        await ack();
        if (action.type === "button") value = action.value;
      });
    });
    const ack = await fake.socket.send(
      "interactive",
      blockActionsPayload({ actionId: "define", value: "istio", responseUrl: fake.responseUrl() }),
    );
    expect(ack.payload).toEqual({});
    expect(value).toBe("istio");
  });

  it("reconnects after a server disconnect (custom SocketModeReceiver with a short clientPingTimeout)", async () => {
    const fake = await fakeSlack();
    const clientOptions = { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } };
    const receiver = new SocketModeReceiver({
      appToken: "xapp-test",
      logLevel: LogLevel.ERROR,
      clientPingTimeout: 300, // reconnect delay is clientPingTimeout x consecutive failures (default 5 s)
      installerOptions: { clientOptions },
    });
    const app = new App({ token: "xoxb-test", receiver, logLevel: LogLevel.ERROR, clientOptions });
    let commands = 0;
    app.command("/mesh", async ({ ack }) => {
      commands += 1;
      await ack("ok");
    });
    await app.start();
    cleanups.push(() => app.stop());
    fake.socket.disconnectClient();
    await fake.socket.connected(2000);
    expect(fake.socket.connections).toBe(2);
    expect(fake.callsTo("apps.connections.open")).toHaveLength(2);
    const ack = await fake.socket.send("slash_commands", slashCommandPayload({ text: "again" }, fake));
    expect(ack.payload).toEqual({ text: "ok" });
    expect(commands).toBe(1);
  });
});
