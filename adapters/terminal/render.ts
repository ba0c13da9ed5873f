import { styleText } from "node:util";
import { COMMAND_HELP, type Reply } from "../../src/core/command.js";
import type { Term } from "../../src/core/types.js";

/** Colour functions; plain identity functions when colour is off. */
export interface Palette {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly term: (s: string) => string;
  readonly code: (s: string) => string;
  readonly warn: (s: string) => string;
}

const plain = (s: string) => s;

/** A palette for a stream: colour only on a terminal and when NO_COLOR is not set. */
export function paletteFor(color: boolean): Palette {
  if (!color) return { bold: plain, dim: plain, term: plain, code: plain, warn: plain };
  return {
    bold: (s) => styleText("bold", s),
    dim: (s) => styleText("dim", s),
    term: (s) => styleText(["bold", "cyan"], s),
    code: (s) => styleText("yellow", s),
    warn: (s) => styleText("yellow", s),
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
    .replace(/\s*\n(?!\n)\s*/g, " ")
    .replace(/\n{2,}/g, "\n\n");
}

function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

function names(terms: readonly Term[]): string {
  return terms.map((t) => t.term).join(", ");
}

/** Renders a reply as terminal text. `prefix` is how commands are typed here ("mesh " or "/mesh "). */
export function renderReply(reply: Reply, p: Palette, prefix: string): string {
  switch (reply.kind) {
    case "definition": {
      const t = reply.term;
      const aka = t.aliases.length > 0 ? p.dim(` (also: ${t.aliases.join(", ")})`) : "";
      const lines = [`${p.term(t.term)}${aka}`, indent(t.summary)];
      if (t.body !== "") lines.push("", indent(markdownToTerminal(t.body, p)));
      if (reply.related.length > 0) lines.push("", indent(`${p.dim("Related:")} ${names(reply.related)}`));
      if (reply.seeAlso.length > 0) lines.push(indent(`${p.dim("Can also mean:")} ${names(reply.seeAlso)}`));
      for (const s of t.sources) lines.push(indent(`${p.dim("Source:")} ${s}`));
      return lines.join("\n");
    }
    case "notFound": {
      if (reply.reason === "empty") return `Which term? Try ${p.code(`${prefix}define egress`)}.`;
      const asked = p.bold(reply.query);
      if (reply.suggestions.length === 0) {
        return `I don't know "${asked}" yet. ${p.code(`${prefix}list`)} shows every term I know.`;
      }
      const lead =
        reply.reason === "ambiguous"
          ? `"${asked}" could mean more than one term.`
          : `I don't know "${asked}".`;
      return `${lead} Did you mean: ${reply.suggestions.map((t) => p.term(t.term)).join(", ")}?`;
    }
    case "searchResults": {
      if (reply.results.length === 0) return `Nothing in the glossary mentions "${p.bold(reply.query)}".`;
      return [
        `Terms that mention "${p.bold(reply.query)}":`,
        ...reply.results.map((t) => `  ${p.term(t.term)}  ${p.dim(t.summary)}`),
      ].join("\n");
    }
    case "list": {
      const out: string[] = [`${reply.total} terms`];
      for (const g of reply.groups) {
        out.push("", p.bold(g.topic[0]?.toUpperCase() + g.topic.slice(1)));
        for (const t of g.terms) out.push(`  ${p.term(t.term)}  ${p.dim(t.summary)}`);
      }
      return out.join("\n");
    }
    case "related":
      return reply.related.length === 0
        ? `${p.term(reply.term.term)} has no related terms yet.`
        : `${p.term(reply.term.term)} goes with: ${reply.related.map((t) => p.term(t.term)).join(", ")}`;
    case "help": {
      const lead = reply.usage !== undefined ? `Usage: ${p.code(prefix + reply.usage)}\n\n` : "";
      const width = Math.max(...COMMAND_HELP.map((c) => c.usage.length)) + prefix.length + 2;
      const rows = COMMAND_HELP.map((c) => `  ${p.code((prefix + c.usage).padEnd(width))}${c.description}`);
      return `${lead}I explain service mesh jargon. Commands:\n${rows.join("\n")}`;
    }
  }
}
