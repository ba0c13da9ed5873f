import { ComponentType, escapeMarkdown } from "discord.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeButton,
  encodeButton,
  explainedMessage,
} from "../../../adapters/discord/interactions/custom-id.js";
import { threadName } from "../../../adapters/discord/render/explanation.js";
import { formModal, modalValues } from "../../../adapters/discord/render/form.js";
import {
  bodyToDiscord,
  DISCORD_SURFACE,
  inertTerm,
  quoteUserText,
} from "../../../adapters/discord/render/markup.js";
import { type DiscordReply, renderView } from "../../../adapters/discord/render/reply.js";
import { embedLength, fullBodyEmbeds } from "../../../adapters/discord/render/term.js";
import { defineReply, type Reply } from "../../../src/core/command.js";
import type { DetectedTerm } from "../../../src/core/detect.js";
import { formView, presentReply } from "../../../src/present/present.js";
import { sanitizeEcho } from "../../../src/present/sanitize.js";
import { makeTerm, realGlossary } from "../../helpers.js";

/** A reply as Discord gets it: public, through the presentation layer. */
function renderReply(reply: Reply): DiscordReply {
  return renderView(presentReply(reply, DISCORD_SURFACE, { visibility: "public", privately: false }));
}

/** Every Discord limit a rendered message must respect. */
function expectWithinLimits(r: DiscordReply): void {
  expect((r.content ?? "").length).toBeLessThanOrEqual(2000);
  expect(r.content !== undefined || r.embeds.length > 0).toBe(true);
  expect(r.embeds.length).toBeLessThanOrEqual(10);
  expect(r.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(6000);
  for (const e of r.embeds) {
    expect((e.title ?? "").length).toBeLessThanOrEqual(256);
    expect((e.description ?? "").length).toBeLessThanOrEqual(4096);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(25);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(256);
      expect(f.value.length).toBeLessThanOrEqual(1024);
    }
  }
  expect(r.components.length).toBeLessThanOrEqual(5);
  for (const row of r.components) {
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const b of row.components) {
      if (!("custom_id" in b)) continue;
      expect(b.custom_id.length).toBeLessThanOrEqual(100);
      expect((b as { label?: string }).label?.length ?? 0).toBeLessThanOrEqual(80);
    }
  }
}

const huge = makeTerm("enormous-term", {
  term: `Enormous ${"very ".repeat(80)}long term`,
  aliases: Array.from({ length: 40 }, (_, i) => `alias number ${i} ${"x".repeat(30)}`),
  summary: "s".repeat(500),
  body: Array.from({ length: 12 }, (_, i) => `Paragraph ${i} [link](#egress) ${"word ".repeat(300)}`).join(
    "\n\n",
  ),
  sources: Array.from({ length: 60 }, (_, i) => `https://example.com/${i}/${"p".repeat(40)}`),
  related: [],
});

