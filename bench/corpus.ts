/**
 * A chat-like message corpus for the detection bench (and, later, the Slack and Discord round trips):
 * messages of 50-400 characters mixing jargon with plain talk, a few with code, links, mentions and quoted
 * lines the way chat has them, plus some 10 KB pastes (incident notes and logs). Deterministic per seed.
 */

import { surfaceForms } from "../src/core/detect.js";
import { namesOf } from "../src/core/glossary.js";
import type { Term } from "../src/core/types.js";
import type { Rng } from "./prng.js";

export interface Corpus {
  readonly messages: readonly string[];
  /** Total UTF-16 code units, the unit throughput is quoted in (the corpus is nearly all ASCII). */
  readonly chars: number;
  readonly shortCount: number;
  readonly longCount: number;
  /** Indexes of messages that contain code, links, Slack markup or quoted lines. */
  readonly withMarkup: ReadonlySet<number>;
}

const OPENERS = [
  "hey team,",
  "quick q:",
  "fyi",
  "heads up:",
  "ok so",
  "morning!",
  "not sure this is the right channel, but",
  "random question:",
  "",
  "",
  "",
  "",
];

/** Clauses; {T} is a jargon slot. */
const CLAUSES = [
  "the {T} on the payments service keeps flapping since the last deploy",
  "can someone explain how {T} interacts with {T}?",
  "we turned on {T} in staging and the graphs went up a bit",
  "is {T} the same thing as {T} or am I mixing them up",
  "I think the problem is the {T}, not the app itself",
  "docs say {T} should handle that automatically",
  "does {T} work across clusters or only inside one?",
  "our on-call notes mention {T} but never say why",
  "who owns the {T} settings for the checkout team?",
  "after the upgrade the {T} looks different in the dashboard",
  "we might not need {T} at all if the client behaves",
  "the vendor keeps saying {T} but I have no idea what they mean",
  "turns out {T} was disabled the whole time",
  "the new hire asked about {T} today, good question honestly",
  "can we compare {T} and {T} before we pick one",
  "dashboards look fine, just a small bump around three",
  "lunch is here if anyone wants some",
  "the build is green again, thanks for the quick fix",
  "can we pair on this tomorrow morning?",
  "rolled back the change, will look again after standup",
  "ok that makes sense, thanks!",
  "we should write this down somewhere before we forget",
  "I'll be out Friday, ping me on my phone if it gets bad",
  "the meeting moved to the big room upstairs",
  "no rush on this one, whenever you have a minute",
  "the customer says it only happens on Mondays, which is weird",
  "anyone else seeing slow pipelines this afternoon?",
  "merged it, let me know if anything looks off",
  "I filed a ticket with the details and some screenshots",
  "coffee machine on four is broken again",
];

/** Share of chat messages that carry one piece of markup. */
const MARKUP_SHARE = 0.08;

/** Chat markup: code, links, Slack-style mentions and quotes. Some hold jargon that detection must skip. */
const MARKUP = [
  "see `kubectl rollout restart deploy/web -n prod` for the fix",
  "ran `linkerd viz tap deploy/web --to svc/api` and saw the retries",
  "details here: https://linkerd.io/2/features/retries/ and the linked issue",
  "cc <@U024BE7LH> <#C0123ABCD|platform-help>",
  "> the sidecar proxy rejected the request\nyes that is what I saw too",
  "```\nretry budget exceeded for route /api/orders\n```",
  "thanks @alice, I owe you one",
  "posting in #incidents as well :tada:",
  "www.example.com/status has the timeline",
];

const LOG_LINES = [
  "2024-05-01T12:00:03Z INFO outbound request to web.shop.svc took 12ms status=200",
  "2024-05-01T12:00:04Z WARN upstream reset before headers, will try again in 50ms",
  "2024-05-01T12:00:04Z INFO config reloaded version=42 routes=17",
  "2024-05-01T12:00:05Z ERROR connection refused dst=10.0.3.17:8080 attempt=3",
];

/** Names that appear in running text: those whose both ends are letters or digits. */
function mentionable(terms: readonly Term[]): { term: Term; forms: string[]; written: string }[] {
  const out: { term: Term; forms: string[]; written: string }[] = [];
  for (const term of terms) {
    for (const { text, kind } of namesOf(term)) {
      if (kind === "shared" || !/^[A-Za-z0-9](?:.*[A-Za-z0-9])?$/.test(text)) continue;
      out.push({ term, forms: surfaceForms(text), written: text });
    }
  }
  return out;
}

