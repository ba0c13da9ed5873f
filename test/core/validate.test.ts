import { describe, expect, it } from "vitest";
import { loadGlossary } from "../../src/content/load.js";
import type { Term } from "../../src/core/types.js";
import {
  bodyLinks,
  type ContentProblem,
  checkContent,
  MAX_SUMMARY_CHARS,
  validateGlossary,
} from "../../src/core/validate.js";
import { CONTENT_DIR, makeTerm } from "../helpers.js";

/** Two terms that relate to each other: a valid starting point each test breaks one way. */
function pair(egress: Partial<Term> = {}, ingress: Partial<Term> = {}): Term[] {
  return [
    makeTerm("egress", { term: "Egress", related: ["ingress"], ...egress }),
    makeTerm("ingress", { term: "Ingress", related: ["egress"], ...ingress }),
  ];
}

function messages(problems: readonly ContentProblem[]): string[] {
  return problems.map((p) => `${p.termId}/${p.field}: ${p.message}`);
}

describe("validateGlossary", () => {
  it("accepts a valid glossary", () => {
    expect(validateGlossary(pair())).toEqual([]);
  });

  it("reports an id used by two terms", () => {
    const problems = validateGlossary([
      ...pair(),
      makeTerm("egress", { term: "Outbound", related: ["ingress"] }),
    ]);
    expect(messages(problems)).toEqual([
      'egress/id: the id "egress" is used by two terms; ids must be unique.',
    ]);
  });

  it("reports an alias that two terms both claim, naming the other term", () => {
    const problems = validateGlossary(pair({ aliases: ["edge traffic"] }, { aliases: ["Edge-Traffic"] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ termId: "ingress", field: "aliases", value: "Edge-Traffic" });
    expect(problems[0]?.message).toContain('also names "egress"');
    expect(problems[0]?.message).toContain("sharedAliases");
  });

  it("reports an alias that is another term's name, however it is spelled", () => {
    const problems = validateGlossary(pair({ aliases: ["ingresses"] }));
    expect(messages(problems)).toEqual([
      expect.stringContaining('egress/aliases: "ingresses" also names "ingress"'),
    ]);
  });

  it("accepts a name shared on purpose under sharedAliases", () => {
    expect(validateGlossary(pair({ sharedAliases: ["edge"] }, { sharedAliases: ["edge"] }))).toEqual([]);
    expect(validateGlossary(pair({ aliases: ["edge"] }, { sharedAliases: ["edge"] }))).toEqual([]);
  });

  it("reports a related term that does not exist", () => {
    const problems = validateGlossary(pair({ related: ["ingress", "nope"] }));
    expect(problems).toEqual([
      { termId: "egress", field: "related", value: "nope", message: 'related term "nope" does not exist.' },
    ]);
  });

  it("reports a term related to itself", () => {
    expect(messages(validateGlossary(pair({ related: ["egress"] })))).toEqual([
      "egress/related: a term cannot be related to itself.",
    ]);
  });

  it("reports a body link to a term that does not exist", () => {
    const problems = validateGlossary(pair({ body: "See [ingress](#ingress) and [nothing](#nope)." }));
    expect(problems).toEqual([
      {
        termId: "egress",
        field: "body",
        value: "(#nope)",
        message: 'the link to "#nope" points at no term.',
      },
    ]);
  });

  it("reports an alias that is nothing but punctuation", () => {
    expect(messages(validateGlossary(pair({ aliases: ["?!"] })))).toEqual([
      "egress/aliases: an alias is empty.",
    ]);
  });

  it("reads the term links of a body", () => {
    expect(bodyLinks("[a](#one) [b](https://x.example) [c](#two-three)")).toEqual(["one", "two-three"]);
  });
});

describe("checkContent", () => {
  it("accepts good content", () => {
    expect(checkContent(pair())).toEqual([]);
  });

  it("reports every term's problems beside the structural ones, so fixing one does not uncover the next", () => {
    expect(messages(checkContent(pair({ related: ["nope"] })))).toEqual([
      'egress/related: related term "nope" does not exist.',
    ]);
    const long = "A summary that goes on well past what a chat line holds ".repeat(5).trim();
    expect(
      messages(checkContent(pair({ related: ["nope"] }, { aliases: ["Egress"], summary: long }))),
    ).toEqual([
      expect.stringMatching(/^ingress\/aliases: "Egress" also names "egress"/),
      'egress/related: related term "nope" does not exist.',
      `ingress/summary: the summary is ${long.length} characters; keep it under ${MAX_SUMMARY_CHARS}.`,
    ]);
  });

  it("reports a name that the lookup answers with something else", () => {
    // "Sidecar" is also the id of the sidecar proxy read as words, so looking it up is ambiguous.
    const terms = [
      makeTerm("sidecar", { term: "Sidecar proxy", related: ["sidecar-container"] }),
      makeTerm("sidecar-container", { term: "Sidecar", related: ["sidecar"] }),
    ];
    expect(validateGlossary(terms)).toEqual([]);
    expect(checkContent(terms)).toEqual([
      {
        termId: "sidecar-container",
        field: "term",
        value: "Sidecar",
        message: 'looking up "Sidecar" finds no term instead of "sidecar-container".',
      },
    ]);
  });

  it("reports a term related to nothing", () => {
    expect(messages(checkContent(pair({ related: [] }, { related: [] })))).toEqual([
      "egress/related: the term is related to no other term; add one.",
      "ingress/related: the term is related to no other term; add one.",
    ]);
  });

  it("reports a summary of more than one sentence", () => {
    expect(messages(checkContent(pair({ summary: "Traffic that leaves. It goes out." })))).toEqual([
      "egress/summary: the summary has more than one sentence.",
    ]);
  });

  it("does not count e.g. and i.e. as sentence ends", () => {
    expect(checkContent(pair({ summary: "Traffic that leaves, e.g. Calls to a SaaS API." }))).toEqual([]);
  });

  it("reports a summary too long for a chat line", () => {
    const summary = `Traffic ${"that leaves the cluster ".repeat(10)}for good.`;
    expect(summary.length).toBeGreaterThan(MAX_SUMMARY_CHARS);
    expect(messages(checkContent(pair({ summary })))).toEqual([
      `egress/summary: the summary is ${summary.length} characters; keep it under ${MAX_SUMMARY_CHARS}.`,
    ]);
  });

  it("finds no problem in the real content", () => {
    const { content } = loadGlossary(CONTENT_DIR);
    expect(content.terms.length).toBe(90);
    expect(checkContent(content.terms)).toEqual([]);
  });
});
