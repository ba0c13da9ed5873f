import { ChannelType, PermissionFlagsBits, PermissionOverwrites, PermissionsBitField } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { botPermissionsIn, PERMISSIONS_TTL_MS } from "../../../adapters/discord/permissions.js";
import { DEFAULT_BOT_PERMISSIONS, type RestCall } from "../../fakes/discord.js";
import { buttonsOf, expectNoPings, type Harness, posts, settle, startHarness } from "./harness.js";

let h: Harness | undefined;

afterEach(async () => {
  if (h !== undefined) {
    expectNoPings(h.fake);
    await h.stop();
  }
  h = undefined;
});

type Body = {
  content?: string;
  embeds?: { title?: string; description?: string }[];
  components?: { components: { custom_id?: string; label?: string }[] }[];
  message_reference?: { message_id: string };
};
const body = (c: RestCall) => c.body as Body;
const JARGON = "our egress goes through the sidecar proxy with mTLS";

describe("questions by mention and DM", () => {
  it("replies to '@mesh what is an init container?' with the definition, as a reply to that message", async () => {
    h = await startHarness();
    const id = h.fake.messageCreate({ content: `<@${h.fake.botUser.id}> what is an init container?` });
    const reply = body(await h.post(h.fake.channelId));
    expect(reply.message_reference?.message_id).toBe(id);
    expect(reply.embeds?.[0]?.title).toBe("Init container");
    expect(reply.embeds?.[0]?.description).toContain(h.glossary.get("init-container")?.summary);
  });

  it("answers a mention of the bot's own server role (@mesh-bot picked from the role list) the same way", async () => {
    h = await startHarness();
    const id = h.fake.messageCreate({ content: `<@&${h.fake.botRoleId}> what is egress?` });
    const reply = body(await h.post(h.fake.channelId));
    expect(reply.message_reference?.message_id).toBe(id);
    expect(reply.embeds?.[0]?.title).toBe("Egress");
  });

  it("answers in plain text where it may not embed links, so the reply is never empty", async () => {
    const noEmbeds = BigInt(DEFAULT_BOT_PERMISSIONS) & ~PermissionFlagsBits.EmbedLinks;
    h = await startHarness({ fake: { botPermissions: String(noEmbeds) } });
    h.fake.messageCreate({ content: `<@${h.fake.botUser.id}> define egress` });
    const reply = body(await h.post(h.fake.channelId));
    const egress = h.glossary.get("egress");
    expect(reply.embeds ?? []).toEqual([]);
    expect(reply.content).toContain(`**Egress**\n${egress?.summary}`);
    expect(reply.content).toContain(`**Sources**: <${egress?.sources[0]}>`);
    expect(reply.content?.length).toBeLessThanOrEqual(2000);
  });

  it("answers a question sent by DM in the DM", async () => {
    h = await startHarness();
    h.fake.messageCreate({ content: "what is mTLS?", guildId: null });
    const dm = h.fake.dmChannelFor(h.fake.user.id);
    const reply = body(await h.post(dm));
    expect(reply.embeds?.[0]?.title).toBe("mTLS");
  });

  it("quotes a hostile mention back without pinging or linking anyone", async () => {
    h = await startHarness();
    h.fake.messageCreate({ content: `<@${h.fake.botUser.id}> search @everyone <@111111111111111111> @here` });
    const reply = body(await h.post(h.fake.channelId));
    expect(reply.content).toContain("Nothing in the glossary mentions");
    expect(reply.content).not.toMatch(/@everyone|@here|<@\d/);
    expect((await h.post(h.fake.channelId)).body).toMatchObject({
      allowed_mentions: { parse: [], replied_user: false },
    });
  });

  it("ignores messages from other bots and its own echoed posts (no reply loop)", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    h.fake.messageCreate({
      content: `<@${h.fake.botUser.id}> what is egress? ${JARGON}`,
      authorId: "999999999999999999",
      authorBot: true,
    });
    h.fake.messageCreate({ content: JARGON, authorId: h.fake.botUser.id });
    await settle();
    expect(posts(h.fake)).toEqual([]);
    // a person's question is answered once: the bot's echoed reply is not answered in turn
    h.fake.messageCreate({ content: `<@${h.fake.botUser.id}> egress` });
    await h.post(h.fake.channelId);
    await settle();
    expect(posts(h.fake)).toHaveLength(1);
  });

  it("tells the asker by DM, and logs, when it may not reply in the channel", async () => {
    h = await startHarness({ fake: { botPermissions: String(PermissionFlagsBits.ViewChannel) } });
    h.fake.messageCreate({ content: `<@${h.fake.botUser.id}> what is egress?` });
    const dm = body(await h.post(h.fake.dmChannelFor(h.fake.user.id)));
    expect(dm.content).toContain("I'm missing the **Send Messages**");
    expect(dm.content).toContain(`in <#${h.fake.channelId}>`);
    const logged = h.logs.find(
      (l) => l.msg === "could not answer a mention: missing permissions in the channel",
    );
    expect(logged).toMatchObject({ channel: h.fake.channelId, code: 50013, guild: h.fake.guildId });
  });
});

