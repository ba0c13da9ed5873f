import { GatewayIntentBits, PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDiscordAdapter } from "../../../adapters/discord/index.js";
import { MeshBot } from "../../../src/bot/mesh-bot.js";
import { TOPICS } from "../../../src/core/types.js";
import { silentLogger } from "../../../src/logger.js";
import { SETTINGS_UNAVAILABLE } from "../../../src/present/messages.js";
import { SqliteStore } from "../../../src/store/sqlite.js";
import { startFakeDiscord } from "../../fakes/discord.js";
import { realGlossary } from "../../helpers.js";
import {
  buttonsOf,
  callbackData,
  EPHEMERAL,
  expectNoPings,
  type Harness,
  MANAGER,
  startHarness,
} from "./harness.js";

let h: Harness | undefined;

afterEach(async () => {
  if (h !== undefined) {
    expectNoPings(h.fake);
    await h.stop();
  }
  h = undefined;
});

async function define(term: string, extra: Record<string, boolean> = {}) {
  h ??= await startHarness();
  const { callback } = await h.interact({
    kind: "chatInput",
    subcommand: "define",
    options: { term, ...extra },
  });
  return callbackData(callback);
}

describe("/mesh define", () => {
  it("answers /mesh define egress in public with an embed: term, summary, body links as bold, sources, buttons", async () => {
    const { type, data } = await define("egress");
    const egress = h?.glossary.get("egress");
    if (egress === undefined) throw new Error("the glossary has egress");
    expect(type).toBe(4);
    expect((data.flags ?? 0) & EPHEMERAL).toBe(0);
    const embed = data.embeds?.[0];
    expect(embed?.title).toBe("Egress");
    expect(embed?.description).toContain(egress.summary);
    // [cluster](#cluster) in the body becomes bold text, never a dead "#cluster" link
    expect(embed?.description).toContain("**cluster**");
    expect(embed?.description).not.toContain("](#");
    expect(embed?.fields?.find((f) => f.name === "Sources")?.value).toContain(egress.sources[0]);
    const buttons = buttonsOf(data);
    expect(buttons.map((b) => b.label)).toContain("More");
    const relatedNames = egress.related.map((id) => h?.glossary.get(id)?.term);
    expect(buttons.filter((b) => b.custom_id?.startsWith("mesh:def:")).map((b) => b.label)).toEqual(
      relatedNames,
    );
  });

  it("answers the same question twice alike, each time in full", async () => {
    const first = await define("egress");
    const second = await define("egress");
    expect(second).toEqual(first);
    expect(second.data.embeds?.[0]?.title).toBe("Egress");
    expect(buttonsOf(second.data).map((b) => b.label)).toContain("More");
  });

  it("answers the typo /mesh define egres with Egress and says which term it chose", async () => {
    const { data } = await define("egres");
    expect(data.embeds?.[0]?.title).toBe("Egress");
    expect(data.content).toBe('Showing **Egress** for "egres".');
  });

  it("answers privately when asked with private:true", async () => {
    const { data } = await define("mtls", { private: true });
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.embeds?.[0]?.title).toBe("mTLS");
  });

  it("offers Did-you-mean buttons for /mesh define proxy instead of guessing", async () => {
    const { data } = await define("proxy");
    expect(data.embeds ?? []).toEqual([]);
    expect(data.content).toContain("Did you mean");
    expect(data.flags).toBe(EPHEMERAL);
    const labels = buttonsOf(data).map((b) => b.label);
    expect(labels).toContain("Sidecar proxy");
    expect(labels.length).toBeGreaterThan(1);
    // a suggestion to the public question answers in public when clicked
    const suggestions = buttonsOf(data).filter((b) => b.custom_id?.startsWith("mesh:def:"));
    expect(suggestions.length).toBeGreaterThan(1);
    expect(suggestions.every((b) => b.custom_id?.startsWith("mesh:def:p:"))).toBe(true);
  });

  it("says kindly that it does not know xyzzy, privately, and counts the miss for maintainers", async () => {
    const { data } = await define("xyzzy");
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toBe(
      'I don\'t have "**xyzzy**" in the glossary yet. `/mesh list` shows every term I know.',
    );
    // Counted once the answer has gone.
    await vi.waitFor(async () => {
      const stats = await h?.bot.stats(10);
      expect(stats?.misses.map((m) => m.key)).toContain("xyzzy");
    });
  });

  it("answers an empty term with a private hint", async () => {
    const { data } = await define("   ");
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toBe("Which term? Try `/mesh define egress`.");
  });

  it("echoes hostile input inert: @everyone, <@id>, <#id> and markdown ping and format nothing", async () => {
    const hostile = "@everyone <@123456789012345678> <#42> <@&77> **x** `y`";
    const { data } = await define(hostile);
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content ?? "").not.toMatch(/@everyone|<@\d|<#\d|<@&/);
    const body = (h?.fake.calls.find((c) => c.path.startsWith("/interactions/"))?.body ?? {}) as {
      data: { allowed_mentions: unknown };
    };
    expect(body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // search echoes the words as typed: shown literally, escaped, linking and pinging nobody
    const search = callbackData(
      (await h?.interact({ kind: "chatInput", subcommand: "search", options: { words: hostile } }))
        ?.callback ??
        (() => {
          throw new Error("no callback");
        })(),
    ).data;
    const echoed = search.content ?? "";
    expect(echoed).toContain("Nothing in the glossary mentions");
    expect(echoed).toContain("@\u200beveryone");
    expect(echoed).toContain("<\u200b@123456789012345678>");
    expect(echoed).toContain("\\*\\*x\\*\\*");
    expect(echoed).not.toMatch(/@everyone|<@\d|<#\d|<@&/);
  });

  it("answers a 10 KB query with a short, friendly reply", async () => {
    const { data } = await define("sidecar ".repeat(1300));
    expect((data.content ?? "").length).toBeLessThanOrEqual(2000);
    expect(data.flags).toBe(EPHEMERAL);
  });
});

describe("connection and DMs", () => {
  it("connects with exactly the intents it needs: guilds, guild messages, message content, DMs", async () => {
    h = await startHarness();
    const f = h.fake;
    expect(f.intents).toBe(
      GatewayIntentBits.Guilds |
        GatewayIntentBits.GuildMessages |
        GatewayIntentBits.MessageContent |
        GatewayIntentBits.DirectMessages,
    );
    expect(h.adapter.client.options.allowedMentions).toEqual({ parse: [], repliedUser: false });
    expect(f.calls.every((c) => c.headers.authorization === "Bot test-token")).toBe(true);
  });

  it("fails to start with a sentence naming DISCORD_TOKEN when Discord refuses the token", async () => {
    const fake = await startFakeDiscord();
    const store = SqliteStore.open("sqlite::memory:");
    const bot = new MeshBot({
      glossary: realGlossary(),
      store,
      logger: silentLogger(),
      autoExplain: { cooldownMs: 0, maxTerms: 5 },
    });
    const adapter = createDiscordAdapter({
      config: {
        token: "revoked",
        applicationId: fake.applicationId,
        guildId: undefined,
        apiUrl: fake.apiUrl,
      },
      bot,
      logger: silentLogger(),
      rest: { retries: 0 },
    });
    try {
      fake.failNext((c) => c.path === "/gateway/bot", { status: 401 });
      await expect(adapter.start()).rejects.toMatchObject({
        code: "CONFIG_INVALID",
        message: "Discord refused DISCORD_TOKEN: copy it again from the Bot page.",
      });
      expect(fake.identifies).toBe(0);
    } finally {
      await adapter.stop();
      await fake.close();
      await store.close();
    }
  });

  it("answers /mesh define in a DM with the bot", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (
        await h.interact({
          kind: "chatInput",
          subcommand: "define",
          options: { term: "mtls" },
          guildId: null,
        })
      ).callback,
    );
    expect(data.embeds?.[0]?.title).toBe("mTLS");
  });
});

