// The team's own glossary, through the bot: adding, editing, removing and proposing terms, who may, the
// review flow, second meanings, bad input, and changes seen by another replica.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Asker, Inbound } from "../../src/bot/conversation.js";
import { MeshBot } from "../../src/bot/mesh-bot.js";
import type { Reply } from "../../src/core/command.js";
import { silentLogger } from "../../src/logger.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { realGlossary } from "../helpers.js";
import { type RecorderOptions, recorder } from "./recorder.js";

const ref = { platform: "slack", workspace: "T1", channel: "C1" };
const maintainer: Asker = { id: "UADMIN", canManageChannel: true, canMaintain: async () => true };
const member: Asker = { id: "UMEMBER", canManageChannel: true, canMaintain: async () => false };
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
    maintainers: new Set(["UENV"]),
    now: () => now++,
  });
});

afterEach(async () => {
  await bot.close();
  await store.close();
});

/** `/mesh <text>` by `asker`, privately as on Slack; resolves with the reply and what was delivered. */
async function command(asker: Asker, text: string, options: RecorderOptions = {}) {
  const r = recorder(options);
  const reply = await bot.receive({ kind: "command", ref, asker, command: text, privately: true }, r);
  return { reply, r, text: r.sent.map((s) => s.text).join("\n") };
}

async function receive(inbound: Inbound, options: RecorderOptions = {}) {
  const r = recorder(options);
  const reply = await bot.receive(inbound, r);
  return { reply, r, text: r.sent.map((s) => s.text).join("\n") };
}

const kind = (reply: Reply | undefined) => reply?.kind;

