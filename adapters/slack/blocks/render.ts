import type { types } from "@slack/bolt";
import type { DetectedTerm } from "../../../src/core/detect.js";
import { remember } from "../../../src/core/memo.js";
import type { Term } from "../../../src/core/types.js";
import { listTrimmedText, namedOnlyText } from "../../../src/present/messages.js";
import { isKept } from "../../../src/present/present.js";
import type { ButtonView, View, ViewBlock } from "../../../src/present/view.js";
import { escapeMrkdwn, markdownToMrkdwn, SLACK_MARKUP } from "../format/mrkdwn.js";
import { type ActionName, actionId, encodeAction, encodeRef } from "./actions.js";
import { clip, cutText, SLACK_LIMITS, splitText } from "./limits.js";

type KnownBlock = types.KnownBlock;
type Button = types.Button;
type ActionsBlock = types.ActionsBlock;

/** A message ready for chat.postMessage, respond() or ack(): Block Kit plus the plain `text` fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** Labels of the controls under answers. */
export const LABELS = Object.freeze({
  more: "More",
  share: "Share in channel",
  source: "Source",
  define: "Define",
  notJargon: "Not jargon here",
  related: "Related:",
  seeAlso: "Can also mean:",
});

/** Where a message goes, as far as its buttons need to know. */
export interface RenderOptions {
  /**
   * private: an ephemeral card for the asker, whose buttons change it in place; public: a message the whole
   * conversation sees, whose buttons answer whoever clicks privately.
   */
  readonly audience: "private" | "public";
  /** The thread the conversation is in; buttons carry it so a shared answer lands there too. */
  readonly thread?: string | undefined;
}

const m = SLACK_MARKUP;
/** Body sections a card may use after "More"; the rest is cut at a sentence. */
const MAX_BODY_SECTIONS = 20;
/** Term buttons in one actions block (Slack allows 25). */
const MAX_TERM_BUTTONS = 20;
/** Source URL buttons on a card. */
const MAX_SOURCES = 3;
/** Room left under the 50-block cap for leads, controls and credits. */
const MAX_LINE_SECTIONS = 44;
const SECTION = SLACK_LIMITS.sectionText;

function section(text: string, accessory?: Button): KnownBlock {
  const block: types.SectionBlock = { type: "section", text: { type: "mrkdwn", text: clip(text, SECTION) } };
  if (accessory !== undefined) block.accessory = accessory;
  return block;
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(text, SLACK_LIMITS.contextText) }] };
}

function actions(elements: Button[]): ActionsBlock[] {
  const out: ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.actionsElements) {
    out.push({ type: "actions", elements: elements.slice(i, i + SLACK_LIMITS.actionsElements) });
  }
  return out;
}

function button(label: string, name: ActionName, value: string, index?: number, primary?: boolean): Button {
  const b: Button = {
    type: "button",
    text: { type: "plain_text", text: clip(label, SLACK_LIMITS.buttonText), emoji: false },
    action_id: actionId(name, index),
    value: value.slice(0, SLACK_LIMITS.buttonValue),
  };
  if (primary === true) b.style = "primary";
  return b;
}

function urlButton(label: string, url: string, index: number): Button {
  return {
    type: "button",
    text: { type: "plain_text", text: clip(label, SLACK_LIMITS.buttonText), emoji: false },
    action_id: actionId("source", index),
    url,
  };
}

const esc = escapeMrkdwn;

function ref(termId: string, opts: RenderOptions): string {
  return encodeRef(opts.thread === undefined ? { termId } : { termId, thread: opts.thread });
}

/** Slack buttons for neutral ones; `first` keeps action ids unique within the message. */
function buttons(views: readonly ButtonView[], opts: RenderOptions, first = 0): Button[] {
  return views.slice(0, MAX_TERM_BUTTONS).map((b, i) => {
    const { name, value } = encodeAction(b.action, opts.audience, opts.thread);
    return button(b.label, name, value, first + i, b.primary);
  });
}

function termButtons(terms: readonly Term[], opts: RenderOptions, first = 0): Button[] {
  return buttons(
    terms.map((t) => ({ label: t.term, action: { kind: "define", termId: t.id, privately: true } })),
    opts,
    first,
  );
}

/** Source labels by URL: a glossary cites a few hundred pages, each rendered again and again. */
const sourceLabels = new Map<string, string>();

function sourceLabel(url: string): string {
  let label = sourceLabels.get(url);
  if (label === undefined) {
    try {
      label = `${LABELS.source}: ${new URL(url).hostname.replace(/^www\./, "")}`;
    } catch {
      label = LABELS.source;
    }
    if (sourceLabels.size >= 10_000) sourceLabels.clear();
    sourceLabels.set(url, label);
  }
  return label;
}