describe("rendering within Discord's limits", () => {
  it("renders every term of the glossary as a definition within every limit", () => {
    const g = realGlossary();
    for (const t of g.terms) {
      const r = renderReply(defineReply(g, t.id));
      expectWithinLimits(r);
      expect(r.embeds[0]?.title).toBe(t.term);
      expect(r.embeds[0]?.description?.startsWith(t.summary)).toBe(true);
      expect(r.embeds[0]?.description).not.toContain("](#");
      expectWithinLimits({ embeds: fullBodyEmbeds(t), components: [], ephemeral: true });
    }
  });

  it("cuts an enormous term down to Discord's limits, for the definition and for More", () => {
    const reply: Reply = {
      kind: "definition",
      term: huge,
      related: Array.from({ length: 30 }, (_, i) => makeTerm(`rel-${i}`, { term: "R".repeat(200) })),
      seeAlso: [],
      match: "name",
      confidence: 1,
      query: "enormous",
    };
    const r = renderReply(reply);
    expectWithinLimits(r);
    expect(r.embeds[0]?.title?.endsWith("…")).toBe(true);
    const more = fullBodyEmbeds(huge);
    expectWithinLimits({ embeds: more, components: [], ephemeral: true });
    expect(more.length).toBeGreaterThan(1);
    expect(more[0]?.description).toContain("Paragraph 0 **link**");
  });

  it("keeps a 20-term explanation within 2000 characters and 5 rows, naming what did not fit", () => {
    const g = realGlossary();
    const terms: DetectedTerm[] = g.terms
      .slice(0, 20)
      .map((term, i) => ({ term, start: i, end: i + 1, text: term.term }));
    const r = renderReply({ kind: "explanation", mode: "auto", terms, named: [] });
    expectWithinLimits(r);
    expect(r.content).toContain("Also mentioned:");
  });

  it("lists the whole glossary and search results within the limits", () => {
    const g = realGlossary();
    const all = g.terms;
    expectWithinLimits(
      renderReply({
        kind: "list",
        groups: [{ topic: "other", terms: [...all, ...all, ...all] }],
        total: 270,
      }),
    );
    expectWithinLimits(renderReply({ kind: "searchResults", query: "x".repeat(5000), results: all }));
    expectWithinLimits(
      renderReply({
        kind: "notFound",
        query: "q".repeat(5000),
        reason: "unknown",
        suggestions: all.slice(0, 5),
      }),
    );
  });

  it("names auto-explain threads 'Jargon: ...' within 100 characters", () => {
    const g = realGlossary();
    const d = (id: string, text: string): DetectedTerm => {
      const term = g.get(id);
      if (term === undefined) throw new Error(id);
      return { term, start: 0, end: text.length, text };
    };
    expect(threadName([d("egress", "egress"), d("latency", "latency"), d("egress", "Egress")])).toBe(
      "Jargon: egress, latency",
    );
    const many = g.terms.map((t) => ({ term: t, start: 0, end: 1, text: t.term }));
    const name = threadName(many);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.startsWith("Jargon: ")).toBe(true);
  });
});