describe("team terms, in open mode", () => {
  beforeEach(async () => {
    await command(maintainer, "glossary open");
  });

  it("adds a term anyone can then look up, search, list, relate to and complete", async () => {
    const added = await command(member, "add kraken = Our internal ingress cluster in eu-west");
    expect(added.reply).toMatchObject({ kind: "teamChange", change: "added", term: { term: "kraken" } });
    expect(added.text).toContain("Added kraken to this team's glossary.");
    const defined = await command(member, "define kraken");
    expect(defined.reply).toMatchObject({ kind: "definition", term: { id: "team-kraken" } });
    expect(defined.text).toContain("Our internal ingress cluster in eu-west");
    expect(defined.text).toContain("Added to this team's glossary by UMEMBER");
    expect(kind((await command(member, "search ingress cluster")).reply)).toBe("searchResults");
    expect((await command(member, "search ingress cluster")).text).toContain("kraken");
    expect((await command(member, "list")).text).toContain("kraken");
    expect((await bot.complete("krak", 5, ref)).map((c) => c.termId)).toEqual(["team-kraken"]);
    // Another workspace does not have it.
    const elsewhere = await bot.receive(
      {
        kind: "command",
        ref: { ...ref, workspace: "T2" },
        asker: member,
        command: "define kraken",
        privately: true,
      },
      recorder(),
    );
    expect(kind(elsewhere)).toBe("notFound");
  });

  it("explains the team's term when auto-explain reads it in a message", async () => {
    await command(member, "add kraken = Our internal ingress cluster in eu-west");
    await command(maintainer, "autoexplain on");
    const { reply } = await receive({
      kind: "message",
      ref,
      asker: member,
      thread: "t1",
      text: "the kraken cluster is paging again",
      addressed: false,
      fromBot: false,
    });
    expect(reply?.kind === "explanation" && reply.terms.map((d) => d.term.id)).toEqual([
      "team-kraken",
      "cluster",
    ]);
  });

  it("edits a term, keeps every revision, and removes it with its history kept", async () => {
    await command(member, "add kraken = Our internal ingress cluster in eu-west");
    const edited = await command(maintainer, "edit kraken = Our ingress cluster, now in eu-central");
    expect(edited.reply).toMatchObject({ kind: "teamChange", change: "edited" });
    expect((await command(member, "define kraken")).text).toContain("now in eu-central");
    const removed = await command(member, "remove kraken");
    expect(removed.reply).toMatchObject({ kind: "teamChange", change: "removed" });
    expect(kind((await command(member, "define kraken")).reply)).toBe("notFound");
    const history = await command(member, "history kraken");
    expect(history.reply).toMatchObject({ kind: "history" });
    expect(history.text).toMatch(
      /added by UMEMBER.*eu-west[\s\S]*changed by UADMIN.*eu-central[\s\S]*removed by UMEMBER/,
    );
    const recent = await command(member, "recent");
    expect(recent.text.split("\n").slice(1, 4).join("\n")).toMatch(
      /kraken removed[\s\S]*kraken changed[\s\S]*kraken added/,
    );
  });

  it("refuses bad input with a sentence per field, storing nothing", async () => {
    const empty = await command(member, "add kraken = ");
    // "add kraken =" has no summary: it is the form (or, here, how to type it)
    expect(empty.reply).toMatchObject({ kind: "help", reason: "usage" });
    const long = await command(member, `add kraken = ${"x".repeat(5000)}`);
    expect(long.reply).toMatchObject({ kind: "badTerm", problems: [{ field: "summary" }] });
    expect(long.text).toContain("Keep the summary to 300 characters");
    const name = await command(member, `add ${"k".repeat(81)} = A cluster`);
    expect(name.reply).toMatchObject({ kind: "badTerm", problems: [{ field: "term" }] });
    await command(member, "add kraken = Our cluster");
    const owned = await command(member, "add Kraken = Another meaning");
    expect(owned.reply).toMatchObject({ kind: "badTerm", problems: [{ field: "term" }] });
    expect(owned.text).toContain('This team already has "kraken"');
    expect(await store.team.terms({ platform: "slack", workspace: "T1" })).toHaveLength(1);
  });

  it("keeps pings and hidden characters out: markup stays text, bidi and zero-width are dropped", async () => {
    await command(member, "add ping = Calls <!channel> and @everyone \u202eevil\u200b here");
    const [record] = await store.team.terms({ platform: "slack", workspace: "T1" });
    expect(record?.fields.summary).toBe("Calls <!channel> and @everyone evil here");
  });

  it("refuses to change the bundled glossary, and adds a second meaning instead, both shown", async () => {
    const edit = await command(member, "edit egress = Something else");
    expect(edit.reply).toMatchObject({ kind: "readOnly", action: "edit" });
    expect(edit.text).toContain("comes with the glossary, so it can't be changed from chat");
    expect((await command(member, "remove egress")).reply).toMatchObject({ kind: "readOnly" });
    await command(member, "add Egress = Our team's name for the outbound proxy pool");
    const both = await command(member, "define egress");
    expect(both.reply).toMatchObject({
      kind: "definition",
      term: { id: "team-egress" },
      otherMeaning: { id: "egress" },
    });
    expect(both.text).toMatch(
      /\[This team\][\s\S]*outbound proxy pool[\s\S]*\[Glossary\][\s\S]*leaves a Kubernetes cluster/,
    );
    // Auto-explain explains the team's meaning.
    await command(maintainer, "autoexplain on");
    const explained = await receive({
      kind: "message",
      ref,
      asker: member,
      thread: "t7",
      text: "egress is slow today",
      addressed: false,
      fromBot: false,
    });
    expect(explained.reply?.kind === "explanation" && explained.reply.terms.map((d) => d.term.id)).toEqual([
      "team-egress",
    ]);
    // A button for the glossary's own term still opens that one.
    const clicked = await receive({
      kind: "action",
      ref,
      asker: member,
      action: { kind: "define", termId: "egress", privately: true },
      fromPrivate: false,
    });
    expect(clicked.reply).toMatchObject({ kind: "definition", term: { id: "egress" } });
  });

  it("tells the second of two editors that the term changed meanwhile, showing both texts", async () => {
    await command(member, "add kraken = Version one");
    const forms = recorder({ forms: true });
    await bot.receive(
      { kind: "command", ref, asker: member, command: "edit kraken", privately: true },
      forms,
    );
    const [form] = forms.forms;
    expect(form?.context).toEqual({ mode: "edit", termId: "kraken", baseRevision: 1 });
    const submit = (summary: string, asker: Asker) =>
      receive({
        kind: "form",
        ref,
        asker,
        context: form?.context ?? { mode: "edit" },
        values: { term: "kraken", summary },
      });
    expect((await submit("Version two", member)).reply).toMatchObject({
      kind: "teamChange",
      change: "edited",
    });
    const second = await submit("Version three", maintainer);
    expect(second.reply).toMatchObject({ kind: "conflict", current: { summary: "Version two" } });
    expect(second.text).toContain('It now says: "Version two". Yours was: "Version three".');
  });
});

