import { styleText } from "node:util";
import type { Reply } from "../../src/core/command.js";
import {
  deniedText,
  explanationLead,
  HELP_LEAD,
  helpLines,
  type Markup,
  NOTHING_TO_EXPLAIN,
  namedOnlyText,
  noSearchResultsText,
  notFoundText,
  settingsText,
} from "../../src/core/messages.js";
import type { Term } from "../../src/core/types.js";

/** Colour functions; plain identity functions when colour is off. */
export interface Palette {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly term: (s: string) => string;
  readonly code: (s: string) => string;
}

const plain = (s: string) => s;

/** A palette: colour only when asked for (a terminal without NO_COLOR). */
export function paletteFor(color: boolean): Palette {
  if (!color) return { bold: plain, dim: plain, term: plain, code: plain };
  return {
    bold: (s) => styleText("bold", s),
    dim: (s) => styleText("dim", s),
    term: (s) => styleText(["bold", "cyan"], s),
    code: (s) => styleText("yellow", s),
  };
}

// Control characters (escape sequences included) typed by a user are dropped before echoing them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function markupFor(p: Palette, prefix: string): Markup {
  return { bold: p.bold, code: p.code, quote: (s) => s.replace(CONTROL, ""), prefix, user: (id) => id };
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

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/** Renders a reply as terminal text. `prefix` is how commands are typed here ("mesh " or "/mesh "). */
export function renderReply(reply: Reply, p: Palette, prefix: string): string {
  const m = markupFor(p, prefix);
  switch (reply.kind) {
    case "definition": {
      const t = reply.term;
      const aka = t.aliases.length > 0 ? p.dim(` (also: ${t.aliases.join(", ")})`) : "";
      const lines = [`${p.term(t.term)}${aka}`, indent(t.summary)];
      if (t.body !== "") lines.push("", indent(markdownToTerminal(t.body, p)));
      if (reply.related.length > 0) lines.push("", indent(`${p.dim("Related:")} ${names(reply.related, p)}`));
      if (reply.seeAlso.length > 0)
        lines.push(indent(`${p.dim("Can also mean:")} ${names(reply.seeAlso, p)}`));
      for (const s of t.sources) lines.push(indent(`${p.dim("Source:")} ${s}`));
      return lines.join("\n");
    }
    case "notFound": {
      const lead = notFoundText(reply, m);
      return reply.suggestions.length === 0 ? lead : `${lead} ${names(reply.suggestions, p)}?`;
    }
    case "searchResults":
      if (reply.results.length === 0) return noSearchResultsText(reply.query, m);
      return [
        `Terms that mention "${p.bold(m.quote(reply.query))}":`,
        ...reply.results.map((t) => `  ${p.term(t.term)}  ${p.dim(t.summary)}`),
      ].join("\n");
    case "list": {
      const out: string[] = [`${reply.total} terms`];
      for (const g of reply.groups) {
        out.push("", p.bold(g.topic.charAt(0).toUpperCase() + g.topic.slice(1)));
        for (const t of g.terms) out.push(`  ${p.term(t.term)}  ${p.dim(t.summary)}`);
      }
      return out.join("\n");
    }
    case "related":
      return reply.related.length === 0
        ? `${p.term(reply.term.term)} has no related terms yet.`
        : `${p.term(reply.term.term)} goes with: ${names(reply.related, p)}`;
    case "help": {
      const lead = reply.usage !== undefined ? `Usage: ${p.code(prefix + reply.usage)}\n\n` : "";
      return `${lead}${HELP_LEAD}\n${helpLines(m)
        .map((l) => `  ${l}`)
        .join("\n")}`;
    }
    case "autoExplainSettings":
      return settingsText(reply, m, when);
    case "denied":
      return deniedText(reply, "manage this channel", m);
    case "explanation": {
      if (reply.terms.length === 0) return NOTHING_TO_EXPLAIN;
      const lines = [`${p.dim("↳")} ${explanationLead(reply.terms, m)}`];
      for (const d of reply.terms) lines.push(`    ${p.term(d.term.term)}: ${d.term.summary}`);
      if (reply.named.length > 0) lines.push(`    ${namedOnlyText(reply.named, m)}`);
      return lines.join("\n");
    }
  }
}
