// Mentions, direct messages, auto-explain and the "Explain this message" shortcut, through the real Bolt in
// HTTP mode and in Socket Mode, against the loopback fake Slack.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NOTHING_TO_EXPLAIN } from "../../../src/present/messages.js";
import { appMentionEvent, messageEvent, nextMessageTs } from "../../fakes/slack.js";
import { realGlossary } from "../../helpers.js";
import { button, buttonsOf, flatten, type Harness, MODES, startHarness } from "./harness.js";
import { limitViolations } from "./limits.js";

const glossary = realGlossary();
const term = (id: string) => {
  const t = glossary.get(id);
  if (t === undefined) throw new Error(`no term ${id} in the content`);
  return t;
};
const JARGON = "we should turn on mTLS for the sidecar proxy";

describe.each(MODES)("events over %s", (mode) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(mode);
  });
  afterEach(async () => {
    // Whatever a test did, every message fit Slack's limits, carried a fallback text and unfurled nothing.
    for (const message of h.messages()) {
      expect(limitViolations(message)).toEqual([]);
      expect(String(message.unfurl_links)).toBe("false");
      expect(String(message.unfurl_media)).toBe("false");
    }
    await h.close();
  });

  /** Turns auto-explain on in `channel` and forgets the announcement. */
  async function optIn(channel = "C1"): Promise<void> {
    await h.command("autoexplain on", { channel_id: channel });
    h.fake.reset();
  }

  it("answers @mesh in a channel in the thread of the mention, without the mention in the question", async () => {
    const init = term("init-container");
    const ts = nextMessageTs();
    await h.event(appMentionEvent({ text: `<@${h.fake.botUserId}> what is an init container?`, ts }));
    const [post] = h.posts();
    expect(post?.args).toMatchObject({ channel: "C1", thread_ts: ts });
    expect(flatten(post?.args)).toContain(init.summary);
    expect(h.posts()).toHaveLength(1);
  });

  it("answers @mesh inside a thread in that same thread", async () => {
    const parent = nextMessageTs();
    await h.event(appMentionEvent({ text: `<@${h.fake.botUserId}> egress?`, thread_ts: parent }));
    const [post] = h.posts();
    expect(post?.args.thread_ts).toBe(parent);
    expect(flatten(post?.args)).toContain(term("egress").summary);
  });

  it("answers a direct message in the DM, not in a thread", async () => {
    await h.event(messageEvent({ text: "what is mtls?", channel: "D1", channel_type: "im" }));
    const [post] = h.posts();
    expect(post?.args.channel).toBe("D1");
    expect(post?.args.thread_ts).toBeUndefined();
    expect(flatten(post?.args)).toContain(term("mtls").summary);
    // Public-message buttons answer whoever clicks privately.
    expect(button(post?.args ?? {}, "More").action_id).toBe("mesh_peek_more");
  });

  it("never pings from a mention: hostile text is echoed escaped in the public reply", async () => {
    await h.event(
      appMentionEvent({ text: `<@${h.fake.botUserId}> search <!channel> <@U123> <!here> retries` }),
    );
    const [post] = h.posts();
    const all = flatten(post?.args);
    expect(all).toContain("&lt;!channel&gt; &lt;@U123&gt; &lt;!here&gt; retries");
    expect(all).not.toMatch(/<!channel>|<@U123>|<!here>/);
  });

  it("answers a channel message that mentions the bot once: app_mention does, auto-explain stays out", async () => {
    await optIn();
    const ts = nextMessageTs();
    const text = `<@${h.fake.botUserId}> what is mTLS and a sidecar proxy?`;
    await h.event(messageEvent({ text, ts }));
    await h.event(appMentionEvent({ text, ts }));
    expect(h.posts()).toHaveLength(1);
    expect(h.posts()[0]?.args.thread_ts).toBe(ts);
  });

  it("explains jargon in an opted-in channel in the message's thread, naming the words it explains", async () => {
    await optIn();
    const ts = nextMessageTs();
    await h.event(messageEvent({ text: JARGON, ts }));
    const [post] = h.posts();
    expect(post?.args).toMatchObject({ channel: "C1", thread_ts: ts });
    expect(String(post?.args.text)).toContain('Jargon in this message: "mTLS", "sidecar proxy"');
    const all = flatten(post?.args);
    expect(all).toContain(term("mtls").summary);
    expect(all).toContain(term("sidecar-proxy").summary);
    const labels = buttonsOf(post?.args ?? {}).map((b) => b.text?.text);
    expect(labels.filter((l) => l === "More")).toHaveLength(2);
    expect(labels).toEqual(
      expect.arrayContaining([
        `Not jargon here: ${term("mtls").term}`,
        `Not jargon here: ${term("sidecar-proxy").term}`,
      ]),
    );
  });

  it("stays quiet where auto-explain was never turned on, and after it is turned off", async () => {
    await h.event(messageEvent({ text: JARGON }));
    expect(h.posts()).toHaveLength(0);
    await optIn();
    await h.command("autoexplain off");
    h.fake.reset();
    await h.event(messageEvent({ text: JARGON }));
    expect(h.posts()).toHaveLength(0);
  });

  it("explains each term once per thread", async () => {
    await optIn();
    const parent = nextMessageTs();
    await h.event(messageEvent({ text: "is mTLS on?", ts: parent }));
    await h.event(messageEvent({ text: "mTLS is on, and what about egress?", thread_ts: parent }));
    await h.event(messageEvent({ text: "yes, mTLS and egress", thread_ts: parent }));
    const posts = h.posts();
    expect(posts).toHaveLength(2);
    expect(String(posts[0]?.args.text)).toContain('"mTLS"');
    expect(String(posts[1]?.args.text)).toContain('Jargon in this message: "egress"');
    expect(String(posts[1]?.args.text)).not.toContain("mTLS");
    expect(posts.every((p) => p.args.thread_ts === parent)).toBe(true);
  });

  it("keeps a second thread in the same channel quiet about a term explained within the cooldown", async () => {
    await optIn();
    await h.event(messageEvent({ text: "turning on mTLS today" }));
    await h.event(messageEvent({ text: "did mTLS break anything?" }));
    expect(h.posts()).toHaveLength(1);
    // Another channel has its own cooldown.
    await optIn("C2");
    await h.event(messageEvent({ text: "did mTLS break anything?", channel: "C2" }));
    expect(h.posts()).toHaveLength(1);
    expect(h.posts()[0]?.args.channel).toBe("C2");
  });

  it("More on an auto-explain line answers the clicker privately with the full text", async () => {
    await optIn();
    await h.event(messageEvent({ text: JARGON }));
    const more = buttonsOf(h.posts()[0]?.args ?? {}).find(
      (b) => b.text?.text === "More" && b.value?.startsWith("mtls"),
    );
    await h.click({ actionId: more?.action_id ?? "", value: more?.value ?? "", user: "U3" });
    const response = await h.fake.waitForResponse();
    expect(response.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(flatten(response.body)).toContain("In a *service mesh*, mTLS");
    expect(h.posts()).toHaveLength(1);
  });

  it("Not jargon here stops explaining that term in the channel, and says so privately", async () => {
    await optIn();
    await h.event(messageEvent({ text: "is mTLS on?" }));
    const silence = button(h.posts()[0]?.args ?? {}, "Not jargon here");
    await h.click({ actionId: silence.action_id ?? "", value: silence.value ?? "", user: "U4" });
    const response = await h.fake.waitForResponse();
    expect(response.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(response.body.text)).toContain(`I won't explain *${term("mtls").term}* in this channel`);
    h.fake.reset();
    await h.event(messageEvent({ text: "mTLS again, in a new thread, a day later" }));
    expect(h.posts()).toHaveLength(0);
    const status = await h.command("autoexplain status");
    expect(String(status.text)).toContain(`Not jargon here: ${term("mtls").term}`);
  });

  it("leaves the messages of people who muted themselves alone, and terms silenced by command", async () => {
    await optIn();
    await h.command("autoexplain mute", { user_id: "U9" });
    await h.command("autoexplain silence egress");
    h.fake.reset();
    await h.event(messageEvent({ text: JARGON, user: "U9" }));
    await h.event(messageEvent({ text: "egress is blocked", user: "U2" }));
    expect(h.posts()).toHaveLength(0);
    await h.command("autoexplain unmute", { user_id: "U9" });
    await h.event(messageEvent({ text: JARGON, user: "U9" }));
    expect(h.posts()).toHaveLength(1);
  });

  it("Explain this message answers privately with every term in it, everyday words included", async () => {
    await h.shortcut("the pod has high latency; is <!channel> on mTLS?");
    const response = await h.fake.waitForResponse();
    expect(response.body.response_type).toBe("ephemeral");
    const all = flatten(response.body);
    for (const id of ["pod", "latency", "mtls"]) expect(all).toContain(term(id).summary);
    expect(all).not.toContain("<!channel>");
    expect(buttonsOf(response.body).map((b) => b.text?.text)).not.toContain("Not jargon here");
    expect(h.posts()).toHaveLength(0);
    await h.shortcut("lunch at noon?");
    const nothing = await h.fake.waitForResponse((r) => r !== response);
    expect(nothing.body.text).toBe(NOTHING_TO_EXPLAIN);
  });

  it("sharing a term opened from Explain this message posts it in that message's thread", async () => {
    const parent = nextMessageTs();
    await h.shortcut("is mTLS on?", { ts: parent });
    const explained = await h.fake.waitForResponse();
    const more = button(explained.body, "More");
    await h.click({ actionId: more.action_id ?? "", value: more.value ?? "", user: "U5", ephemeral: true });
    const card = await h.fake.waitForResponse((r) => r !== explained);
    expect(card.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    const share = button(card.body, "Share in channel");
    await h.click({ actionId: share.action_id ?? "", value: share.value ?? "", user: "U5", ephemeral: true });
    const [post] = h.posts();
    expect(post?.args).toMatchObject({ channel: "C1", thread_ts: parent });
    expect(flatten(post?.args)).toContain("Shared by <@U5>");
  });

  it("a near miss asked in a thread offers choices that answer whoever clicks, privately", async () => {
    const parent = nextMessageTs();
    await h.event(appMentionEvent({ text: `<@${h.fake.botUserId}> proxy?`, ts: parent }));
    const [post] = h.posts();
    expect(post?.args.thread_ts).toBe(parent);
    expect(String(post?.args.text)).toContain("Did you mean");
    const envoy = term("envoy");
    const choice = button(post?.args ?? {}, envoy.term);
    expect(choice.action_id).toMatch(/^mesh_peek_define_\d+$/);
    await h.click({ actionId: choice.action_id ?? "", value: choice.value ?? "", user: "U6" });
    const response = await h.fake.waitForResponse();
    expect(response.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(flatten(response.body)).toContain(envoy.summary);
    expect(h.posts()).toHaveLength(1);
  });

  it("a redelivered event (Slack's retry) never yields a second reply", async () => {
    await optIn();
    const message = messageEvent({ text: JARGON });
    await h.event(message, { eventId: "EvSAME1" });
    await h.event(message, { eventId: "EvSAME1", retryNum: 1 });
    expect(h.posts()).toHaveLength(1);
    const mention = appMentionEvent({ text: `<@${h.fake.botUserId}> egress` });
    await h.event(mention, { eventId: "EvSAME2" });
    await h.event(mention, { eventId: "EvSAME2", retryNum: 2 });
    expect(h.posts()).toHaveLength(2);
  });

  it("ignores bots' messages, edits, deletions, joins and other subtypes", async () => {
    await optIn();
    await h.event({ ...messageEvent({ text: JARGON, user: "U42" }), bot_id: "B42" });
    const ts = nextMessageTs();
    await h.event({
      type: "message",
      subtype: "message_changed",
      channel: "C1",
      channel_type: "channel",
      ts: nextMessageTs(),
      message: { type: "message", user: "U2", text: JARGON, ts, edited: { user: "U2", ts: nextMessageTs() } },
      previous_message: { type: "message", user: "U2", text: "typo", ts },
    });
    await h.event({
      type: "message",
      subtype: "message_deleted",
      channel: "C1",
      channel_type: "channel",
      ts: nextMessageTs(),
      deleted_ts: ts,
    });
    await h.event({
      ...messageEvent({ text: `<@U2> has joined the channel about mTLS` }),
      subtype: "channel_join",
    });
    await h.event({
      ...messageEvent({ text: JARGON }),
      subtype: "bot_message",
      bot_id: "B7",
      username: "ci",
    });
    await h.event({ ...messageEvent({ text: JARGON, channel: "D3", channel_type: "im" }), bot_id: "B9" });
    expect(h.posts()).toHaveLength(0);
    // The same words from a person are explained.
    await h.event(messageEvent({ text: JARGON }));
    expect(h.posts()).toHaveLength(1);
  });
});
