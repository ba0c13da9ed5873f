import { readFileSync } from "node:fs";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import { headingAnchor } from "../../src/content/hugo.js";
import { loadGlossary } from "../../src/content/load.js";
import type { Glossary } from "../../src/core/glossary.js";
import { LOOKUP_DEFAULTS, type LookupResult, lookupTerm } from "../../src/core/lookup.js";
import { MAX_QUERY_CHARS } from "../../src/core/normalize.js";
import { bestTime, FIXTURE_PAGE, glossaryOf, realGlossary } from "../helpers.js";

const glossary = realGlossary();
const C = LOOKUP_DEFAULTS.confidence;

/** The id a query resolves to, or a readable description of the miss (so failures say what happened). */
function answer(query: string, g: Glossary = glossary): string {
  const r = lookupTerm(g, query);
  return r.found ? r.term.id : `no term (${r.reason}: ${r.suggestions.map((t) => t.id).join(", ")})`;
}

function suggestionIds(r: LookupResult): string[] {
  return r.found ? [] : r.suggestions.map((t) => t.id);
}

describe("case, hyphens, spaces and joined forms", () => {
  it.each([
    ["egress", "egress"],
    ["EGRESS", "egress"],
    ["Egress", "egress"],
    ["control plane", "control-plane"],
    ["Control-Plane", "control-plane"],
    ["CONTROL PLANE", "control-plane"],
    ["CoNtRoL pLaNe", "control-plane"],
    ["control_plane", "control-plane"],
    ["controlplane", "control-plane"],
    ["sidecarproxy", "sidecar-proxy"],
    ["loadbalancing", "load-balancing"],
    ["multicluster", "multi-cluster"],
    ["HTTP/2", "http2"],
  ])("answers %s with %s", (query, id) => {
    expect(answer(query)).toBe(id);
  });

  it("answers the exact display name with full confidence", () => {
    const r = lookupTerm(glossary, "Control plane");
    expect(r).toMatchObject({ found: true, match: "name", confidence: 1 });
  });

  it("answers a name whose spelling is not its singular form (mTLS, Golden metrics) with full confidence", () => {
    // Regression: "mTLS" canonicalises to "mtl", and exact names used to come back as 0.9 inflections.
    for (const [query, id] of [
      ["mTLS", "mtls"],
      ["mtls", "mtls"],
      ["Golden metrics", "golden-metrics"],
      ["Retries", "retries"],
      ["Percentiles", "percentiles"],
    ] as const) {
      const r = lookupTerm(glossary, query);
      expect(r, query).toMatchObject({ found: true, match: "name", confidence: 1 });
      expect(r.found && r.term.id, query).toBe(id);
    }
  });

  it("answers a joined form with less confidence than the name", () => {
    const r = lookupTerm(glossary, "controlplane");
    expect(r).toMatchObject({ found: true, match: "joined", confidence: C.joined });
    expect(C.joined).toBeLessThan(C.name);
  });
});

describe("plurals and inflections", () => {
  it.each([
    ["sidecars", "sidecar-proxy"],
    ["sidecar proxies", "sidecar-proxy"],
    ["latencies", "latency"],
    ["load balancer", "load-balancing"],
    ["load balancers", "load-balancing"],
    ["control planes", "control-plane"],
    ["service meshes", "service-mesh"],
    ["pods", "pod"],
    ["spans", "span"],
    ["ESBs", "enterprise-service-bus-esb"],
    ["init containers", "init-container"],
    ["retry", "retries"],
  ])("answers %s with %s", (query, id) => {
    expect(answer(query)).toBe(id);
  });

  it("answers an inflection with inflection confidence", () => {
    expect(lookupTerm(glossary, "latencies")).toMatchObject({
      found: true,
      match: "inflection",
      confidence: C.inflection,
    });
  });
});