describe("/mesh search, list, related, help", () => {
  it("searches definitions privately and offers a button per result", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "search", options: { words: "certificates" } }))
        .callback,
    );
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toMatch(/^Terms that mention "\*\*certificates\*\*":/);
    expect(buttonsOf(data).length).toBeGreaterThan(0);
    expect(buttonsOf(data).every((b) => b.custom_id?.startsWith("mesh:def:e:"))).toBe(true);
  });

  it("lists one topic's terms in an embed when given topic:security", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "list", options: { topic: "security" } })).callback,
    );
    const security = h.glossary.terms.filter((t) => t.topic === "security");
    expect(data.embeds?.[0]?.title).toBe(`${security.length} terms in the glossary:`);
    expect(data.embeds?.[0]?.fields?.map((f) => f.name)).toEqual([`Security (${security.length})`]);
    expect(data.embeds?.[0]?.fields?.[0]?.value).toContain("mTLS");
  });

  it("lists every term by topic within Discord's field limits", async () => {
    h = await startHarness();
    const { data } = callbackData((await h.interact({ kind: "chatInput", subcommand: "list" })).callback);
    const fields = data.embeds?.[0]?.fields ?? [];
    expect(fields.length).toBeGreaterThanOrEqual(TOPICS.length - 1);
    for (const f of fields) expect(f.value.length).toBeLessThanOrEqual(1024);
  });

  it("names the related terms of mtls with a button for each", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "related", options: { term: "mtls" } })).callback,
    );
    const mtls = h.glossary.get("mtls");
    const names = (mtls?.related ?? []).map((id) => h?.glossary.get(id)?.term);
    expect(data.content).toBe(`**mTLS** goes with: ${names.join(", ")}`);
    expect(buttonsOf(data).map((b) => b.label)).toEqual(names);
  });

  it("shows help privately with every command", async () => {
    h = await startHarness();
    const { data } = callbackData((await h.interact({ kind: "chatInput", subcommand: "help" })).callback);
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("I explain service mesh jargon");
    expect(data.content).toContain("`/mesh define <term>`");
  });
});

