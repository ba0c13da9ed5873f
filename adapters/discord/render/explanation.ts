import type { APIButtonComponent } from "discord.js";
import { ButtonStyle } from "discord.js";
import type { DetectedTerm } from "../../../src/core/detect.js";
import { namedOnlyText } from "../../../src/present/messages.js";
import type { ViewBlock } from "../../../src/present/view.js";
import { type ButtonRow, button, LABELS, rows } from "./components.js";
import { DISCORD_LIMITS, truncate } from "./limits.js";
import { DISCORD_MARKUP as M } from "./markup.js";

type Explanation = Extract<ViewBlock, { type: "explanation" }>;

/** Longest line given to one term, so several fit in one message. */
const LINE_CHARS = 320;
/** Room kept at the end of the message for the "Also mentioned" line. */
const NAMED_RESERVE = 300;

/** The name of an auto-explain thread: "Jargon: egress, latency", at most 100 characters. */
export function threadName(terms: readonly DetectedTerm[]): string {
  const words: string[] = [];
  for (const d of terms) {
    const w = d.text.replace(/\s+/g, " ").trim();
    if (w !== "" && !words.some((x) => x.toLowerCase() === w.toLowerCase())) words.push(w);
  }
  return truncate(`Jargon: ${words.join(", ")}`, DISCORD_LIMITS.threadName);
}

/**
 * An explanation: which words it explains, then one line per term ("**Egress**: summary"), then the terms
 * that did not fit, named. Auto-explain replies carry "More" and "Not jargon here" buttons per term;
 * "Explain this message" replies carry "More".
 */
export function explanationMessage(reply: Explanation): { content: string; components: ButtonRow[] } {
  const lead = truncate(reply.lead, 400);
  const shown: DetectedTerm[] = [];
  const overflow: DetectedTerm[] = [];
  let content = lead;
  for (const d of reply.terms) {
    const line = truncate(`${M.bold(d.term.term)}: ${d.term.summary}`, LINE_CHARS);
    if (overflow.length === 0 && content.length + 1 + line.length <= DISCORD_LIMITS.content - NAMED_RESERVE) {
      content += `\n${line}`;
      shown.push(d);
    } else overflow.push(d);
  }
  const named = [...overflow, ...reply.named];
  if (named.length > 0) {
    content += `\n${truncate(namedOnlyText(named, M), DISCORD_LIMITS.content - content.length - 1)}`;
  }
  return { content: truncate(content, DISCORD_LIMITS.content), components: explanationButtons(reply, shown) };
}

function explanationButtons(reply: Explanation, shown: readonly DetectedTerm[]): ButtonRow[] {
  const more: APIButtonComponent[] = [];
  const notJargon: APIButtonComponent[] = [];
  for (const d of shown) {
    const m = button(
      shown.length === 1 ? LABELS.more : LABELS.moreAbout(d.term.term),
      { kind: "more", termId: d.term.id },
      ButtonStyle.Primary,
    );
    if (m !== undefined) more.push(m);
    if (reply.silenceable) {
      const n = button(LABELS.notJargon(d.term.term), { kind: "silence", termId: d.term.id });
      if (n !== undefined) notJargon.push(n);
    }
  }
  const moreRows = rows(more);
  return [...moreRows, ...rows(notJargon, DISCORD_LIMITS.rows - moreRows.length)];
}
