import { describe, expect, it } from "vitest";
import { type DetectedTerm, detectJargon, surfaceForms } from "../../src/core/detect.js";
import { glossaryOf, realGlossary } from "../helpers.js";

const glossary = realGlossary();

/** Detected terms as "id:words", after checking the offsets point at exactly those words. */
function detect(text: string): string[] {
  const found = detectJargon(glossary, text);
  checkOffsets(text, found);
  return found.map((d) => `${d.term.id}:${d.text}`);
}

function checkOffsets(text: string, found: readonly DetectedTerm[]): void {
  const ids = found.map((d) => d.term.id);
  expect(new Set(ids).size, "each term once").toBe(ids.length);
  let last = -1;
  for (const d of found) {
    expect(d.start).toBeGreaterThanOrEqual(0);
    expect(d.end).toBeGreaterThan(d.start);
    expect(d.end).toBeLessThanOrEqual(text.length);
    expect(text.slice(d.start, d.end)).toBe(d.text);
    expect(d.start, "in order of first appearance").toBeGreaterThan(last);
    last = d.start;
  }
}

describe("finding terms", () => {
  it("finds terms in any case", () => {
    expect(detect("EGRESS is blocked")).toEqual(["egress:EGRESS"]);
    expect(detect("Egress is blocked")).toEqual(["egress:Egress"]);
    expect(detect("we turned on MTLS")).toEqual(["mtls:MTLS"]);
  });

  it("finds aliases and acronyms", () => {
    expect(detect("we moved off the ESB to mutual TLS")).toEqual([
      "enterprise-service-bus-esb:ESB",
      "mtls:mutual TLS",
    ]);
    expect(detect("check the golden signals")).toEqual(["golden-metrics:golden signals"]);
  });

  it("finds plurals", () => {
    expect(detect("sidecars everywhere")).toEqual(["sidecar-proxy:sidecars"]);
    expect(detect("latencies are high")).toEqual(["latency:latencies"]);
    expect(detect("two ingresses and three clusters")).toEqual(["ingress:ingresses", "cluster:clusters"]);
    expect(detect("our SLOs and SLIs")).toEqual(["slo:SLOs", "sli:SLIs"]);
    expect(detect("Service Meshes compared")).toEqual(["service-mesh:Service Meshes"]);
    expect(detect("the init containers ran")).toEqual(["init-container:init containers"]);
  });

  it("finds joined forms of long names", () => {
    expect(detect("the controlplane is down")).toEqual(["control-plane:controlplane"]);
  });

  it("does not find a term inside another word", () => {
    expect(detect("regression tests")).toEqual([]);
    expect(detect("progress report")).toEqual([]);
    expect(detect("the egresses and egressing")).toEqual(["egress:egresses"]);
    expect(detect("meshes are cool")).toEqual([]);
  });

  it("does not find a term inside a channel name, handle, variable or domain", () => {
    expect(detect("see #egress-alerts")).toEqual([]);
    expect(detect("ping @linkerd")).toEqual([]);
    expect(detect("export $LATENCY")).toEqual([]);
    expect(detect("docs at linkerd.io")).toEqual([]);
  });

  it("finds a term at the end of a sentence or in brackets", () => {
    expect(detect("it is egress.")).toEqual(["egress:egress"]);
    expect(detect("(egress)")).toEqual(["egress:egress"]);
    expect(detect("egress/ingress")).toEqual(["egress:egress", "ingress:ingress"]);
    expect(detect("egress's cost")).toEqual(["egress:egress"]);
    expect(detect("EGRESS!!!")).toEqual(["egress:EGRESS"]);
  });
});