function heading(term: Term): string {
  const aka = term.aliases.length > 0 ? ` _(also: ${esc(term.aliases.join(", "))})_` : "";
  return `*${esc(term.term)}*${aka}`;
}

/** How far apart the action ids of two cards in one message are numbered (Slack refuses a repeated id). */
const CARD_ID_SPACING = 100;

/**
 * The blocks of one term's card: summary and buttons, or (expanded) the full text. `nth` counts the cards
 * before it in the message (a name with two meanings shows two), so that their buttons' ids differ.
 */
function cardBlocks(card: Extract<ViewBlock, { type: "card" }>, opts: RenderOptions, nth = 0): KnownBlock[] {
  const offset = nth * CARD_ID_SPACING;
  const own = nth === 0 ? undefined : offset;
  const { term } = card;
  const blocks: KnownBlock[] = card.label === undefined ? [] : [context(`*${esc(card.label)}*`)];
  const summary = cutText(esc(term.summary), SECTION - heading(term).length - 1);
  blocks.push(section(`${heading(term)}\n${summary.text}`));
  if (card.expanded && term.body.trim() !== "") {
    const chunks = splitText(markdownToMrkdwn(term.body), SECTION - 100);
    const shown = chunks.slice(0, MAX_BODY_SECTIONS);
    // Chunks end at paragraph or sentence breaks; a body too long for the card says so with an ellipsis.
    if (chunks.length > MAX_BODY_SECTIONS) shown[shown.length - 1] = `${shown[shown.length - 1] ?? ""} …`;
    for (const chunk of shown) blocks.push(section(chunk));
  }
  if (card.expanded && card.asOf !== undefined) blocks.push(context(card.asOf));
  if (card.keeper !== undefined) blocks.push(context(card.keeper));
  const controls: Button[] = [];
  if (!card.expanded && (term.body.trim() !== "" || summary.cut)) {
    const name = opts.audience === "private" ? "more" : "peekMore";
    controls.push(button(LABELS.more, name, ref(term.id, opts), own));
  }
  if (opts.audience === "private") {
    controls.push(button(LABELS.share, "share", ref(term.id, opts), own, true));
  }
  term.sources.slice(0, MAX_SOURCES).forEach((url, i) => {
    if (url.length <= SLACK_LIMITS.buttonUrl) controls.push(urlButton(sourceLabel(url), url, offset + i));
  });
  blocks.push(...actions(controls));
  if (card.related.length > 0) {
    blocks.push(context(LABELS.related), ...actions(termButtons(card.related, opts, offset)));
  }
  if (card.seeAlso.length > 0) {
    const first = offset + MAX_TERM_BUTTONS;
    blocks.push(context(LABELS.seeAlso), ...actions(termButtons(card.seeAlso, opts, first)));
  }
  if (card.credit !== undefined) blocks.push(context(card.credit));
  return blocks;
}

/** The lines of an explanation: a section per term with "More", "Not jargon here" controls, what was named. */
function explanationBlocks(
  block: Extract<ViewBlock, { type: "explanation" }>,
  opts: RenderOptions,
): KnownBlock[] {
  const shown = block.terms.slice(0, MAX_LINE_SECTIONS);
  const named: readonly DetectedTerm[] = [...block.terms.slice(MAX_LINE_SECTIONS), ...block.named];
  const blocks: KnownBlock[] = [section(block.lead)];
  shown.forEach((d, i) => {
    const line = cutText(`*${esc(d.term.term)}*: ${esc(d.term.summary)}`, SECTION).text;
    // "More" on these lines always answers the clicker privately: the lines stay for everyone else.
    blocks.push(section(line, button(LABELS.more, "peekMore", ref(d.term.id, opts), i)));
  });
  if (block.silenceable) {
    blocks.push(
      ...actions(
        shown
          .slice(0, SLACK_LIMITS.actionsElements)
          .map((d, i) => button(`${LABELS.notJargon}: ${d.term.term}`, "silence", d.term.id, i)),
      ),
    );
  }
  if (named.length > 0) blocks.push(context(namedOnlyText(named, m)));
  return blocks;
}

