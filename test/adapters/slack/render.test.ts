// Block Kit rendering of every reply kind against Slack's limits, for the real glossary and for content
// built to overflow them.
import { describe, expect, it } from "vitest";
import { decodeRef, encodeRef } from "../../../adapters/slack/blocks/actions.js";
import { cutText, splitText } from "../../../adapters/slack/blocks/limits.js";
import { renderView } from "../../../adapters/slack/blocks/render.js";
import { markdownToMrkdwn, SLACK_SURFACE } from "../../../adapters/slack/format/mrkdwn.js";
import {
  answerGlossaryCommand,
  isGlossaryCommand,
  parseCommand,
  type Reply,
} from "../../../src/core/command.js";
import { detectJargon } from "../../../src/core/detect.js";
import { relatedTerms } from "../../../src/core/glossary.js";
import type { Term } from "../../../src/core/types.js";
import { cardView, presentReply } from "../../../src/present/present.js";
import { glossaryOf, makeTerm, realGlossary } from "../../helpers.js";
import { limitViolations } from "./limits.js";

const glossary = realGlossary();

interface CardOptions {
  readonly audience: "private" | "public";
  readonly echo?: string;
  readonly expanded?: boolean;
  readonly thread?: string;
  readonly sharedBy?: string;
}

/** A term's card as Slack gets it: private or public, full text after More, shared by someone. */
function termCard(term: Term, extra: { related: readonly Term[] }, opts: CardOptions) {
  const view = cardView(term, extra.related, SLACK_SURFACE, {
    visibility: opts.audience,
    expanded: opts.expanded ?? false,
    sharedBy: opts.sharedBy,
  });
  const echo = opts.echo === undefined ? [] : [{ type: "echo", text: opts.echo } as const];
  return renderView({ ...view, blocks: [...echo, ...view.blocks] }, opts.thread);
}

/** Any reply as Slack gets it, through the presentation layer. */
function renderReply(reply: Reply, opts: { audience: "private" | "public"; echo?: string }) {
  return renderView(
    presentReply(reply, SLACK_SURFACE, { visibility: opts.audience, privately: true, echo: opts.echo }),
  );
}

function sections(message: { blocks: unknown[] }): string[] {
  return (message.blocks as { type: string; text?: { text: string } }[])
    .filter((b) => b.type === "section")
    .map((b) => b.text?.text ?? "");
}

function buttonLabels(message: { blocks: unknown[] }): string[] {
  const out: string[] = [];
  for (const b of message.blocks as {
    elements?: { type: string; text?: { text: string } }[];
    accessory?: { text?: { text: string } };
  }[]) {
    for (const e of b.elements ?? []) if (e.type === "button") out.push(e.text?.text ?? "");
    if (b.accessory?.text !== undefined) out.push(b.accessory.text.text);
  }
  return out;
}

describe("every real term", () => {
  it("renders within Slack's limits as a private card, its full text, a public answer and a shared card", () => {
    for (const term of glossary.terms) {
      const related = relatedTerms(glossary, term);
      for (const message of [
        termCard(term, { related }, { audience: "private", echo: `/mesh define ${term.term}` }),
        termCard(term, { related }, { audience: "private", expanded: true, thread: "1710000000.000100" }),
        termCard(term, { related }, { audience: "public" }),
        termCard(term, { related }, { audience: "public", sharedBy: "U1" }),
      ]) {
        expect(limitViolations(message), term.id).toEqual([]);
      }
    }
  });

  it("shows the whole body after More, in order, when it fits", () => {
    const mtls = glossary.get("mtls");
    if (mtls === undefined) throw new Error("mtls is in the content");
    const card = termCard(mtls, { related: [] }, { audience: "private", expanded: true });
    const text = sections(card).join("\n\n");
    for (const paragraph of markdownToMrkdwn(mtls.body).split("\n\n")) expect(text).toContain(paragraph);
    expect(text).not.toContain("…");
  });
});

