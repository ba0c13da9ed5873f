// The one place markdown is parsed: CommonMark plus GitHub's extensions (tables, autolinks, strikethrough),
// through micromark and mdast, so code fences, HTML blocks and setext headings are read as a renderer would.
import type { Heading, Link, Nodes, Parent, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString as mdastToString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";

/** Parses markdown into an mdast tree whose nodes carry offsets into `text`. */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** Start and end offsets of a node in the text it was parsed from. */
export function span(node: Nodes): { start: number; end: number } {
  return { start: node.position?.start.offset ?? 0, end: node.position?.end.offset ?? 0 };
}

/** 1-based line of a node's start. */
export function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 1;
}

/** The inline markdown inside a heading, paragraph or emphasis as written: no `#` marks, no `**`. */
export function inlineSource(node: Parent, text: string): string {
  const first = node.children[0];
  const last = node.children[node.children.length - 1];
  if (first === undefined || last === undefined) return "";
  return text.slice(span(first).start, span(last).end);
}

/** A node's words without markup, whitespace collapsed to single spaces: one plain line. */
export function plainText(node: Nodes): string {
  return mdastToString(node, { includeHtml: false }).replace(/\s+/g, " ").trim();
}

/** Plain text of a markdown snippet ("the [data plane](#data-plane)" → "the data plane"). */
export function plainTextOf(markdown: string): string {
  return plainText(parseMarkdown(markdown));
}

/** Every node under `node`, depth first, in document order. */
export function* walk(node: Nodes): Generator<Nodes> {
  yield node;
  if ("children" in node) for (const child of node.children as Nodes[]) yield* walk(child);
}

/** Every inline link (`[text](url)`) in the tree, in document order; never one inside code. */
export function linksOf(root: Nodes): Link[] {
  const out: Link[] = [];
  for (const node of walk(root)) if (node.type === "link") out.push(node);
  return out;
}

/** One heading of a document and the markdown under it. */
export interface MarkdownSection {
  readonly heading: Heading;
  /** The heading's inline markdown as written ("Egress {#egress}", "The [`tap`](#tap) command"). */
  readonly title: string;
  /** 1-based line of the heading. */
  readonly line: number;
  /** 1-based line where `text` starts. */
  readonly textLine: number;
  /** Everything after the heading up to the next heading of the same or a higher level, trimmed. */
  readonly text: string;
  /** Offsets of that stretch (untrimmed) in the document. */
  readonly range: { readonly start: number; readonly end: number };
}

/** The document's top-level headings, in document order. */
export function topHeadings(root: Root): Heading[] {
  return root.children.filter((n): n is Heading => n.type === "heading");
}

/**
 * Cuts a document into the sections of its top-level headings of `depth`. A heading of a higher level
 * (fewer `#`) ends a section without starting one; deeper headings stay inside their section.
 */
export function sectionsAt(root: Root, text: string, depth: number): MarkdownSection[] {
  const sections: MarkdownSection[] = [];
  const children: RootContent[] = root.children;
  children.forEach((node, i) => {
    if (node.type !== "heading" || node.depth !== depth) return;
    const next = children.slice(i + 1).find((n) => n.type === "heading" && n.depth <= depth);
    const start = span(node).end;
    const end = next === undefined ? text.length : span(next).start;
    const raw = text.slice(start, end);
    const leading = raw.length - raw.trimStart().length;
    sections.push({
      heading: node,
      title: inlineSource(node, text).trim(),
      line: lineOf(node),
      textLine: (node.position?.end.line ?? 1) + (raw.slice(0, leading).match(/\n/g)?.length ?? 0),
      text: raw.trim(),
      range: { start, end },
    });
  });
  return sections;
}

/** What to do with one link when rewriting: give it another address, or keep only its text. */
export type LinkEdit = { readonly url: string } | { readonly unlink: true } | undefined;

/**
 * Rewrites the inline links of a markdown text, leaving every other character as written. Links inside code
 * are not links and are never touched; reference-style links are left alone.
 */
export function rewriteLinks(markdown: string, edit: (url: string, link: Link) => LinkEdit): string {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const link of linksOf(parseMarkdown(markdown))) {
    const change = edit(link.url, link);
    if (change === undefined) continue;
    const { start, end } = span(link);
    const labelStart = link.children.length === 0 ? start + 1 : span(link.children[0] as Nodes).start;
    const labelEnd = link.children.length === 0 ? start + 1 : span(link.children.at(-1) as Nodes).end;
    const tail = markdown.slice(labelEnd, end);
    // An autolink (<https://x>, or a bare address with GFM) has no "](": keep it as written.
    if (!tail.startsWith("](")) continue;
    if ("unlink" in change) {
      edits.push({ start, end, text: markdown.slice(labelStart, labelEnd) });
    } else {
      const open = tail.slice(2).match(/^\s*<?/)?.[0] ?? "";
      const destStart = labelEnd + 2 + open.length;
      const rest = tail.slice(2 + open.length);
      // <...> may hold spaces; a bare destination ends at a space or at the ")" that closes the link.
      const dest = open.endsWith("<")
        ? (rest.match(/^[^>]*/)?.[0] ?? "")
        : (rest.match(/^(?:[^\s()]|\([^\s()]*\))*/)?.[0] ?? "");
      edits.push({ start: destStart, end: destStart + dest.length, text: change.url });
    }
  }
  let out = markdown;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