describe("auto-explain", () => {
  it("explains jargon in a thread started on the message: which words, one line per term, buttons", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    const id = h.fake.messageCreate({ content: JARGON });
    const created = await h.fake.waitForCall(
      (c) => c.path === `/channels/${h?.fake.channelId}/messages/${id}/threads`,
    );
    expect(created.body).toMatchObject({ name: "Jargon: egress, sidecar proxy, mTLS" });
    const reply = body(await h.post(id));
    const lines = reply.content?.split("\n") ?? [];
    expect(lines[0]).toBe('Jargon in this message: "egress", "sidecar proxy", "mTLS"');
    expect(lines[1]).toBe(`**Egress**: ${h.glossary.get("egress")?.summary}`);
    expect(lines).toHaveLength(4);
    const labels = buttonsOf(reply).map((b) => b.label);
    expect(labels).toEqual([
      "More: Egress",
      "More: Sidecar proxy",
      "More: mTLS",
      "Not jargon here: Egress",
      "Not jargon here: Sidecar proxy",
      "Not jargon here: mTLS",
    ]);
    // nothing was posted in the channel itself
    expect(posts(h.fake).filter((c) => c.path === `/channels/${h?.fake.channelId}/messages`)).toEqual([]);
  });

  it("answers inside the thread when the message is already in one, keyed to the parent channel", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    const thread = h.fake.threadCreate({ name: "deploy questions" });
    h.fake.messageCreate({ content: "is the init container done?", channelId: thread });
    const reply = body(await h.post(thread));
    expect(reply.content).toContain("**Init container**:");
    expect(h.fake.calls.some((c) => c.path.endsWith("/threads"))).toBe(false);
  });

  it("explains each term once per thread", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    const thread = h.fake.threadCreate({ name: "egress chat" });
    h.fake.messageCreate({ content: "egress is blocked", channelId: thread });
    await h.post(thread);
    h.fake.messageCreate({ content: "still about egress", channelId: thread });
    h.fake.messageCreate({ content: "egress and mTLS now", channelId: thread });
    const second = body(await h.post(thread, (c) => (c.body as Body).content?.includes("mTLS") === true));
    expect(second.content).toContain("**mTLS**:");
    expect(second.content).not.toContain("**Egress**:");
    await settle();
    expect(posts(h.fake)).toHaveLength(2);
  });

  it("stays quiet in channels that did not opt in, and for authors who muted themselves", async () => {
    h = await startHarness();
    h.fake.messageCreate({ content: JARGON });
    await settle();
    expect(posts(h.fake)).toEqual([]);
    await h.autoExplainOn();
    await h.store.setMuted("discord", h.fake.guildId, h.fake.user.id, true, Date.now());
    h.fake.messageCreate({ content: JARGON });
    await settle();
    expect(posts(h.fake)).toEqual([]);
  });

  it("replies in the channel when it may not create threads, and logs why", async () => {
    const noThreads = BigInt(DEFAULT_BOT_PERMISSIONS) & ~PermissionFlagsBits.CreatePublicThreads;
    h = await startHarness({ fake: { botPermissions: String(noThreads) } });
    await h.autoExplainOn();
    const id = h.fake.messageCreate({ content: JARGON });
    const reply = body(await h.post(h.fake.channelId));
    expect(reply.message_reference?.message_id).toBe(id);
    expect(reply.content).toContain("**Egress**:");
    expect(h.fake.calls.some((c) => c.path.endsWith("/threads"))).toBe(false);
    expect(h.logs.find((l) => l.msg === "no thread permissions; replying in the channel")).toMatchObject({
      missing: ["Create Public Threads"],
    });
  });

  it("follows the bot's permissions as a server changes them: threads, then replies, then threads again", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    const threads = () => h?.fake.calls.filter((c) => c.path.endsWith("/threads")).length;
    const first = h.fake.messageCreate({ content: JARGON });
    await h.post(first);
    expect(threads()).toBe(1);
    // A server manager takes Create Public Threads away (GUILD_ROLE_UPDATE): the next one is a reply.
    const noThreads = BigInt(DEFAULT_BOT_PERMISSIONS) & ~PermissionFlagsBits.CreatePublicThreads;
    h.fake.setBotPermissions(String(noThreads));
    await settle();
    const second = h.fake.messageCreate({ content: JARGON });
    const reply = body(await h.post(h.fake.channelId));
    expect(reply.message_reference?.message_id).toBe(second);
    expect(threads()).toBe(1);
    // Given back: threads again.
    h.fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS);
    await settle();
    const third = h.fake.messageCreate({ content: JARGON });
    await h.post(third);
    expect(threads()).toBe(2);
  });

  it("follows a channel's own overwrites as they change, without a refused request", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    const fake = h.fake;
    const threads = () => fake.calls.filter((c) => c.path.endsWith("/threads"));
    await h.post(fake.messageCreate({ content: JARGON }));
    expect(threads()).toHaveLength(1);
    // A channel manager denies Create Public Threads to @everyone in this channel (CHANNEL_UPDATE).
    const channel = fake.channels.get(fake.channelId);
    if (channel === undefined) throw new Error("the fake has no default channel");
    const deny = (flags: bigint) => {
      channel.permission_overwrites = [{ id: fake.guildId, type: 0, allow: "0", deny: String(flags) }];
      fake.dispatch("CHANNEL_UPDATE", { ...channel, guild_id: fake.guildId });
    };
    deny(PermissionFlagsBits.CreatePublicThreads);
    await settle();
    const second = fake.messageCreate({ content: JARGON });
    expect(body(await h.post(fake.channelId)).message_reference?.message_id).toBe(second);
    // The bot knew before asking: no thread request was made to be refused.
    expect(threads()).toHaveLength(1);
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
    deny(0n);
    await settle();
    await h.post(fake.messageCreate({ content: JARGON }));
    expect(threads()).toHaveLength(2);
  });

  it("works its permissions out again after a minute, even when no event said they changed", async () => {
    h = await startHarness();
    const channel = h.adapter.client.channels.cache.get(h.fake.channelId);
    if (channel?.type !== ChannelType.GuildText) throw new Error("the fake has no text channel");
    const at = Date.now();
    expect(botPermissionsIn(channel, at)?.has(PermissionFlagsBits.CreatePublicThreads)).toBe(true);
    // A change the bot was not told about (its own roles, without the members intent): remembered a while...
    channel.permissionOverwrites.cache.set(
      h.fake.guildId,
      // discord.js's own shape for an overwrite, as a CHANNEL_UPDATE we never got would have made it.
      Object.assign(Object.create(PermissionOverwrites.prototype) as PermissionOverwrites, {
        id: h.fake.guildId,
        type: 0,
        allow: new PermissionsBitField(0n),
        deny: new PermissionsBitField(PermissionFlagsBits.CreatePublicThreads),
        channel,
      }),
    );
    expect(botPermissionsIn(channel, at + 1000)?.has(PermissionFlagsBits.CreatePublicThreads)).toBe(true);
    // ...and worked out again once PERMISSIONS_TTL_MS has passed.
    expect(
      botPermissionsIn(channel, at + PERMISSIONS_TTL_MS)?.has(PermissionFlagsBits.CreatePublicThreads),
    ).toBe(false);
  });

  it("falls back to a reply when Discord answers 403 (50013) to the thread creation", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    h.fake.failNext((c) => c.path.endsWith("/threads"), {
      status: 403,
      code: 50013,
      message: "Missing Permissions",
    });
    const id = h.fake.messageCreate({ content: JARGON });
    const reply = body(await h.post(h.fake.channelId));
    expect(reply.message_reference?.message_id).toBe(id);
    expect(
      h.logs.find((l) => l.msg === "could not start an auto-explain thread; replying in the channel"),
    ).toMatchObject({ code: 50013, channel: h.fake.channelId, message: id });
  });

  it("waits out a 429 on the thread message and still delivers the explanation", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    const id = h.fake.messageCreate({ id: undefined, content: JARGON });
    h.fake.failNext((c) => c.method === "POST" && c.path === `/channels/${id}/messages`, {
      status: 429,
      retryAfter: 0.2,
    });
    const reply = body(await h.post(id));
    expect(reply.content).toContain("**Egress**:");
    const attempts = h.fake.calls.filter((c) => c.method === "POST" && c.path === `/channels/${id}/messages`);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(h.logs.some((l) => l.msg === "rate limited by Discord; waiting")).toBe(true);
  });

  it("keeps answering after the gateway connection drops and resumes", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    h.fake.disconnect(4000);
    await h.fake.resumed(1);
    const id = h.fake.messageCreate({ content: JARGON });
    const reply = body(await h.post(id));
    expect(reply.content).toContain("**mTLS**:");
    expect(h.fake.identifies).toBe(1);
    expect(h.logs.some((l) => l.msg === "gateway session resumed")).toBe(true);
  });

  it("answers a message sent while disconnected exactly once, after the resume replays it", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    h.fake.disconnect(4000);
    const id = h.fake.messageCreate({ content: JARGON });
    await h.fake.resumed(1);
    await h.post(id);
    await settle();
    expect(h.fake.replayed).toBeGreaterThanOrEqual(1);
    expect(posts(h.fake)).toHaveLength(1);
  });

  it("logs what to fix when Discord closes the gateway for good (Message Content intent not enabled)", async () => {
    h = await startHarness();
    h.fake.disconnect(4014);
    await expect
      .poll(() => h?.logs.find((l) => l.msg === "gateway closed for good"), { timeout: 3000 })
      .toMatchObject({ code: 4014, hint: expect.stringContaining("Message Content Intent") });
  });
});