function topicBlocks(block: Extract<ViewBlock, { type: "topics" }>): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`*${esc(block.title)}*`)];
  const title = (g: (typeof block.groups)[number]) =>
    `*${g.topic.charAt(0).toUpperCase()}${g.topic.slice(1)}* (${g.terms.length})`;
  const only = block.detailed ? block.groups[0] : undefined;
  if (only !== undefined) {
    // One topic: each term with its summary when that fits the message, else every name.
    const lines = only.terms.map((t) => `*${esc(t.term)}*: ${esc(t.summary)}`);
    const chunks = splitText([title(only), ...lines].join("\n\n"), SECTION);
    const names = chunks.length <= MAX_LINE_SECTIONS ? chunks : nameChunks(title(only), only.terms);
    for (const chunk of names) blocks.push(section(chunk));
    return blocks;
  }
  for (const g of block.groups) {
    // Every topic: names only, one section per topic, trimmed with a pointer to the rest.
    let text = `${title(g)}\n`;
    let shown = 0;
    for (const t of g.terms) {
      const next = `${shown === 0 ? "" : ", "}${esc(t.term)}`;
      const tail = listTrimmedText(g.terms.length - shown, g.topic, m);
      if (text.length + next.length + tail.length + 2 > SECTION) break;
      text += next;
      shown += 1;
    }
    if (shown < g.terms.length) text += `\n${listTrimmedText(g.terms.length - shown, g.topic, m)}`;
    blocks.push(section(text));
  }
  return blocks;
}

/** Term names, comma-separated, in as many sections as the message allows; the rest counted. */
function nameChunks(title: string, terms: readonly Term[]): string[] {
  const chunks: string[] = [];
  let current = `${title}\n`;
  let fresh = true;
  for (const [i, t] of terms.entries()) {
    const name = esc(t.term);
    if (current.length + name.length + 2 > SECTION - 40) {
      if (chunks.length === MAX_LINE_SECTIONS - 1) {
        chunks.push(`${current}\n…and ${terms.length - i} more.`);
        return chunks;
      }
      chunks.push(current);
      current = "";
      fresh = true;
    }
    current += fresh ? name : `, ${name}`;
    fresh = false;
  }
  chunks.push(current);
  return chunks;
}

/** Search results: a section per term with a Define button. */
function termLines(terms: readonly Term[], privately: boolean, opts: RenderOptions): KnownBlock[] {
  return terms.slice(0, MAX_LINE_SECTIONS).map((t, i) => {
    const [define] = buttons(
      [{ label: LABELS.define, action: { kind: "define", termId: t.id, privately } }],
      opts,
      i,
    );
    return section(`*${esc(t.term)}*: ${esc(t.summary)}`, define);
  });
}

/** Block Kit for one block of a view; `first` numbers the ids of a buttons block, `nth` those of a card. */
function blocksOf(block: ViewBlock, opts: RenderOptions, first: number, nth: number): KnownBlock[] {
  switch (block.type) {
    case "echo":
      return [context(m.code(clip(block.text, 200)))];
    case "text":
      return [section(block.text)];
    case "note":
      return [context(block.text)];
    case "card":
      return cardBlocks(block, opts, nth);
    case "terms":
      return termLines(block.terms, block.privately, opts);
    case "explanation":
      return explanationBlocks(block, opts);
    case "topics":
      return topicBlocks(block);
    case "buttons":
      return actions(buttons(block.buttons, opts, first));
  }
}

/** Kept views (a definition asked again) said outside threads, rendered once each. */
const rendered = new WeakMap<View, SlackMessage>();

/** Renders a view of the bot for Slack; the view's visibility decides what its buttons do. */
export function renderView(view: View, thread?: string): SlackMessage {
  // Buttons carry the thread they answer in, so only what is said outside a thread is kept.
  if (!isKept(view) || thread !== undefined) return render(view, thread);
  return remember(rendered, view, () => render(view, undefined));
}

function render(view: View, thread: string | undefined): SlackMessage {
  const opts: RenderOptions = { audience: view.visibility, thread };
  // Each buttons block numbers its action ids after the previous ones, and so does each card, so no id
  // repeats in a message.
  let first = 0;
  let cards = 0;
  const blocks = view.blocks.flatMap((b) => {
    const out = blocksOf(b, opts, first, cards);
    if (b.type === "buttons") first += MAX_TERM_BUTTONS;
    if (b.type === "card") cards += 1;
    return out;
  });
  return { text: clip(view.fallback, SLACK_LIMITS.fallbackText), blocks: capBlocks(blocks) };
}

/** A plain sentence as a message. */
export function sentence(text: string): SlackMessage {
  return { text: clip(text, SLACK_LIMITS.fallbackText), blocks: [section(text)] };
}

/** Keeps a message under Slack's block cap, keeping the first blocks (leads come first). */
function capBlocks(blocks: KnownBlock[]): KnownBlock[] {
  return blocks.length <= SLACK_LIMITS.blocks ? blocks : blocks.slice(0, SLACK_LIMITS.blocks);
}
