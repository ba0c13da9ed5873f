// A glossary kept as a Hugo site, one page a term (the shape community glossaries of the cloud native world
// use): each page's `title` is the term, its first paragraph the summary, its body the More text, and
// root-relative links between pages (`[services](/service/)`) relate the terms.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import { detectJargon } from "../core/detect.js";
import { createGlossary, termWithDefaults } from "../core/glossary.js";
import { canonicalKey } from "../core/normalize.js";
import type { Term, TermOrigin } from "../core/types.js";
import { definitionAt, type ImportOptions, type ImportResult, splitFrontMatter, splitTitle } from "./hugo.js";
import { lineOf, parseMarkdown, rewriteLinks, span } from "./markdown.js";
import { expandShortcodes } from "./shortcodes.js";
import { bodyAfterSummary, chatSummary } from "./summary.js";
import { type LocatedProblem, lineFinder } from "./term-file.js";

/** Related terms found by mention when a page links to none and none links to it. */
const MAX_MENTIONED = 3;

interface Page {
  /** Path as shown in messages. */
  readonly file: string;
  /** Path inside the site folder ("latency/index.md"). */
  readonly name: string;
  readonly source: string;
  readonly id: string;
  readonly term: string;
  aliases: string[];
  readonly body: string;
  readonly bodyOffset: number;
  readonly summary: string;
  /** Web addresses the page links to. */
  readonly web: readonly string[];
  readonly summaryLine: number;
}

const MARKDOWN = new Set([".md", ".markdown"]);

/** The kebab-case id a page's file name or slug gives: "TLS(Transport Layer Security)" → tls-transport-layer-security. */
export function pageId(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Why a file of a Hugo content folder is not a term page, or undefined when it is one. */
function notATerm(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower === "_index.md" || lower === "_index.markdown") return "the folder's list page, not a term";
  if (lower.startsWith("_") || /template/.test(lower)) return "a template, not a term";
  if (lower === "readme.md") return "a README, not a term page";
  return undefined;
}

/** The markdown pages of a Hugo content folder, each with its id; what is not a page is noted. */
function listPages(dir: string, show: (path: string) => string, notes: LocatedProblem[]) {
  const pages: { path: string; slug: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // A leaf bundle: the folder is the page, its index.md the text.
      const index = ["index.md", "index.markdown"].map((f) => join(path, f)).find((f) => existsSync(f));
      if (index !== undefined) pages.push({ path: index, slug: entry.name });
      else if (readdirSync(path).some((f) => MARKDOWN.has(extname(f)))) {
        notes.push({
          file: show(path),
          line: 1,
          message: "skipped: a section of its own; only the pages directly in the folder are terms.",
        });
      }
      continue;
    }
    if (!MARKDOWN.has(extname(entry.name))) continue;
    const reason = notATerm(entry.name);
    if (reason !== undefined) notes.push({ file: show(path), line: 1, message: `skipped: ${reason}.` });
    else pages.push({ path, slug: basename(entry.name, extname(entry.name)) });
  }
  return pages;
}

/** Reads one page: front matter, body with shortcodes expanded, and its summary; or why it is skipped. */
function readPage(
  path: string,
  slug: string,
  file: string,
  name: string,
): { page: Page } | { skip: string; line: number } {
  const source = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  const yamlProblems: LocatedProblem[] = [];
  const { data, body: raw, bodyOffset } = splitFrontMatter(source, file, yamlProblems, "");
  if (yamlProblems.length > 0) {
    return { skip: "its front matter is not valid YAML", line: yamlProblems[0]?.line ?? 1 };
  }
  if (data.draft === true) return { skip: "a draft (draft: true)", line: 1 };
  const title =
    typeof data.title === "string" || typeof data.title === "number" ? String(data.title).trim() : "";
  if (title === "") return { skip: "it has no title in its front matter", line: 1 };
  const id = pageId(typeof data.slug === "string" && data.slug.trim() !== "" ? data.slug : slug);
  if (id === "") return { skip: `its name gives no id (letters or digits)`, line: 1 };
  const body = expandShortcodes(raw);
  const tree = parseMarkdown(body);
  const first = tree.children.find((n) => n.type === "paragraph");
  const definition = definitionAt(body, tree, { start: 0, end: body.length }, new Map());
  const summary = chatSummary(definition.firstParagraph);
  if (summary === "") return { skip: "it has no paragraph to take a summary from", line: 1 };
  const { term, aliases } = splitTitle(title);
  return {
    page: {
      file,
      name,
      source,
      id,
      term,
      aliases,
      body,
      bodyOffset,
      summary,
      web: definition.web,
      summaryLine: bodyOffset + (first === undefined ? 1 : lineOf(first)),
    },
  };
}

