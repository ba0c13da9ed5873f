import { describe, expect, it } from "vitest";
import { defineIn, layerGlossary } from "../../src/core/layers.js";
import { RecentAnswers, remember } from "../../src/core/memo.js";
import { teamTerm } from "../../src/core/team.js";
import { realGlossary } from "../helpers.js";

describe("RecentAnswers", () => {
  it("answers a question asked again from memory, and keeps at most the last ones asked", () => {
    const recent = new RecentAnswers<string>(2);
    let worked = 0;
    const answer = (q: string) => () => {
      worked += 1;
      return q.toUpperCase();
    };
    expect(recent.get("a", answer("a"))).toBe("A");
    expect(recent.get("a", answer("a"))).toBe("A");
    expect(worked).toBe(1);
    recent.get("b", answer("b"));
    // "a" was asked again after "b": "b" is the one asked longest ago when "c" comes.
    recent.get("a", answer("a"));
    recent.get("c", answer("c"));
    expect(recent.size).toBe(2);
    worked = 0;
    recent.get("a", answer("a"));
    expect(worked).toBe(0);
    recent.get("b", answer("b"));
    expect(worked).toBe(1);
  });
});

describe("remember", () => {
  it("works a value out once for as long as its key lives", () => {
    const cache = new WeakMap<object, number>();
    const key = {};
    let made = 0;
    const make = () => ++made;
    expect(remember(cache, key, make)).toBe(1);
    expect(remember(cache, key, make)).toBe(1);
    expect(remember(cache, {}, make)).toBe(2);
  });
});

describe("defineIn", () => {
  const glossary = realGlossary();

  it("keeps one answer for every workspace without terms of its own, not one a workspace", () => {
    const one = defineIn(layerGlossary(glossary, []), "mtls");
    const another = defineIn(layerGlossary(glossary, []), "mtls");
    expect(another).toBe(one);
  });

  it("gives the same answer to the same question, and a new one once the team's terms change", () => {
    const bundledOnly = layerGlossary(glossary, []);
    const first = defineIn(bundledOnly, "egress");
    expect(defineIn(bundledOnly, "egress")).toEqual(first);
    expect(first.kind === "definition" && first.term.id).toBe("egress");
    const withTeam = layerGlossary(glossary, [
      teamTerm({
        id: "egress",
        fields: {
          term: "Egress",
          summary: "Our egress gateway pool",
          body: "",
          aliases: [],
          related: [],
          sources: [],
        },
        relatedIds: [],
        addedBy: "U1",
        addedAt: 1,
        changedBy: "U1",
        changedAt: 1,
        revision: 1,
      }),
    ]);
    const after = defineIn(withTeam, "egress");
    expect(after.kind === "definition" && after.term.summary).toBe("Our egress gateway pool");
    expect(after.kind === "definition" && after.otherMeaning?.id).toBe("egress");
  });
});
