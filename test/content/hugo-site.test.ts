// A glossary kept as a Hugo site, one page a term: test/fixtures/hugo-site is messy on purpose (its README).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importHugoSite, pageId } from "../../src/content/hugo-site.js";
import { checkContentAt, contentKind, loadGlossary } from "../../src/content/load.js";
import { lookupTerm } from "../../src/core/lookup.js";
import type { Term } from "../../src/core/types.js";
import { CONTENT_DIR, FIXTURE_PAGE, HUGO_SITE } from "../helpers.js";

const SITE = HUGO_SITE;
const site = importHugoSite(SITE);
const byId = new Map(site.terms.map((t) => [t.id, t]));

function term(id: string): Term {
  const t = byId.get(id);
  if (t === undefined) throw new Error(`no term ${id} in the import`);
  return t;
}

const TITLES: Record<string, string> = {
  "api-gateway": "API Gateway",
  "canary-deployment": "Canary Deployment",
  latency: "Latency",
  "mutual-tls": "Mutual Transport Layer Security (mTLS)",
  service: "Service",
  "service-mesh": "Service Mesh",
  "sidecar-proxy": "Sidecar Proxy",
  "tls-transport-layer-security": "Transport Layer Security (TLS)",
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("importing a Hugo site of one page a term", () => {
  it("makes a term of every page with a title and a paragraph, its id from the file name", () => {
    expect(site.problems).toEqual([]);
    expect(site.terms.map((t) => t.id).sort()).toEqual(Object.keys(TITLES).sort());
  });

  it("says a page of one short paragraph once: as the summary, with no More text repeating it", () => {
    expect(term("tls-transport-layer-security")).toMatchObject({
      summary: "TLS is the protocol that encrypts a connection and lets the client check who the server is.",
      body: "",
    });
  });

  it("takes the title as the term, and a parenthesised acronym or expansion as an alias", () => {
    expect(term("service-mesh").term).toBe("Service Mesh");
    expect(term("mutual-tls")).toMatchObject({ term: "Mutual Transport Layer Security", aliases: ["mTLS"] });
    expect(term("tls-transport-layer-security")).toMatchObject({
      term: "Transport Layer Security",
      aliases: ["TLS"],
    });
  });

  it("takes the first paragraph as the summary, cut to its first sentence when it is longer", () => {
    expect(term("service").summary).toBe(
      "A service is a program that answers requests over the network, usually one of many small ones that together make an application.",
    );
    expect(term("latency").summary).toBe(
      "Latency is the time between sending a request and getting the answer back.",
    );
    // The first paragraph comes after a heading, and after an HTML comment.
    expect(term("service-mesh").summary).toMatch(
      /^A service mesh is a layer of sidecar proxies that carries/,
    );
    expect(term("canary-deployment").summary).toMatch(/^A canary deployment sends a small share/);
  });

  it("keeps the page as the More text, with links to pages turned into links to terms", () => {
    const body = term("service-mesh").body;
    expect(body).toContain("[sidecar proxies](#sidecar-proxy)");
    expect(body).toContain("[services](#service)");
    expect(body).toContain("## Problem it addresses");
    expect(body).toContain("## not a heading: a comment in a manifest");
    expect(body).not.toContain("{{");
    expect(term("canary-deployment").body).not.toContain("<!--more-->");
  });

  it("relates pages through their root-relative links, whatever form they take", () => {
    expect(term("service-mesh").related).toEqual(["sidecar-proxy", "service"]);
    // "/en/service/", "../tls-transport-layer-security/" and a glossary_tooltip shortcode.
    expect(term("mutual-tls").related).toEqual(["sidecar-proxy", "service", "tls-transport-layer-security"]);
    // A page without links is related to the pages that link to it.
    expect(term("service").related).toEqual(["mutual-tls", "service-mesh"]);
    // A page nobody links to, and that links nowhere, is related to the terms its text names.
    expect(term("canary-deployment").related).toEqual(["service-mesh"]);
  });

  it("keeps the text of links to pages that do not exist, and says so", () => {
    expect(term("service-mesh").body).toContain("reliability and observability without");
    expect(term("api-gateway").body).toContain("Compare it with an ingress.");
    expect(site.notes).toContainEqual({
      file: join(SITE, "service-mesh.md"),
      line: 10,
      message: "the link to /observability/ points at no page here; kept its text.",
    });
  });

  it("takes web links as sources", () => {
    expect(term("latency").sources).toEqual(["https://sre.google/sre-book/monitoring-distributed-systems/"]);
  });

  it("says what it skipped and why", () => {
    const skipped = site.notes
      .filter((n) => n.message.startsWith("skipped"))
      .map((n) => `${n.file.slice(SITE.length + 1)}: ${n.message}`)
      .sort();
    expect(skipped).toEqual([
      "README.md: skipped: a README, not a term page.",
      "_TEMPLATE.md: skipped: a template, not a term.",
      "_index.md: skipped: the folder's list page, not a term.",
      'api_gateway.md: skipped: api-gateway.md already has its id, "api-gateway".',
      "community: skipped: a section of its own; only the pages directly in the folder are terms.",
      "draft-term.md: skipped: a draft (draft: true).",
      'services.md: skipped: its title "Services" already names service.md.',
      "untitled.md: skipped: it has no title in its front matter.",
    ]);
    expect(site.notes).toContainEqual({
      file: join(SITE, "latency", "index.md"),
      line: 2,
      message:
        '"Latency" has no related terms: no page links to it or from it, and its text names no other term.',
    });
  });

  it("makes links absolute and names each page as a source with a base URL", () => {
    const withBase = importHugoSite(SITE, { baseUrl: "https://glossary.example/" });
    const mesh = withBase.terms.find((t) => t.id === "service-mesh");
    expect(mesh?.sources).toEqual(["https://glossary.example/service-mesh/"]);
    expect(mesh?.body).toContain("[observability](https://glossary.example/observability/)");
  });

  it("gives kebab-case ids for any file name", () => {
    expect(pageId("TLS(Transport Layer Security)")).toBe("tls-transport-layer-security");
    expect(pageId("agile_software_development")).toBe("agile-software-development");
    expect(pageId("Über Mesh")).toBe("uber-mesh");
  });
});

describe("serving a Hugo site as the glossary", () => {
  it("is detected as a Hugo site, and serves every term by its title", () => {
    expect(contentKind(SITE)).toBe("hugo-site");
    const { glossary, content } = loadGlossary(SITE);
    expect(content.kind).toBe("hugo-site");
    for (const [id, title] of Object.entries(TITLES)) {
      // "Mutual Transport Layer Security (mTLS)": asked for by either name.
      for (const name of title.split(/\s*[()]\s*/).filter((n) => n !== "")) {
        const r = lookupTerm(glossary, name);
        expect(r.found && r.term.id, name).toBe(id);
      }
    }
    const mtls = lookupTerm(glossary, "what is mTLS?");
    expect(mtls.found && mtls.term.id).toBe("mutual-tls");
  });

  it("passes mesh check's content checks", () => {
    expect(checkContentAt(SITE).problems).toEqual([]);
  });

  it("is a Hugo site without an _index.md too, when its pages have titles and none is a term file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-site-"));
    dirs.push(dir);
    cpSync(join(SITE, "service.md"), join(dir, "service.md"));
    cpSync(join(SITE, "service-mesh.md"), join(dir, "service-mesh.md"));
    expect(contentKind(dir)).toBe("hugo-site");
    expect(
      loadGlossary(dir)
        .glossary.terms.map((t) => t.id)
        .sort(),
    ).toEqual(["service", "service-mesh"]);
  });

  it("says a folder without term pages has none", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-site-"));
    dirs.push(dir);
    writeFileSync(join(dir, "_index.md"), "---\ntitle: Empty\n---\nNothing yet.\n");
    expect(() => loadGlossary(dir)).toThrow(/has 1 problem/);
    expect(importHugoSite(dir).problems.map((p) => p.message)).toEqual([
      "the folder has no term pages (*.md with a title).",
    ]);
  });
});

