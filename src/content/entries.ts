// The terms of one glossary page, whatever its style: `##` sections (the Hugo/Docsy page, most GLOSSARY.md
// files), `###` sections under letter headings ("## A"), or no headings at all and one entry a paragraph:
// `**Term**: definition`, `- **Term** - definition`, or a definition list ("Term" then ": definition").
import type { ListItem, Nodes, Paragraph, Root } from "mdast";
import { inlineSource, lineOf, plainText, plainTextOf, sectionsAt, span, topHeadings } from "./markdown.js";

/** One term's entry on a page, before it becomes a term. */
export interface PageEntry {
  /** The term's heading or bold name as written, markdown included ("Egress {#egress}"). */
  readonly title: string;
  /** The same as plain text ("Egress {#egress}"). */
  readonly name: string;
  /** 1-based line of the heading or name. */
  readonly line: number;
  /** The definition's markdown as written. */
  readonly text: string;
  /** Where a section's text is in the page, so its parsed nodes can be used as they are. */
  readonly range?: { readonly start: number; readonly end: number };
}

/** A heading that only groups terms by their first letter: "A", "A-C", "0-9", "#". */
const LETTER_GROUP = /^(?:\p{L}|\p{L}\s*[-–]\s*\p{L}|0\s*[-–]\s*9|#|symbols|numbers)$/iu;

/**
 * The heading level whose sections are terms: `##`, or `###` when every `##` only groups terms by letter
 * (or there is none); undefined when the page has neither.
 */
export function termHeadingDepth(root: Root): number | undefined {
  const headings = topHeadings(root);
  const h2 = headings.filter((h) => h.depth === 2);
  if (h2.some((h) => !LETTER_GROUP.test(plainText(h)))) return 2;
  if (headings.some((h) => h.depth === 3)) return 3;
  return undefined;
}

/** Reads the entries of a page body: its term sections, else its bold-name or definition-list entries. */
export function pageEntries(root: Root, body: string): { entries: PageEntry[]; style: "sections" | "list" } {
  const depth = termHeadingDepth(root);
  if (depth !== undefined) {
    const entries = sectionsAt(root, body, depth).map((s) => ({
      title: s.title,
      name: plainText(s.heading),
      line: s.line,
      text: s.text,
      range: s.range,
    }));
    return { entries, style: "sections" };
  }
  return { entries: listEntries(root, body), style: "list" };
}

const SEPARATOR = /^\s*(?:[:：]|[-–—](?=\s))\s*/;

/** `**Term**: definition` (or `**Term:** definition`, `**Term** - definition`) as the start of a paragraph. */
function boldEntry(paragraph: Paragraph, body: string, rest: string): PageEntry | undefined {
  const first = paragraph.children[0];
  if (first?.type !== "strong") return undefined;
  const name = inlineSource(first, body).trim();
  const plain = plainText(first).replace(/\s*[:：]$/, "");
  const after = body.slice(span(first).end, span(paragraph).end);
  const separator = after.match(SEPARATOR);
  const colonInside = /[:：]$/.test(name);
  if (separator === null && !colonInside) return undefined;
  const title = name.replace(/\s*[:：]$/, "").trim();
  const text = `${after.slice(separator?.[0].length ?? after.length - after.trimStart().length)}${rest}`;
  if (title === "" || text.trim() === "") return undefined;
  return { title, name: plain, line: lineOf(paragraph), text: text.trim() };
}

/** Lines of a paragraph as a definition list: term lines, each followed by `: definition` lines. */
function definitionListEntries(paragraph: Paragraph, body: string, pending: string | undefined): PageEntry[] {
  const source = body.slice(span(paragraph).start, span(paragraph).end);
  const lines = source.split("\n");
  const entries: PageEntry[] = [];
  let title = pending;
  let titleLine = lineOf(paragraph) - 1;
  lines.forEach((line, i) => {
    const definition = line.match(/^\s{0,3}:\s+(.*)$/);
    if (definition === null) {
      const last = entries.at(-1);
      // A continuation line of the definition above, or the next term.
      if (last !== undefined && title === undefined && i > 0 && /^\s/.test(line)) {
        entries[entries.length - 1] = { ...last, text: `${last.text}\n${line.trim()}` };
      } else {
        title = line.trim();
        titleLine = lineOf(paragraph) + i;
      }
      return;
    }
    if (title === undefined) return;
    entries.push({
      title,
      name: plainTextOf(title),
      line: titleLine,
      text: (definition[1] as string).trim(),
    });
    title = undefined;
  });
  return entries;
}

function isDefinitionParagraph(node: Nodes, body: string): node is Paragraph {
  if (node.type !== "paragraph") return false;
  return /^\s{0,3}:\s+\S/m.test(body.slice(span(node).start, span(node).end));
}

/** Entries of a page without term headings: bold names in paragraphs or list items, or a definition list. */
function listEntries(root: Root, body: string): PageEntry[] {
  const entries: PageEntry[] = [];
  const children = root.children;
  children.forEach((node, i) => {
    if (node.type === "paragraph") {
      const bold = boldEntry(node, body, "");
      if (bold !== undefined) {
        entries.push(bold);
        return;
      }
      if (isDefinitionParagraph(node, body)) {
        // "Term" alone in the paragraph before ": definition" (a blank line between them).
        const previous = children[i - 1];
        const pending =
          previous?.type === "paragraph" &&
          !/\n/.test(plainText(previous)) &&
          !isDefinitionParagraph(previous, body)
            ? plainText(previous)
            : undefined;
        entries.push(...definitionListEntries(node, body, pending));
      }
    } else if (node.type === "list") {
      for (const item of node.children as ListItem[]) {
        const [lead, ...more] = item.children;
        if (lead?.type !== "paragraph") continue;
        const rest =
          more.length === 0 ? "" : `\n\n${body.slice(span(more[0] as Nodes).start, span(item).end)}`;
        const bold = boldEntry(lead, body, rest);
        if (bold !== undefined) entries.push(bold);
      }
    }
  });
  return entries;
}