describe("markup and button ids", () => {
  it("makes echoed text inert: mentions broken, markdown escaped, one line", () => {
    const q = quoteUserText("hi @everyone and @here <@123> <@!456> <@&789> <#42> *a* _b_ `c`\nnext");
    expect(q).not.toMatch(/@everyone|@here|<@|<#|\n/);
    expect(q).toContain("\\*a\\*");
    expect(quoteUserText("z".repeat(500)).length).toBeLessThanOrEqual(120);
  });

  it("quotes plain words as they are and escapes the same text any other way would be", () => {
    // Words, digits, inner spaces and hyphens skip the escaping; anything else goes through it.
    const alphabet = [..."aZ9 -_*~|`>#.[]()@<:\u00e9\n"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
        const text = chars.join("");
        const slow = escapeMarkdown(sanitizeEcho(text, 120))
          .replace(/<(?=[@#:]|a:|t:)/g, "<\u200b")
          .replace(/@(?=everyone|here)/gi, "@\u200b");
        expect(quoteUserText(text)).toBe(slow);
      }),
      { numRuns: 3000 },
    );
    expect(quoteUserText("sidecar proxy")).toBe("sidecar proxy");
    expect(quoteUserText("egress_gateway")).toBe("egress\\_gateway");
  });

  it("turns [text](#id) links into bold and keeps lists and web links", () => {
    expect(bodyToDiscord("See [cluster](#cluster) and [docs](https://linkerd.io).\n\n- one\n- two")).toBe(
      "See **cluster** and [docs](https://linkerd.io).\n\n- one\n- two",
    );
  });

  it("round-trips button ids and rejects anything else", () => {
    for (const action of [
      { kind: "more", termId: "egress" },
      { kind: "define", termId: "init-container", privately: true },
      { kind: "define", termId: "mtls", privately: false },
      { kind: "silence", termId: "latency" },
    ] as const) {
      const id = encodeButton(action);
      expect(id).toBeDefined();
      expect(decodeButton(id ?? "")).toEqual(action);
    }
    expect(encodeButton({ kind: "more", termId: "x".repeat(100) })).toBeUndefined();
    for (const bad of [
      "mesh:more:",
      "mesh:more:a:b",
      "other:more:egress",
      "mesh:def:q:egress",
      "mesh:nj:BAD ID",
    ]) {
      expect(decodeButton(bad)).toBeUndefined();
    }
  });
});

describe("the team's glossary on Discord", () => {
  it("round-trips the team's button ids: edit, propose, approve, reject, post in thread", () => {
    const proposal = "0123456789abcdef0123456789abcdef";
    for (const action of [
      { kind: "edit", termId: "team-kraken" },
      { kind: "propose", name: "kraken: the EU cluster" },
      { kind: "approve", proposalId: proposal },
      { kind: "reject", proposalId: proposal },
      { kind: "postExplanation", termIds: ["egress", "team-kraken"] },
    ] as const) {
      expect(decodeButton(encodeButton(action) ?? "")).toEqual(action);
    }
    const post = encodeButton(
      { kind: "postExplanation", termIds: ["egress", "mtls"] },
      "1234567890123456789",
    );
    expect(post).toBe("mesh:px:egress,mtls:1234567890123456789");
    expect(explainedMessage(post ?? "")).toBe("1234567890123456789");
    expect(decodeButton(post ?? "")).toEqual({ kind: "postExplanation", termIds: ["egress", "mtls"] });
    // too many terms for 100 characters: the button names those that fit, never none
    const many = Array.from({ length: 20 }, (_, i) => `term-number-${i}`);
    const cut = encodeButton({ kind: "postExplanation", termIds: many }, "1234567890123456789") ?? "";
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(explainedMessage(cut)).toBe("1234567890123456789");
    const kept = (decodeButton(cut) as { termIds: readonly string[] }).termIds;
    expect(kept.length).toBeGreaterThan(1);
    expect(kept).toEqual(many.slice(0, kept.length));
    for (const bad of ["mesh:ap:nothex", "mesh:px:", "mesh:px:egress:notanid", "mesh:ed:Team Kraken"]) {
      expect(decodeButton(bad)).toBeUndefined();
    }
  });

  it("makes a form a modal of five labelled inputs that holds what the term has, and reads it back", () => {
    const aliases = Array.from({ length: 10 }, (_, i) => `${"k".repeat(70)}${i}`);
    const fields = {
      term: "Kraken",
      aliases,
      summary: "Our ingress cluster",
      body: "Fronts every public service.",
      related: ["Ingress", "Egress"],
      sources: ["https://runbooks.example.com/kraken"],
    };
    const modal = formModal(
      formView({ mode: "edit", termId: "kraken", baseRevision: 3 }, fields, DISCORD_SURFACE),
    );
    expect(modal.custom_id).toBe("mesh:form:edit:kraken:3");
    expect(modal.title).toBe("Edit Kraken");
    const inputs = modal.components.map((c) => {
      if (c.type !== ComponentType.Label || c.component.type !== ComponentType.TextInput)
        throw new Error("each input sits in a label");
      expect(c.label.length).toBeLessThanOrEqual(45);
      expect((c.description ?? "").length).toBeLessThanOrEqual(100);
      return c.component;
    });
    expect(inputs).toHaveLength(5);
    // ten long other names are more than the field's usual length: the input makes room, nothing is cut
    const other = inputs.find((i) => i.custom_id === "aliases");
    expect(other?.value).toBe(aliases.join(", "));
    expect(other?.max_length).toBeGreaterThanOrEqual(other?.value?.length ?? 0);
    const read = (id: string) => inputs.find((i) => i.custom_id === id)?.value;
    const values = modalValues(read);
    expect(values.related).toBe("Ingress, Egress");
    expect(values.sources).toBe("https://runbooks.example.com/kraken");
    expect(values.aliases).toBe(aliases.join(", "));
  });

  it("shows mentions typed into a term inert, keeping its markdown", () => {
    const term = makeTerm("pager", {
      term: "Pager @here",
      summary: "Pings @everyone and <@123> and <@&456>",
      body: "**Call** <@!789>.",
    });
    const inert = inertTerm(term);
    for (const text of [inert.term, inert.summary, inert.body]) {
      expect(text).not.toMatch(/@everyone|@here|<@/);
    }
    expect(inert.body.startsWith("**Call**")).toBe(true);
    expect(inertTerm(realGlossary().get("egress") as typeof term)).toBe(realGlossary().get("egress"));
    // Made once per term: the same inert copy again.
    expect(inertTerm(term)).toBe(inert);
    expect(DISCORD_SURFACE.markup.term("@everyone")).not.toBe("@everyone");
  });
});
