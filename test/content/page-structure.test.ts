// Glossary pages as a markdown renderer reads them: what looks like a heading inside code or HTML is not one,
// and every section keeps all of its text.
import { describe, expect, it } from "vitest";
import { importGlossaryPage } from "../../src/content/hugo.js";
import type { Term } from "../../src/core/types.js";

function importPage(text: string): { terms: Term[]; byId: Map<string, Term> } {
  const result = importGlossaryPage(text, "glossary.md");
  expect(result.problems).toEqual([]);
  return { terms: result.terms, byId: new Map(result.terms.map((t) => [t.id, t])) };
}

const FENCED = `---
title: Glossary
---

## Sidecar proxy

A proxy deployed next to each application instance.

\`\`\`yaml
## Not a term: a YAML comment in an example
annotations:
  linkerd.io/inject: enabled
\`\`\`

The annotation above asks for one.

~~~sh
## also not a term
linkerd check
~~~

## Tap

Tap streams live requests.
`;

describe("sections read by a markdown parser", () => {
  it("ignores ## lines inside code fences, and keeps each section's whole text", () => {
    const { terms, byId } = importPage(FENCED);
    expect(terms.map((t) => t.id)).toEqual(["sidecar-proxy", "tap"]);
    const body = byId.get("sidecar-proxy")?.body ?? "";
    expect(body).toContain("## Not a term: a YAML comment in an example");
    expect(body).toContain("The annotation above asks for one.");
    expect(body).toContain("linkerd check\n~~~");
    expect(byId.get("sidecar-proxy")?.summary).toBe("A proxy deployed next to each application instance.");
    // A section of one short paragraph is all summary: More does not say it again.
    expect(byId.get("tap")).toMatchObject({ summary: "Tap streams live requests.", body: "" });
  });

  it("reads setext headings (underlined with ---) as sections", () => {
    const text =
      "Egress\n------\n\nTraffic leaving the cluster.\n\nIngress\n-------\n\nTraffic entering it.\n";
    const { byId } = importPage(text);
    expect([...byId.keys()]).toEqual(["egress", "ingress"]);
    expect(byId.get("egress")).toMatchObject({ summary: "Traffic leaving the cluster.", body: "" });
    expect(byId.get("ingress")?.summary).toBe("Traffic entering it.");
  });

  it("leaves ## lines inside HTML blocks in the section's text", () => {
    const text = [
      "## Mesh",
      "",
      "A layer that handles traffic between services.",
      "<details>",
      "## Not a heading, inside HTML",
      "</details>",
      "",
      "## Proxy",
      "",
      "A program that forwards traffic.",
      "",
    ].join("\n");
    const { terms, byId } = importPage(text);
    expect(terms.map((t) => t.term)).toEqual(["Mesh", "Proxy"]);
    expect(byId.get("mesh")?.body).toContain("## Not a heading, inside HTML\n</details>");
  });

  it("keeps nested lists whole, and takes the summary from the first paragraph", () => {
    const text = [
      "## Retries",
      "",
      "Sending a failed request again.",
      "",
      "- when:",
      "  - the request is idempotent",
      "  - the budget allows",
      "",
      "    ## indented four spaces: code, not a heading",
      "",
      "## Timeouts",
      "",
      "- Limits on how long a request may take.",
      "",
    ].join("\n");
    const { byId } = importPage(text);
    expect([...byId.keys()]).toEqual(["retries", "timeouts"]);
    expect(byId.get("retries")?.body).toContain("  - the request is idempotent\n  - the budget allows");
    expect(byId.get("retries")?.body).toContain("## indented four spaces");
    expect(byId.get("retries")?.summary).toBe("Sending a failed request again.");
    expect(byId.get("timeouts")?.summary).toBe("Limits on how long a request may take.");
  });

  it("names terms after headings that hold links or code by their words", () => {
    const text = [
      "## [Envoy](https://www.envoyproxy.io/)",
      "",
      "A proxy written in C++; see [the proxy](#linkerd2-proxy) for Linkerd's own.",
      "",
      "## `linkerd2-proxy`",
      "",
      "Linkerd's own proxy, written in Rust.",
      "",
      "## Mutual TLS (mTLS) {#mtls}",
      "",
      "TLS where both sides prove who they are.",
      "",
    ].join("\n");
    const { byId } = importPage(text);
    expect([...byId.keys()]).toEqual(["envoy", "linkerd2-proxy", "mtls"]);
    expect(byId.get("envoy")?.term).toBe("Envoy");
    expect(byId.get("envoy")?.sources).toEqual(["https://www.envoyproxy.io/"]);
    expect(byId.get("envoy")?.related).toEqual(["linkerd2-proxy"]);
    expect(byId.get("linkerd2-proxy")?.term).toBe("linkerd2-proxy");
    expect(byId.get("mtls")).toMatchObject({ term: "Mutual TLS", aliases: ["mTLS"] });
  });

  it("takes a link inside code for code, not for a related term", () => {
    const text = "## Tap\n\nRun `see [x](#egress)` to watch requests.\n\n## Egress\n\nTraffic out.\n";
    expect(importPage(text).byId.get("tap")?.related).toEqual([]);
  });

  it("cuts a long first paragraph to its first sentence for the summary", () => {
    const text =
      "## Latency\n\nHow long a request takes, e.g. from send to reply. It is usually reported as percentiles.\n";
    expect(importPage(text).byId.get("latency")?.summary).toBe(
      "How long a request takes, e.g. from send to reply.",
    );
  });

  it("drops Hugo shortcodes and keeps the text they wrap", () => {
    const text = [
      "## Proxy injector",
      "",
      '{{< note title="Heads up" >}}',
      "Adds the proxy to annotated pods.",
      "{{< /note >}}",
      "",
      "{{< youtube abc123 >}}",
      "",
    ].join("\n");
    const t = importPage(text).byId.get("proxy-injector");
    expect(t?.summary).toBe("Adds the proxy to annotated pods.");
    expect(t?.body).not.toContain("{{");
  });
});