/**
 * The page a link points at, by id: `/service/`, `/en/service/`, `../service/`, `service.md`, or the site's
 * own address when the base URL is known. Undefined for links that leave the site or address no page.
 */
function linkedPageId(url: string, root: string | undefined): string | undefined | null {
  let path = url;
  if (root !== undefined && path.startsWith(root)) path = path.slice(root.length) || "/";
  if (/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(path)) return null;
  path = path.replace(/[?#].*$/, "").replace(/\/(?:index|_index)\.(?:md|markdown|html)$/, "/");
  const segments = path.split("/").filter((s) => s !== "" && s !== "." && s !== "..");
  const last = segments.at(-1);
  if (last === undefined) return undefined;
  const rooted = path.startsWith("/");
  // Root-relative: a page sits right under the site root, or under a language folder ("/en/service/").
  if (
    rooted &&
    !(
      segments.length === 1 ||
      (segments.length === 2 && /^[a-z]{2}(?:-[a-z]{2,4})?$/i.test(segments[0] as string))
    )
  )
    return undefined;
  return pageId(last.replace(/\.(?:md|markdown|html)$/, ""));
}

/**
 * Reads a Hugo content folder of one page a term. `_index.md`, templates and READMEs are skipped, and so are
 * drafts, pages without a title or a paragraph, and pages whose id or name another page already has; each
 * skip is a note saying why. Links to other pages become `[text](#id)` and related terms; links to pages that
 * do not exist keep their text (or, with a base URL, become absolute) and are noted.
 */
export function importHugoSite(
  dir: string,
  options: ImportOptions = {},
  show: (path: string) => string = (p) => p,
): ImportResult {
  const problems: LocatedProblem[] = [];
  const notes: LocatedProblem[] = [];
  const root = options.baseUrl?.replace(/\/+$/, "");

  // First every page's name, so links can tell a page that is served from one that is not.
  const pages: Page[] = [];
  const byId = new Map<string, Page>();
  const names = new Map<string, Page>();
  for (const { path, slug } of listPages(dir, show, notes)) {
    const file = show(path);
    const read = readPage(path, slug, file, relative(dir, path));
    if ("skip" in read) {
      notes.push({ file, line: read.line, message: `skipped: ${read.skip}.` });
      continue;
    }
    const page = read.page;
    const taken = byId.get(page.id);
    if (taken !== undefined) {
      notes.push({ file, line: 1, message: `skipped: ${taken.name} already has its id, "${page.id}".` });
      continue;
    }
    const namedBy = names.get(canonicalKey(page.term));
    if (namedBy !== undefined) {
      notes.push({
        file,
        line: lineFinder(page.source)("title:") ?? 1,
        message: `skipped: its title "${page.term}" already names ${namedBy.name}.`,
      });
      continue;
    }
    page.aliases = page.aliases.filter((alias) => {
      const owner = names.get(canonicalKey(alias));
      if (owner === undefined) return true;
      notes.push({
        file,
        line: lineFinder(page.source)("title:") ?? 1,
        message: `dropped the alias "${alias}": it already names ${owner.name}.`,
      });
      return false;
    });
    for (const name of [page.term, ...page.aliases]) names.set(canonicalKey(name), page);
    byId.set(page.id, page);
    pages.push(page);
  }
  if (pages.length === 0) {
    problems.push({ file: show(dir), line: 1, message: "the folder has no term pages (*.md with a title)." });
    return { terms: [], origins: new Map(), problems, notes };
  }

  const outbound = new Map<string, string[]>();
  const linkLines = new Map<string, Map<string, number>>();
  const bodies = new Map<string, string>();
  for (const page of pages) {
    const links: string[] = [];
    const lines = new Map<string, number>();
    const rewritten = rewriteLinks(page.body, (url, link) => {
      const target = linkedPageId(url, root);
      if (target === null) return undefined;
      const line = page.bodyOffset + lineOf(link);
      if (target !== undefined && byId.has(target)) {
        if (target === page.id) return { unlink: true };
        links.push(target);
        if (!lines.has(target)) lines.set(target, line);
        return { url: `#${target}` };
      }
      const absolute = root !== undefined && url.startsWith("/") && !url.startsWith("//");
      notes.push({
        file: page.file,
        line,
        message: `the link to ${url} points at no page here; ${absolute ? "made it absolute" : "kept its text"}.`,
      });
      return absolute ? { url: `${root}${url}` } : { unlink: true };
    });
    outbound.set(page.id, [...new Set(links)]);
    linkLines.set(page.id, lines);
    bodies.set(page.id, withoutComments(rewritten));
  }

  const inbound = new Map<string, string[]>();
  for (const [from, targets] of outbound) {
    for (const to of targets) inbound.set(to, [...(inbound.get(to) ?? []), from]);
  }
  const drafts = pages.map((p) => termWithDefaults({ id: p.id, term: p.term, aliases: p.aliases }));
  const glossary = createGlossary(drafts);

  const terms: Term[] = [];
  const origins = new Map<string, TermOrigin>();
  for (const page of pages) {
    const body = bodyAfterSummary(bodies.get(page.id) ?? "", page.summary);
    let related = [...new Set([...(outbound.get(page.id) ?? []), ...(inbound.get(page.id) ?? [])])];
    if (related.length === 0) {
      // A page that links nowhere and that nothing links to: the terms its text names.
      const mentioned = detectJargon(glossary, `${page.summary}\n${body}`).map((d) => d.term.id);
      related = [...new Set(mentioned)].filter((id) => id !== page.id).slice(0, MAX_MENTIONED);
      if (related.length === 0) {
        notes.push({
          file: page.file,
          line: lineFinder(page.source)("title:") ?? 1,
          message: `"${page.term}" has no related terms: no page links to it or from it, and its text names no other term.`,
        });
      }
    }
    const own = root === undefined ? [] : [`${root}/${page.id}/`];
    // Links into the site that reach no term are not documentation of this one.
    const web = page.web.filter((u) => root === undefined || !u.startsWith(`${root}/`));
    const sources = [...new Set([...own, ...web])];
    terms.push(
      termWithDefaults({
        id: page.id,
        term: page.term,
        aliases: page.aliases,
        summary: page.summary,
        body,
        related,
        sources,
      }),
    );
    origins.set(page.id, pageOrigin(page, linkLines.get(page.id) ?? new Map()));
  }
  return { terms, origins, problems, notes };
}

/** The body without HTML comments (`<!--more-->`, editors' notes): Hugo does not show them. */
function withoutComments(markdown: string): string {
  const cuts = parseMarkdown(markdown)
    .children.filter((n) => n.type === "html" && /^<!--[\s\S]*-->$/.test(n.value.trim()))
    .map(span);
  let out = markdown;
  for (const c of cuts.reverse()) out = out.slice(0, c.start) + out.slice(c.end);
  return out.replace(/\n{3,}/g, "\n\n").trim();
}

/** Where a page's fields are: `title` for its names, the first paragraph for the summary, links for related. */
function pageOrigin(page: Page, links: ReadonlyMap<string, number>): TermOrigin {
  const find = lineFinder(page.source);
  const inBody = lineFinder(page.source, page.bodyOffset + 1);
  const title = find("title:") ?? 1;
  return {
    file: page.file,
    line: 1,
    lineOf: find,
    fieldLine: (field, value) => {
      if (field === "term" || field === "aliases" || field === "id") return title;
      if (field === "summary") return page.summaryLine;
      if (field === "related") return (value === undefined ? undefined : links.get(value)) ?? title;
      if (field === "body") return value === undefined ? page.bodyOffset + 1 : inBody(value);
      return undefined;
    },
  };
}