describe("what it skips", () => {
  it("skips inline code", () => {
    expect(detect("run `egress` then ingress")).toEqual(["ingress:ingress"]);
  });

  it("skips double-backtick inline code", () => {
    // Regression: ``egress`` was read as two empty code spans around a bare word.
    expect(detect("use ``egress`` with mtls")).toEqual(["mtls:mtls"]);
  });

  it("skips a fenced code block over several lines", () => {
    // Regression: with the m flag, $ ended the fence at its first line end, so code was scanned.
    expect(detect("```\negress: true\nmtls: on\n```\nand ingress")).toEqual(["ingress:ingress"]);
    expect(detect("```yaml\nkind: Egress\n```")).toEqual([]);
  });

  it("skips an unclosed code block to the end of the message", () => {
    expect(detect("ingress first\n```\negress\nmore egress")).toEqual(["ingress:ingress"]);
  });

  it("skips URLs", () => {
    expect(detect("see https://linkerd.io/2/features/egress/ docs")).toEqual([]);
    expect(detect("see www.example.com/egress and ftp://host/mtls")).toEqual([]);
  });

  it.each([
    ["<@U123> egress", ["egress:egress"]],
    ["<#C1|egress> mtls", ["mtls:mtls"]],
    ["<!channel> egress", ["egress:egress"]],
    ["<!here|here> latency", ["latency:latency"]],
    ["<https://x.example|egress> ingress", ["ingress:ingress"]],
    ["<mailto:egress@example.com|egress> ingress", ["ingress:ingress"]],
  ])("skips Slack markup in %j", (text, expected) => {
    expect(detect(text)).toEqual(expected);
  });

  it.each([
    ["<@123> mtls", ["mtls:mtls"]],
    ["<@!123> mtls", ["mtls:mtls"]],
    ["<#123> mtls", ["mtls:mtls"]],
    ["<@&456> mtls", ["mtls:mtls"]],
    ["<:egress:123> mtls", ["mtls:mtls"]],
    ["<a:egress:123> mtls", ["mtls:mtls"]],
    ["<@123> <#123> <:egress:123> mtls", ["mtls:mtls"]],
  ])("skips Discord mentions and emoji in %j", (text, expected) => {
    expect(detect(text)).toEqual(expected);
  });

  it("skips quoted lines and keeps the lines after them", () => {
    expect(detect("> egress")).toEqual([]);
    expect(detect("  > egress")).toEqual([]);
    expect(detect("> egress is slow\nwhat about ingress")).toEqual(["ingress:ingress"]);
  });

  it("skips quoted lines in Slack's escaped form", () => {
    // Regression: a message with "&gt;" and no other markup skipped nothing.
    expect(detect("&gt; egress")).toEqual([]);
    expect(detect("&gt; egress is slow\nwhat about mtls")).toEqual(["mtls:mtls"]);
  });

  it("still finds a term after a > that does not start a line", () => {
    expect(detect("latency > 2s on egress")).toEqual(["latency:latency", "egress:egress"]);
  });
});

describe("each term once, in order, with offsets", () => {
  it("reports each term once, at its first appearance", () => {
    const text = "egress, egress, ingress egress";
    const found = detectJargon(glossary, text);
    expect(found.map((d) => [d.term.id, d.start, d.end])).toEqual([
      ["egress", 0, 6],
      ["ingress", 16, 23],
    ]);
  });

  it("reports different spellings of one term once", () => {
    expect(detect("mTLS mtls MTLS mutual TLS")).toEqual(["mtls:mTLS"]);
  });

  it("orders terms by first appearance, not by glossary order", () => {
    expect(detect("zero trust needs mtls and a trust anchor")).toEqual([
      "zero-trust:zero trust",
      "mtls:mtls",
      "trust-anchor:trust anchor",
    ]);
  });
});

describe("longest match", () => {
  it("prefers sidecar proxy over sidecar", () => {
    expect(detect("the sidecar proxy and the sidecar")).toEqual(["sidecar-proxy:sidecar proxy"]);
  });

  it("prefers multi-cluster over cluster, and Kubernetes cluster over cluster", () => {
    expect(detect("a multi-cluster setup")).toEqual(["multi-cluster:multi-cluster"]);
    expect(detect("a Kubernetes cluster")).toEqual(["cluster:Kubernetes cluster"]);
  });

  it("prefers the Linkerd CNI plugin over Linkerd and CNI", () => {
    expect(detect("install the linkerd cni plugin")).toEqual(["linkerd-cni:linkerd cni plugin"]);
  });

  it("does not detect a shared alias nobody owns, but finds its owned part", () => {
    expect(detect("which CNI plugin?")).toEqual(["cni:CNI"]);
  });
});

