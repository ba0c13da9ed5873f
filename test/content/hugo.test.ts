import { readFileSync } from "node:fs";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import {
  headingAnchor,
  importGlossaryPage,
  looksLikeGlossaryPage,
  repairMarkdown,
} from "../../src/content/hugo.js";
import { loadGlossary } from "../../src/content/load.js";
import { detectJargon } from "../../src/core/detect.js";
import { lookupTerm } from "../../src/core/lookup.js";
import type { Term } from "../../src/core/types.js";
import { validateGlossary } from "../../src/core/validate.js";
import { FIXTURE_IDS, FIXTURE_PAGE } from "../helpers.js";

const source = readFileSync(FIXTURE_PAGE, "utf8");
const page = importGlossaryPage(source, FIXTURE_PAGE);
const byId = new Map(page.terms.map((t) => [t.id, t]));

function term(id: string): Term {
  const t = byId.get(id);
  if (t === undefined) throw new Error(`no term ${id} in the import`);
  return t;
}

/** Every "](" in markdown whose link text has no opening "[" (the nearest bracket before it is a "]"). */
function unopenedLinks(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(/g)) {
    const before = markdown.slice(0, m.index);
    if (before.lastIndexOf("[") <= before.lastIndexOf("]"))
      out.push(markdown.slice(Math.max(0, m.index - 20), m.index + 2));
  }
  return out;
}

