/** Block Kit limits (https://docs.slack.dev/reference/block-kit): exceeding any of them fails the whole post. */
export const SLACK_LIMITS = Object.freeze({
  /** Blocks in one message. */
  blocks: 50,
  /** Characters of a section's text. */
  sectionText: 3000,
  /** Characters of one context element's text. */
  contextText: 3000,
  /** Elements of a context block. */
  contextElements: 10,
  /** Elements of an actions block. */
  actionsElements: 25,
  /** Characters of a button's label. */
  buttonText: 75,
  /** Characters of an action_id. */
  actionId: 255,
  /** Characters of a button's value. */
  buttonValue: 2000,
  /** Characters of a button's URL. */
  buttonUrl: 3000,
  /** The top-level `text` (notifications, screen readers, old clients); Slack truncates at 40,000. */
  fallbackText: 3000,
});

const ELLIPSIS = "…";

/** The index just after the last sentence end (". ", "! ", "? ", newline) at or before `max`, or -1. */
function lastSentenceEnd(text: string, max: number): number {
  let best = -1;
  const re = /[.!?](?=\s)|\n/g;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    if (end > max) break;
    best = end;
  }
  return best;
}

/** Moves a cut back so it does not split a `<...>` token, an `&entity;` or a surrogate pair. */
function safeCut(text: string, at: number): number {
  let cut = at;
  const open = text.lastIndexOf("<", cut - 1);
  if (open >= 0 && text.indexOf(">", open) >= cut) cut = open;
  const amp = text.lastIndexOf("&", cut - 1);
  if (amp >= 0 && cut - amp < 8 && !text.slice(amp, cut).includes(";")) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(0, cut);
}

/**
 * Shortens mrkdwn or plain text to at most `max` characters: at the last sentence end that keeps at least
 * half of it, else at a word, never inside a link, mention or entity; a cut text ends with "…".
 */
export function cutText(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const room = Math.max(1, max - ELLIPSIS.length);
  let at = lastSentenceEnd(text, room);
  if (at < room / 2) {
    const space = text.lastIndexOf(" ", room);
    at = space > room / 2 ? space : room;
  }
  const kept = text.slice(0, safeCut(text, at)).trimEnd();
  return { text: `${kept}${ELLIPSIS}`, cut: true };
}

/** `cutText(...).text`. */
export function clip(text: string, max: number): string {
  return cutText(text, max).text;
}

/**
 * Splits long mrkdwn into chunks of at most `max` characters: at paragraph breaks where it can, else at
 * sentence ends, else hard.
 */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = "";
  const push = () => {
    if (current.trim() !== "") chunks.push(current.trim());
    current = "";
  };
  for (const paragraph of text.split(/\n{2,}/)) {
    const joined = current === "" ? paragraph : `${current}\n\n${paragraph}`;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    push();
    let rest = paragraph;
    while (rest.length > max) {
      let at = lastSentenceEnd(rest, max);
      if (at < max / 2) {
        const space = rest.lastIndexOf(" ", max);
        at = space > max / 2 ? space : max;
      }
      at = safeCut(rest, at) || max;
      chunks.push(rest.slice(0, at).trim());
      rest = rest.slice(at).trimStart();
    }
    current = rest;
  }
  push();
  return chunks;
}