describe("acronyms and aliases", () => {
  it.each([
    ["ESB", "enterprise-service-bus-esb"],
    ["esb", "enterprise-service-bus-esb"],
    ["Enterprise Service Bus", "enterprise-service-bus-esb"],
    ["mutual TLS", "mtls"],
    ["Mutual TLS", "mtls"],
    ["golden signals", "golden-metrics"],
    ["o11y", "observability"],
    ["sidecar", "sidecar-proxy"],
    ["circuit breaker", "circuit-breaking"],
    ["Container Network Interface", "cni"],
    ["p99", "percentiles"],
  ])("answers %s with %s", (query, id) => {
    expect(answer(query)).toBe(id);
  });

  it("answers an alias with alias confidence, below the name's", () => {
    expect(lookupTerm(glossary, "golden signals")).toMatchObject({
      found: true,
      match: "alias",
      confidence: C.alias,
    });
    expect(C.alias).toBeLessThan(C.name);
  });

  it.each([
    ["Mutual TLS (mTLS)", "mtls"],
    ["what is mutual tls (mtls)?", "mtls"],
    ["Egress (egress traffic)", "egress"],
    ["Container Network Interface (CNI)", "cni"],
  ])("answers a title written with its other name in parentheses, %s, with %s", (query, id) => {
    expect(answer(query)).toBe(id);
  });

  it("answers no title whose two names are two terms", () => {
    expect(lookupTerm(glossary, "Egress (ingress)").found).toBe(false);
  });
});

