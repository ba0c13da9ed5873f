// Glossary pages: a Hugo/Docsy page (front matter with an optional `faqSchema`, one `##` section a term) or a
// repository's plain GLOSSARY.md (no front matter; `##`/`###` sections, bold names or a definition list). The
// page's structure comes from the markdown parser (markdown.ts); this module adds what Hugo means on top:
// custom anchors (`{#id}`), shortcodes, FAQ answers, and the repairs for a hand-edited page's slips.
import matter from "gray-matter";
import type { Nodes, Paragraph, Root } from "mdast";
import { createGlossary, termWithDefaults } from "../core/glossary.js";
import { lookupTerm } from "../core/lookup.js";
import type { Term, TermOrigin } from "../core/types.js";
import { pageEntries } from "./entries.js";
import { linksOf, parseMarkdown, plainText, plainTextOf, rewriteLinks, span, walk } from "./markdown.js";
import { expandShortcodes } from "./shortcodes.js";
import { bodyAfterSummary, chatSummary } from "./summary.js";
import { type LocatedProblem, lineFinder } from "./term-file.js";

/** Options for reading a Hugo/Docsy glossary page or site. */
export interface ImportOptions {
  /** Site root that root-relative links ("/2020/12/03/post/") are resolved against. */
  readonly baseUrl?: string;
}

/** Terms read from a page or a site, with where each came from, what stops them and what was left out. */
export interface ImportResult {
  readonly terms: Term[];
  readonly origins: Map<string, TermOrigin>;
  /** Mistakes that make the import wrong: serving refuses the content while there are any. */
  readonly problems: LocatedProblem[];
  /** What was skipped or changed on the way, and why; the import is still whole. */
  readonly notes: LocatedProblem[];
}

interface FaqEntry {
  readonly question: string;
  readonly answer: string;
}

/** Hugo's attribute list at the end of a heading: `{#id}`, `{#id .class}`. */
const ATTRIBUTES = /\s*\{#([\w-]+)[^}]*\}\s*$/;

/**
 * True for a glossary page rather than a term file: a term file's front matter has `id` or `term` and no
 * `title`; anything else (a Hugo page, a GLOSSARY.md without front matter) is read as a page of terms.
 */
export function looksLikeGlossaryPage(source: string): boolean {
  try {
    const data = matter(source, {}).data as Record<string, unknown>;
    return "title" in data || !("id" in data || "term" in data);
  } catch {
    return true;
  }
}

/** Hugo's default heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  const custom = heading.match(ATTRIBUTES);
  if (custom !== null) return custom[1] as string;
  return heading
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]+/gu, "")
    .trim()
    .replace(/\s+/g, "-")
    .replace(/-+/g, "-");
}

/** A heading or title as a term's name and aliases: "Enterprise Service Bus (ESB)" → the name and "ESB". */
export function splitTitle(title: string): { term: string; aliases: string[] } {
  const bare = title.replace(ATTRIBUTES, "").trim();
  const acronym = bare.match(/\s*\(([^()]+)\)\s*$/);
  if (acronym === null || acronym.index === 0) return { term: bare, aliases: [] };
  return { term: bare.slice(0, acronym.index).trim(), aliases: [(acronym[1] as string).trim()] };
}

/** One character to insert to mend a slip; `target` is the address of a link whose "[" it restores. */
interface Repair {
  readonly at: number;
  readonly text: string;
  readonly target?: string;
}

/**
 * The slips in the running text under `nodes` (parsed from `text`): a link missing its `[` ("control
 * plane](#control-plane)") and a link glued to the word before it ("applying[techniques"). Code, HTML and
 * well-formed links are never touched.
 */
function slipRepairs(text: string, nodes: readonly Nodes[], names: ReadonlyMap<string, string>): Repair[] {
  const repairs: Repair[] = [];
  for (const top of nodes) {
    for (const node of walk(top)) {
      if (node.type !== "paragraph" && node.type !== "heading" && node.type !== "tableCell") continue;
      const start = span(node).start;
      const source = text.slice(start, span(node).end);
      // Ranges the slip search must not look into: code, HTML, and links written with brackets.
      const kept: { start: number; end: number }[] = [];
      for (const inner of walk(node)) {
        const s = span(inner);
        if (inner.type === "inlineCode" || inner.type === "html" || inner.type === "image") kept.push(s);
        if (inner.type === "link" && text[s.start] === "[") {
          kept.push(s);
          if (s.start > 0 && /[\p{L}\p{N}]/u.test(text[s.start - 1] as string)) {
            repairs.push({ at: s.start, text: " " });
          }
        }
      }
      for (const m of source.matchAll(/\]\(([^)\s]*)\)/g)) {
        const at = start + (m.index as number);
        if (kept.some((k) => at >= k.start && at < k.end)) continue;
        const target = m[1] as string;
        const before = source.slice(0, m.index);
        repairs.push({ at: start + openingBracketAt(before, target, names), text: "[", target });
      }
    }
  }
  return repairs;
}