describe("/mesh autoexplain", () => {
  it("refuses action:on without Manage Channels, privately, and leaves the channel off", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "autoexplain", options: { action: "on" } }))
        .callback,
    );
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("Only people who can manage this channel");
    expect(data.content).toContain("`/mesh autoexplain on`");
    expect((await h.store.channel(h.ref())).autoExplain).toBe(false);
  });

  it("turns auto-explain on for a member with Manage Channels and announces it in the channel", async () => {
    h = await startHarness();
    const { id, callback } = await h.interact({
      kind: "chatInput",
      subcommand: "autoexplain",
      options: { action: "on" },
      permissions: MANAGER,
    });
    const { data } = callbackData(callback);
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("Auto-explain is **on** in this channel");
    // The channel hears it too, with who did it (named, not pinged).
    const token = h.fake.interactionToken(id);
    const announcement = await h.fake.waitForCall(
      (c) => c.method === "POST" && c.path === `/webhooks/${h?.fake.applicationId}/${token}`,
    );
    const body = announcement.body as { content: string; flags?: number };
    expect((body.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(body.content).toContain(`Auto-explain turned **on** by <@${h.fake.user.id}>`);
    expect((await h.store.channel(h.ref())).autoExplain).toBe(true);
    // the status names who turned it on without pinging them
    const status = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "autoexplain", options: { action: "status" } }))
        .callback,
    ).data;
    expect(status.flags).toBe(EPHEMERAL);
    expect(status.content).toContain(`turned on by <@${h.fake.user.id}>`);
  });

  it("tells the person turning auto-explain on that the bot is missing Create Public Threads there", async () => {
    h = await startHarness({
      fake: {
        botPermissions: String(
          PermissionFlagsBits.ViewChannel |
            PermissionFlagsBits.SendMessages |
            PermissionFlagsBits.ReadMessageHistory,
        ),
      },
    });
    const { id } = await h.interact({
      kind: "chatInput",
      subcommand: "autoexplain",
      options: { action: "on" },
      permissions: MANAGER,
    });
    const token = h.fake.interactionToken(id);
    const followUp = await h.fake.waitForCall(
      (c) =>
        c.method === "POST" &&
        c.path === `/webhooks/${h?.fake.applicationId}/${token}` &&
        String((c.body as { content?: string }).content).includes("I'm missing"),
    );
    const body = followUp.body as { content: string; flags: number };
    expect(body.flags).toBe(EPHEMERAL);
    expect(body.content).toContain(
      "I'm missing the **Create Public Threads** and **Send Messages in Threads**",
    );
    expect(body.content).toContain("reply in the channel instead of a thread");
    expect(h.logs.some((l) => l.msg === "auto-explain turned on where the bot lacks permissions")).toBe(true);
  });

  it("lets anyone mute their own messages, without Manage Channels", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "autoexplain", options: { action: "mute" } }))
        .callback,
    );
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("I won't explain your messages");
    expect(await h.store.isMuted("discord", h.fake.guildId, h.fake.user.id)).toBe(true);
  });

  it("silences a term with action:silence term:latency for a channel manager", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (
        await h.interact({
          kind: "chatInput",
          subcommand: "autoexplain",
          options: { action: "silence", term: "latency" },
          permissions: MANAGER,
        })
      ).callback,
    );
    expect(data.content).toContain("I won't explain **Latency** in this channel unprompted");
    expect((await h.store.channel(h.ref())).silenced).toEqual(["latency"]);
  });

  it("asks privately for the term when action:silence has none", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (
        await h.interact({
          kind: "chatInput",
          subcommand: "autoexplain",
          options: { action: "silence" },
          permissions: MANAGER,
        })
      ).callback,
    );
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("Usage: `/mesh autoexplain action:silence term:<term>");
  });

  it("says privately that settings cannot be saved when the store fails, and keeps answering", async () => {
    h = await startHarness();
    await h.store.close();
    const { data } = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "autoexplain", options: { action: "status" } }))
        .callback,
    );
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toBe(SETTINGS_UNAVAILABLE);
    // The log blames the store, not Discord.
    expect(h.logs.some((l) => l.component === "store" && l.msg.startsWith("the store is unavailable"))).toBe(
      true,
    );
    expect(h.logs.some((l) => l.msg === "could not answer an interaction")).toBe(false);
    // the process and the client are still up: a lookup that needs no store still answers
    const next = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "define", options: { term: "egress" } })).callback,
    );
    expect(next.data.embeds?.[0]?.title).toBe("Egress");
  });
});