describe("importing the seed glossary page", () => {
  it("finds all 21 terms with the headings' anchors as ids, without problems", () => {
    expect(page.problems).toEqual([]);
    expect(page.terms.map((t) => t.id)).toEqual([...FIXTURE_IDS]);
  });

  it("takes the display names from the headings", () => {
    expect(term("api-gateway").term).toBe("API Gateway");
    expect(term("mtls").term).toBe("mTLS");
    expect(term("enterprise-service-bus-esb").term).toBe("Enterprise Service Bus");
  });

  it("keeps the acronym in brackets as an alias", () => {
    expect(term("enterprise-service-bus-esb").aliases).toEqual(["ESB"]);
  });

  it("gives every term a one-line summary taken from its FAQ answer", () => {
    for (const t of page.terms) {
      expect(t.summary, t.id).not.toBe("");
      expect(t.summary, t.id).not.toMatch(/\n/);
    }
    expect(term("control-plane").summary).toBe(
      "The control plane of a service mesh provides the command and control signals required for the data " +
        "plane to operate. The control plane controls the data plane and provides the UI and API that operators " +
        "use to configure, monitor, and operate the mesh.",
    );
    // The FAQ answer, not the section: the section's ESB text mentions SOA, the answer does not.
    expect(term("enterprise-service-bus-esb").summary).toContain("service-oriented architecture, handling");
    expect(term("api-gateway").summary).toContain("operational logic between components of the app.");
  });

  it("keeps the section text as the body", () => {
    expect(term("cluster").body).toMatch(/^In the cloud native context, a cluster is a group of machines/);
    expect(term("cluster").body).toContain("uniform, fungible, and\ninterconnected.");
  });

  it("relates terms through the page's in-page links", () => {
    expect(term("data-plane").related).toContain("sidecar-proxy");
    expect(term("sidecar-proxy").related).toEqual(expect.arrayContaining(["control-plane", "data-plane"]));
    expect(term("service-mesh").related).toEqual([
      "observability",
      "reliability",
      "sidecar-proxy",
      "data-plane",
      "control-plane",
    ]);
    expect(term("golden-metrics").related).toEqual(["latency"]);
    for (const t of page.terms) {
      expect(t.related, t.id).not.toContain(t.id);
      for (const id of t.related) expect(byId.has(id), `${t.id} → ${id}`).toBe(true);
    }
  });

  it("repairs the FAQ link missing its [ so no markdown leaks into the sidecar proxy summary", () => {
    const faq = (matter(source).data.params as { faqSchema: { question: string; answer: string }[] })
      .faqSchema;
    const raw = faq.find((e) => e.question === "What is a sidecar proxy?")?.answer ?? "";
    expect(unopenedLinks(raw)).toEqual(["ng any control\nplane]("]);
    expect(unopenedLinks(repairMarkdown(raw, new Map([["control-plane", "Control Plane"]])))).toEqual([]);
    const summary = term("sidecar-proxy").summary;
    expect(summary).toContain("implementing any control plane’s logic or rules.");
    for (const t of page.terms) {
      expect(t.summary, t.id).not.toMatch(/\]\(|\[/);
      expect(unopenedLinks(t.body), t.id).toEqual([]);
    }
  });

  it("puts a space into the link glued to the word before it", () => {
    // Regression: the link text wraps onto the next line, which the repair did not allow for.
    const body = term("reliability").body;
    expect(body).toContain(
      "applying [techniques\nlike retries and timeouts](https://linkerd.io/2/features/retries-and-timeouts/)",
    );
    expect(body).not.toContain("applying[");
  });

  it("takes the page's absolute links as sources", () => {
    expect(term("reliability").sources).toEqual([
      "https://linkerd.io/2/features/retries-and-timeouts/",
      "https://linkerd.io/2/features/load-balancing/",
      "https://linkerd.io/2/features/traffic-split/",
    ]);
    expect(term("mtls").sources).toEqual(["https://linkerd.io/2/features/automatic-mtls/"]);
    expect(term("sidecar-proxy").sources).toEqual([]);
    for (const t of page.terms) for (const s of t.sources) expect(s).toMatch(/^https?:\/\//);
  });

  it("makes root-relative links absolute with a base URL", () => {
    for (const base of ["https://linkerd.io", "https://linkerd.io/"]) {
      const t = importGlossaryPage(source, FIXTURE_PAGE, { baseUrl: base }).terms.find(
        (x) => x.id === "sidecar-proxy",
      );
      expect(t?.sources).toEqual(["https://linkerd.io/2020/12/03/why-linkerd-doesnt-use-envoy/"]);
      expect(t?.body).toContain("(https://linkerd.io/2020/12/03/why-linkerd-doesnt-use-envoy/)");
    }
  });

  it("produces a glossary that passes the structural checks", () => {
    expect(validateGlossary(page.terms)).toEqual([]);
  });

  it("remembers the line of each section", () => {
    const lines = source.split("\n");
    const origin = page.origins.get("mtls");
    expect(origin?.file).toBe(FIXTURE_PAGE);
    expect(lines[(origin?.line ?? 0) - 1]).toBe("## mTLS");
  });
});

describe("serving the page as it is", () => {
  const { glossary, content } = loadGlossary(FIXTURE_PAGE);

  it("loads the page as a glossary of 21 valid terms", () => {
    expect(glossary.terms).toHaveLength(21);
    expect(content.source).toBe(FIXTURE_PAGE);
    expect(validateGlossary(glossary.terms)).toEqual([]);
  });

  it("answers lookups and finds jargon from the page's terms", () => {
    const esb = lookupTerm(glossary, "what does ESB mean");
    expect(esb.found && esb.term.id).toBe("enterprise-service-bus-esb");
    const typo = lookupTerm(glossary, "egres");
    expect(typo.found && typo.term.id).toBe("egress");
    expect(
      detectJargon(glossary, "the sidecar proxy talks to the control plane").map((d) => d.term.id),
    ).toEqual(["sidecar-proxy", "control-plane"]);
  });

  it("tells a glossary page from a term file", () => {
    expect(looksLikeGlossaryPage(source)).toBe(true);
    expect(looksLikeGlossaryPage("---\nid: egress\nterm: Egress\n---\n## Not a page\n")).toBe(false);
    expect(looksLikeGlossaryPage("---\nid: egress\n---\nno sections\n")).toBe(false);
  });
});

describe("pages with problems", () => {
  it("points at a heading that repeats another's anchor", () => {
    const text = "---\ntitle: G\n---\n\n## Egress\n\nOut.\n\n## egress\n\nOut again.\n";
    const result = importGlossaryPage(text, "g.md");
    expect(result.terms.map((t) => t.id)).toEqual(["egress"]);
    expect(result.problems).toEqual([
      { file: "g.md", line: 9, message: 'the heading "egress" repeats another term\'s anchor.' },
    ]);
  });

  it("points at the line of bad front matter and still imports the sections", () => {
    const text = "---\ntitle: G\ndescription: a: b\n---\n\n## Egress\n\nTraffic out.\n";
    const result = importGlossaryPage(text, "g.md");
    expect(result.problems).toEqual([
      {
        file: "g.md",
        line: 3,
        message: "the page's front matter is not valid YAML; its FAQ answers are ignored.",
      },
    ]);
    expect(result.terms.map((t) => [t.id, t.summary])).toEqual([["egress", "Traffic out."]]);
  });

  it("says a page without sections has no terms", () => {
    expect(importGlossaryPage("---\ntitle: G\n---\nJust prose.\n", "g.md").problems).toEqual([
      { file: "g.md", line: 1, message: "the page has no ## sections, so there are no terms to import." },
    ]);
  });

  it("uses the first paragraph as the summary of a section without a FAQ answer", () => {
    const text = "## Tap\n\nTap streams live\nrequests.\n\nMore text.\n";
    expect(importGlossaryPage(text, "g.md").terms[0]?.summary).toBe("Tap streams live requests.");
  });
});

describe("anchors and repairs", () => {
  it.each([
    ["API Gateway", "api-gateway"],
    ["Enterprise Service Bus (ESB)", "enterprise-service-bus-esb"],
    ["mTLS", "mtls"],
    ["Multi-cluster", "multi-cluster"],
    ["Load balancing", "load-balancing"],
    ["Server {#server-resource}", "server-resource"],
  ])("gives the heading %j the anchor %s", (heading, anchor) => {
    expect(headingAnchor(heading)).toBe(anchor);
  });

  it("adds the missing [ before the linked term's name, across a line break", () => {
    const names = new Map([["control-plane", "Control Plane"]]);
    expect(repairMarkdown("implementing any control\nplane](#control-plane)’s logic", names)).toBe(
      "implementing any [control\nplane](#control-plane)’s logic",
    );
  });

  it("adds the missing [ before the last word when the text is not the term's name", () => {
    expect(repairMarkdown("see the docs](https://x.example) now", new Map())).toBe(
      "see the [docs](https://x.example) now",
    );
  });

  it("leaves good links alone", () => {
    const text = "the [data plane](#data-plane) and [docs](https://x.example).";
    expect(repairMarkdown(text, new Map([["data-plane", "Data Plane"]]))).toBe(text);
  });
});