describe("telling what CONTENT names", () => {
  it("tells term files, a term folder, a glossary page and a GLOSSARY.md apart", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-kind-"));
    dirs.push(dir);
    writeFileSync(join(dir, "GLOSSARY.md"), "# Glossary\n\n## Egress\n\nTraffic out.\n");
    cpSync(join(CONTENT_DIR, "egress.md"), join(dir, "egress-term.md"));
    expect(contentKind(CONTENT_DIR)).toBe("terms");
    expect(contentKind(join(CONTENT_DIR, "egress.md"))).toBe("term-file");
    expect(contentKind(FIXTURE_PAGE)).toBe("page");
    expect(contentKind(join(dir, "GLOSSARY.md"))).toBe("page");
    expect(loadGlossary(join(dir, "GLOSSARY.md")).glossary.get("egress")?.summary).toBe("Traffic out.");
  });

  it("keeps a folder of term files one, even with an _index.md beside them", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-kind-"));
    dirs.push(dir);
    cpSync(CONTENT_DIR, dir, { recursive: true });
    writeFileSync(join(dir, "_index.md"), "---\ntitle: Our glossary\n---\nThe terms.\n");
    expect(contentKind(dir)).toBe("terms");
    expect(loadGlossary(dir).glossary.terms).toHaveLength(90);
  });
});