describe("question forms", () => {
  it.each([
    ["what is an ingress?", "ingress"],
    ["What is egress?", "egress"],
    ["what does ESB mean", "enterprise-service-bus-esb"],
    ["what does ESB stand for?", "enterprise-service-bus-esb"],
    ["explain the control plane", "control-plane"],
    ["can you explain the control plane please", "control-plane"],
    ["tell me about sidecars", "sidecar-proxy"],
    ["what are sidecars", "sidecar-proxy"],
    ["how does mtls work", "mtls"],
    ["eli5 mtls", "mtls"],
    ["define: egress", "egress"],
    ["what is a sidecar proxy in a service mesh", "sidecar-proxy"],
    ["what is an egress in kubernetes", "egress"],
    ["what is the linkerd control plane", "control-plane"],
  ])("answers %s with %s", (query, id) => {
    expect(answer(query)).toBe(id);
  });

  it.each([
    ["what's a sidecar?", "sidecar-proxy"],
    ["what's an ingress?", "ingress"],
    ["What’s mTLS?", "mtls"],
    ["what's the control plane", "control-plane"],
    ["who's linkerd", "linkerd"],
    ["I don't know what mTLS is", "mtls"],
    ["linkerd's control plane", "control-plane"],
  ])("answers the apostrophe question %s with %s, not a typo guess", (query, id) => {
    // Regression: normalisation turns apostrophes into spaces, so "what's" frames never matched and
    // "what's a sidecar?" found nothing.
    const r = lookupTerm(glossary, query);
    expect(answer(query)).toBe(id);
    expect(r.found && r.match).not.toBe("typo");
  });

  const page = matter(readFileSync(FIXTURE_PAGE, "utf8"));
  const faq = (page.data.params as { faqSchema: { question: string }[] }).faqSchema;
  const anchors = [...page.content.matchAll(/^## (.+)$/gm)].map((m) => headingAnchor(m[1] as string));

  it("reads one FAQ question per section of the seed page", () => {
    expect(faq).toHaveLength(21);
    expect(anchors).toHaveLength(21);
  });

  const pageGlossary = loadGlossary(FIXTURE_PAGE).glossary;
  it.each(faq.map((entry, i) => [entry.question, anchors[i] as string]))(
    "answers the seed page's FAQ question %s with %s, in our content and on the page itself",
    (question, id) => {
      const ours = lookupTerm(glossary, question);
      expect(ours.found && ours.term.id).toBe(id);
      expect(ours.found && ours.confidence).toBeGreaterThanOrEqual(C.inflection);
      expect(answer(question, pageGlossary)).toBe(id);
    },
  );
});

describe("typos", () => {
  it.each([
    ["egres", "egress"],
    ["egrss", "egress"],
    ["ingres", "ingress"],
    ["mtsl", "mtls"],
    ["mlts", "mtls"],
    ["latnecy", "latency"],
    ["sidecra", "sidecar-proxy"],
    ["circuit braker", "circuit-breaking"],
    ["retry budgte", "retry-budget"],
    ["contorl plane", "control-plane"],
    ["observabilty", "observability"],
  ])("answers the one-edit typo %s with %s", (query, id) => {
    const r = lookupTerm(glossary, query);
    expect(answer(query)).toBe(id);
    expect(r).toMatchObject({ match: "typo", confidence: C.typo1 });
  });

  it.each([
    ["obsevabilty", "observability"],
    ["circut braker", "circuit-breaking"],
    ["retyr budgte", "retry-budget"],
    ["contrl plnae", "control-plane"],
    ["distribted tracng", "distributed-tracing"],
    ["sidcar proxxy", "sidecar-proxy"],
  ])("answers the two-edit typo %s with %s, less sure than a one-edit typo", (query, id) => {
    const r = lookupTerm(glossary, query);
    expect(answer(query)).toBe(id);
    expect(r).toMatchObject({ match: "typo", confidence: C.typo2 });
    expect(C.typo2).toBeLessThan(C.typo1);
  });
});

describe("never confidently wrong", () => {
  it("answers egress and ingress each exactly, though they are one letter apart", () => {
    expect(lookupTerm(glossary, "egress")).toMatchObject({ found: true, match: "name", confidence: 1 });
    expect(lookupTerm(glossary, "ingress")).toMatchObject({ found: true, match: "name", confidence: 1 });
    expect(answer("egress")).toBe("egress");
    expect(answer("ingress")).toBe("ingress");
  });

  it("asks between Ingress and Egress for igress", () => {
    const r = lookupTerm(glossary, "igress");
    expect(r).toMatchObject({ found: false, reason: "ambiguous" });
    expect(suggestionIds(r).sort()).toEqual(["egress", "ingress"]);
  });

  it.each([
    "pizza",
    "what is love",
    "lunch at noon?",
    "hello",
    "how are you",
    "banana bread",
    "coffee",
    "weather today",
    "the",
    "what is it",
  ])("knows no term for %s and suggests nothing", (query) => {
    const r = lookupTerm(glossary, query);
    expect(r).toMatchObject({ found: false, reason: "unknown", suggestions: [] });
  });

  it.each(["mesh", "meshes"])("suggests the mesh terms, and does not pick one, for %s", (query) => {
    const r = lookupTerm(glossary, query);
    expect(r.found).toBe(false);
    expect(suggestionIds(r)).toContain("service-mesh");
    // Regression: "meshes" was compared as "mesh" with two edits allowed, which reaches "esb".
    expect(suggestionIds(r)).not.toContain("enterprise-service-bus-esb");
  });

  it("asks between CNI and the Linkerd CNI plugin for the shared alias CNI plugin", () => {
    const r = lookupTerm(glossary, "CNI plugin");
    expect(r).toMatchObject({ found: false, reason: "ambiguous" });
    expect(suggestionIds(r).sort()).toEqual(["cni", "linkerd-cni"]);
  });

  it("answers the Linkerd CNI plugin when the question names Linkerd", () => {
    expect(answer("linkerd cni plugin")).toBe("linkerd-cni");
    expect(answer("linkerd-cni")).toBe("linkerd-cni");
  });

  it("never suggests more than the configured number of terms", () => {
    const r = lookupTerm(glossary, "proxies");
    expect(r.found).toBe(false);
    expect(suggestionIds(r).length).toBeGreaterThan(0);
    expect(suggestionIds(r).length).toBeLessThanOrEqual(LOOKUP_DEFAULTS.maxSuggestions);
  });
});

describe("empty and long queries", () => {
  it.each(["", "   ", "?!", "\n\t", "🙂"])("reports an empty query for %j", (query) => {
    expect(lookupTerm(glossary, query)).toEqual({
      found: false,
      reason: "empty",
      query: "",
      suggestions: [],
    });
  });

  it("answers a 10 KB query quickly and looks at a capped part of it", () => {
    const long = "what is the meaning of egress ".repeat(400).slice(0, 10_000);
    lookupTerm(glossary, "warm up"); // builds the index, which is not what this measures
    const r = lookupTerm(glossary, long);
    expect(bestTime(() => lookupTerm(glossary, long))).toBeLessThan(100);
    expect(r.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(suggestionIds(r).length).toBeLessThanOrEqual(LOOKUP_DEFAULTS.maxSuggestions);
  });

  it("answers a term followed by a 10 KB tail without hanging", () => {
    const query = `egress ${"x".repeat(10_000)}`;
    const r = lookupTerm(glossary, query);
    expect(bestTime(() => lookupTerm(glossary, query))).toBeLessThan(100);
    expect(r.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
  });
});

describe("every name in the content", () => {
  it.each(glossary.terms.map((t) => [t.id, t] as const))(
    "finds %s by its name, its id and each of its aliases",
    (_, term) => {
      const name = lookupTerm(glossary, term.term);
      expect(name).toMatchObject({ found: true, confidence: 1 });
      expect(name.found && name.term.id).toBe(term.id);
      expect(answer(term.id)).toBe(term.id);
      for (const alias of term.aliases) {
        const r = lookupTerm(glossary, alias);
        expect(r.found && r.term.id, alias).toBe(term.id);
        expect(r.found && r.confidence, alias).toBeGreaterThanOrEqual(C.alias);
      }
    },
  );
});

describe("a hand-built glossary", () => {
  it("answers a shared alias with the term that owns it, naming the other as see-also", () => {
    const g = glossaryOf({
      "api-gateway": { term: "API gateway", aliases: ["gateway"] },
      "ingress-gateway": { term: "Ingress gateway", sharedAliases: ["gateway"] },
    });
    const r = lookupTerm(g, "gateway");
    expect(r).toMatchObject({ found: true, match: "alias" });
    expect(r.found && r.term.id).toBe("api-gateway");
    expect(r.found && r.seeAlso.map((t) => t.id)).toEqual(["ingress-gateway"]);
  });

  it("asks which term is meant when a shared alias has no owner", () => {
    const g = glossaryOf({
      "api-gateway": { term: "API gateway", sharedAliases: ["gateway"] },
      "ingress-gateway": { term: "Ingress gateway", sharedAliases: ["gateway"] },
    });
    const r = lookupTerm(g, "gateways");
    expect(r).toMatchObject({ found: false, reason: "ambiguous" });
    expect(suggestionIds(r).sort()).toEqual(["api-gateway", "ingress-gateway"]);
  });

  it("takes no typo guess on a three-letter name, but suggests it", () => {
    const g = glossaryOf({ esb: { term: "ESB" }, "service-mesh": { term: "Service mesh" } });
    const r = lookupTerm(g, "esc");
    expect(r.found).toBe(false);
    expect(suggestionIds(r)).toEqual(["esb"]);
  });

  it("takes one edit but not two on a short name", () => {
    const g = glossaryOf({ egress: { term: "Egress" }, cluster: { term: "Cluster" } });
    expect(answer("egrss", g)).toBe("egress");
    const r = lookupTerm(g, "egrxsz");
    expect(r.found).toBe(false);
    expect(suggestionIds(r)).toEqual(["egress"]);
  });

  it("takes two edits on a long name", () => {
    const g = glossaryOf({ observability: { term: "Observability" }, reliability: { term: "Reliability" } });
    expect(lookupTerm(g, "obsrvabilty")).toMatchObject({ found: true, match: "typo", confidence: C.typo2 });
  });

  it("asks when a typo is as close to two names", () => {
    const g = glossaryOf({ egress: { term: "Egress" }, ingress: { term: "Ingress" } });
    const r = lookupTerm(g, "igress");
    expect(r).toMatchObject({ found: false, reason: "ambiguous" });
    expect(suggestionIds(r).sort()).toEqual(["egress", "ingress"]);
  });

  it("cuts suggestions to the configured maximum", () => {
    const terms: Record<string, { term: string }> = {};
    for (const w of ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa"]) {
      terms[`${w}-proxy`] = { term: `${w} proxy` };
    }
    const r = lookupTerm(glossaryOf(terms), "proxy");
    expect(r.found).toBe(false);
    expect(suggestionIds(r)).toHaveLength(LOOKUP_DEFAULTS.maxSuggestions);
  });

  it("strips a service-mesh qualifier in front of a term", () => {
    const g = glossaryOf({ "control-plane": { term: "Control plane" } });
    expect(answer("What is a service mesh control plane?", g)).toBe("control-plane");
    expect(answer("the Linkerd control plane", g)).toBe("control-plane");
  });

  it("answers an alias that is a different spelling of the id with the id's full confidence", () => {
    const g = glossaryOf({ "linkerd-cni": { term: "Linkerd CNI plugin", aliases: ["linkerd-cni"] } });
    expect(lookupTerm(g, "linkerd-cni")).toMatchObject({ found: true, confidence: 1 });
  });

  it("ranks exact name, alias, inflection and typo in that order of confidence", () => {
    const g = glossaryOf({ "retry-budget": { term: "Retry budget", aliases: ["budget for retries"] } });
    const conf = (q: string) => {
      const r = lookupTerm(g, q);
      return r.found ? r.confidence : 0;
    };
    const name = conf("Retry budget");
    const alias = conf("budget for retries");
    const inflection = conf("retry budgets");
    const typo = conf("retry budgte");
    expect(name).toBe(1);
    expect(alias).toBeLessThan(name);
    expect(inflection).toBeLessThan(alias);
    expect(typo).toBeGreaterThan(0);
    expect(typo).toBeLessThan(inflection);
  });
});
