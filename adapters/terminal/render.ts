import { styleText } from "node:util";
import type { Term } from "../../src/core/types.js";
import { namedOnlyText } from "../../src/present/messages.js";
import { sanitizeEcho } from "../../src/present/sanitize.js";
import type { Surface, View, ViewBlock } from "../../src/present/view.js";

/** Colour functions; plain identity functions when colour is off. */
export interface Palette {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly term: (s: string) => string;
  readonly code: (s: string) => string;
}

const plain = (s: string) => s;
/** The caller already chose colour for its own output stream; styleText would check process.stdout instead. */
const NO_STREAM_CHECK = { validateStream: false } as const;

/** A palette: colour only when asked for (a terminal without NO_COLOR). */
export function paletteFor(color: boolean): Palette {
  if (!color) return { bold: plain, dim: plain, term: plain, code: plain };
  return {
    bold: (s) => styleText("bold", s, NO_STREAM_CHECK),
    dim: (s) => styleText("dim", s, NO_STREAM_CHECK),
    term: (s) => styleText(["bold", "cyan"], s, NO_STREAM_CHECK),
    code: (s) => styleText("yellow", s, NO_STREAM_CHECK),
  };
}

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/**
 * How the terminal shows text: colours from the palette; `prefix` is how commands are typed here ("/mesh " in
 * the chat, whose team glossary can be changed; "mesh " on the command line, which only reads).
 */
export function terminalSurface(p: Palette, prefix: string): Surface {
  return {
    markup: {
      bold: p.bold,
      code: p.code,
      quote: (s) => sanitizeEcho(s),
      term: p.term,
      prefix,
      user: (id) => id,
      when,
      channel: () => "this terminal",
    },
    // Choices are named in the sentence: a terminal has nothing to click.
    buttons: false,
    bullet: "  ",
    managePermission: "manage this channel",
    maintainPermission: "maintain the glossary",
    teamGlossary: prefix === "/mesh ",
    homeTab: false,
  };
}

/** Markdown to terminal text: links become their text (with the address when it is a web link). */
export function markdownToTerminal(markdown: string, p: Palette): string {
  return markdown
    .replace(/```[a-z]*\n?([\s\S]*?)```/g, (_, code: string) => p.code(code.trimEnd()))
    .replace(/`([^`\n]+)`/g, (_, code: string) => p.code(code))
    .replace(/\[([^\]]+)\]\(#[^)]*\)/g, (_, text: string) => p.bold(text))
    .replace(
      /\[([^\]]+)\]\((https?:[^)\s]+)\)/g,
      (_, text: string, url: string) => `${text} ${p.dim(`<${url}>`)}`,
    )
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\*\*([^*\n]+)\*\*/g, (_, b: string) => p.bold(b))
    .replace(/(?<!\n)[ \t]*\n(?!\n)[ \t]*/g, " ")
    .replace(/\n{2,}/g, "\n\n");
}

function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

function names(terms: readonly Term[], p: Palette): string {
  return terms.map((t) => p.term(t.term)).join(", ");
}

function definition(block: Extract<ViewBlock, { type: "card" }>, p: Palette): string {
  const t = block.term;
  const aka = t.aliases.length > 0 ? p.dim(` (also: ${t.aliases.join(", ")})`) : "";
  const label = block.label === undefined ? [] : [p.dim(`[${block.label}]`)];
  const lines = [...label, `${p.term(t.term)}${aka}`, indent(t.summary)];
  if (t.body !== "") lines.push("", indent(markdownToTerminal(t.body, p)));
  if (block.related.length > 0) lines.push("", indent(`${p.dim("Related:")} ${names(block.related, p)}`));
  if (block.seeAlso.length > 0) lines.push(indent(`${p.dim("Can also mean:")} ${names(block.seeAlso, p)}`));
  for (const s of t.sources) lines.push(indent(`${p.dim("Source:")} ${s}`));
  if (block.asOf !== undefined) lines.push(indent(p.dim(block.asOf)));
  if (block.keeper !== undefined) lines.push(indent(p.dim(block.keeper)));
  if (block.credit !== undefined) lines.push(indent(p.dim(block.credit)));
  return lines.join("\n");
}

function blockText(block: ViewBlock, surface: Surface, p: Palette): string | undefined {
  switch (block.type) {
    case "echo":
    case "buttons":
    case "note":
      // What you typed is on the screen already, right above the term it found; there is nothing to click.
      return undefined;
    case "text":
      return block.text;
    case "card":
      return definition(block, p);
    case "terms":
      return block.terms.map((t) => `  ${p.term(t.term)}  ${p.dim(t.summary)}`).join("\n");
    case "explanation": {
      const lines = [`${p.dim("↳")} ${block.lead}`];
      for (const d of block.terms) lines.push(`    ${p.term(d.term.term)}: ${d.term.summary}`);
      if (block.named.length > 0) lines.push(`    ${namedOnlyText(block.named, surface.markup)}`);
      return lines.join("\n");
    }
    case "topics": {
      const out: string[] = [block.title];
      for (const g of block.groups) {
        out.push("", p.bold(g.topic.charAt(0).toUpperCase() + g.topic.slice(1)));
        for (const t of g.terms) out.push(`  ${p.term(t.term)}  ${p.dim(t.summary)}`);
      }
      return out.join("\n");
    }
  }
}

/** Renders a view of the bot as terminal text, in the palette and markup of `surface`. */
export function renderView(view: View, surface: Surface, p: Palette): string {
  return view.blocks.flatMap((b) => blockText(b, surface, p) ?? []).join("\n");
}