/** `text`, which starts at `offset` of the text the repairs were found in, with the repairs made. */
function applyRepairs(text: string, repairs: readonly Repair[], offset = 0): string {
  let out = text;
  for (const r of [...repairs].sort((a, b) => b.at - a.at)) {
    const at = r.at - offset;
    out = out.slice(0, at) + r.text + out.slice(at);
  }
  return out;
}

/**
 * Mends the slips a hand-edited page tends to have, so they do not leak into chat: a link missing its `[`
 * ("control plane](#control-plane)") and a link glued to the word before it ("applying[techniques"). Only
 * running text is touched: code, HTML and well-formed links stay as written.
 */
export function repairMarkdown(text: string, names: ReadonlyMap<string, string>): string {
  return applyRepairs(text, slipRepairs(text, parseMarkdown(text).children, names));
}

/** A definition's markdown with its slips mended, and what it says beyond its words. */
export interface Definition {
  readonly text: string;
  /** All of it as one plain line. */
  readonly plain: string;
  /** Its first paragraph as one plain line. */
  readonly firstParagraph: string;
  /** Ids it links to with `[text](#id)`, in order. */
  readonly anchors: string[];
  /** Web addresses it links to, in order, once each. */
  readonly web: string[];
}

/**
 * Reads the stretch `range` of a parsed text as one definition, from the nodes already parsed: slips mended,
 * links (the mended ones included) in order, and the first paragraph.
 */
