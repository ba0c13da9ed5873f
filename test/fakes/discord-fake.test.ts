import {
  ChannelType,
  Client,
  ComponentType,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  REST,
  Routes,
  TextInputStyle,
  type ThreadChannel,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeDiscord, type RestCall, startFakeDiscord } from "./discord.js";

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake?.close();
  fake = undefined;
});

/** Starts the fake and a real discord.js client logged in against it; resolves once ClientReady fired. */
async function connect(
  opts?: Parameters<typeof startFakeDiscord>[0],
  intents: GatewayIntentBits[] = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.MessageContent,
    GatewayIntentBits.DirectMessages,
  ],
): Promise<{ fake: FakeDiscord; client: Client }> {
  fake = await startFakeDiscord(opts);
  client = new Client({
    intents,
    partials: [Partials.Channel],
    rest: { api: fake.apiUrl },
  });
  const ready = new Promise<void>((resolve) => client?.once(Events.ClientReady, () => resolve()));
  await client.login("test-token");
  await ready;
  return { fake, client };
}

/** The next event of `name` for which `filter` holds. */
function next<T>(c: Client, name: string, filter: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (value: T) => {
      if (!filter(value)) return;
      c.off(name, listener);
      resolve(value);
    };
    c.on(name, listener);
  });
}

const isCallback = (id: string) => (c: RestCall) =>
  c.method === "POST" && c.path.startsWith(`/interactions/${id}/`);

