// The team's own glossary on Discord, end to end: the real discord.js against the loopback fake.
import { PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { InteractionSpec, RestCall } from "../../fakes/discord.js";
import {
  buttonsOf,
  callbackData,
  EPHEMERAL,
  expectNoPings,
  type Harness,
  type HarnessOptions,
  SERVER_MANAGER,
  settle,
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

type Extra = Partial<Pick<InteractionSpec, "userId" | "permissions" | "channelId" | "guildId">>;

/** A member who does not maintain the glossary (no Manage Server), proposing terms. */
const MEMBER = "300000000000000001";
/** Another member, listed in MESH_MAINTAINERS. */
const LISTED_MAINTAINER = "300000000000000002";

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

function harness(): Harness {
  if (h === undefined) throw new Error("start the harness first");
  return h;
}

/** The bot's answer to an interaction (its callback), which Discord accepted in time. */
function answerTo(callback: RestCall) {
  expect(callback.status, "Discord accepted the answer").toBeLessThan(300);
  return callbackData(callback);
}

/** `/mesh <subcommand>` with options; resolves with the interaction id and the bot's answer. */
async function slash(subcommand: string, options: Record<string, string | boolean> = {}, extra: Extra = {}) {
  const { id, callback } = await harness().interact({ kind: "chatInput", subcommand, options, ...extra });
  return { id, ...answerTo(callback) };
}

/** A click on a button of the bot's; `messageId`: the message it is on. */
async function click(customId: string, extra: Extra & { messageId?: string } = {}) {
  const { id, callback } = await harness().interact({
    kind: "button",
    customId,
    messageContent: "an earlier answer",
    ...extra,
  });
  return { id, ...answerTo(callback) };
}

/** Submits the modal that interaction `from` opened, with `values` by input. */
async function submit(from: string, values: Record<string, string>, extra: Extra = {}) {
  const { callback } = await harness().interact({ kind: "modalSubmit", from, values, ...extra });
  return answerTo(callback);
}

/** The text inputs of a modal callback, each with the label it sits in. */
function inputsOf(data: unknown): { custom_id: string; label: string; value?: string; style: number }[] {
  const components = (data as { components: Record<string, unknown>[] }).components;
  return components.map((c) => {
    expect(c.type).toBe(18);
    const input = c.component as { custom_id: string; value?: string; style: number; type: number };
    expect(input.type).toBe(4);
    return { ...input, label: c.label as string };
  });
}

const KRAKEN = {
  term: "Kraken",
  summary: "Our internal ingress cluster in eu-west",
  aliases: "krk",
  body: "Kraken fronts every public service.\n\nAsk #platform before changing it.",
  links: "Ingress\nhttps://runbooks.example.com/kraken",
};

/** Starts with a second channel, #glossary-review, set as the review channel by a server manager; its id. */
async function startWithReviewChannel(): Promise<string> {
  const fake = (
    await start({
      fake: {
        channels: [
          { type: 0, name: "general" },
          { type: 0, name: "glossary-review" },
        ],
      },
    })
  ).fake;
  const review = [...fake.channels.values()].find((c) => c.name === "glossary-review")?.id as string;
  const { data } = await slash(
    "glossary",
    { action: "review-channel" },
    { permissions: SERVER_MANAGER, channelId: review },
  );
  expect(data.content).toBe(
    `Proposals will be posted in <#${review}>. \`/mesh glossary review-channel off\` sends them to maintainers privately again.`,
  );
  return review;
}

/** Sets the glossary open (anyone adds and edits), as a server manager would. */
async function openGlossary() {
  const { data } = await slash("glossary", { action: "open" }, { permissions: SERVER_MANAGER });
  expect(data.content).toContain("Anyone here can add and edit");
}

/** Adds a term through the modal of `/mesh add`, by a server manager; resolves with the answer. */
async function addByForm(values: Record<string, string>, extra: Extra = { permissions: SERVER_MANAGER }) {
  const opened = await slash("add", {}, extra);
  expect(opened.type).toBe(9);
  return submit(opened.id, values, extra);
}

describe("/mesh add with a modal", () => {
  it("opens a modal of five labelled inputs, related terms and sources sharing one", async () => {
    await start();
    const { type, data } = await slash("add");
    expect(type).toBe(9);
    const modal = data as unknown as { custom_id: string; title: string };
    expect(modal.custom_id).toBe("mesh:form:add");
    expect(modal.title).toBe("Add a term");
    const inputs = inputsOf(data);
    expect(inputs.map((i) => i.custom_id)).toEqual(["term", "summary", "aliases", "body", "links"]);
    expect(inputs.map((i) => i.label)).toEqual([
      "Term",
      "Summary",
      "Other names",
      "More",
      "Related terms and sources",
    ]);
    // the longer text and the links take several lines
    expect(inputs.map((i) => i.style)).toEqual([1, 1, 1, 2, 2]);
  });

  it("opens the modal with the name filled in for /mesh add term:Kraken", async () => {
    await start();
    const { type, data } = await slash("add", { term: "Kraken" });
    expect(type).toBe(9);
    expect(inputsOf(data)[0]?.value).toBe("Kraken");
  });

  it("refuses an empty summary privately, naming the field, and stores nothing", async () => {
    await start();
    const { type, data } = await addByForm({ term: "Kraken", summary: "" });
    expect(type).toBe(4);
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toBe("Nothing was saved. Please fix:\nSummary: The term needs a one-line summary.");
    expect(
      await harness().store.team.terms({ platform: "discord", workspace: harness().fake.guildId }),
    ).toEqual([]);
  });

  it("refuses a 5,000-character summary privately, saying how long it may be, and stores nothing", async () => {
    await start();
    const { data } = await addByForm({ term: "Kraken", summary: "x".repeat(5000) });
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("Summary: Keep the summary to 300 characters, one line (it has 5000)");
    expect(
      await harness().store.team.terms({ platform: "discord", workspace: harness().fake.guildId }),
    ).toEqual([]);
  });
});

describe("open mode: anyone adds and edits", () => {
  it("adds a term from the modal; /mesh define answers it with Edit, which opens the modal filled in", async () => {
    await start();
    await openGlossary();
    const added = await addByForm(KRAKEN, { userId: MEMBER });
    expect(added.data.flags).toBe(EPHEMERAL);
    expect(added.data.content).toBe("Added **Kraken** to this team's glossary.");

    const answer = await slash("define", { term: "kraken" });
    expect(answer.type).toBe(4);
    expect((answer.data.flags ?? 0) & EPHEMERAL).toBe(0);
    const embed = answer.data.embeds?.[0] as {
      title?: string;
      description?: string;
      fields?: { name: string; value: string }[];
      footer?: { text: string };
    };
    expect(embed.title).toBe("Kraken");
    expect(embed.description).toContain(KRAKEN.summary);
    expect(embed.fields?.find((f) => f.name === "Also called")?.value).toBe("krk");
    expect(embed.fields?.find((f) => f.name === "Sources")?.value).toBe(
      "https://runbooks.example.com/kraken",
    );
    // who keeps it, where Discord renders the person and the date (a footer would show them as typed)
    expect(embed.description?.split("\n\n").at(-1)).toMatch(
      /^\*Added to this team's glossary by <@300000000000000001>, <t:\d+:R>\.\*$/,
    );
    expect(embed.footer).toBeUndefined();
    const buttons = buttonsOf(answer.data);
    expect(buttons.find((b) => b.label === "Ingress")?.custom_id).toBe("mesh:def:e:ingress");
    const edit = buttons.find((b) => b.label === "Edit");
    expect(edit?.custom_id).toBe("mesh:ed:team-kraken");

    const opened = await click(edit?.custom_id ?? "", { userId: MEMBER });
    expect(opened.type).toBe(9);
    expect((opened.data as unknown as { custom_id: string; title: string }).custom_id).toBe(
      "mesh:form:edit:kraken:1",
    );
    expect((opened.data as unknown as { title: string }).title).toBe("Edit Kraken");
    expect(Object.fromEntries(inputsOf(opened.data).map((i) => [i.custom_id, i.value]))).toEqual(KRAKEN);

    const edited = await submit(opened.id, { summary: "Our ingress cluster in eu-west-1" });
    expect(edited.data.flags).toBe(EPHEMERAL);
    expect(edited.data.content).toBe("Changed **Kraken**.");
    const again = await slash("define", { term: "krk" });
    expect(again.data.embeds?.[0]?.description).toContain("Our ingress cluster in eu-west-1");
    const history = await slash("history", { term: "kraken" });
    expect(history.data.flags).toBe(EPHEMERAL);
    expect(history.data.content?.split("\n")).toHaveLength(3);
  });

  it("tells the second of two editors that the term changed meanwhile, and keeps the first edit", async () => {
    await start();
    await openGlossary();
    await addByForm(KRAKEN);
    const first = await click("mesh:ed:team-kraken", { userId: MEMBER });
    const second = await click("mesh:ed:team-kraken", { userId: LISTED_MAINTAINER });
    expect((await submit(first.id, { summary: "First change" })).data.content).toBe("Changed **Kraken**.");
    const late = await submit(second.id, { summary: "Second change" });
    expect(late.data.flags).toBe(EPHEMERAL);
    expect(late.data.content).toContain("changed since you opened it");
    expect(late.data.content).toContain("First change");
    const answer = await slash("define", { term: "kraken" });
    expect(answer.data.embeds?.[0]?.description).toContain("First change");
  });

  it("the one-line forms work too: add, remove and recent", async () => {
    await start();
    await openGlossary();
    const added = await slash("add", { term: "Hydra", summary: "Our staging mesh" });
    expect(added.data.content).toBe("Added **Hydra** to this team's glossary.");
    const recent = await slash("recent");
    expect(recent.data.content).toContain("**Hydra** added by <@");
    const removed = await slash("remove", { term: "hydra" });
    expect(removed.data.content).toContain("Removed **Hydra**");
    const gone = await slash("define", { term: "hydra" });
    expect(gone.data.embeds ?? []).toEqual([]);
  });

  it("keeps bundled terms read-only from chat", async () => {
    await start();
    await openGlossary();
    const { data } = await slash("remove", { term: "egress" });
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("**Egress** comes with the glossary, so it can't be removed from chat");
  });
});

describe("review mode: proposals", () => {
  it("posts a member's proposal in the review channel; Approve by a server manager applies it", async () => {
    const review = await startWithReviewChannel();
    const fake = harness().fake;
    const proposed = await addByForm(KRAKEN, { userId: MEMBER });
    expect(proposed.data.flags).toBe(EPHEMERAL);
    expect(proposed.data.content).toBe(
      "Thanks! **Kraken** is waiting for review in the review channel; I'll tell you what they decide.",
    );
    const posted = await harness().post(review);
    const message = posted.body as {
      content: string;
      embeds: { title: string; description: string }[];
      components: { components: { custom_id: string; label: string }[] }[];
    };
    expect(message.content).toBe("<@300000000000000001> proposes a term for this team's glossary:");
    expect(message.embeds[0]?.title).toBe("Kraken");
    expect(message.embeds[0]?.description).toContain(KRAKEN.summary);
    const [approve, reject] = buttonsOf(message);
    expect(approve?.label).toBe("Approve");
    expect(reject?.label).toBe("Reject");
    expect(approve?.custom_id).toMatch(/^mesh:ap:[a-f0-9]{32}$/);
    // nothing is in the glossary yet
    expect((await slash("define", { term: "kraken" })).data.embeds ?? []).toEqual([]);
    const reviewMessage = [...fake.messages.values()].find(
      (m) => m.channel_id === review && m.content === message.content,
    )?.id as string;

    // a member without Manage Server cannot decide it
    const refused = await click(approve?.custom_id ?? "", { messageId: reviewMessage, userId: MEMBER });
    expect(refused.type).toBe(4);
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(refused.data.content).toContain("the Manage Server permission");

    const approved = await click(approve?.custom_id ?? "", {
      messageId: reviewMessage,
      permissions: SERVER_MANAGER,
    });
    // the review message itself now says what was decided, without its buttons
    expect(approved.type).toBe(7);
    expect(approved.data.content).toBe(
      `Approved by <@${fake.user.id}>: **Kraken** is in this team's glossary now.`,
    );
    expect(approved.data.components).toEqual([]);
    expect(fake.messages.get(reviewMessage)?.content).toBe(approved.data.content);
    // the proposer hears it privately
    await fake.waitForCall(
      (c) =>
        c.method === "POST" &&
        c.path === "/users/@me/channels" &&
        (c.body as { recipient_id: string }).recipient_id === MEMBER,
    );
    const told = await harness().post(fake.dmChannelFor(MEMBER));
    expect((told.body as { content: string }).content).toBe(approved.data.content);
    // and the term is there
    const answer = await slash("define", { term: "kraken" });
    expect(answer.data.embeds?.[0]?.title).toBe("Kraken");

    // a second click, on a replica that still shows the buttons, is told it is decided
    const twice = await click(approve?.custom_id ?? "", {
      messageId: reviewMessage,
      permissions: SERVER_MANAGER,
    });
    expect(twice.type).toBe(4);
    expect(twice.data.flags).toBe(EPHEMERAL);
    expect(twice.data.content).toBe(`This proposal was already approved by <@${fake.user.id}>.`);
  });

  it("without a review channel, DMs the proposal to the server owner and MESH_MAINTAINERS, who decide there", async () => {
    await start({ maintainers: [LISTED_MAINTAINER] });
    const fake = harness().fake;
    const proposed = await slash("add", { term: "Kraken", summary: KRAKEN.summary }, { userId: MEMBER });
    expect(proposed.data.content).toBe(
      "Thanks! **Kraken** is waiting for review with this team's maintainers; I'll tell you what they decide.",
    );
    const ownerDm = fake.dmChannelFor(fake.ownerId);
    const listedDm = fake.dmChannelFor(LISTED_MAINTAINER);
    const [toOwner, toListed] = await Promise.all([harness().post(ownerDm), harness().post(listedDm)]);
    for (const call of [toOwner, toListed]) {
      expect((call.body as { content: string }).content).toBe(
        "<@300000000000000001> proposes a term for this team's glossary:",
      );
    }
    const opened = fake.calls
      .filter((c) => c.method === "POST" && c.path === "/users/@me/channels")
      .map((c) => (c.body as { recipient_id: string }).recipient_id);
    expect(opened.sort()).toEqual([fake.ownerId, LISTED_MAINTAINER].sort());
    // the proposer is not asked to review their own term
    expect(opened).not.toContain(MEMBER);

    const reject = buttonsOf(
      toOwner.body as { components: { components: { custom_id: string; label: string }[] }[] },
    ).find((b) => b.label === "Reject")?.custom_id as string;
    const ownerMessage = [...fake.messages.values()].find((m) => m.channel_id === ownerDm)?.id as string;
    // the owner clicks in the DM: no server permissions there, but asked to review, so allowed
    const rejected = await click(reject, { messageId: ownerMessage, userId: fake.ownerId, guildId: null });
    expect(rejected.type).toBe(7);
    expect(rejected.data.content).toBe(`Rejected by <@${fake.ownerId}>: **Kraken** was left as it was.`);
    const told = await harness().post(fake.dmChannelFor(MEMBER));
    expect((told.body as { content: string }).content).toBe(rejected.data.content);
    expect((await slash("define", { term: "kraken" })).data.embeds ?? []).toEqual([]);
  });

  it("a member's Edit becomes a proposal showing what the term says now; approving applies it", async () => {
    const review = await startWithReviewChannel();
    const fake = harness().fake;
    await addByForm(KRAKEN);
    const opened = await click("mesh:ed:team-kraken", { userId: MEMBER });
    expect(opened.type).toBe(9);
    const proposed = await submit(opened.id, { summary: "Our ingress cluster, now in eu-central too" });
    expect(proposed.data.content).toBe(
      "Thanks! Your change to **Kraken** is waiting for review in the review channel; I'll tell you what they decide.",
    );
    const posted = await harness().post(review);
    const message = posted.body as { content: string; embeds: { description: string }[] };
    expect(message.content).toBe(
      `<@${MEMBER}> proposes a change to **Kraken**:\nNow: Our internal ingress cluster in eu-west`,
    );
    expect(message.embeds[0]?.description).toContain("Our ingress cluster, now in eu-central too");
    const approve = buttonsOf(posted.body as { components: { components: { custom_id: string }[] }[] })[0]
      ?.custom_id as string;
    const approved = await click(approve, { permissions: SERVER_MANAGER });
    expect(approved.type).toBe(7);
    expect(approved.data.content).toBe(
      `Approved by <@${fake.user.id}>: **Kraken** says the proposed text now.`,
    );
    const answer = await slash("define", { term: "kraken" });
    expect(answer.data.embeds?.[0]?.description).toContain("Our ingress cluster, now in eu-central too");
  });

  it("still asks the other reviewers when one cannot be sent a DM", async () => {
    await start({ maintainers: [LISTED_MAINTAINER] });
    const fake = harness().fake;
    const ownerDm = fake.dmChannelFor(fake.ownerId);
    fake.failNext((c) => c.method === "POST" && c.path === `/channels/${ownerDm}/messages`, {
      status: 403,
      code: 50007,
      message: "Cannot send messages to this user",
    });
    const { data } = await slash("add", { term: "Kraken", summary: KRAKEN.summary }, { userId: MEMBER });
    expect(data.content).toContain("is waiting for review with this team's maintainers");
    await harness().post(fake.dmChannelFor(LISTED_MAINTAINER));
    await vi.waitFor(() =>
      expect(harness().logs.some((l) => l.msg === "could not put a proposal before a reviewer")).toBe(true),
    );
  });

  it("tells the proposer by DM when the review channel will not take the proposal", async () => {
    const review = await startWithReviewChannel();
    const fake = harness().fake;
    // a channel override takes Send Messages away from the bot there (Discord answers 403, 50013)
    const channel = fake.channels.get(review) as { permission_overwrites: unknown[] };
    channel.permission_overwrites = [
      { id: fake.guildId, type: 0, allow: "0", deny: String(PermissionFlagsBits.SendMessages) },
    ];
    const { data } = await addByForm(KRAKEN, { userId: MEMBER });
    expect(data.content).toContain("is waiting for review in the review channel");
    const told = await harness().post(fake.dmChannelFor(MEMBER));
    const content = (told.body as { content: string }).content;
    expect(content).toContain("I couldn't put **Kraken** before any reviewer");
    // Discord has no home tab to point at.
    expect(content).toContain("ask a maintainer to look at it.");
    expect(fake.calls.some((c) => c.path === `/channels/${review}/messages` && c.status === 403)).toBe(true);
  });

  it("answers the proposer in time even when reaching the reviewers is slow", async () => {
    // Discord drops an answer later than its deadline: here 600 ms, while opening a DM waits out a 429
    await start({ maintainers: [LISTED_MAINTAINER], fake: { interactionDeadlineMs: 600 } });
    const fake = harness().fake;
    fake.failNext((c) => c.method === "POST" && c.path === "/users/@me/channels", {
      status: 429,
      retryAfter: 0.8,
    });
    // the proposer hears first, privately; the reviewers are reached after
    const { data } = await slash("add", { term: "Kraken", summary: KRAKEN.summary }, { userId: MEMBER });
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("**Kraken** is waiting for review with this team's maintainers");
    await harness().post(fake.dmChannelFor(LISTED_MAINTAINER));
  });

  it("a server manager's own change is applied at once, without review", async () => {
    await start();
    const { data } = await slash(
      "add",
      { term: "Kraken", summary: KRAKEN.summary },
      { permissions: SERVER_MANAGER },
    );
    expect(data.content).toBe("Added **Kraken** to this team's glossary.");
    await settle();
    expect(harness().fake.calls.filter((c) => c.path === "/users/@me/channels")).toEqual([]);
  });
});

/** The bot's reply, in the channel, to message `id`. */
function replyTo(id: string): Promise<RestCall> {
  return harness().post(harness().fake.channelId, (c) => {
    const ref = (c.body as { message_reference?: { message_id: string } }).message_reference;
    return ref?.message_id === id;
  });
}

describe("by mention", () => {
  it("adds in one line, proposes for a member in review mode, and says how without a form", async () => {
    await start({ maintainers: [LISTED_MAINTAINER] });
    const fake = harness().fake;
    const bot = `<@${fake.botUser.id}>`;
    const member = fake.messageCreate({ content: `${bot} add Kraken = ${KRAKEN.summary}`, authorId: MEMBER });
    const proposed = await replyTo(member);
    expect((proposed.body as { content: string }).content).toBe(
      "Thanks! **Kraken** is waiting for review with this team's maintainers; I'll tell you what they decide.",
    );
    await harness().post(fake.dmChannelFor(LISTED_MAINTAINER));
    const listed = fake.messageCreate({
      content: `${bot} add Hydra = Our staging mesh`,
      authorId: LISTED_MAINTAINER,
    });
    const added = await replyTo(listed);
    expect((added.body as { content: string }).content).toBe("Added **Hydra** to this team's glossary.");
    const bare = fake.messageCreate({ content: `${bot} add`, authorId: MEMBER });
    const usage = await replyTo(bare);
    expect((usage.body as { content: string }).content).toContain("Usage: `/mesh add <term> = <summary>");
  });
});

describe("a miss, autocomplete and two meanings", () => {
  it("offers Propose under a miss, which opens the add modal with the name", async () => {
    await start();
    const miss = await slash("define", { term: "zorblax" });
    expect(miss.data.flags).toBe(EPHEMERAL);
    const propose = buttonsOf(miss.data).find((b) => b.label === 'Propose "zorblax"');
    expect(propose?.custom_id).toBe("mesh:pr:zorblax");
    const opened = await click(propose?.custom_id ?? "");
    expect(opened.type).toBe(9);
    expect((opened.data as unknown as { custom_id: string }).custom_id).toBe("mesh:form:add");
    expect(inputsOf(opened.data)[0]?.value).toBe("zorblax");
  });

  it("offers team terms in autocomplete, and a picked one is answered", async () => {
    await start();
    await openGlossary();
    await slash("add", { term: "Kraken", summary: KRAKEN.summary });
    const { callback } = await harness().interact({
      kind: "autocomplete",
      subcommand: "define",
      focused: { name: "term", value: "krak" },
    });
    const choices = callbackData(callback).data.choices ?? [];
    expect(choices[0]).toEqual({ name: "Kraken", value: "team-kraken" });
    // Discord sends the picked choice's value
    const answer = await slash("define", { term: "team-kraken" });
    expect(answer.data.embeds?.[0]?.title).toBe("Kraken");
    const history = await slash("history", { term: "team-kraken" });
    expect(history.data.content).toContain("Changes to **Kraken**");
  });

  it("shows both meanings of a team term named like a bundled one, labelled", async () => {
    await start();
    await openGlossary();
    // Asked before the team has a term of that name: the glossary's alone.
    const before = await slash("define", { term: "egress" });
    expect((before.data.embeds ?? []).map((e) => e.title)).toEqual(["Egress"]);
    await slash("add", { term: "Egress", summary: "Our egress gateway pool in eu-west" });
    // The same question after the change: the answer given before is not given again.
    const { data } = await slash("define", { term: "egress" });
    const embeds = (data.embeds ?? []) as {
      title?: string;
      description?: string;
      author?: { name: string };
    }[];
    expect(embeds.map((e) => [e.author?.name, e.title])).toEqual([
      ["This team", "Egress"],
      ["Glossary", "Egress"],
    ]);
    expect(embeds[0]?.description).toContain("Our egress gateway pool");
    expect(embeds[1]?.description).toContain(harness().glossary.get("egress")?.summary);
  });

  it("auto-explain explains the team's meaning of a name the glossary also has", async () => {
    await start();
    await openGlossary();
    await slash("add", { term: "Egress", summary: "Our egress gateway pool in eu-west" });
    await harness().autoExplainOn();
    const fake = harness().fake;
    const id = fake.messageCreate({ content: "the egress is paging again", authorId: MEMBER });
    const explained = await harness().post(id);
    const content = (explained.body as { content: string }).content;
    expect(content).toContain("**Egress**: Our egress gateway pool in eu-west");
    expect(content).not.toContain(harness().glossary.get("egress")?.summary);
  });
});

describe("Explain this message: Post in thread", () => {
  it("posts the private explanation in a thread on the message, for everyone, crediting who shared it", async () => {
    await start();
    const fake = harness().fake;
    const target = fake.messageCreate({ content: "our egress goes through mTLS", authorId: MEMBER });
    await settle();
    const { callback } = await harness().interact({
      kind: "messageContext",
      name: "Explain this message",
      targetId: target,
    });
    const { data } = callbackData(callback);
    expect(data.flags).toBe(EPHEMERAL);
    const post = buttonsOf(data).find((b) => b.label === "Post in thread");
    expect(post?.custom_id).toBe(`mesh:px:egress,mtls:${target}`);
    const privateAnswer = [...fake.messages.values()].find(
      (m) => m.content === data.content && ((m.flags as number) & EPHEMERAL) !== 0,
    )?.id as string;

    const clicked = await click(post?.custom_id ?? "", { messageId: privateAnswer });
    // the click is acknowledged without a message of its own ...
    expect(clicked.type).toBe(6);
    // ... a thread is started on the message, and the explanation posted in it
    const thread = await fake.waitForCall(
      (c) => c.method === "POST" && c.path === `/channels/${fake.channelId}/messages/${target}/threads`,
    );
    expect(thread.status).toBe(201);
    const posted = await harness().post(target);
    const content = (posted.body as { content: string }).content;
    expect(content).toContain("**Egress**:");
    expect(content).toContain("**mTLS**:");
    expect(content).toContain(`<@${fake.user.id}>`);
    // ... and the private answer it came from is removed
    await fake.waitForCall((c) => c.method === "DELETE" && c.path.endsWith("/messages/@original"));
  });
});

describe("who maintains the glossary", () => {
  it("/mesh stats needs Manage Server", async () => {
    await start();
    await slash("define", { term: "egress" });
    await slash("define", { term: "zorblax" });
    const refused = await slash("stats");
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(refused.data.content).toContain("the Manage Server permission");
    const { data } = await slash("stats", {}, { permissions: SERVER_MANAGER });
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("**Egress**: 1");
    expect(data.content).toContain("zorblax: 1");
  });

  it("/mesh glossary open, review and review-channel need Manage Server; status does not", async () => {
    await start();
    for (const action of ["open", "review", "review-channel"]) {
      const { data } = await slash("glossary", { action });
      expect(data.flags).toBe(EPHEMERAL);
      expect(data.content).toContain("the Manage Server permission");
    }
    const settings = await harness().store.team.settings({
      platform: "discord",
      workspace: harness().fake.guildId,
    });
    expect(settings.mode).toBe("review");
    expect(settings.reviewChannel).toBeUndefined();
    const status = await slash("glossary", { action: "status" });
    expect(status.data.content).toContain("This team's glossary is in review");
    const open = await slash("glossary", { action: "open" }, { permissions: SERVER_MANAGER });
    expect(open.data.content).toContain("Anyone here can add and edit");
  });

  it("a MESH_MAINTAINERS id maintains without Manage Server", async () => {
    await start({ maintainers: [LISTED_MAINTAINER] });
    const { data } = await slash("glossary", { action: "open" }, { userId: LISTED_MAINTAINER });
    expect(data.content).toContain("Anyone here can add and edit");
  });
});

describe("mentions typed into a team term", () => {
  it("never ping and show inert, in answers, explanations and proposals", async () => {
    const review = await startWithReviewChannel();
    const fake = harness().fake;
    const hostile = "Pings @everyone, @here, <@123456789012345678> and <@&555555555555555555>";
    await addByForm(
      { term: "Pager", summary: hostile, body: `Call <@!123456789012345678> or @everyone.` },
      { userId: MEMBER },
    );
    const proposal = await harness().post(review);
    await addByForm({ term: "Pager", summary: hostile, body: "Call <@!123456789012345678> or @everyone." });
    await harness().autoExplainOn();
    const answer = await slash("define", { term: "pager" });
    const id = fake.messageCreate({ content: "who holds the pager tonight?", authorId: MEMBER });
    const explained = await harness().post(id);

    const shown = [
      JSON.stringify(proposal.body),
      JSON.stringify(answer.data),
      JSON.stringify(explained.body),
    ];
    for (const text of shown) {
      expect(text).toContain("Pings @");
      expect(text).not.toMatch(/@everyone|@here|<@!?123456789012345678>|<@&555555555555555555>/);
    }
    // every post asked Discord to parse no mentions (checked after each test too)
    expectNoPings(fake);
  });
});
