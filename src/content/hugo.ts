import matter from "gray-matter";
import { createGlossary, termWithDefaults } from "../core/glossary.js";
import { lookupTerm } from "../core/lookup.js";
import type { Term, TermOrigin } from "../core/types.js";
import { bodyLinks } from "../core/validate.js";
import { type LocatedProblem, lineFinder } from "./term-file.js";

/** Options for reading a Hugo/Docsy glossary page. */
export interface ImportOptions {
  /** Site root that root-relative links ("/2020/12/03/post/") are resolved against. */
  readonly baseUrl?: string;
}

interface FaqEntry {
  readonly question: string;
  readonly answer: string;
}

const HEADING = /^##[ \t]+(.+?)[ \t]*#*[ \t]*$/gm;

/** True for a page of `##` sections whose front matter is not a term's own (it has no `id`). */
export function looksLikeGlossaryPage(source: string): boolean {
  if (!/^##[ \t]+\S/m.test(source)) return false;
  try {
    return !("id" in matter(source, {}).data);
  } catch {
    return true;
  }
}

/** Hugo's default heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  const custom = heading.match(/\{#([\w-]+)\}\s*$/);
  if (custom !== null) return custom[1] as string;
  return heading
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]+/gu, "")
    .trim()
    .replace(/\s+/g, "-")
    .replace(/-+/g, "-");
}

/**
 * Mends the slips a hand-edited page tends to have, so they do not leak into chat: a link missing its `[`
 * ("control plane](#control-plane)") and a link glued to the word before it ("applying[techniques").
 */
export function repairMarkdown(text: string, names: ReadonlyMap<string, string>): string {
  const paragraphs = text.split(/\n{2,}/);
  return paragraphs
    .map((para) => {
      let out = "";
      let open = 0;
      for (let i = 0; i < para.length; i++) {
        const ch = para[i] as string;
        if (ch === "[") open++;
        if (ch === "]" && para[i + 1] === "(") {
          if (open === 0) out = insertOpeningBracket(out, para.slice(i + 2, para.indexOf(")", i)), names);
          else open--;
        } else if (ch === "]" && open > 0) {
          open--;
        }
        out += ch;
      }
      // Link text may wrap onto the next line ("applying[techniques\nlike retries](...)").
      return out.replace(/([\p{L}\p{N}])\[(?=[^\]]*\]\()/gu, "$1 [");
    })
    .join("\n\n");
}

function insertOpeningBracket(before: string, target: string, names: ReadonlyMap<string, string>): string {
  // Prefer the target term's own name when the text before the slip ends with it.
  const name = target.startsWith("#") ? names.get(target.slice(1)) : undefined;
  if (name !== undefined) {
    const pattern = new RegExp(`${name.split(/\s+/).map(escapeRegExp).join("\\s+")}$`, "i");
    const m = before.match(pattern);
    if (m !== null) return `${before.slice(0, m.index)}[${before.slice(m.index)}`;
  }
  const word = before.match(/[\p{L}\p{N}'-]+$/u);
  if (word === null) return `${before}[`;
  return `${before.slice(0, word.index)}[${before.slice(word.index)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function absolutize(text: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined) return text;
  const root = baseUrl.replace(/\/+$/, "");
  return text.replace(/\]\((\/[^)\s]*)\)/g, (_, path: string) => `](${root}${path})`);
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

/** The first sentence-ish plain text of a body, for sections that have no FAQ answer. */
function firstParagraph(body: string): string {
  return (body.split(/\n{2,}/)[0] ?? "").replace(/\s+/g, " ").trim();
}

/** Markdown links reduced to their text, whitespace collapsed: a summary is one plain line. */
function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Turns a Hugo/Docsy glossary page into terms: each `##` section a term with the heading's anchor as id,
 * the `faqSchema` answer as its summary (else the section's first paragraph), a parenthesised acronym in
 * the heading as an alias, in-page links as related terms and absolute links as sources.
 */
export function importGlossaryPage(
  source: string,
  file: string,
  options: ImportOptions = {},
): { terms: Term[]; origins: Map<string, TermOrigin>; problems: LocatedProblem[] } {
  const problems: LocatedProblem[] = [];
  let data: Record<string, unknown> = {};
  let body = source;
  let bodyOffset = 0;
  try {
    const parsed = matter(source, {});
    data = (parsed.data ?? {}) as Record<string, unknown>;
    body = parsed.content;
    bodyOffset = source.split("\n").length - body.split("\n").length;
  } catch (error) {
    // js-yaml counts from the opening "---" line (see parseTermFile).
    const line = ((error as { mark?: { line?: number } }).mark?.line ?? 0) + 1;
    problems.push({
      file,
      line,
      message: "the page's front matter is not valid YAML; its FAQ answers are ignored.",
    });
    body = source.replace(/^---[\s\S]*?^---\s*$/m, "");
  }

  const sections: { heading: string; line: number; text: string }[] = [];
  const matches = [...body.matchAll(HEADING)];
  matches.forEach((m, i) => {
    const start = (m.index as number) + m[0].length;
    const end = i + 1 < matches.length ? (matches[i + 1]?.index as number) : body.length;
    const line = bodyOffset + body.slice(0, m.index).split("\n").length;
    sections.push({ heading: (m[1] as string).trim(), line, text: body.slice(start, end).trim() });
  });
  if (sections.length === 0) {
    problems.push({
      file,
      line: 1,
      message: "the page has no ## sections, so there are no terms to import.",
    });
    return { terms: [], origins: new Map(), problems };
  }

  const names = new Map<string, string>();
  const drafts = sections.map((s) => {
    const id = headingAnchor(s.heading);
    const bare = s.heading.replace(/\s*\{#[\w-]+\}\s*$/, "");
    const acronym = bare.match(/\(([^)]+)\)\s*$/);
    const term = acronym === null ? bare : bare.slice(0, acronym.index).trim();
    names.set(id, term);
    return { ...s, id, term, aliases: acronym === null ? [] : [(acronym[1] as string).trim()] };
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
  const lineOf = lineFinder(source);
  for (const d of drafts) {
    if (d.id === "" || seen.has(d.id)) {
      problems.push({
        file,
        line: d.line,
        message: `the heading "${d.heading}" repeats another term's anchor.`,
      });
      continue;
    }
    seen.add(d.id);
    const text = absolutize(repairMarkdown(d.text, names), options.baseUrl);
    const answer = answers.get(d.id);
    const summary = plainText(answer === undefined ? firstParagraph(text) : repairMarkdown(answer, names));
    const links = [
      ...bodyLinks(text),
      ...bodyLinks(answer === undefined ? "" : repairMarkdown(answer, names)),
    ];
    const related = [...new Set(links)].filter((id) => id !== d.id && names.has(id));
    const sources = [
      ...new Set([...text.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => m[1] as string)),
    ];
    terms.push(
      termWithDefaults({ id: d.id, term: d.term, aliases: d.aliases, summary, body: text, related, sources }),
    );
    const from = d.line;
    origins.set(d.id, { file, line: from, lineOf: (t: string) => lineFinder(source, from)(t) ?? lineOf(t) });
  }
  return { terms, origins, problems };
}