describe("separators", () => {
  it.each([
    "control plane",
    "control-plane",
    "control  plane",
    "control\nplane",
    "control\r\nplane",
    "control \n plane",
    "control\tplane",
    "control – plane",
    "control\u00a0plane",
    "control_plane",
  ])("finds the control plane written %j", (written) => {
    const text = `is the ${written} up?`;
    expect(detect(text)).toEqual([`control-plane:${written}`]);
    expect(detectJargon(glossary, text)[0]?.start).toBe(7);
  });
});

describe("non-ASCII text and emoji", () => {
  it("finds terms next to accented words and non-Latin punctuation", () => {
    expect(detect("naïve egress")).toEqual(["egress:egress"]);
    expect(detect("¿Qué es egress?")).toEqual(["egress:egress"]);
    expect(detect("«egress»")).toEqual(["egress:egress"]);
    expect(detect("我们的 egress 网关")).toEqual(["egress:egress"]);
    expect(detect("egress—ingress")).toEqual(["egress:egress", "ingress:ingress"]);
  });

  it("does not find a term glued to an accented letter", () => {
    expect(detect("éegress")).toEqual([]);
    expect(detect("egressé")).toEqual([]);
  });

  it("gives UTF-16 offsets around emoji", () => {
    const found = detectJargon(glossary, "🚀egress🚀 and 🙂 mtls");
    expect(found.map((d) => [d.term.id, d.start, d.end])).toEqual([
      ["egress", 2, 8],
      ["mtls", 18, 22],
    ]);
  });
});

describe("chat messages", () => {
  it.each([
    ["our egress gateway adds latency", ["egress:egress", "latency:latency"]],
    [
      "anyone seen the p99 latency spike after we enabled mTLS on the payments namespace?",
      ["percentiles:p99", "latency:latency", "mtls:mTLS", "namespace:namespace"],
    ],
    [
      "is the linkerd control plane down? the sidecar proxies keep restarting",
      ["linkerd:linkerd", "control-plane:control plane", "sidecar-proxy:sidecar proxies"],
    ],
    [
      "ok so the canary release failed because of a circuit breaker",
      ["canary-release:canary release", "circuit-breaking:circuit breaker"],
    ],
    ["lunch at noon?", []],
    ["thanks, that fixed it!", []],
    ["can someone review my PR before standup", []],
    ["", []],
  ])("finds the jargon in %j", (text, expected) => {
    expect(detect(text)).toEqual(expected);
  });
});

describe("a hand-built glossary", () => {
  it("finds an acronym's plural but does not singularise it", () => {
    const g = glossaryOf({ slo: { term: "SLO" }, tls: { term: "mTLS" } });
    expect(detectJargon(g, "two SLOs").map((d) => d.text)).toEqual(["SLOs"]);
    expect(detectJargon(g, "mtl").map((d) => d.text)).toEqual([]);
  });

  it("lists the surface forms it looks for", () => {
    expect(surfaceForms("Sidecar proxy")).toEqual(
      expect.arrayContaining(["sidecar proxy", "sidecar proxies", "sidecarproxy"]),
    );
    expect(surfaceForms("SLO")).toEqual(["slo", "slos"]);
    expect(surfaceForms("   ")).toEqual([]);
  });

  it("does not detect a name two terms both own", () => {
    const g = glossaryOf({
      "api-gateway": { term: "API gateway", aliases: ["gateway"] },
      "ingress-gateway": { term: "Ingress gateway", aliases: ["gateway"] },
    });
    expect(detectJargon(g, "the gateway is down")).toEqual([]);
  });

  it("detects a shared name for the one term that owns it", () => {
    const g = glossaryOf({
      "api-gateway": { term: "API gateway", aliases: ["gateway"] },
      "ingress-gateway": { term: "Ingress gateway", sharedAliases: ["gateway"] },
    });
    expect(detectJargon(g, "the gateway is down").map((d) => d.term.id)).toEqual(["api-gateway"]);
  });
});

describe("every name in the content", () => {
  it.each(glossary.terms.map((t) => [t.id, t] as const))("finds %s by its name and each alias", (_, term) => {
    for (const name of [term.term, ...term.aliases]) {
      const text = `so, ${name}?`;
      expect(
        detectJargon(glossary, text).map((d) => `${d.term.id}@${d.start}`),
        name,
      ).toEqual([`${term.id}@4`]);
    }
  });
});
