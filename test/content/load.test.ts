import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkContentAt, loadGlossary, readContent } from "../../src/content/load.js";
import { parseTermFile } from "../../src/content/term-file.js";
import { termFileText } from "../../src/content/write.js";
import { isMeshError, type MeshError } from "../../src/core/errors.js";
import { lookupTerm } from "../../src/core/lookup.js";
import { CONTENT_DIR } from "../helpers.js";

// Two valid term files; each test writes one broken file beside or over them. Line numbers below refer to
// these texts (line 1 is the opening ---).
const EGRESS = `---
id: egress
term: Egress
aliases: [egress traffic]
summary: Traffic that leaves the cluster.
topic: traffic
related: [ingress]
sources:
  - https://linkerd.io/2/features/egress/
---
Egress goes out of the cluster.

See [ingress](#ingress) for the way in.
`;

const INGRESS = `---
id: ingress
term: Ingress
aliases: [ingress traffic]
summary: Traffic that enters the cluster.
topic: traffic
related: [egress]
sources:
  - https://linkerd.io/2/features/ingress/
---
Ingress comes in; see [egress](#egress).
`;

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

/** A temp content folder holding the two valid files plus (or instead of) the given ones. */
function contentDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "mesh-content-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries({ "egress.md": EGRESS, "ingress.md": INGRESS, ...files })) {
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The error loading `path` throws; fails the test when it loads. */
function loadError(path: string): MeshError {
  try {
    loadGlossary(path);
  } catch (error) {
    if (isMeshError(error, "CONTENT_INVALID")) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

/** Egress with one piece of text replaced; the text must be there. */
function egressWith(line: string, replacement: string): string {
  expect(EGRESS).toContain(line);
  return EGRESS.replace(line, replacement);
}

describe("loading a good content folder", () => {
  it("loads every term file", () => {
    const { glossary, content } = loadGlossary(contentDir());
    expect(glossary.terms.map((t) => t.id)).toEqual(["egress", "ingress"]);
    expect(content.origins.get("egress")?.file).toMatch(/egress\.md$/);
    const egress = glossary.get("egress");
    expect(egress).toMatchObject({
      term: "Egress",
      aliases: ["egress traffic"],
      summary: "Traffic that leaves the cluster.",
      topic: "traffic",
      related: ["ingress"],
      sources: ["https://linkerd.io/2/features/egress/"],
      everyday: false,
      autoExplain: true,
    });
    expect(egress?.body).toBe("Egress goes out of the cluster.\n\nSee [ingress](#ingress) for the way in.");
  });

  it("ignores README.md and files starting with an underscore", () => {
    const dir = contentDir({ "README.md": "# Content\n", "_draft.md": "not a term" });
    expect(loadGlossary(dir).glossary.terms).toHaveLength(2);
  });

  it("reads a file that starts with a byte-order mark", () => {
    const dir = contentDir({ "egress.md": `\uFEFF${EGRESS}` });
    expect(loadGlossary(dir).glossary.get("egress")?.term).toBe("Egress");
  });

  it("serves a single term file given as the content path", () => {
    const alone = EGRESS.replace("related: [ingress]", "related: []").replace(
      " [ingress](#ingress)",
      " ingress",
    );
    const dir = contentDir({ "egress.md": alone });
    const { glossary } = loadGlossary(join(dir, "egress.md"));
    expect(glossary.terms.map((t) => t.id)).toEqual(["egress"]);
  });

  it("loads the real content: 90 terms that answer lookups", () => {
    const { glossary } = loadGlossary(CONTENT_DIR);
    expect(glossary.terms).toHaveLength(90);
    const r = lookupTerm(glossary, "egres");
    expect(r.found && r.term.id).toBe("egress");
  });

  it("knows, for every real term, what it was checked against and in which month", () => {
    const { glossary } = loadGlossary(CONTENT_DIR);
    const unchecked = glossary.terms.filter((t) => t.asOf === undefined || t.reviewed === undefined);
    expect(unchecked.map((t) => t.id)).toEqual([]);
    expect(glossary.get("init-container")).toMatchObject({ asOf: "linkerd 2.20", reviewed: "2026-11" });
  });

  it("reads asOf and reviewed, and leaves them out when a file does not give them", () => {
    const dir = contentDir({
      "egress.md": egressWith(
        "topic: traffic\n",
        "topic: traffic\nasOf: linkerd   2.20\nreviewed: 2026-11\n",
      ),
    });
    const { glossary } = loadGlossary(dir);
    expect(glossary.get("egress")).toMatchObject({ asOf: "linkerd 2.20", reviewed: "2026-11" });
    expect(glossary.get("ingress")).not.toHaveProperty("asOf");
    expect(glossary.get("ingress")).not.toHaveProperty("reviewed");
  });

  it("finds no problem in the real content with the editorial checks", () => {
    expect(checkContentAt(CONTENT_DIR).problems).toEqual([]);
  });
});

describe("refusing broken content with file, line and a plain message", () => {
  it("points at the line of bad YAML", () => {
    // Regression: the line was one too far down (gray-matter hands js-yaml the newline after ---).
    const dir = contentDir({ "egress.md": egressWith("term: Egress\n", "term: Egress: out\n") });
    const error = loadError(dir);
    expect(error.code).toBe("CONTENT_INVALID");
    expect(error.details).toContainEqual(
      expect.stringMatching(/egress\.md:3: the front matter is not valid YAML: .+\.$/),
    );
  });

  it("points at the line of a badly indented field", () => {
    const dir = contentDir({ "egress.md": egressWith("summary:", "  summary:") });
    expect(loadError(dir).details).toContainEqual(
      expect.stringMatching(/egress\.md:5: the front matter is not valid YAML: bad indentation/),
    );
  });

  it("says which required field is missing", () => {
    const dir = contentDir({ "egress.md": egressWith("summary: Traffic that leaves the cluster.\n", "") });
    expect(loadError(dir).details).toContain(
      `${join(dir, "egress.md")}:1: the required field "summary" is missing.`,
    );
  });

  it("points at a flag that is not true or false", () => {
    const dir = contentDir({
      "egress.md": egressWith("topic: traffic\n", "topic: traffic\neveryday: sometimes\n"),
    });
    expect(loadError(dir).details).toContain(
      `${join(dir, "egress.md")}:7: "everyday" must be true or false.`,
    );
  });

  it("points at a list field written as a mapping", () => {
    const dir = contentDir({ "egress.md": egressWith("aliases: [egress traffic]", "aliases: {a: 1}") });
    expect(loadError(dir).details).toContain(
      `${join(dir, "egress.md")}:4: "aliases" must be a list of text, like [a, b].`,
    );
  });

  it("points at a text field written as a list", () => {
    const dir = contentDir({ "egress.md": egressWith("term: Egress", "term: [Egress, Outbound]") });
    expect(loadError(dir).details).toContain(`${join(dir, "egress.md")}:3: "term" must be text.`);
  });

  it("points at a topic that is not one of the topics", () => {
    const dir = contentDir({ "egress.md": egressWith("topic: traffic", "topic: networking") });
    expect(loadError(dir).details).toContainEqual(
      expect.stringContaining(`egress.md:6: the topic "networking" is not one of architecture, traffic`),
    );
  });

  it("points at a source that is not a web address", () => {
    const dir = contentDir({
      "egress.md": egressWith("  - https://linkerd.io/2/features/egress/", "  - linkerd.io/egress"),
    });
    expect(loadError(dir).details).toContainEqual(
      expect.stringContaining('egress.md:8: the source "linkerd.io/egress" is not a web address'),
    );
  });

  it.for<[string, string, string]>([
    ["a full date", "reviewed: 2026-11-03", '"reviewed" is a month, not a day: write 2026-11.'],
    [
      "a month name",
      "reviewed: Nov 2026",
      '"reviewed" must be a month written YYYY-MM, like 2026-11, not "Nov 2026".',
    ],
    [
      "month 13",
      "reviewed: 2026-13",
      '"reviewed" must be a month written YYYY-MM, like 2026-11, not "2026-13".',
    ],
    [
      "a number",
      "reviewed: 202611",
      '"reviewed" must be a month written YYYY-MM, like 2026-11, not "202611".',
    ],
    [
      "a product without a version",
      "asOf: linkerd",
      '"asOf" must name a product and its version, like "linkerd 2.20", not "linkerd".',
    ],
    [
      "a version without a product",
      "asOf: 2.20",
      '"asOf" must name a product and its version, like "linkerd 2.20", not "2.2".',
    ],
  ])("points at %s in asOf or reviewed", ([, field, message]) => {
    const dir = contentDir({ "egress.md": egressWith("topic: traffic\n", `topic: traffic\n${field}\n`) });
    expect(loadError(dir).details).toContain(`${join(dir, "egress.md")}:7: ${message}`);
  });

  it("suggests asOf for asof", () => {
    const dir = contentDir({
      "egress.md": egressWith("topic: traffic\n", "topic: traffic\nasof: linkerd 2.20\n"),
    });
    expect(loadError(dir).details).toContain(
      `${join(dir, "egress.md")}:7: unknown field "asof"; did you mean "asOf".`,
    );
  });

  it("points at an unknown field and suggests the field that was meant", () => {
    const dir = contentDir({ "egress.md": egressWith("related: [ingress]", "relatd: [ingress]") });
    expect(loadError(dir).details).toContainEqual(
      `${join(dir, "egress.md")}:7: unknown field "relatd"; did you mean "related".`,
    );
  });

  it("suggests aliases for alias", () => {
    const dir = contentDir({
      "egress.md": egressWith("aliases: [egress traffic]", "alias: [egress traffic]"),
    });
    expect(loadError(dir).details).toContain(
      `${join(dir, "egress.md")}:4: unknown field "alias"; did you mean "aliases".`,
    );
  });

  it("points at an id that does not match the file name", () => {
    const dir = contentDir({ "egress.md": egressWith("id: egress", "id: egres") });
    expect(loadError(dir).details).toContain(
      `${join(dir, "egress.md")}:2: the id "egres" does not match the file name; rename the file to egres.md or fix the id.`,
    );
  });

  it("points at an id that is not kebab-case", () => {
    const dir = contentDir({ "egress.md": egressWith("id: egress", "id: Egress_Traffic") });
    expect(loadError(dir).details).toContainEqual(
      expect.stringContaining(
        'egress.md:2: the id "Egress_Traffic" must be lower-case words joined by hyphens.',
      ),
    );
  });

  it("refuses a second file claiming an id that is taken, naming that file", () => {
    const dir = contentDir({ "egress-copy.md": EGRESS });
    const error = loadError(dir);
    expect(error.details).toEqual([
      `${join(dir, "egress-copy.md")}:2: the id "egress" does not match the file name; rename the file to egress.md or fix the id.`,
    ]);
  });

  it("points at the alias a second file claims too", () => {
    const outbound = EGRESS.replaceAll("egress", "outbound")
      .replace("Egress", "Outbound")
      .replace("aliases: [outbound traffic]", "aliases:\n  - outbound calls\n  - egress traffic");
    const dir = contentDir({ "outbound.md": outbound });
    expect(loadError(dir).details).toEqual([
      `${join(dir, "outbound.md")}:6: "egress traffic" also names "egress". Keep it on one term, or list it under sharedAliases on each term it can mean.`,
    ]);
  });

  it("points at the alias, not the other term's name, when the alias file comes first", () => {
    // Regression: the first file read kept the name, so "edge.md" listing "Ingress" blamed ingress.md's term line.
    const edge = EGRESS.replaceAll("egress", "edge")
      .replace("Egress", "Edge")
      .replace("aliases: [edge traffic]", "aliases: [edge traffic, Ingress]");
    const dir = contentDir({ "edge.md": edge });
    expect(loadError(dir).details).toEqual([
      `${join(dir, "edge.md")}:4: "Ingress" also names "ingress". Keep it on one term, or list it under sharedAliases on each term it can mean.`,
    ]);
  });

  it("points at a related id that does not exist", () => {
    const dir = contentDir({ "egress.md": egressWith("related: [ingress]", "related: [ingress, nope]") });
    expect(loadError(dir).details).toEqual([
      `${join(dir, "egress.md")}:7: related term "nope" does not exist.`,
    ]);
  });

  it("points at the related field, not at the summary that uses the same word", () => {
    const dir = contentDir({
      "egress.md": egressWith("related: [ingress]", "related:\n  - ingress\n  - cluster"),
    });
    // "cluster" first appears in the summary (line 5); the field that names it is further down.
    expect(loadError(dir).details).toEqual([
      `${join(dir, "egress.md")}:9: related term "cluster" does not exist.`,
    ]);
  });

  it("points at a name that two terms claim in the field that lists it", () => {
    const outbound = EGRESS.replaceAll("egress", "outbound")
      .replace("Egress", "Outbound")
      .replace("summary: Traffic that leaves the cluster.", "summary: Like ingress traffic, but out.")
      .replace("aliases: [outbound traffic]", "aliases:\n  - outbound calls\n  - ingress traffic");
    const dir = contentDir({ "outbound.md": outbound });
    expect(loadError(dir).details).toEqual([
      `${join(dir, "outbound.md")}:6: "ingress traffic" also names "ingress". Keep it on one term, or list it under sharedAliases on each term it can mean.`,
    ]);
  });

  it("points at the line of a body link to no term", () => {
    const dir = contentDir({
      "egress.md": egressWith("See [ingress](#ingress)", "See [ingress](#ingress) or [nothing](#nope)"),
    });
    expect(loadError(dir).details).toEqual([
      `${join(dir, "egress.md")}:13: the link to "#nope" points at no term.`,
    ]);
  });

  it("says a file without front matter needs a --- line", () => {
    const dir = contentDir({ "notes.md": "just some notes about egress\n" });
    expect(loadError(dir).details).toEqual([
      `${join(dir, "notes.md")}:1: the file has no front matter; it must start with a --- line.`,
    ]);
  });

  it("lists the problems of every file at once, and counts them", () => {
    const dir = contentDir({
      "egress.md": egressWith("related: [ingress]", "related: [ingress, nope]"),
      "notes.md": "just some notes\n",
    });
    const error = loadError(dir);
    expect(error.message).toBe(`The glossary at ${dir} has 2 problems:`);
    expect(error.details).toEqual([
      `${join(dir, "notes.md")}:1: the file has no front matter; it must start with a --- line.`,
      `${join(dir, "egress.md")}:7: related term "nope" does not exist.`,
    ]);
  });

  it("says an empty folder has no term files", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-empty-"));
    dirs.push(dir);
    const error = loadError(dir);
    expect(error.message).toBe(`The glossary at ${dir} has 1 problem:`);
    expect(error.details).toEqual([`${dir}:1: the folder has no term files (*.md).`]);
  });

  it("says where it looked when the content path does not exist", () => {
    const missing = join(tmpdir(), "mesh-no-such-folder", "content");
    const error = loadError(missing);
    expect(error.message).toBe(
      `Glossary content not found at ${missing}. Point CONTENT (or --content) at a folder of term files, a glossary page or a Hugo site's content folder.`,
    );
  });
});

describe("the editorial checks", () => {
  it("places an editorial problem on the line that shows it", () => {
    const dir = contentDir({
      "egress.md": egressWith(
        "summary: Traffic that leaves the cluster.",
        "summary: Traffic leaves. It goes.",
      ),
    });
    const { problems } = checkContentAt(dir);
    expect(problems).toEqual([
      { file: join(dir, "egress.md"), line: 5, message: "the summary has more than one sentence." },
    ]);
  });

  it("reports reading problems before editorial ones", () => {
    const dir = contentDir({ "egress.md": egressWith("id: egress", "id: egres") });
    const { problems } = readContent(dir);
    expect(problems.map((p) => p.line)).toEqual([2]);
    expect(checkContentAt(dir).problems).toEqual(problems);
  });
});

describe("parseTermFile", () => {
  it("returns the term and where its body links are", () => {
    const result = parseTermFile("egress.md", EGRESS, "egress");
    if ("problems" in result) throw new Error(result.problems.map((p) => p.message).join("; "));
    expect(result.term.id).toBe("egress");
    expect(result.origin.lineOf?.("(#ingress)")).toBe(13);
  });

  it("reads back what termFileText writes, asOf and reviewed included", () => {
    const first = parseTermFile(
      "egress.md",
      EGRESS.replace("topic: traffic\n", "topic: traffic\nasOf: linkerd 2.20\nreviewed: 2026-11\n"),
      "egress",
    );
    if ("problems" in first) throw new Error(first.problems.map((p) => p.message).join("; "));
    const again = parseTermFile("egress.md", termFileText(first.term), "egress");
    if ("problems" in again) throw new Error(again.problems.map((p) => p.message).join("; "));
    expect(again.term).toEqual(first.term);
  });

  it("accepts a file whose id is not checked against a name", () => {
    const result = parseTermFile("page.md", EGRESS.replace("id: egress", "id: outbound"), undefined);
    expect("term" in result && result.term.id).toBe("outbound");
  });
});
