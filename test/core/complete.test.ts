// Completion ranks terms while someone types: exact, prefix, alias, a word inside a name, then typos.
import { describe, expect, it } from "vitest";
import { completeTerm } from "../../src/core/complete.js";
import { glossaryOf, realGlossary } from "../helpers.js";

const glossary = realGlossary();
const ids = (input: string, limit = 25) => completeTerm(glossary, input, limit).map((c) => c.term.id);

describe("completeTerm", () => {
  it("puts the exact name first, then names that start with the input", () => {
    expect(ids("mtls")[0]).toBe("mtls");
    expect(ids("ingr")[0]).toBe("ingress");
  });

  it("says which alias matched", () => {
    const [first] = completeTerm(glossary, "circuit breaker", 5);
    expect(first?.term.id).toBe("circuit-breaking");
    expect(first?.via).toBe("circuit breaker");
  });

  it("falls back on typo-tolerant lookup", () => {
    expect(ids("latncy")[0]).toBe("latency");
  });

  it("stops at the limit and leaves out what the caller cannot offer", () => {
    const many = glossaryOf(
      Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`mesh-thing-${i}`, {}])),
    );
    expect(completeTerm(many, "mesh", 25)).toHaveLength(25);
    const odd = completeTerm(many, "", 40, (t) => t.id.endsWith("1"));
    expect(odd.map((c) => c.term.id).every((id) => id.endsWith("1"))).toBe(true);
  });
});
