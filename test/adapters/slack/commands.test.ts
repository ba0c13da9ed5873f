// /mesh and the buttons on its private cards, through the real Bolt (HTTP mode with signed requests, and
// Socket Mode over the fake's WebSocket) against the loopback fake Slack.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TOPICS } from "../../../src/core/types.js";
import { HELP_LEAD } from "../../../src/present/messages.js";
import { realGlossary } from "../../helpers.js";
import { button, buttonsOf, flatten, type Harness, MODES, startHarness } from "./harness.js";
import { limitViolations } from "./limits.js";

const glossary = realGlossary();
const term = (id: string) => {
  const t = glossary.get(id);
  if (t === undefined) throw new Error(`no term ${id} in the content`);
  return t;
};

/** Every section's text in a message. */
function sectionTexts(message: Record<string, unknown>): string[] {
  const blocks = (message.blocks ?? []) as { type: string; text?: { text: string } }[];
  return blocks.filter((b) => b.type === "section").map((b) => b.text?.text ?? "");
}

describe.each(MODES)("/mesh over %s", (mode) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(mode);
  });
  afterEach(async () => {
    // Whatever a test did, every message fit Slack's limits, carried a fallback text and unfurled nothing.
    for (const message of h.messages()) {
      expect(limitViolations(message)).toEqual([]);
      expect(String(message.unfurl_links)).toBe("false");
    }
    await h.close();
  });

  it("answers /mesh define egres with Egress, privately, saying which term it took the typo for", async () => {
    const egress = term("egress");
    const ack = await h.command("define egres");
    expect(ack.response_type).toBe("ephemeral");
    const all = flatten(ack);
    expect(all).toContain(`Showing *${egress.term}* for`);
    expect(sectionTexts(ack)[0]).toContain(egress.summary);
    expect(String(ack.text)).toContain(egress.term);
    expect(buttonsOf(ack).map((b) => b.text?.text)).toEqual(
      expect.arrayContaining(["More", "Share in channel", ...egress.related.map((id) => term(id).term)]),
    );
    expect(h.posts()).toHaveLength(0);
  });

  it("offers the source as a link button that Slack opens itself (the click is only acknowledged)", async () => {
    const mtls = term("mtls");
    const ack = await h.command("define mtls");
    const source = button(ack, "Source");
    expect(source.url).toBe(mtls.sources[0]);
    expect(source.text?.text).toBe(`Source: ${new URL(mtls.sources[0] ?? "").hostname}`);
    await h.click({ actionId: source.action_id ?? "", ephemeral: true });
    expect(h.fake.responses).toHaveLength(0);
    expect(h.posts()).toHaveLength(0);
  });

  it("More replaces the private card with the full text, links to other terms in bold", async () => {
    const ack = await h.command("define mtls");
    const more = button(ack, "More");
    await h.click({ actionId: more.action_id ?? "", value: more.value ?? "", ephemeral: true });
    const response = await h.fake.waitForResponse();
    expect(response.body).toMatchObject({ response_type: "ephemeral", replace_original: true });
    const text = flatten(response.body);
    // The body's "[service mesh](#service-mesh)" link, as Slack shows it.
    expect(text).toContain("In a *service mesh*, mTLS");
    expect(text).not.toContain("](#");
    expect(buttonsOf(response.body).map((b) => b.text?.text)).not.toContain("More");
    expect(buttonsOf(response.body).map((b) => b.text?.text)).toContain("Share in channel");
    // The full text says what it was checked against.
    expect(text).toContain("As of Linkerd 2.20.");
  });

  it("a related term's button opens that term's card in place of the private card", async () => {
    const anchor = term("trust-anchor");
    const ack = await h.command("define mtls");
    const related = button(ack, anchor.term);
    await h.click({ actionId: related.action_id ?? "", value: related.value ?? "", ephemeral: true });
    const response = await h.fake.waitForResponse();
    expect(response.body).toMatchObject({ response_type: "ephemeral", replace_original: true });
    expect(sectionTexts(response.body)[0]).toContain(`*${anchor.term}*`);
    expect(sectionTexts(response.body)[0]).toContain(anchor.summary);
  });

  it("Share in channel posts the card for everyone, credited to the asker, and removes the private card", async () => {
    const mtls = term("mtls");
    const ack = await h.command("define mtls", { user_id: "U7", channel_id: "C9" });
    const share = button(ack, "Share in channel");
    await h.click({
      actionId: share.action_id ?? "",
      value: share.value ?? "",
      user: "U7",
      channel: "C9",
      ephemeral: true,
    });
    const [post] = h.posts();
    expect(post?.args).toMatchObject({ channel: "C9", unfurl_links: "false", unfurl_media: "false" });
    expect(post?.args.thread_ts).toBeUndefined();
    expect(flatten(post?.args)).toContain("Shared by <@U7>");
    expect(sectionTexts(post?.args ?? {})[0]).toContain(mtls.summary);
    // The public card has no Share button; its More answers whoever clicks, privately.
    expect(buttonsOf(post?.args ?? {}).map((b) => b.text?.text)).not.toContain("Share in channel");
    expect(button(post?.args ?? {}, "More").action_id).toBe("mesh_peek_more");
    const response = await h.fake.waitForResponse();
    expect(response.body).toEqual({ delete_original: true });
  });

  it("a near miss offers Did you mean buttons and never answers with a guess", async () => {
    const ack = await h.command("define proxy");
    expect(flatten(ack)).toContain("Did you mean");
    expect(buttonsOf(ack).map((b) => b.text?.text)).not.toContain("Share in channel");
    const sidecar = term("sidecar-proxy");
    const choice = button(ack, sidecar.term);
    await h.click({ actionId: choice.action_id ?? "", value: choice.value ?? "", ephemeral: true });
    const response = await h.fake.waitForResponse();
    expect(response.body).toMatchObject({ replace_original: true, response_type: "ephemeral" });
    expect(sectionTexts(response.body)[0]).toContain(sidecar.summary);
  });

  it("a button from an older message whose term is gone says so privately instead of failing", async () => {
    await h.click({ actionId: "mesh_more", value: "renamed-long-ago", ephemeral: true });
    const response = await h.fake.waitForResponse();
    expect(response.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(response.body.text)).toContain("That button no longer works");
  });

  it("a button this version no longer renders says so privately, and a source link is only acked", async () => {
    await h.click({ actionId: "mesh_retired_2", value: "egress", ephemeral: true });
    const response = await h.fake.waitForResponse();
    expect(String(response.body.text)).toContain("That button no longer works");
    h.fake.reset();
    await h.click({ actionId: "mesh_source_1", value: "egress", ephemeral: true });
    expect(h.fake.calls).toEqual([]);
    expect(h.fake.responses).toEqual([]);
  });

  it("a miss says so kindly and is counted for the maintainers", async () => {
    const ack = await h.command("define xyzzy");
    expect(ack.response_type).toBe("ephemeral");
    expect(String(ack.text)).toContain(`I don't have "*xyzzy*" in the glossary yet`);
    // No suggestions; the one way on is proposing it for this team.
    expect(buttonsOf(ack).map((b) => [b.text?.text, b.action_id, b.value])).toEqual([
      ['Propose "xyzzy"', "mesh_propose_0", "xyzzy"],
    ]);
    const stats = await h.bot.stats(10);
    expect(stats.misses.map((m) => m.key)).toContain("xyzzy");
  });

  it("an empty /mesh and a bare /mesh define say how to ask", async () => {
    const empty = await h.command("");
    expect(String(empty.text)).toContain(HELP_LEAD);
    const bare = await h.command("define");
    expect(String(bare.text)).toContain("Usage: `/mesh define &lt;term&gt;");
    const punctuation = await h.command("define ???");
    expect(String(punctuation.text)).toBe("Which term? Try `/mesh define egress`.");
  });

  it("echoes hostile input escaped: /mesh define <!channel> pings nobody", async () => {
    const ack = await h.command("define <!channel>");
    const all = flatten(ack);
    expect(all).toContain("&lt;!channel&gt;");
    expect(all).not.toContain("<!channel>");
    for (const text of [
      "define <!here> @everyone",
      "search <@U123> <!everyone>",
      "define [x](https://evil.example) *b*",
    ]) {
      const reply = flatten(await h.command(text));
      expect(reply).not.toMatch(/<!here>|<!everyone>|<@U123>|<https:\/\/evil/);
    }
    expect(h.posts()).toHaveLength(0);
  });

  it("answers a 10 KB command with a short private reply within Slack's limits", async () => {
    const ack = await h.command(`define ${"sidecar ".repeat(1300)}`);
    expect(ack.response_type).toBe("ephemeral");
    expect((ack.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    for (const s of sectionTexts(ack)) expect(s.length).toBeLessThanOrEqual(3000);
    expect(flatten(ack).length).toBeLessThan(12_000);
  });

  it("lists every term grouped by topic, says how many, and fits Slack's limits", async () => {
    const ack = await h.command("list");
    const sections = sectionTexts(ack);
    expect(sections[0]).toContain(`${glossary.terms.length} terms`);
    expect(sections.length).toBe(1 + new Set(glossary.terms.map((t) => t.topic)).size);
    for (const s of sections) expect(s.length).toBeLessThanOrEqual(3000);
    const all = sections.join("\n");
    for (const t of glossary.terms) expect(all).toContain(t.term);
    const security = await h.command(`list ${TOPICS[2]}`);
    const secTerms = glossary.terms.filter((t) => t.topic === TOPICS[2]);
    expect(flatten(security)).toContain(secTerms[0]?.summary ?? "?");
  });

  it("search, related and help answer privately with buttons that open terms in place", async () => {
    const search = await h.command("search retries");
    expect(search.response_type).toBe("ephemeral");
    expect(String(search.text)).toContain('Terms that mention "*retries*"');
    expect(buttonsOf(search).length).toBeGreaterThan(0);
    expect(buttonsOf(search).every((b) => b.action_id?.startsWith("mesh_define"))).toBe(true);
    const related = await h.command("related mtls");
    expect(buttonsOf(related).map((b) => b.value)).toEqual(term("mtls").related);
    const help = await h.command("help");
    expect(String(help.text)).toContain("`/mesh autoexplain silence|unsilence &lt;term&gt;`");
  });

  it("autoexplain on and off are announced in the channel with who did it; status names them", async () => {
    const on = await h.command("autoexplain on", { user_id: "U5", channel_id: "C5" });
    expect(on.response_type).toBe("ephemeral");
    expect(String(on.text)).toContain("Auto-explain is *on* in this channel");
    const announcement = await h.fake.waitForCall("chat.postMessage");
    expect(announcement.args).toMatchObject({ channel: "C5", unfurl_links: "false", unfurl_media: "false" });
    expect(String(announcement.args.text)).toContain("Auto-explain turned *on* by <@U5>");
    const status = await h.command("autoexplain status", { user_id: "U6", channel_id: "C5" });
    expect(String(status.text)).toContain("turned on by <@U5>");
    await h.command("autoexplain off", { user_id: "U6", channel_id: "C5" });
    const posts = await h.fake.waitForCalls("chat.postMessage", 2);
    expect(String(posts[1]?.args.text)).toContain("Auto-explain turned *off* by <@U6>");
    // Settings are per channel.
    const elsewhere = await h.command("autoexplain status", { channel_id: "C6" });
    expect(String(elsewhere.text)).toContain("Auto-explain is *off* in this channel.");
  });

  it("autoexplain mute, silence and unsilence answer privately without announcing anything", async () => {
    const mute = await h.command("autoexplain mute", { user_id: "U8" });
    expect(String(mute.text)).toContain("I won't explain your messages");
    const silence = await h.command("autoexplain silence latency");
    expect(String(silence.text)).toContain(`I won't explain *${term("latency").term}* in this channel`);
    const unsilence = await h.command("autoexplain unsilence latency");
    expect(String(unsilence.text)).toContain("can be explained in this channel again");
    expect(h.posts()).toHaveLength(0);
  });
});