describe("team terms, in review mode (the default)", () => {
  it("applies a maintainer's change at once", async () => {
    const added = await command(maintainer, "add kraken = Our cluster");
    expect(added.reply).toMatchObject({ kind: "teamChange", change: "added" });
    const byEnv = await command({ id: "UENV", canManageChannel: true }, "add krill = Small cluster");
    expect(byEnv.reply).toMatchObject({ kind: "teamChange", change: "added" });
  });

  it("sends a member's change to the review channel, where a maintainer approves it", async () => {
    await command(maintainer, "glossary review-channel");
    const proposed = await command(member, "add kraken = Our cluster");
    expect(proposed.reply).toMatchObject({ kind: "proposed", reviewers: "channel" });
    expect(proposed.text).toContain("waiting for review in the review channel");
    const review = proposed.r.sent.find((s) => s.to.kind === "review");
    expect(review?.to).toEqual({ kind: "review", channel: "C1" });
    expect(review?.text).toContain("UMEMBER proposes a term");
    // Not in the glossary until someone decides.
    expect(kind((await command(member, "define kraken")).reply)).toBe("notFound");
    const buttons =
      review?.delivery.view.blocks.flatMap((b) => (b.type === "buttons" ? b.buttons : [])) ?? [];
    const approve = buttons.find((b) => b.action.kind === "approve")?.action;
    expect(approve).toBeDefined();
    if (approve === undefined) return;
    const click = (asker: Asker) =>
      receive({ kind: "action", ref, asker, action: approve, fromPrivate: false });
    const refused = await click(member);
    expect(refused.reply).toMatchObject({ kind: "denied", permission: "maintain" });
    const approved = await click(maintainer);
    expect(approved.reply).toMatchObject({ kind: "decided", proposal: { status: "approved" } });
    expect(approved.r.sent.map((s) => s.to)).toEqual([
      { kind: "source" },
      { kind: "person", user: "UMEMBER" },
    ]);
    expect(approved.text).toContain("Approved by UADMIN: kraken is in this team's glossary now.");
    expect((await command(member, "define kraken")).reply).toMatchObject({ kind: "definition" });
    const again = await click(maintainer);
    expect(again.reply).toMatchObject({ kind: "alreadyDecided" });
    expect(again.text).toContain("already approved by UADMIN");
  });

  it("sends it to each maintainer privately when there is no review channel, who may decide from there", async () => {
    const proposed = await command(member, "add kraken = Our cluster", { maintainers: ["UOWNER"] });
    expect(proposed.reply).toMatchObject({ kind: "proposed", reviewers: "maintainers" });
    const people = proposed.r.sent.filter((s) => s.to.kind === "person").map((s) => s.to);
    expect(people).toEqual([
      { kind: "person", user: "UENV" },
      { kind: "person", user: "UOWNER" },
    ]);
    const [p] = await store.team.openProposals({ platform: "slack", workspace: "T1" }, 5);
    // Asked privately, the owner rejects from a direct message (another "workspace" on Discord).
    const rejected = await bot.receive(
      {
        kind: "action",
        ref: { ...ref, workspace: "dm", channel: "D1" },
        asker: { id: "UOWNER", canManageChannel: true },
        action: { kind: "reject", proposalId: p?.id ?? "" },
        fromPrivate: false,
      },
      recorder(),
    );
    expect(rejected).toMatchObject({ kind: "decided", proposal: { status: "rejected" } });
    expect(kind((await command(member, "define kraken")).reply)).toBe("notFound");
  });

  it("answers the proposer first, then tells them when the review channel cannot be reached", async () => {
    await command(maintainer, "glossary review-channel");
    const r = recorder();
    const deliver = r.deliver.bind(r);
    r.deliver = async (d) => {
      if (d.to.kind === "review") throw new Error("not_in_channel");
      await deliver(d);
    };
    const reply = await bot.receive(
      { kind: "command", ref, asker: member, command: "add kraken = Our cluster", privately: true },
      r,
    );
    expect(reply).toMatchObject({ kind: "proposed", reviewers: "channel" });
    expect(r.sent.map((s) => s.to)).toEqual([
      { kind: "asker", replace: false },
      { kind: "person", user: "UMEMBER" },
    ]);
    expect(r.sent[1]?.text).toContain("I couldn't put kraken before any reviewer");
  });

  it("says plainly when nobody can review a proposal yet", async () => {
    await bot.close();
    bot = new MeshBot({
      glossary: realGlossary(),
      store,
      logger: silentLogger(),
      autoExplain: { cooldownMs: DAY, maxTerms: 5 },
    });
    const proposed = await command(member, "add kraken = Our cluster");
    expect(proposed.reply).toMatchObject({ kind: "proposed", reviewers: "none" });
    expect(proposed.text).toContain("there is no one to review it yet");
  });

  it("lets only maintainers change the mode, remove terms and see the statistics", async () => {
    await command(maintainer, "add kraken = Our cluster");
    for (const text of ["glossary open", "glossary review-channel", "remove kraken", "stats"]) {
      expect((await command(member, text)).reply, text).toMatchObject({
        kind: "denied",
        permission: "maintain",
      });
    }
    expect((await command(member, "glossary")).text).toContain("in review");
    await command(member, "define egress");
    await command(member, "define kafka");
    const stats = await command(maintainer, "stats");
    expect(stats.text).toMatch(
      /Looked up most here:\n {2}Egress: 1[\s\S]*Looked for and not found:\n {2}kafka: 1/,
    );
  });
});

