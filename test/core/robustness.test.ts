// Whatever people paste into chat, the engine answers: no throw, bounded output, bounded time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/command.js";
import { detectJargon } from "../../src/core/detect.js";
import { LOOKUP_DEFAULTS, lookupTerm } from "../../src/core/lookup.js";
import { MAX_QUERY_CHARS } from "../../src/core/normalize.js";
import { SEARCH_DEFAULTS, searchGlossary } from "../../src/core/search.js";
import { bestTime, realGlossary } from "../helpers.js";

const glossary = realGlossary();
const names = glossary.terms.flatMap((t) => [t.term, ...t.aliases]);

/** Pieces of real chat: markup, mentions, code, quotes, emoji and jargon. */
const chatPiece = fc.oneof(
  fc.constantFrom(
    "<!channel>",
    "<!here>",
    "@everyone",
    "@here",
    "<@U123ABC>",
    "<#C1|egress>",
    "<https://linkerd.io|docs>",
    "<@123456789012345678>",
    "<:egress:123>",
    "&gt; ",
    "> ",
    "`",
    "```",
    "```yaml\n",
    "**",
    "_",
    "[link](#egress)",
    "https://linkerd.io/2/features/egress/",
    "\n",
    "\r\n",
    "\t",
    " ",
    "-",
    "🚀",
    "👩‍👩‍👧",
    "\u200b",
    "\u0000",
    "\ud800",
    "é",
    "é",
    "Ｅｇｒｅｓｓ",
    "what is ",
    "what's ",
    "/mesh ",
    "define ",
    "autoexplain ",
  ),
  fc.constantFrom(...names),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);

const chatMessage = fc.array(chatPiece, { maxLength: 40 }).map((parts) => parts.join(""));

/** Any UTF-16 code unit, lone surrogates and control characters included. */
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

const inputs = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "binary-ascii" }),
  anyUnits,
  chatMessage,
);

function checkLookup(text: string): void {
  const r = lookupTerm(glossary, text);
  expect(r.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
  if (r.found) {
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(glossary.get(r.term.id)).toBe(r.term);
  } else {
    expect(r.suggestions.length).toBeLessThanOrEqual(LOOKUP_DEFAULTS.maxSuggestions);
    expect(new Set(r.suggestions).size).toBe(r.suggestions.length);
    if (r.reason === "empty") expect(r.suggestions).toEqual([]);
  }
}

function checkDetect(text: string): void {
  const found = detectJargon(glossary, text);
  const ids = found.map((d) => d.term.id);
  expect(new Set(ids).size).toBe(ids.length);
  let last = -1;
  for (const d of found) {
    expect(d.start).toBeGreaterThan(last);
    expect(d.end).toBeGreaterThan(d.start);
    expect(d.end).toBeLessThanOrEqual(text.length);
    expect(text.slice(d.start, d.end)).toBe(d.text);
    last = d.start;
  }
}

function checkCommand(text: string): void {
  const c = parseCommand(text);
  expect(["define", "search", "list", "related", "autoexplain", "silence", "help"]).toContain(c.kind);
  if (c.kind === "define" || c.kind === "search" || c.kind === "related" || c.kind === "silence") {
    expect(c.query.trim()).not.toBe("");
  }
}

function checkSearch(text: string): void {
  expect(searchGlossary(glossary, text).length).toBeLessThanOrEqual(SEARCH_DEFAULTS.maxResults);
}

describe("random input", () => {
  it("never makes the lookup throw or suggest too much", () => {
    fc.assert(
      fc.property(inputs, (text) => checkLookup(text)),
      { numRuns: 300 },
    );
  });

  it("never makes detection throw, repeat a term or give offsets outside the words", () => {
    fc.assert(
      fc.property(inputs, (text) => checkDetect(text)),
      { numRuns: 400 },
    );
  });

  it("never makes the command parser throw, and always yields a known command", () => {
    fc.assert(
      fc.property(inputs, (text) => checkCommand(text)),
      { numRuns: 400 },
    );
  });

  it("never makes search throw or return too much", () => {
    fc.assert(
      fc.property(inputs, (text) => checkSearch(text)),
      { numRuns: 100 },
    );
  });

  it("finds a known name as its own term wherever it is dropped into chat noise", () => {
    const named = glossary.terms.flatMap((t) => [t.term, ...t.aliases].map((name) => ({ id: t.id, name })));
    const gap = fc.constantFrom(" ", "\n", ", ", " (", ") ", "! ", " 🚀 ", " <@U1> ", "\u00a0", " — ");
    fc.assert(
      fc.property(fc.constantFrom(...named), gap, gap, ({ id, name }, before, after) => {
        const text = `hello${before}${name}${after}bye`;
        checkDetect(text);
        expect(detectJargon(glossary, text).map((d) => d.term.id)).toContain(id);
      }),
      { numRuns: 300 },
    );
  });
});

describe("big and hostile input", () => {
  const big = {
    "jargon prose": "our egress gateway adds latency to the sidecar proxy and mtls handshake ".repeat(1500),
    "code between terms": "`x` egress ".repeat(10_000),
    "mentions between terms": "<@U1> mtls ".repeat(10_000),
    "quoted lines": "> egress\n".repeat(12_000),
    "escaped quoted lines": "&gt; mtls\n".repeat(10_000),
    "a separator run": `control ${" ".repeat(100_000)} plane`,
    emoji: "🚀".repeat(50_000),
    "an unclosed fence": `\`\`\`${"x\n".repeat(50_000)}`,
    "double backticks": "``x ".repeat(25_000),
    "angle brackets": "<".repeat(100_000),
    "one long URL": `https://${"a".repeat(100_000)}`,
    "everyone pings": "@everyone <!channel> ".repeat(5_000),
    "control characters": "\u0000\u0001\u001b[31m".repeat(15_000),
  };

  it.each(Object.entries(big).map(([name, text]) => [name, text.slice(0, 100_000)]))(
    "detects in %s (100 KB) well under 100 ms",
    (_, text) => {
      detectJargon(glossary, "warm up");
      checkDetect(text);
      // Linear work takes a few ms here; the quadratic skip check this guards against took over 100 ms.
      expect(bestTime(() => detectJargon(glossary, text))).toBeLessThan(60);
    },
  );

  it.each(Object.entries(big).map(([name, text]) => [name, text.slice(0, 100_000)]))(
    "looks up, parses and searches %s (100 KB) quickly",
    (_, text) => {
      checkLookup(text);
      checkCommand(text);
      checkSearch(text);
      expect(bestTime(() => lookupTerm(glossary, text))).toBeLessThan(100);
      expect(bestTime(() => parseCommand(text))).toBeLessThan(20);
      expect(bestTime(() => searchGlossary(glossary, text))).toBeLessThan(200);
    },
  );

  it("handles a 100 KB random string in bounded time", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 100_000, maxLength: 100_000 }), (text) => {
        checkDetect(text);
        checkLookup(text);
        expect(bestTime(() => detectJargon(glossary, text))).toBeLessThan(100);
      }),
      { numRuns: 3 },
    );
  });
});
