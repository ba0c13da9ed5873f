import { escapeMarkdown, type MessageMentionOptions } from "discord.js";
import type { Term } from "../../../src/core/types.js";
import { sanitizeEcho } from "../../../src/present/sanitize.js";
import type { Markup, Surface } from "../../../src/present/view.js";

/**
 * Mentions nobody: sent on every message the adapter posts, on top of the client default, so no reply can
 * ping a person, a role, @everyone or @here, whatever text it quotes.
 */
export const NO_MENTIONS: MessageMentionOptions = Object.freeze({ parse: [], repliedUser: false });

/** Longest piece of user text echoed back. */
const MAX_QUOTE = 120;

/** Words with nothing for markdown or mentions in them ("sidecar proxy", "mTLS", "service-profile"). */
const PLAIN_WORDS = /^[\p{L}\p{N}][\p{L}\p{N} -]*$/u;

/**
 * Text a user typed, made inert for echoing: one line, markdown escaped, and mention syntax (`<@id>`,
 * `<#id>`, `<@&id>`, `@everyone`, `@here`) broken with a zero-width space so it shows as typed and links
 * nowhere. allowedMentions already stops pings; this also stops the mention from rendering as one.
 */
export function quoteUserText(text: string): string {
  const oneLine = sanitizeEcho(text, MAX_QUOTE);
  // Letters, digits and inner spaces and hyphens are never markdown or a mention: most quoted jargon is.
  if (PLAIN_WORDS.test(oneLine)) return oneLine;
  return escapeMarkdown(oneLine)
    .replace(/<(?=[@#:]|a:|t:)/g, "<\u200b")
    .replace(/@(?=everyone|here)/gi, "@\u200b");
}

/** Mention syntax that would ping or link a person or role: `<@id>`, `<@!id>`, `<@&id>`, `@everyone`, `@here`. */
const MENTION = /<(?=@)|@(?=everyone|here)/gi;

/**
 * Text people wrote into the team's glossary (a term's name, summary, body), shown on Discord with its mention
 * syntax broken by a zero-width space: it reads as typed and neither pings nor renders as a mention.
 * Markdown is kept: a term's body is written in it.
 */
export function inertMentions(text: string): string {
  return text.replace(MENTION, (m) => `${m}\u200b`);
}

/** A term whose text is safe to show on Discord (the same object when nothing in it looks like a mention). */
export function inertTerm(term: Term): Term {
  let inert = inertTerms.get(term);
  if (inert === undefined) {
    const texts = [term.term, term.summary, term.body, ...term.aliases];
    inert = !texts.some((t) => /<@|@(?:everyone|here)/i.test(t))
      ? term
      : {
          ...term,
          term: inertMentions(term.term),
          summary: inertMentions(term.summary),
          body: inertMentions(term.body),
          aliases: term.aliases.map(inertMentions),
        };
    inertTerms.set(term, inert);
  }
  return inert;
}

/** Each term made inert once: a term is never changed in place (an edit or a reload makes a new one). */
const inertTerms = new WeakMap<Term, Term>();

/** A Discord timestamp: each reader sees it in their own time zone, relative ("3 days ago"). */
export const discordTime = (ms: number) => `<t:${Math.floor(ms / 1000)}:R>`;

/** How the shared sentences are marked up on Discord. */
export const DISCORD_MARKUP: Markup = Object.freeze({
  bold: (s: string) => `**${s}**`,
  code: (s: string) => `\`${s.replaceAll("`", "ˋ")}\``,
  quote: quoteUserText,
  term: inertMentions,
  prefix: "/mesh ",
  // Renders the person's name; NO_MENTIONS keeps it from pinging them.
  user: (id: string) => `<@${id}>`,
  when: discordTime,
  channel: (id: string) => (/^\d+$/.test(id) ? `<#${id}>` : quoteUserText(id)),
});

/** What Discord can show; changing a channel's settings takes Manage Channels. */
export const DISCORD_SURFACE: Surface = Object.freeze({
  markup: DISCORD_MARKUP,
  buttons: true,
  bullet: "",
  managePermission: "manage this channel (the Manage Channels permission)",
  maintainPermission: "maintain this server's glossary (the Manage Server permission, or MESH_MAINTAINERS)",
  teamGlossary: true,
  homeTab: false,
});

/**
 * A term body's markdown for Discord: `[text](#id)` links to other terms become bold text (Discord cannot
 * link inside the glossary); web links, lists and code stay as they are; hard-wrapped lines are joined.
 */
export function bodyToDiscord(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let inFence = false;
  for (const line of lines) {
    const fence = /^\s*```/.test(line);
    const prev = out.at(-1);
    const joinable =
      !inFence &&
      !fence &&
      prev !== undefined &&
      prev.trim() !== "" &&
      line.trim() !== "" &&
      !/^\s*(?:[-*+] |\d+[.)] |>|#|\|)/.test(line) &&
      !/^\s*```/.test(prev);
    if (joinable) out[out.length - 1] = `${prev.trimEnd()} ${line.trim()}`;
    else out.push(inFence ? line : line.trimEnd());
    if (fence) inFence = !inFence;
  }
  return out
    .join("\n")
    .replace(/\[([^\]]+)\]\(#[^)]*\)/g, "**$1**")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The paragraphs of a body, already converted for Discord. */
export function paragraphs(markdown: string): string[] {
  return bodyToDiscord(markdown)
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}
