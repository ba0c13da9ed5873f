// The team's own glossary in Slack: the term modal (views.open, view_submission with field errors), review
// with Approve and Reject, who maintains the glossary (users.info, users.list, MESH_MAINTAINERS), the App
// Home tab, "Propose X" on a miss and "Post in thread", through the real Bolt (HTTP mode with signed
// requests, and Socket Mode over the fake's WebSocket) against the loopback fake Slack.
import { afterEach, describe, expect, it } from "vitest";
import { TEAM_LIMITS } from "../../../src/core/team.js";
import { messageEvent, nextMessageTs } from "../../fakes/slack.js";
import { realGlossary } from "../../helpers.js";
import {
  button,
  buttonsOf,
  flatten,
  type Harness,
  type HarnessOptions,
  MODES,
  startHarness,
} from "./harness.js";
import { limitViolations } from "./limits.js";

const glossary = realGlossary();
const egress = glossary.get("egress");
if (egress === undefined) throw new Error("no egress in the content");

/** The workspace: U1 and U2 are members, UADMIN an admin, UOWNER the owner, UGONE a deactivated admin. */
const PEOPLE = [
  { id: "UADMIN", admin: true },
  { id: "UOWNER", owner: true },
  { id: "UGONE", admin: true, deleted: true },
];

const KRAKEN = "Our internal ingress cluster in eu-west";

interface InputBlock {
  type: string;
  block_id: string;
  optional?: boolean;
  label: { text: string };
  element: {
    type: string;
    action_id: string;
    initial_value?: string;
    multiline?: boolean;
    max_length?: number;
  };
}

/** The input blocks of a modal, by block id. */
function inputs(view: Record<string, unknown>): Record<string, InputBlock> {
  const out: Record<string, InputBlock> = {};
  for (const b of view.blocks as InputBlock[]) if (b.type === "input") out[b.block_id] = b;
  return out;
}

/** Every text Slack reads as mrkdwn in a message, modal or tab: mrkdwn text objects and a message's `text`. */
function mrkdwnOf(shown: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      // plain_text (titles, labels, buttons) is shown as typed and never pings.
      if (typeof o.text === "string" && o.type !== "plain_text") out.push(o.text);
      for (const x of Object.values(o)) walk(x);
    }
  };
  walk(shown);
  return out;
}