describe("Explain this message", () => {
  it("lists every term of someone's message privately, one line per term, with More buttons", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (
        await h.interact({
          kind: "messageContext",
          name: "Explain this message",
          target: { content: "our egress goes through the sidecar proxy with mTLS" },
        })
      ).callback,
    );
    expect(data.flags).toBe(EPHEMERAL);
    const lines = (data.content ?? "").split("\n");
    expect(lines[0]).toBe('Jargon in this message: "egress", "sidecar proxy", "mTLS"');
    expect(lines.slice(1)).toEqual(
      ["egress", "sidecar-proxy", "mtls"].map((id) => {
        const t = h?.glossary.get(id);
        return `**${t?.term}**: ${t?.summary}`;
      }),
    );
    expect(buttonsOf(data).map((b) => b.custom_id)).toEqual([
      "mesh:more:egress",
      "mesh:more:sidecar-proxy",
      "mesh:more:mtls",
      // Post in thread: the same answer, for everyone, in the thread of the message explained
      `mesh:px:egress,sidecar-proxy,mtls:${
        [...(h?.fake.messages.values() ?? [])].find(
          (m) => m.content === "our egress goes through the sidecar proxy with mTLS",
        )?.id
      }`,
    ]);
  });

  it("says so when a message holds no glossary term", async () => {
    h = await startHarness();
    const { data } = callbackData(
      (
        await h.interact({
          kind: "messageContext",
          name: "Explain this message",
          target: { content: "lunch at noon?" },
        })
      ).callback,
    );
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toBe("I found no glossary terms in that message.");
  });
});