describe("fake Discord with the real discord.js", () => {
  it("logs in quickly and caches the guild and its text channel", async () => {
    const started = Date.now();
    const { fake, client } = await connect();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(fake.identifies).toBe(1);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    const channel = client.channels.cache.get(fake.channelId);
    expect(channel?.type).toBe(ChannelType.GuildText);
    // permission checks an adapter makes before starting a thread can be computed
    const me = guild?.members.me;
    expect(me).toBeTruthy();
    const perms = guild?.channels.cache.get(fake.channelId)?.permissionsFor(me ?? fake.botUser.id);
    expect(perms?.has(PermissionFlagsBits.CreatePublicThreads)).toBe(true);
    expect(perms?.has(PermissionFlagsBits.SendMessagesInThreads)).toBe(true);
    expect(perms?.has(PermissionFlagsBits.ManageChannels)).toBe(false);
    expect(fake.calls.some((c) => c.method === "GET" && c.path === "/gateway/bot")).toBe(true);
    expect(fake.calls[0]?.headers.authorization).toBe("Bot test-token");
  });

  it("delivers MESSAGE_CREATE; reply and startThread + thread.send hit the right routes", async () => {
    const { fake, client } = await connect();
    const received = next<Message>(client, Events.MessageCreate, (m) => !m.author.bot);
    const id = fake.messageCreate({ content: `<@${fake.botUser.id}> what is mTLS?` });
    const message = await received;
    expect(message.id).toBe(id);
    expect(message.content).toBe(`<@${fake.botUser.id}> what is mTLS?`);
    expect(message.author.id).toBe(fake.user.id);
    expect(message.author.bot).toBe(false);
    expect(message.mentions.users.has(fake.botUser.id)).toBe(true);
    expect(message.inGuild()).toBe(true);

    const ownEcho = next<Message>(client, Events.MessageCreate, (m) => m.author.id === fake.botUser.id);
    const reply = await message.reply({ content: "mTLS is mutual TLS", allowedMentions: { parse: [] } });
    expect(reply.reference?.messageId).toBe(id);
    const replyCall = await fake.waitForCall(
      (c) => c.method === "POST" && c.path === `/channels/${fake.channelId}/messages`,
    );
    expect(replyCall.body).toMatchObject({
      content: "mTLS is mutual TLS",
      allowed_mentions: { parse: [] },
      message_reference: { message_id: id },
    });
    // like Discord, the bot receives its own message: adapters must ignore author.bot / self
    expect((await ownEcho).id).toBe(reply.id);

    const thread = await message.startThread({ name: "mTLS" });
    expect(thread.isThread()).toBe(true);
    expect(thread.parentId).toBe(fake.channelId);
    expect(thread.name).toBe("mTLS");
    await fake.waitForCall((c) => c.path === `/channels/${fake.channelId}/messages/${id}/threads`);
    const sent = await thread.send("details in the thread");
    expect(sent.channelId).toBe(thread.id);
    const threadPost = await fake.waitForCall(
      (c) => c.method === "POST" && c.path === `/channels/${thread.id}/messages`,
    );
    expect(threadPost.body).toMatchObject({ content: "details in the thread" });
    // a second thread on the same message is refused like Discord does
    await expect(
      client.rest.post(Routes.threads(fake.channelId, id), { body: { name: "again" } }),
    ).rejects.toMatchObject({ status: 400, code: 160004 });
  });

  it("delivers messages posted inside a known thread and DMs (Partials.Channel)", async () => {
    const { fake, client } = await connect();
    const threadId = fake.threadCreate({ name: "existing" });
    const inThread = next<Message>(client, Events.MessageCreate, (m) => m.channelId === threadId);
    fake.messageCreate({ content: "sidecar?", channelId: threadId });
    const m = await inThread;
    expect(m.channel.isThread()).toBe(true);
    expect((m.channel as ThreadChannel).parentId).toBe(fake.channelId);

    // a message that already started a thread: hasThread, message.thread, and startThread refuses
    const withThread = next<Message>(client, Events.MessageCreate, (x) => x.content === "already threaded");
    const starterId = fake.messageCreate({ content: "already threaded", thread: { name: "old thread" } });
    const starter = await withThread;
    expect(starter.hasThread).toBe(true);
    expect(starter.thread?.id).toBe(starterId);
    expect(starter.thread?.name).toBe("old thread");
    await expect(starter.startThread({ name: "again" })).rejects.toThrow();

    const dm = next<Message>(client, Events.MessageCreate, (x) => !x.inGuild() && !x.author.bot);
    fake.messageCreate({ content: "define envoy", guildId: null });
    const dmMessage = await dm;
    expect(dmMessage.content).toBe("define envoy");
    expect(dmMessage.channel.type).toBe(ChannelType.DM);
    await dmMessage.reply("Envoy is a proxy");
    await fake.waitForCall((c) => c.path === `/channels/${fake.dmChannelFor(fake.user.id)}/messages`);
  });

  it("handles a chat input command: ephemeral reply, then deferReply + editReply", async () => {
    const { fake, client } = await connect();
    const got = next<Interaction>(client, Events.InteractionCreate);
    const id = fake.interaction({
      kind: "chatInput",
      subcommand: "define",
      options: { term: "mtls" },
      permissions: String(PermissionFlagsBits.ManageChannels),
    });
    const interaction = await got;
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");
    expect(interaction.commandName).toBe("mesh");
    expect(interaction.options.getSubcommand()).toBe("define");
    expect(interaction.options.getString("term", true)).toBe("mtls");
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels)).toBe(true);
    expect(interaction.inGuild()).toBe(true);
    await interaction.reply({ content: "mutual TLS", flags: MessageFlags.Ephemeral });
    const cb = await fake.waitForCall(isCallback(id));
    expect(cb.path).toBe(`/interactions/${id}/${fake.interactionToken(id)}/callback`);
    expect(cb.status).toBe(204);
    expect(cb.body).toMatchObject({ type: 4, data: { content: "mutual TLS", flags: 64 } });
    // discord.js refuses a second reply locally; the fake refuses it too, like Discord (40060)
    await expect(interaction.reply("again")).rejects.toMatchObject({ code: "InteractionAlreadyReplied" });
    await expect(
      client.rest.post(Routes.interactionCallback(id, fake.interactionToken(id)), {
        body: { type: 4, data: {} },
      }),
    ).rejects.toMatchObject({ status: 400, code: 40060 });

    const got2 = next<Interaction>(client, Events.InteractionCreate);
    const id2 = fake.interaction({ kind: "chatInput", subcommand: "list", guildId: null });
    const second = await got2;
    if (!second.isChatInputCommand()) throw new Error("expected a chat input command");
    expect(second.inGuild()).toBe(false);
    expect(second.user.id).toBe(fake.user.id);
    await second.deferReply({ flags: MessageFlags.Ephemeral });
    expect((await fake.waitForCall(isCallback(id2))).body).toMatchObject({ type: 5, data: { flags: 64 } });
    const edited = await second.editReply("terms: mtls, envoy");
    expect(edited.content).toBe("terms: mtls, envoy");
    const token2 = fake.interactionToken(id2);
    const patch = await fake.waitForCall(
      (c) =>
        c.method === "PATCH" && c.path === `/webhooks/${fake.applicationId}/${token2}/messages/@original`,
    );
    expect(patch.rawPath).toContain("%40original");
    const follow = await second.followUp({ content: "more", flags: MessageFlags.Ephemeral });
    expect(follow.content).toBe("more");
    const post = await fake.waitForCall(
      (c) => c.method === "POST" && c.path === `/webhooks/${fake.applicationId}/${token2}`,
    );
    expect(post.query.get("wait")).toBe("true");
  });

  it("handles autocomplete, button and message context menu interactions", async () => {
    const { fake, client } = await connect();
    const auto = next<Interaction>(client, Events.InteractionCreate);
    const autoId = fake.interaction({
      kind: "autocomplete",
      subcommand: "define",
      focused: { name: "term", value: "mt" },
    });
    const a = await auto;
    if (!a.isAutocomplete()) throw new Error("expected autocomplete");
    expect(a.options.getFocused(true)).toMatchObject({ name: "term", value: "mt" });
    await a.respond([{ name: "mTLS", value: "mtls" }]);
    expect((await fake.waitForCall(isCallback(autoId))).body).toEqual({
      type: 8,
      data: { choices: [{ name: "mTLS", value: "mtls" }] },
    });

    const click = next<Interaction>(client, Events.InteractionCreate);
    const buttonId = fake.interaction({
      kind: "button",
      customId: "more:mtls",
      messageContent: "mTLS is...",
    });
    const button = await click;
    if (!button.isButton()) throw new Error("expected a button");
    expect(button.customId).toBe("more:mtls");
    expect(button.message.content).toBe("mTLS is...");
    expect(button.message.author.id).toBe(fake.botUser.id);
    await button.update({ content: "mTLS is mutual TLS, both sides present certificates", components: [] });
    expect((await fake.waitForCall(isCallback(buttonId))).body).toMatchObject({
      type: 7,
      data: { content: "mTLS is mutual TLS, both sides present certificates", components: [] },
    });

    const click2 = next<Interaction>(client, Events.InteractionCreate);
    const button2Id = fake.interaction({ kind: "button", customId: "other" });
    const button2 = await click2;
    if (!button2.isButton()) throw new Error("expected a button");
    await button2.reply({ content: "ok", flags: MessageFlags.Ephemeral });
    expect((await fake.waitForCall(isCallback(button2Id))).body).toMatchObject({
      type: 4,
      data: { flags: 64 },
    });

    const menu = next<Interaction>(client, Events.InteractionCreate);
    const menuId = fake.interaction({
      kind: "messageContext",
      name: "Explain this message",
      target: { content: "our sidecar does mTLS via SPIFFE" },
    });
    const ctx = await menu;
    if (!ctx.isMessageContextMenuCommand()) throw new Error("expected a message context menu command");
    expect(ctx.commandName).toBe("Explain this message");
    expect(ctx.targetMessage.content).toBe("our sidecar does mTLS via SPIFFE");
    const response = await ctx.reply({
      content: "mTLS, SPIFFE",
      flags: MessageFlags.Ephemeral,
      withResponse: true,
    });
    expect(response.resource?.message?.content).toBe("mTLS, SPIFFE");
    const menuCall = await fake.waitForCall(isCallback(menuId));
    expect(menuCall.query.get("with_response")).toBe("true");
    expect(menuCall.body).toMatchObject({ type: 4 });
  });

  it("shows a modal (type 9) and sends back its submission in the modal's layout; refuses bad ones", async () => {
    const { fake, client } = await connect();
    const opened = next<Interaction>(client, Events.InteractionCreate);
    const commandId = fake.interaction({ kind: "chatInput", subcommand: "add" });
    const command = await opened;
    if (!command.isChatInputCommand()) throw new Error("expected a chat input command");
    const input = (custom_id: string, value?: string) => ({
      type: ComponentType.TextInput as const,
      custom_id,
      style: TextInputStyle.Short,
      ...(value === undefined ? {} : { value }),
    });
    await command.showModal({
      custom_id: "form",
      title: "Add a term",
      components: [
        { type: ComponentType.Label, label: "Term", component: input("term", "Kraken") },
        { type: ComponentType.Label, label: "Summary", component: input("summary") },
        // the older layout: a text input with its own label, alone in an action row
        { type: ComponentType.ActionRow, components: [{ ...input("body"), label: "More" }] },
      ],
    });
    expect((await fake.waitForCall(isCallback(commandId))).body).toMatchObject({ type: 9 });
    expect(fake.modals.get(commandId)?.title).toBe("Add a term");

    const submitted = next<Interaction>(client, Events.InteractionCreate);
    const submitId = fake.interaction({
      kind: "modalSubmit",
      from: commandId,
      values: { summary: "An ingress" },
    });
    const submit = await submitted;
    if (!submit.isModalSubmit()) throw new Error("expected a modal submit");
    expect(submit.customId).toBe("form");
    expect(submit.user.id).toBe(fake.user.id);
    // what was filled in stays, what was typed arrives, an empty input is ""
    expect(submit.fields.getTextInputValue("term")).toBe("Kraken");
    expect(submit.fields.getTextInputValue("summary")).toBe("An ingress");
    expect(submit.fields.getTextInputValue("body")).toBe("");
    // no modal in answer to a modal, and no UPDATE_MESSAGE without a message to update
    const callback = (type: number, data: unknown) =>
      client.rest.post(Routes.interactionCallback(submitId, fake.interactionToken(submitId)), {
        body: { type, data },
        auth: false,
      });
    await expect(
      callback(9, { custom_id: "again", title: "Again", components: [input("x")] }),
    ).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(callback(7, { content: "changed" })).rejects.toMatchObject({ status: 400, code: 50035 });

    // a modal over Discord's limits is refused
    const tooMany = next<Interaction>(client, Events.InteractionCreate);
    fake.interaction({ kind: "chatInput", subcommand: "add" });
    const third = await tooMany;
    if (!third.isChatInputCommand()) throw new Error("expected a chat input command");
    await expect(
      third.showModal({
        custom_id: "form",
        title: "A title far longer than the forty-five characters a modal allows",
        components: [{ type: ComponentType.Label, label: "Term", component: input("term") }],
      }),
    ).rejects.toMatchObject({ status: 400, code: 50035 });
  });

  it("retries a 429 on the channel messages route and succeeds", async () => {
    const { fake, client } = await connect();
    const route = (c: RestCall) => c.method === "POST" && c.path === `/channels/${fake.channelId}/messages`;
    fake.failNext(route, { status: 429, retryAfter: 0.2 });
    const channel = client.channels.cache.get(fake.channelId);
    if (!channel?.isSendable()) throw new Error("channel not sendable");
    const started = Date.now();
    const sent = await channel.send("after the rate limit");
    expect(sent.content).toBe("after the rate limit");
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    const attempts = fake.calls.filter(route);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
  });

  it("retries a 500 (up to 3 times) and then succeeds", async () => {
    const { fake, client } = await connect();
    const route = (c: RestCall) => c.method === "POST" && c.path === `/channels/${fake.channelId}/messages`;
    fake.failNext(route, { status: 500 });
    const channel = client.channels.cache.get(fake.channelId);
    if (!channel?.isSendable()) throw new Error("channel not sendable");
    await expect(channel.send("after a 500")).resolves.toMatchObject({ content: "after a 500" });
    expect(fake.calls.filter(route).map((c) => c.status)).toEqual([500, 200]);
  });

  it("blanks guild message content without the MessageContent intent unless the bot is mentioned", async () => {
    const { fake, client } = await connect(undefined, [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
    ]);
    const plain = next<Message>(client, Events.MessageCreate);
    fake.messageCreate({ content: "what is a sidecar" });
    expect((await plain).content).toBe("");
    const mention = next<Message>(client, Events.MessageCreate);
    fake.messageCreate({ content: `<@${fake.botUser.id}> what is a sidecar` });
    expect((await mention).content).toContain("what is a sidecar");
  });

  it("surfaces 403 Missing Permissions, injected or from the bot's permissions", async () => {
    const { fake, client } = await connect({ botPermissions: String(PermissionFlagsBits.ViewChannel) });
    const channel = client.channels.cache.get(fake.channelId);
    if (!channel?.isTextBased() || channel.isDMBased()) throw new Error("expected a guild text channel");
    expect(channel.permissionsFor(fake.botUser.id)?.has(PermissionFlagsBits.SendMessages)).toBe(false);
    await expect(channel.send("nope")).rejects.toMatchObject({ status: 403, code: 50013 });

    fake.setBotPermissions(String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages));
    await expect
      .poll(() => channel.permissionsFor(fake.botUser.id)?.has(PermissionFlagsBits.SendMessages))
      .toBe(true);
    fake.failNext((c) => c.method === "POST", { status: 403, code: 50013, message: "Missing Permissions" });
    await expect(channel.send("still no")).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(channel.send("now yes")).resolves.toMatchObject({ content: "now yes" });
  });

  it("resumes after a 4000 close and keeps delivering events", async () => {
    const { fake, client } = await connect();
    fake.disconnect(4000);
    // dispatched while the client is away: replayed on RESUME
    const missed = next<Message>(client, Events.MessageCreate, (m) => m.content === "while away");
    fake.messageCreate({ content: "while away" });
    await fake.resumed(1);
    expect(fake.resumes).toBe(1);
    expect(fake.identifies).toBe(1);
    await missed;
    expect(fake.replayed).toBe(1);
    const after = next<Message>(client, Events.MessageCreate, (m) => m.content === "after resume");
    fake.messageCreate({ content: "after resume" });
    expect((await after).author.id).toBe(fake.user.id);
  });

  it("registers guild commands through @discordjs/rest", async () => {
    fake = await startFakeDiscord();
    const rest = new REST({ api: fake.apiUrl }).setToken("test-token");
    const body = [
      { name: "mesh", description: "Service mesh glossary", options: [] },
      { name: "Explain this message", type: 3 },
    ];
    const result = (await rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guildId), {
      body,
    })) as { id: string; name: string; guild_id: string }[];
    expect(result.map((c) => c.name)).toEqual(["mesh", "Explain this message"]);
    expect(result.every((c) => /^\d+$/.test(c.id) && c.guild_id === fake?.guildId)).toBe(true);
    const call = await fake.waitForCall((c) => c.method === "PUT");
    expect(call.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(call.body).toEqual(body);
    expect(fake.commands.get(fake.guildId)).toHaveLength(2);
    const global = (await rest.put(Routes.applicationCommands(fake.applicationId), {
      body: [body[0]],
    })) as unknown[];
    expect(global).toHaveLength(1);
  });
});