describe("forms", () => {
  it("opens a form for /mesh add and Propose, and shows problems beside its fields", async () => {
    await command(maintainer, "glossary open");
    const opened = await command(member, "add", { forms: true });
    expect(opened.reply).toBeUndefined();
    expect(opened.r.forms[0]?.fields.map((f) => f.name)).toEqual([
      "term",
      "summary",
      "aliases",
      "body",
      "related",
      "sources",
    ]);
    const miss = await command(member, "define kraken");
    const propose = miss.r.sent[0]?.delivery.view.blocks.flatMap((b) =>
      b.type === "buttons" ? b.buttons : [],
    );
    expect(propose?.map((b) => b.action)).toEqual([{ kind: "propose", name: "kraken" }]);
    const filled = await receive(
      { kind: "action", ref, asker: member, action: { kind: "propose", name: "kraken" }, fromPrivate: false },
      { forms: true },
    );
    expect(filled.r.forms[0]?.fields.find((f) => f.name === "term")?.value).toBe("kraken");
    const bad = await receive(
      {
        kind: "form",
        ref,
        asker: member,
        context: { mode: "add" },
        values: { term: "kraken", summary: "", sources: "not a link" },
      },
      { fieldErrors: true },
    );
    expect(bad.reply).toBeUndefined();
    expect(bad.r.problems[0]?.map((p) => p.field)).toEqual(["summary", "sources"]);
    const good = await receive({
      kind: "form",
      ref,
      asker: member,
      context: { mode: "add" },
      values: {
        term: "Kraken",
        summary: "Our cluster",
        aliases: "krk, kraken-eu",
        related: "ingress",
        sources: "https://wiki.example.com/kraken",
      },
    });
    expect(good.reply).toMatchObject({
      kind: "teamChange",
      term: {
        aliases: ["krk", "kraken-eu"],
        related: ["ingress"],
        sources: ["https://wiki.example.com/kraken"],
      },
    });
    expect((await command(member, "define krk")).reply).toMatchObject({
      kind: "definition",
      term: { id: "team-kraken" },
    });
  });
});

describe("two replicas on one store", () => {
  it("answers a term added on one from the other once the change is heard", async () => {
    const other = new MeshBot({
      glossary: realGlossary(),
      store,
      logger: silentLogger(),
      autoExplain: { cooldownMs: DAY, maxTerms: 5 },
    });
    try {
      // The other replica has read the workspace before the term exists.
      expect(
        kind(
          await other.receive(
            { kind: "command", ref, asker: member, command: "define kraken", privately: true },
            recorder(),
          ),
        ),
      ).toBe("notFound");
      await command(maintainer, "add kraken = Our cluster");
      await expect
        .poll(async () =>
          kind(
            await other.receive(
              { kind: "command", ref, asker: member, command: "define kraken", privately: true },
              recorder(),
            ),
          ),
        )
        .toBe("definition");
    } finally {
      await other.close();
    }
  });
});

describe("team terms while the store does not answer", () => {
  it("says so for team commands, and still answers the glossary's own terms", async () => {
    await store.close();
    const add = await command(maintainer, "add kraken = Our cluster");
    expect(add.reply).toBeUndefined();
    expect(add.text).toContain("I cannot reach this team's terms right now");
    const define = await command(member, "define egress");
    expect(define.reply).toMatchObject({ kind: "definition", term: { id: "egress" } });
    // Reopened for afterEach.
    store = SqliteStore.open("sqlite::memory:");
  });
});