export function definitionAt(
  source: string,
  root: Root,
  range: { readonly start: number; readonly end: number },
  names: ReadonlyMap<string, string>,
): Definition {
  const nodes = root.children.filter((n) => span(n).start >= range.start && span(n).end <= range.end);
  const repairs = slipRepairs(source, nodes, names);
  const text = applyRepairs(source.slice(range.start, range.end), repairs, range.start).trim();
  const found: { at: number; url: string }[] = [];
  for (const top of nodes) for (const l of linksOf(top)) found.push({ at: span(l).start, url: l.url });
  for (const r of repairs) if (r.target !== undefined) found.push({ at: r.at, url: r.target });
  const urls = found.sort((a, b) => a.at - b.at).map((f) => f.url);
  const paragraph =
    nodes.find((n): n is Paragraph => n.type === "paragraph") ??
    nodes.flatMap((n) => [...walk(n)]).find((n): n is Paragraph => n.type === "paragraph");
  const mended = (node: Nodes) => {
    const s = span(node);
    const inside = repairs.filter((r) => r.at >= s.start && r.at <= s.end);
    return inside.length === 0
      ? plainText(node)
      : plainTextOf(applyRepairs(source.slice(s.start, s.end), inside, s.start));
  };
  return {
    text,
    plain: nodes
      .map(mended)
      .filter((t) => t !== "")
      .join(" "),
    firstParagraph: paragraph === undefined ? "" : mended(paragraph),
    anchors: urls.filter((u) => u.startsWith("#")).map((u) => u.slice(1)),
    web: [...new Set(urls.filter((u) => /^https?:\/\//.test(u)))],
  };
}

/** Reads a definition's markdown on its own (see definitionAt). */
export function readDefinition(markdown: string, names: ReadonlyMap<string, string> = new Map()): Definition {
  return definitionAt(markdown, parseMarkdown(markdown), { start: 0, end: markdown.length }, names);
}

/** Where the missing "[" goes: before the linked term's name when the text ends with it, else the last word. */
function openingBracketAt(before: string, target: string, names: ReadonlyMap<string, string>): number {
  const name = target.startsWith("#") ? names.get(target.slice(1)) : undefined;
  if (name !== undefined) {
    const pattern = new RegExp(`${name.split(/\s+/).map(escapeRegExp).join("\\s+")}$`, "i");
    const m = before.match(pattern);
    if (m !== null) return m.index as number;
  }
  const word = before.match(/[\p{L}\p{N}'-]+$/u);
  return word === null ? before.length : (word.index as number);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Root-relative links made absolute against the site's address. */
function absolutize(text: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined) return text;
  const root = baseUrl.replace(/\/+$/, "");
  return rewriteLinks(text, (url) => (/^\/(?!\/)/.test(url) ? { url: `${root}${url}` } : undefined));
}

function readFaq(data: Record<string, unknown>): FaqEntry[] {
  const params = data.params as Record<string, unknown> | undefined;
  const raw = (params?.faqSchema ?? data.faqSchema ?? []) as unknown;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((e): e is Record<string, unknown> => e !== null && typeof e === "object")
    .map((e) => ({ question: String(e.question ?? "").trim(), answer: String(e.answer ?? "").trim() }))
    .filter((e) => e.question !== "" && e.answer !== "");
}

/** Front matter and body of a page; bad YAML is a problem, and the page is still read without it. */
export function splitFrontMatter(
  source: string,
  file: string,
  problems: LocatedProblem[],
  what: string,
): { data: Record<string, unknown>; body: string; bodyOffset: number } {
  try {
    const parsed = matter(source, {});
    const body = parsed.content;
    return {
      data: (parsed.data ?? {}) as Record<string, unknown>,
      body,
      bodyOffset: source.split("\n").length - body.split("\n").length,
    };
  } catch (error) {
    // js-yaml counts from the opening "---" line (see parseTermFile).
    const line = ((error as { mark?: { line?: number } }).mark?.line ?? 0) + 1;
    problems.push({ file, line, message: `the page's front matter is not valid YAML; ${what}` });
    const body = source.replace(/^---[\s\S]*?^---[ \t]*$/m, (fm) => fm.replace(/[^\n]/g, ""));
    return { data: {}, body, bodyOffset: 0 };
  }
}

/**
 * Turns a glossary page into terms: each term section (or bold-name or definition-list entry) a term with the
 * heading's anchor as id, the `faqSchema` answer as its summary (else its first paragraph as one chat line), a
 * parenthesised acronym in the heading as an alias, in-page links as related terms and absolute links as
 * sources.
 */
export function importGlossaryPage(source: string, file: string, options: ImportOptions = {}): ImportResult {
  const problems: LocatedProblem[] = [];
  const notes: LocatedProblem[] = [];
  const {
    data,
    body: rawBody,
    bodyOffset,
  } = splitFrontMatter(source, file, problems, "its FAQ answers are ignored.");
  const body = expandShortcodes(rawBody);
  const tree = parseMarkdown(body);
  const { entries, style } = pageEntries(tree, body);
  if (entries.length === 0) {
    problems.push({
      file,
      line: 1,
      message: "the page has no ## sections, so there are no terms to import.",
    });
    return { terms: [], origins: new Map(), problems, notes };
  }

  const names = new Map<string, string>();
  const drafts = entries.map((e) => {
    const heading = e.name;
    const id = headingAnchor(heading);
    const { term, aliases } = splitTitle(heading);
    if (!names.has(id)) names.set(id, term);
    return { ...e, line: e.line + bodyOffset, heading, id, term, aliases };
  });

  // Match FAQ questions to sections through the real lookup; fall back to page order.
  const provisional = createGlossary(
    drafts.map((d) => termWithDefaults({ id: d.id, term: d.term, aliases: d.aliases })),
  );
  const answers = new Map<string, string>();
  readFaq(data).forEach((entry, i) => {
    const result = lookupTerm(provisional, entry.question);
    const id = result.found ? result.term.id : drafts[i]?.id;
    if (id !== undefined && !answers.has(id)) answers.set(id, entry.answer);
  });

  const seen = new Set<string>();
  const terms: Term[] = [];
  const origins = new Map<string, TermOrigin>();
  for (const d of drafts) {
    if (d.id === "" || seen.has(d.id)) {
      problems.push({
        file,
        line: d.line,
        message: `the ${style === "sections" ? "heading" : "term"} "${d.heading}" repeats another term's anchor.`,
      });
      continue;
    }
    // Sections are read from the page's own tree; other entries (bold names, definition lists) on their own.
    const read =
      d.range === undefined ? readDefinition(d.text, names) : definitionAt(body, tree, d.range, names);
    const text = absolutize(read.text, options.baseUrl);
    const answer = answers.get(d.id);
    const faq = answer === undefined ? undefined : readDefinition(answer, names);
    const summary = faq === undefined ? chatSummary(read.firstParagraph) : faq.plain;
    if (summary === "") {
      notes.push({
        file,
        line: d.line,
        message: `skipped "${d.term}": it has no text to take a summary from.`,
      });
      continue;
    }
    seen.add(d.id);
    const links = [...read.anchors, ...(faq?.anchors ?? [])];
    const related = [...new Set(links)].filter((id) => id !== d.id && names.has(id));
    // A heading may link to the term's documentation ("## [Envoy](https://...)").
    const titleLinks = d.title.includes("](") ? readDefinition(absolutize(d.title, options.baseUrl)).web : [];
    const web = options.baseUrl === undefined ? read.web : readDefinition(text).web;
    const sources = [...new Set([...titleLinks, ...web])];
    terms.push(
      termWithDefaults({
        id: d.id,
        term: d.term,
        aliases: d.aliases,
        summary,
        body: bodyAfterSummary(text, summary),
        related,
        sources,
      }),
    );
    origins.set(d.id, sectionOrigin(source, file, d.line));
  }
  return { terms, origins, problems, notes };
}

/** Where a section's term and its fields are in the page: the heading, or the text under it. */
function sectionOrigin(source: string, file: string, line: number): TermOrigin {
  const fromHeading = lineFinder(source, line);
  const anywhere = lineFinder(source);
  return {
    file,
    line,
    lineOf: (t: string) => fromHeading(t) ?? anywhere(t),
    fieldLine: (field: string, value?: string) => {
      if (value === undefined) return line;
      if (field === "related") return fromHeading(`(#${value})`) ?? line;
      if (field === "body") return fromHeading(value);
      return line;
    },
  };
}