describe("plain GLOSSARY.md files", () => {
  it("reads ## sections without front matter", () => {
    const text = "# Glossary\n\nTerms we use.\n\n## Canary release\n\nShipping to a few users first.\n";
    expect(importPage(text).terms.map((t) => [t.id, t.term, t.summary])).toEqual([
      ["canary-release", "Canary release", "Shipping to a few users first."],
    ]);
  });

  it("reads ### sections grouped under letter headings", () => {
    const text = [
      "# Glossary",
      "",
      "## A",
      "",
      "### API gateway",
      "",
      "The front door for outside callers.",
      "",
      "## E",
      "",
      "### Egress",
      "",
      "Traffic leaving the cluster; see [API gateway](#api-gateway).",
      "",
    ].join("\n");
    const { byId } = importPage(text);
    expect([...byId.keys()]).toEqual(["api-gateway", "egress"]);
    expect(byId.get("api-gateway")?.summary).toBe("The front door for outside callers.");
    expect(byId.get("egress")?.related).toEqual(["api-gateway"]);
  });

  it("reads **Term**: definition paragraphs and list items", () => {
    const text = [
      "# Glossary",
      "",
      "**Pod**: the smallest unit Kubernetes schedules.",
      "",
      "- **Namespace** - a named scope for Kubernetes objects, used with a [pod](#pod).",
      "- **Service Level Objective (SLO):** a target for an SLI.",
      "",
    ].join("\n");
    const { byId } = importPage(text);
    expect([...byId.keys()]).toEqual(["pod", "namespace", "service-level-objective-slo"]);
    expect(byId.get("pod")?.summary).toBe("the smallest unit Kubernetes schedules.");
    expect(byId.get("namespace")?.related).toEqual(["pod"]);
    expect(byId.get("service-level-objective-slo")).toMatchObject({
      term: "Service Level Objective",
      aliases: ["SLO"],
      summary: "a target for an SLI.",
    });
  });

  it("reads a definition list", () => {
    const text = [
      "Glossary of the team.",
      "",
      "Trust anchor",
      ": The root certificate every identity in the mesh chains up to.",
      "",
      "Identity issuer",
      ": Signs the proxies' certificates,",
      "  on behalf of the trust anchor.",
      "",
    ].join("\n");
    const { terms } = importPage(text);
    expect(terms.map((t) => [t.term, t.summary])).toEqual([
      ["Trust anchor", "The root certificate every identity in the mesh chains up to."],
      ["Identity issuer", "Signs the proxies' certificates, on behalf of the trust anchor."],
    ]);
  });

  it("says a page with no terms in any of these styles has none", () => {
    const result = importGlossaryPage("# Notes\n\nJust prose, no terms.\n", "notes.md");
    expect(result.terms).toEqual([]);
    expect(result.problems.map((p) => p.message)).toEqual([
      "the page has no ## sections, so there are no terms to import.",
    ]);
  });
});
