import { dropControls, sanitizeEcho } from "../../../src/present/sanitize.js";
import type { Markup, Surface } from "../../../src/present/view.js";

/** What escapeMrkdwn changes: `&`, `<`, `>` and control characters other than newline and tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const NEEDS_ESCAPING = /[&<>\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * Escapes text for Slack's mrkdwn: `&`, `<` and `>` become entities, so `<!channel>`, `<@U123>` or
 * `<https://evil|here>` typed by a user are shown as text and can neither ping nor link.
 */
export function escapeMrkdwn(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text;
  return dropControls(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Renders a Slack date token, shown in each reader's own time zone, with an ISO fallback. */
export function slackDate(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const fallback = new Date(ms).toISOString().slice(0, 16).replace("T", " ");
  return `<!date^${seconds}^{date_short_pretty} at {time}|${fallback} UTC>`;
}

/** A user mention. Only ever used for the person who acted (or the bot itself), never for echoed text. */
export function slackUser(id: string): string {
  return /^[UWB][A-Z0-9]+$/.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/** How the shared sentences of src/core/messages.ts are marked up in Slack. */
export const SLACK_MARKUP: Markup = Object.freeze({
  bold: (s: string) => `*${s}*`,
  // Slack parses <...> even inside code spans, so code is escaped too (it never holds already-escaped text).
  code: (s: string) => `\`${escapeMrkdwn(s).replaceAll("`", "ˋ")}\``,
  quote: (s: string) => escapeMrkdwn(sanitizeEcho(s)),
  term: escapeMrkdwn,
  prefix: "/mesh ",
  user: slackUser,
  when: slackDate,
  channel: (id: string) => (/^[CGD][A-Z0-9]+$/.test(id) ? `<#${id}>` : escapeMrkdwn(id)),
});

/** What Slack can show: buttons, bulleted lists; anyone in a channel may change its settings. */
export const SLACK_SURFACE: Surface = Object.freeze({
  markup: SLACK_MARKUP,
  buttons: true,
  bullet: "• ",
  managePermission: "manage this channel",
  maintainPermission:
    "maintain this workspace's glossary (workspace admins and owners, and MESH_MAINTAINERS)",
  teamGlossary: true,
  homeTab: true,
});

// Code (fenced or inline) and links, leftmost first: a link whose label is code ([`linkerd check`](#x)) is a
// link, and a link inside a code fence is code.
const TOKEN = /(```[\s\S]*?```)|\[([^\]\n]+)\]\(([^)\s]*)\)|(`[^`\n]+`)/g;
const OPEN = "\uE000";
const CLOSE = "\uE001";
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

type Token = { readonly code: string } | { readonly label: string; readonly url: string | undefined };

/** Markdown emphasis to mrkdwn: *i* / _i_ → _i_, **b** / __b__ → *b*, list dashes → bullets. */
function inlineToMrkdwn(text: string): string {
  return text
    .replace(/(^|[^*\w])\*(?![*\s])([^*\n]*?[^*\s])\*(?![*\w])/g, "$1_$2_")
    .replace(/\*\*([^*\n]+)\*\*/g, "*$1*")
    .replace(/__([^_\n]+)__/g, "*$1*")
    .replace(/^([ \t]*)[-+*][ \t]+/gm, "$1• ");
}

/**
 * A term's markdown body as Slack mrkdwn: `[text](#id)` → *text*, `[t](https://..)` → <https://..|t>,
 * `**b**` → *b*, `*i*` → _i_, `- item` → • item; code is kept as code. Everything else is escaped, so a
 * body can never ping or link where the content did not mean to.
 */
export function markdownToMrkdwn(markdown: string): string {
  // Code and links become placeholders first, so that emphasis around them (**The [issuer](#x)**) converts
  // and nothing inside them does.
  const tokens: Token[] = [];
  const withPlaceholders = markdown
    .replace(/[\uE000\uE001]/g, "")
    .replace(TOKEN, (_, fence?: string, text?: string, target?: string, code?: string) => {
      if (text !== undefined) {
        const url = /^https?:\/\//i.test(target ?? "") ? target : undefined;
        tokens.push({ label: inlineToMrkdwn(escapeMrkdwn(text)), url });
      } else {
        tokens.push({ code: escapeMrkdwn(fence ?? code ?? "") });
      }
      return `${OPEN}${tokens.length - 1}${CLOSE}`;
    });
  const converted = inlineToMrkdwn(escapeMrkdwn(withPlaceholders));
  return converted
    .replace(PLACEHOLDER, (_, index: string, offset: number) => {
      const token = tokens[Number(index)];
      if (token === undefined) return "";
      if ("code" in token) return token.code;
      if (token.url !== undefined) {
        // Inside <url|label> a "|" would end the URL and a ">" the link; the label is already escaped.
        return `<${escapeMrkdwn(token.url).replaceAll("|", "%7C")}|${token.label.replaceAll("|", "¦")}>`;
      }
      // A link to another term ("#id") or anything else: its words in bold, unless already inside bold.
      const lineStart = converted.lastIndexOf("\n", offset) + 1;
      const insideBold = (converted.slice(lineStart, offset).match(/\*/g)?.length ?? 0) % 2 === 1;
      const words = token.label.replace(/^\*(.*)\*$/, "$1");
      return insideBold ? words : `*${words}*`;
    })
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