/**
 * How someone might write a name in chat: mostly as listed (or lower case), sometimes inflected, now and
 * then run together ("controlplane"), capitalised, shouted, hyphenated or possessive.
 */
function mention(names: ReturnType<typeof mentionable>, rng: Rng): string {
  const n = rng.pick(names);
  const [base = n.written, ...variants] = n.forms;
  const joined = variants.filter((f) => !f.includes(" ") && base.includes(" "));
  const inflected = variants.filter((f) => !joined.includes(f));
  const r = rng.next();
  let form: string;
  if (r < 0.55) form = n.written;
  else if (r < 0.7 || (inflected.length === 0 && joined.length === 0)) form = base;
  else if (r < 0.9 && inflected.length > 0) form = rng.pick(inflected);
  else form = joined.length > 0 ? rng.pick(joined) : rng.pick(inflected);
  const c = rng.next();
  if (c < 0.08) form = form.charAt(0).toUpperCase() + form.slice(1);
  else if (c < 0.11) form = form.toUpperCase();
  if (form.includes(" ") && rng.chance(0.15)) form = form.replace(" ", "-");
  if (!/s$/i.test(form) && rng.chance(0.05)) form = `${form}'s`;
  return form;
}

function sentence(names: ReturnType<typeof mentionable>, rng: Rng): string {
  return rng.pick(CLAUSES).replace(/\{T\}/g, () => mention(names, rng));
}

export function generateCorpus(
  terms: readonly Term[],
  rng: Rng,
  opts: { short?: number; long?: number; longChars?: number } = {},
): Corpus {
  const shortCount = opts.short ?? 2000;
  const longCount = opts.long ?? 20;
  const longChars = opts.longChars ?? 10 * 1024;
  const names = mentionable(terms);
  const messages: string[] = [];
  const withMarkup = new Set<number>();
  for (let i = 0; i < shortCount; i++) {
    const target = rng.range(50, 400);
    const parts: string[] = [];
    const opener = rng.pick(OPENERS);
    if (opener !== "") parts.push(opener);
    // About one message in twelve carries chat markup, somewhere among its sentences.
    const markup = rng.chance(MARKUP_SHARE) ? rng.pick(MARKUP) : undefined;
    let text = "";
    for (;;) {
      const part = sentence(names, rng);
      const next = parts.length === 0 ? part : `${parts.join(" ")} ${part}`;
      if (next.length > 400) break;
      parts.push(part);
      text = next;
      if (text.length >= target) break;
    }
    if (markup !== undefined) {
      parts.splice(rng.int(parts.length + 1), 0, markup);
      text = parts.join(" ");
      while (text.length > 400 && parts.length > 1) {
        const drop = parts.findLastIndex((x) => x !== markup);
        if (drop < 0) break;
        parts.splice(drop, 1);
        text = parts.join(" ");
      }
      withMarkup.add(messages.length);
    }
    while (text.length < 50) text = `${text} ${rng.pick(CLAUSES.filter((c) => !c.includes("{T}")))}`.trim();
    messages.push(text);
  }
  for (let i = 0; i < longCount; i++) {
    const parts: string[] = [];
    let length = 0;
    let markup = false;
    while (length < longChars) {
      const r = rng.next();
      let part: string;
      if (r < 0.3) part = rng.pick(LOG_LINES);
      else if (r < 0.31) {
        part = rng.pick(MARKUP);
        markup = true;
      } else part = `${sentence(names, rng)}.`;
      parts.push(part);
      length += part.length + 1;
    }
    if (markup) withMarkup.add(messages.length);
    messages.push(parts.join("\n").slice(0, longChars));
  }
  // Long pastes land among the short messages, not all at the end. Messages reach the bot as JSON (Slack and
  // Discord events), so they are flat strings, not the concatenation trees building them here leaves behind.
  const order = rng.shuffle(messages.map((_, i) => i));
  const shuffled = JSON.parse(JSON.stringify(order.map((i) => messages[i] as string))) as string[];
  const markupShuffled = new Set<number>();
  order.forEach((from, to) => {
    if (withMarkup.has(from)) markupShuffled.add(to);
  });
  let chars = 0;
  for (const m of shuffled) chars += m.length;
  return { messages: shuffled, chars, shortCount, longCount, withMarkup: markupShuffled };
}