describe.each(MODES)("the team glossary over %s", (mode) => {
  let h: Harness;
  const start = async (options: HarnessOptions = {}) => {
    h = await startHarness(mode, { users: PEOPLE, ...options });
    return h;
  };
  afterEach(async () => {
    // Whatever a test did, every message fit Slack's limits, carried a fallback text and unfurled nothing,
    // and Slack took every modal and Home tab the bot sent.
    for (const message of h.messages()) {
      expect(limitViolations(message)).toEqual([]);
      expect(String(message.unfurl_links)).toBe("false");
    }
    for (const call of [...h.fake.callsTo("views.open"), ...h.fake.callsTo("views.publish")])
      expect(call.refused).toBeUndefined();
    await h.close();
  });

  const ws = () => ({ platform: "slack", workspace: h.fake.teamId });

  /** Opens the add modal with `/mesh add` as `user` and submits `values`; resolves with the ack. */
  async function addWithModal(values: Record<string, string>, user = "U1") {
    await h.command("add", { user_id: user });
    return h.submit(h.lastModal(), values, user);
  }

  describe("the modal", () => {
    it("/mesh add with no text opens the add modal with every field, acked without a message", async () => {
      await start();
      const ack = await h.command("add");
      expect(flatten(ack)).not.toContain("Usage");
      const [open] = h.fake.callsTo("views.open");
      expect(open?.args.trigger_id).toEqual(expect.any(String));
      const modal = h.lastModal();
      expect(modal).toMatchObject({
        type: "modal",
        callback_id: "mesh_term_form",
        title: { text: "Add a term" },
        submit: { text: "Add" },
      });
      const fields = inputs(modal);
      expect(Object.keys(fields)).toEqual(["term", "summary", "aliases", "body", "related", "sources"]);
      expect(fields.term).toMatchObject({ optional: false, label: { text: "Term" } });
      expect(fields.summary).toMatchObject({ optional: false, element: { max_length: TEAM_LIMITS.summary } });
      expect(fields.aliases?.optional).toBe(true);
      expect(fields.body?.element.multiline).toBe(true);
      expect(fields.sources?.element.multiline).toBe(true);
      for (const f of Object.values(fields)) expect(f.element.initial_value).toBeUndefined();
      expect(JSON.parse(String(modal.private_metadata))).toEqual({
        context: { mode: "add" },
        channel: "C1",
      });
    });

    it("/mesh add kraken opens the modal with the name filled in", async () => {
      await start();
      await h.command("add kraken");
      expect(inputs(h.lastModal()).term?.element.initial_value).toBe("kraken");
    });

    it("a bad submission keeps the modal open with an error under each field at fault, and stores nothing", async () => {
      await start();
      await h.command("glossary open", { user_id: "UADMIN" });
      await addWithModal({ term: "kraken", summary: KRAKEN, aliases: "krk" });
      const ack = await addWithModal({
        term: "Kraken",
        summary: "x".repeat(5000),
        sources: "not a link",
      });
      expect(ack.response_action).toBe("errors");
      const errors = ack.errors as Record<string, string>;
      expect(Object.keys(errors).sort()).toEqual(["sources", "summary", "term"]);
      expect(errors.summary).toContain("300 characters");
      expect(errors.term).toContain('already has "kraken"');
      expect(errors.sources).toContain("web link");
      // An empty summary, and another term's other name, are refused the same way.
      const empty = await addWithModal({ term: "octopus", summary: "" });
      expect(empty).toMatchObject({ response_action: "errors", errors: { summary: expect.any(String) } });
      const alias = await addWithModal({ term: "octopus", summary: "Our CI fleet", aliases: "KRK" });
      expect(alias).toMatchObject({ response_action: "errors" });
      expect((alias.errors as Record<string, string>).aliases).toContain(
        'is already a name of this team\'s "kraken"',
      );
      const recent = await h.store.team.recent({ platform: "slack", workspace: h.fake.teamId }, 10);
      expect(recent.map((r) => r.fields.term)).toEqual(["kraken"]);
    });

    it("in open mode a good submission adds the term; /mesh define answers it, with Edit opening the modal filled in", async () => {
      await start();
      await h.command("glossary open", { user_id: "UADMIN" });
      const ack = await addWithModal({
        term: "kraken",
        summary: KRAKEN,
        aliases: "krk, the beast",
        body: "Runs **Linkerd** with two ingress controllers.",
        related: "egress",
        sources: "https://runbooks.example.com/kraken",
      });
      expect(ack).toMatchObject({ response_action: "update", view: { type: "modal" } });
      expect(flatten(ack)).toContain("Added *kraken* to this team");

      const answer = await h.command("define krk");
      expect(flatten(answer)).toContain(KRAKEN);
      expect(flatten(answer)).toContain("Added to this team's glossary by <@U1>");
      const edit = button(answer, "Edit");
      await h.click({ actionId: edit.action_id ?? "", value: edit.value ?? "", ephemeral: true, user: "U2" });
      const modal = h.lastModal();
      expect(modal.title).toMatchObject({ text: "Edit kraken" });
      const fields = inputs(modal);
      expect(fields.term?.element.initial_value).toBe("kraken");
      expect(fields.summary?.element.initial_value).toBe(KRAKEN);
      expect(fields.aliases?.element.initial_value).toBe("krk, the beast");
      expect(fields.body?.element.initial_value).toBe("Runs **Linkerd** with two ingress controllers.");
      expect(fields.related?.element.initial_value).toBe("egress");
      expect(fields.sources?.element.initial_value).toBe("https://runbooks.example.com/kraken");
      expect(JSON.parse(String(modal.private_metadata)).context).toEqual({
        mode: "edit",
        termId: "kraken",
        baseRevision: 1,
      });

      const saved = await h.submit(modal, { summary: "Our ingress cluster, now in eu-central" }, "U2");
      expect(flatten(saved)).toContain("Changed *kraken*");
      expect(flatten(await h.command("define kraken"))).toContain("now in eu-central");
    });
  });

  describe("review", () => {
    /** A proposal of kraken by U1, posted in the review channel CREVIEW; resolves with that post. */
    async function proposeInReviewChannel() {
      await h.command("glossary review-channel", { user_id: "UADMIN", channel_id: "CREVIEW" });
      const ack = await addWithModal({ term: "kraken", summary: KRAKEN });
      expect(flatten(ack)).toContain("waiting for review in the review channel");
      const post = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CREVIEW");
      return post.args;
    }

    /** Clicks `label` on a message the bot posted in `channel`, as `user`. */
    async function clickOn(message: Record<string, unknown>, label: string, user: string, channel: string) {
      const b = button(message, label);
      await h.click({
        actionId: b.action_id ?? "",
        value: b.value ?? "",
        user,
        channel,
        message: { text: String(message.text), blocks: message.blocks },
      });
    }

    it("a member's submission goes to the review channel with Approve and Reject, and nothing is stored yet", async () => {
      await start();
      const review = await proposeInReviewChannel();
      expect(flatten(review)).toContain("<@U1> proposes a term for this team's glossary");
      expect(flatten(review)).toContain(KRAKEN);
      expect(buttonsOf(review).map((b) => b.text?.text)).toEqual(["Approve", "Reject"]);
      // A proposal for people to decide on offers no "Share in channel": it is already where they see it.
      expect(h.posts().filter((p) => p.args.channel === "CREVIEW")).toHaveLength(1);
      expect(await h.store.team.terms(ws())).toEqual([]);
      expect(flatten(await h.command("define kraken"))).toContain("I don't have");
    });

    it("without a review channel it is sent to each admin and owner (users.list) and to MESH_MAINTAINERS", async () => {
      await start({ maintainers: ["UMAINT"] });
      const ack = await addWithModal({ term: "kraken", summary: KRAKEN });
      expect(flatten(ack)).toContain("waiting for review with this team's maintainers");
      expect(h.fake.callsTo("users.list").length).toBeGreaterThan(0);
      const to = h.posts().map((p) => p.args.channel);
      expect([...to].sort()).toEqual(["UADMIN", "UMAINT", "UOWNER"]);
      for (const post of h.posts()) {
        expect(buttonsOf(post.args).map((b) => b.text?.text)).toEqual(["Approve", "Reject"]);
      }
    });

    it("Approve by an admin replaces the review message with the outcome, adds the term and tells the proposer", async () => {
      await start();
      const review = await proposeInReviewChannel();
      await clickOn(review, "Approve", "UADMIN", "CREVIEW");
      expect(h.fake.callsTo("users.info").map((c) => c.args.user)).toContain("UADMIN");
      const replaced = await h.fake.waitForResponse((r) => r.body.replace_original === true);
      expect(replaced.body.response_type).not.toBe("ephemeral");
      expect(flatten(replaced.body)).toContain(
        "Approved by <@UADMIN>: *kraken* is in this team's glossary now.",
      );
      expect(buttonsOf(replaced.body)).toEqual([]);
      const told = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "U1");
      expect(flatten(told.args)).toContain("Approved by <@UADMIN>");
      const answer = await h.command("define kraken");
      expect(flatten(answer)).toContain(KRAKEN);
      expect(flatten(answer)).toContain("Added to this team's glossary by <@U1>");
    });

    it("Reject leaves the glossary as it was, and the proposer hears it", async () => {
      await start();
      const review = await proposeInReviewChannel();
      await clickOn(review, "Reject", "UOWNER", "CREVIEW");
      const replaced = await h.fake.waitForResponse((r) => r.body.replace_original === true);
      expect(flatten(replaced.body)).toContain("Rejected by <@UOWNER>: *kraken* was left as it was.");
      const told = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "U1");
      expect(flatten(told.args)).toContain("Rejected by <@UOWNER>");
      expect(await h.store.team.terms(ws())).toEqual([]);
    });

    it("a member clicking Approve is refused privately, and the proposal stays open", async () => {
      await start();
      const review = await proposeInReviewChannel();
      await clickOn(review, "Approve", "U2", "CREVIEW");
      const [refusal] = h.fake.responses;
      expect(refusal?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
      expect(flatten(refusal?.body)).toContain("workspace admins and owners");
      expect(h.fake.responses).toHaveLength(1);
      expect(await h.store.team.terms(ws())).toEqual([]);
      // An admin can still decide it.
      await clickOn(review, "Approve", "UADMIN", "CREVIEW");
      expect((await h.store.team.terms(ws())).map((t) => t.id)).toEqual(["kraken"]);
    });

    it("a second Approve is told it was already decided, and changes nothing", async () => {
      await start({ maintainers: ["UMAINT"] });
      const review = await proposeInReviewChannel();
      await clickOn(review, "Approve", "UADMIN", "CREVIEW");
      h.fake.reset();
      await clickOn(review, "Reject", "UMAINT", "CREVIEW");
      const [answer] = h.fake.responses;
      expect(answer?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
      expect(flatten(answer?.body)).toContain("This proposal was already approved by <@UADMIN>.");
      expect(h.posts()).toHaveLength(0);
      expect((await h.store.team.terms(ws())).map((t) => t.id)).toEqual(["kraken"]);
    });

    it("a MESH_MAINTAINERS person approves in the DM they were sent; the DM shows the outcome", async () => {
      await start({ maintainers: ["UMAINT"] });
      await addWithModal({ term: "kraken", summary: KRAKEN });
      const dm = h.posts().find((p) => p.args.channel === "UMAINT");
      if (dm === undefined) throw new Error("UMAINT was not asked");
      h.fake.reset();
      await clickOn(dm.args, "Approve", "UMAINT", "DUMAINT");
      // Slack did not say UMAINT is an admin: MESH_MAINTAINERS is enough.
      const replaced = await h.fake.waitForResponse((r) => r.body.replace_original === true);
      expect(flatten(replaced.body)).toContain("Approved by <@UMAINT>");
      expect((await h.store.team.terms(ws())).map((t) => t.id)).toEqual(["kraken"]);
    });

    it("finds admins on every page of users.list, leaving out deactivated ones", async () => {
      const crowd = Array.from({ length: 450 }, (_, i) => ({ id: `UM${String(i).padStart(4, "0")}` }));
      await start({ users: [...crowd, ...PEOPLE, { id: "ULATE", admin: true }] });
      await addWithModal({ term: "kraken", summary: KRAKEN });
      expect(h.fake.callsTo("users.list").length).toBeGreaterThanOrEqual(3);
      expect(
        h
          .posts()
          .map((p) => p.args.channel)
          .sort(),
      ).toEqual(["UADMIN", "ULATE", "UOWNER"]);
    });

    it("without users:read, admins are not recognised: the log says why, and MESH_MAINTAINERS still decide", async () => {
      await start({ maintainers: ["UMAINT"] });
      h.fake.onCall("users.info", () => ({ ok: false, error: "missing_scope", needed: "users:read" }));
      h.fake.onCall("users.list", () => ({ ok: false, error: "missing_scope", needed: "users:read" }));
      await addWithModal({ term: "kraken", summary: KRAKEN });
      expect(h.posts().map((p) => p.args.channel)).toEqual(["UMAINT"]);
      const review = h.posts()[0]?.args ?? {};
      await clickOn(review, "Approve", "UADMIN", "DUADMIN");
      expect(flatten(h.fake.responses.at(-1)?.body)).toContain("workspace admins and owners");
      expect(h.logs.some((l) => l.msg === "could not ask Slack who the admins are")).toBe(true);
      await clickOn(review, "Approve", "UMAINT", "DUMAINT");
      expect((await h.store.team.terms(ws())).map((t) => t.id)).toEqual(["kraken"]);
    });

    it("an admin's own submission is applied at once, in review mode too", async () => {
      await start();
      const ack = await addWithModal({ term: "kraken", summary: KRAKEN }, "UADMIN");
      expect(flatten(ack)).toContain("Added *kraken*");
      expect(h.posts()).toHaveLength(0);
    });

    it("a member's edit is proposed with what the term says now", async () => {
      await start();
      await addWithModal({ term: "kraken", summary: KRAKEN }, "UADMIN");
      await h.command("glossary review-channel", { user_id: "UADMIN", channel_id: "CREVIEW" });
      await h.command("edit kraken", { user_id: "U2" });
      const ack = await h.submit(h.lastModal(), { summary: "Our ingress cluster, now in eu-central" }, "U2");
      expect(flatten(ack)).toContain("Your change to *kraken* is waiting for review");
      const review = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CREVIEW");
      expect(flatten(review.args)).toContain("<@U2> proposes a change to *kraken*");
      expect(flatten(review.args)).toContain(`Now: ${KRAKEN}`);
      await clickOn(review.args, "Approve", "UADMIN", "CREVIEW");
      expect(flatten(await h.command("define kraken"))).toContain("now in eu-central");
    });
  });

  describe("the App Home tab", () => {
    /** Texts of a Home tab's sections and context blocks. */
    const texts = (view: Record<string, unknown>) => flatten(view.blocks);

    it("shows a member the team's latest terms, and no proposals", async () => {
      await start();
      await addWithModal({ term: "kraken", summary: KRAKEN }, "UADMIN");
      await h.openHome("U1");
      const publish = await h.fake.waitForCall("views.publish");
      expect(publish.args.user_id).toBe("U1");
      const view = publish.args.view as Record<string, unknown>;
      expect(view.type).toBe("home");
      expect(texts(view)).toContain("*kraken* added by <@UADMIN>");
      expect(texts(view)).not.toContain("Waiting for your review");
    });

    it("shows an admin the open proposals, which they can decide right there", async () => {
      await start({ maintainers: ["UMAINT"] });
      await addWithModal({ term: "kraken", summary: KRAKEN, sources: "https://runbooks.example.com/kraken" });
      await addWithModal(
        { term: "octopus", summary: "Our CI fleet", sources: "https://ci.example.com" },
        "U2",
      );
      h.fake.reset();
      await h.openHome("UADMIN");
      const home = [...h.fake.views.values()].findLast((v) => v.user_id === "UADMIN");
      if (home === undefined) throw new Error("no Home tab for UADMIN");
      expect(texts(home)).toContain("Waiting for your review");
      expect(texts(home)).toContain("<@U1> proposes a term");
      expect(texts(home)).toContain("<@U2> proposes a term");
      expect(texts(home)).toContain(KRAKEN);
      const kraken = (await h.store.team.openProposals(ws(), 10)).find((p) => p.termId === "kraken");
      const approve = buttonsOf(home).find((b) => b.text?.text === "Approve" && b.value === kraken?.id);
      if (approve === undefined) throw new Error("no Approve for kraken on the Home tab");
      expect(buttonsOf(home).map((b) => b.text?.text)).not.toContain("Share in channel");

      await h.clickHome(home, approve.action_id ?? "", approve.value ?? "", "UADMIN");
      // Applied; the admin hears the outcome in their DM with the bot, the proposer too.
      expect((await h.store.team.terms(ws())).map((t) => t.id)).toEqual(["kraken"]);
      const to = h.posts().map((p) => p.args.channel);
      expect(to).toEqual(expect.arrayContaining(["UADMIN", "U1"]));
      expect(flatten(h.posts().find((p) => p.args.channel === "UADMIN")?.args)).toContain(
        "Approved by <@UADMIN>",
      );
      // The tab is published again, without the proposal.
      const again = h.fake.callsTo("views.publish").at(-1)?.args.view as Record<string, unknown>;
      expect(texts(again)).toContain("*kraken* added by <@U1>");
      expect(texts(again)).toContain("<@U2> proposes a term");
      expect(texts(again)).not.toContain("<@U1> proposes a term");
    });

    it("ignores the Messages tab", async () => {
      await start();
      await h.event({ type: "app_home_opened", user: "U1", channel: "DU1", tab: "messages" });
      expect(h.fake.callsTo("views.publish")).toHaveLength(0);
    });
  });

  describe("in chat", () => {
    it("a glossary term cannot be edited from chat: no modal, a sentence saying how", async () => {
      await start();
      const ack = await h.command("edit mtls", { user_id: "UADMIN" });
      expect(flatten(ack)).toContain("comes with the glossary, so it can't be changed from chat");
      expect(h.fake.callsTo("views.open")).toHaveLength(0);
      expect(buttonsOf(await h.command("define mtls")).map((b) => b.text?.text)).not.toContain("Edit");
    });

    it('a miss offers "Propose", which opens the add modal with the name', async () => {
      await start();
      const miss = await h.command("define zorblax");
      const propose = button(miss, 'Propose "zorblax"');
      await h.click({ actionId: propose.action_id ?? "", value: propose.value ?? "", ephemeral: true });
      const modal = h.lastModal();
      expect(modal.title).toMatchObject({ text: "Add a term" });
      expect(inputs(modal).term?.element.initial_value).toBe("zorblax");
    });

    it("a team term named like a glossary term answers both, labelled, and auto-explain prefers the team's", async () => {
      await start();
      await addWithModal(
        {
          term: "Egress",
          summary: "Our egress proxies in the dmz cluster",
          related: "mTLS, sidecar proxy",
          sources: "https://runbooks.example.com/egress",
        },
        "UADMIN",
      );
      const answer = await h.command("define egress");
      const all = flatten(answer.blocks);
      expect(all.indexOf("*This team*")).toBeLessThan(all.indexOf("Our egress proxies"));
      expect(all.indexOf("Our egress proxies")).toBeLessThan(all.indexOf("*Glossary*"));
      expect(all.indexOf("*Glossary*")).toBeLessThan(all.indexOf(egress.summary));

      await h.command("autoexplain on");
      h.fake.reset();
      const ts = nextMessageTs();
      await h.event(messageEvent({ text: "the egress path times out again", ts }));
      const [reply] = h.posts();
      expect(reply?.args.thread_ts).toBe(ts);
      expect(flatten(reply?.args)).toContain("Our egress proxies");
      expect(flatten(reply?.args)).not.toContain(egress.summary);
    });

    it('"Explain this message" finds team terms and offers "Post in thread", which posts it there', async () => {
      await start();
      await addWithModal({ term: "kraken", summary: KRAKEN }, "UADMIN");
      const ts = nextMessageTs();
      await h.shortcut("kraken drops mTLS handshakes", { ts });
      const [answer] = h.fake.responses;
      expect(answer?.body.response_type).toBe("ephemeral");
      expect(flatten(answer?.body)).toContain(KRAKEN);
      const post = button(answer?.body ?? {}, "Post in thread");
      await h.click({ actionId: post.action_id ?? "", value: post.value ?? "", ephemeral: true, user: "U2" });
      const [shared] = h.posts();
      expect(shared?.args).toMatchObject({ channel: "C1", thread_ts: ts });
      expect(flatten(shared?.args)).toContain(KRAKEN);
      expect(flatten(shared?.args)).toContain("<@U2>");
      expect(h.fake.responses.at(-1)?.body).toEqual({ delete_original: true });
    });

    it("/mesh stats shows an admin what people looked up and missed; a member is refused", async () => {
      await start();
      await h.command("define mtls");
      await h.command("define mtls");
      await h.command("define zorblax");
      const stats = await h.command("stats", { user_id: "UOWNER" });
      expect(flatten(stats)).toContain("Looked up most here");
      expect(flatten(stats)).toMatch(/mTLS[^"]*: 2/);
      expect(flatten(stats)).toContain("zorblax: 1");
      const denied = await h.command("stats", { user_id: "U2" });
      expect(flatten(denied)).toContain("workspace admins and owners");
      expect(flatten(denied)).not.toContain("zorblax");
    });

    it("pings typed into a term are shown as text everywhere: answer, modal, review message, Home tab", async () => {
      await start();
      await h.command("glossary review-channel", { user_id: "UADMIN", channel_id: "CREVIEW" });
      const ack = await addWithModal({
        term: "pager <!channel>",
        aliases: "<@U123>",
        summary: "Wakes <!here> and <@U123> up; see <https://evil.example|docs>",
      });
      const review = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CREVIEW");
      const b = button(review.args, "Approve");
      await h.click({
        actionId: b.action_id ?? "",
        value: b.value ?? "",
        user: "UADMIN",
        channel: "CREVIEW",
      });
      const decided = h.fake.responses.at(-1)?.body;
      const answer = await h.command("define pager <!channel>");
      await h.openHome("U1");
      const home = h.fake.callsTo("views.publish").at(-1)?.args.view;
      const told = h.posts().find((p) => p.args.channel === "U1")?.args;
      for (const shown of [ack, review.args, decided, answer, home, told]) {
        expect(shown).toBeDefined();
        // Slack reads mentions and links in mrkdwn and in a message's `text`; plain_text (buttons) never pings.
        for (const text of mrkdwnOf(shown))
          expect(text).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
      }
      expect(flatten(answer)).toContain("*pager &lt;!channel&gt;* _(also: &lt;@U123&gt;)_");
      expect(flatten(answer)).toContain(
        "Wakes &lt;!here&gt; and &lt;@U123&gt; up; see &lt;https://evil.example|docs&gt;",
      );
    });

    it("of two edits from modals opened at the same revision, the second is told it changed meanwhile", async () => {
      await start();
      await h.command("glossary open", { user_id: "UADMIN" });
      await addWithModal({ term: "kraken", summary: KRAKEN });
      await h.command("edit kraken", { user_id: "U1" });
      const first = h.lastModal();
      await h.command("edit kraken", { user_id: "U2" });
      const second = h.lastModal();
      expect(second.id).not.toBe(first.id);
      expect(flatten(await h.submit(first, { summary: "Moved to eu-central" }, "U1"))).toContain(
        "Changed *kraken*",
      );
      const late = await h.submit(second, { summary: "Moved to us-east" }, "U2");
      expect(late.response_action).toBe("update");
      const told = flatten(late);
      expect(told).toContain("*kraken* changed since you opened it");
      expect(told).toContain('It now says: \\"Moved to eu-central\\"');
      expect(told).toContain('Yours was: \\"Moved to us-east\\"');
      expect(flatten(await h.command("define kraken"))).toContain("Moved to eu-central");
      const history = await h.store.team.history(ws(), "kraken");
      expect(history.map((r) => r.fields.summary)).toEqual([KRAKEN, "Moved to eu-central"]);
    });
  });
});