describe("content that overflows Slack's limits", () => {
  const sentence = (i: number) => `Sentence number ${i} explains one more detail of the long term. `;
  const long = makeTerm("long-term", {
    term: "Long term",
    summary: Array.from({ length: 80 }, (_, i) => sentence(i))
      .join("")
      .trim(),
    body: Array.from({ length: 30 }, (_, p) =>
      Array.from({ length: 40 }, (_, i) => sentence(p * 40 + i))
        .join("")
        .trim(),
    ).join("\n\n"),
    sources: ["https://example.com/a", `https://example.com/${"x".repeat(4000)}`],
    aliases: ["LT"],
  });

  it("cuts a long summary at a sentence, with More to read on", () => {
    const card = termCard(long, { related: [] }, { audience: "private" });
    expect(limitViolations(card)).toEqual([]);
    const first = sections(card)[0] ?? "";
    expect(first).toMatch(/long term\.…$/);
    expect(buttonLabels(card)).toContain("More");
    // A URL too long for a button is left out rather than breaking the message.
    expect(buttonLabels(card).filter((l) => l.startsWith("Source"))).toHaveLength(1);
  });

  it("cuts a body longer than a message can hold at a paragraph or sentence, and says so", () => {
    const card = termCard(long, { related: [] }, { audience: "private", expanded: true });
    expect(limitViolations(card)).toEqual([]);
    const texts = sections(card);
    expect(texts.at(-1)).toMatch(/long term\. …$/);
    expect(texts.join(" ").length).toBeLessThan(long.body.length);
  });

  it("explains a message naming every term in the glossary within the limits, naming what did not fit", () => {
    const text = glossary.terms.map((t) => t.term).join(", and ");
    const reply = {
      kind: "explanation",
      mode: "requested",
      terms: detectJargon(glossary, text),
      named: [],
    } as const;
    expect(reply.terms.length).toBeGreaterThan(50);
    const message = renderReply(reply, { audience: "private" });
    expect(limitViolations(message)).toEqual([]);
    expect(JSON.stringify(message)).toContain("Also mentioned:");
  });

  it("lists 400 terms trimmed to one section per topic, saying how many and how to see the rest", () => {
    const many = glossaryOf({
      ...Object.fromEntries(
        Array.from({ length: 400 }, (_, i) => [
          `term-number-${i}`,
          { term: `Term number ${i}`, topic: "traffic" as const },
        ]),
      ),
      egress: { term: "Egress", topic: "security" },
    });
    const all = renderReply(answerGlossaryCommand(many, { kind: "list", topic: undefined }), {
      audience: "private",
    });
    expect(limitViolations(all)).toEqual([]);
    expect(sections(all)[0]).toContain("401 terms");
    expect(sections(all)[1]).toMatch(/^\*Traffic\* \(400\)\n/);
    expect(sections(all)[1]).toMatch(/…and \d+ more: `\/mesh list traffic`$/);
    expect(sections(all)[2]).toBe("*Security* (1)\nEgress");
    // The topic alone: every term with its summary, over as many sections as it takes.
    const one = renderReply(answerGlossaryCommand(many, { kind: "list", topic: "traffic" }), {
      audience: "private",
    });
    expect(limitViolations(one)).toEqual([]);
    const text = sections(one).join("\n");
    for (let i = 0; i < 400; i += 1)
      expect(text).toContain(`*Term number ${i}*: What term-number-${i} means.`);
    expect(sections(one).join(" ")).not.toContain("more");
  });

  it("lists a topic too big for summaries by name only, every name, within the limits", () => {
    const huge = glossaryOf(
      Object.fromEntries(
        Array.from({ length: 6000 }, (_, i) => [`t-${i}`, { term: `Term ${i}`, topic: "traffic" as const }]),
      ),
    );
    const message = renderReply(answerGlossaryCommand(huge, { kind: "list", topic: "traffic" }), {
      audience: "private",
    });
    expect(limitViolations(message)).toEqual([]);
    const names = new Set(sections(message).slice(1).join(", ").split(/\n|, /));
    for (let i = 0; i < 6000; i += 1) expect(names.has(`Term ${i}`), `Term ${i}`).toBe(true);
  });

  it("renders every reply kind of the real glossary within the limits, hostile input included", () => {
    const inputs = [
      "define egres",
      "define proxy",
      "define <!channel>",
      "search <@U123> retries",
      "list",
      "list security",
      "related mtls",
      "help",
      "define",
      "",
      `define ${"x".repeat(10_000)}`,
    ];
    for (const input of inputs) {
      const command = parseCommand(input);
      if (!isGlossaryCommand(command)) continue;
      const reply: Reply = answerGlossaryCommand(glossary, command);
      for (const audience of ["private", "public"] as const) {
        const message = renderReply(reply, { audience, echo: `/mesh ${input}` });
        expect(limitViolations(message), input.slice(0, 40)).toEqual([]);
        expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U123>/);
      }
    }
  });
});

describe("text helpers", () => {
  it("cutText ends at a sentence when one is near, never inside a link or an entity", () => {
    expect(cutText("One sentence here. Two three four five.", 24)).toEqual({
      text: "One sentence here.…",
      cut: true,
    });
    expect(cutText("No sentence end within reach at all here", 20)).toEqual({
      text: "No sentence end…",
      cut: true,
    });
    expect(cutText("short", 10)).toEqual({ text: "short", cut: false });
    const link = `See ${"word ".repeat(3)}<https://example.com/a/very/long/path|the docs> now`;
    const cut = cutText(link, 40).text;
    expect(cut).not.toContain("<https");
    const entity = cutText(`${"a".repeat(10)} &amp;&amp;&amp;`, 14).text;
    expect(entity).not.toMatch(/&[a-z]*…$/);
  });

  it("splitText keeps paragraphs whole when they fit and never exceeds the size", () => {
    const text = ["a".repeat(50), "b".repeat(50), "c. ".repeat(60)].join("\n\n");
    const chunks = splitText(text, 110);
    expect(chunks[0]).toBe(`${"a".repeat(50)}\n\n${"b".repeat(50)}`);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(110);
    expect(chunks.join("").replaceAll(/\s/g, "")).toBe(text.replaceAll(/\s/g, ""));
  });

  it("button values carry a term id and a thread, and junk values are refused", () => {
    expect(decodeRef(encodeRef({ termId: "mtls", thread: "1710000000.000100" }))).toEqual({
      termId: "mtls",
      thread: "1710000000.000100",
    });
    expect(decodeRef("mtls")).toEqual({ termId: "mtls" });
    expect(decodeRef("<!channel>")).toBeUndefined();
    expect(decodeRef("mtls 1.2 extra")).toBeUndefined();
    expect(decodeRef(undefined)).toBeUndefined();
  });
});
