import type { types } from "@slack/bolt";
import type { Reply } from "../../../src/core/command.js";
import type { DetectedTerm } from "../../../src/core/detect.js";
import {
  correctedText,
  deniedText,
  explanationLead,
  HELP_LEAD,
  helpLines,
  listLead,
  listTrimmedText,
  NOTHING_TO_EXPLAIN,
  namedOnlyText,
  noSearchResultsText,
  notFoundText,
  relatedText,
  searchResultsLead,
  settingsText,
  sharedByText,
  usageText,
} from "../../../src/core/messages.js";
import type { Term } from "../../../src/core/types.js";
import { escapeMrkdwn, markdownToMrkdwn, SLACK_MARKUP, slackDate } from "../format/mrkdwn.js";
import { type ActionName, actionId, encodeRef } from "./actions.js";
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

/** How a reply is shown. */
export interface RenderOptions {
  /**
   * private: an ephemeral card for the asker, whose buttons change it in place; public: a message the whole
   * conversation sees, whose buttons answer whoever clicks privately.
   */
  readonly audience: "private" | "public";
  /** The thread the conversation is in; buttons carry it so a shared answer lands there too. */
  readonly thread?: string;
  /** Show a definition's full text (what "More" opens). */
  readonly expanded?: boolean;
  /** The user who shared a definition in the channel. */
  readonly sharedBy?: string;
  /** The command as typed, echoed above a private answer (Slack does not show it with ephemeral replies). */
  readonly echo?: string;
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

function button(
  label: string,
  name: ActionName,
  value: string,
  index?: number,
  style?: "primary" | "danger",
): Button {
  const b: Button = {
    type: "button",
    text: { type: "plain_text", text: clip(label, SLACK_LIMITS.buttonText), emoji: false },
    action_id: actionId(name, index),
    value: value.slice(0, SLACK_LIMITS.buttonValue),
  };
  if (style !== undefined) b.style = style;
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

/** Buttons that open terms: in place on a private card, privately for the clicker on a public message. */
function termButtons(terms: readonly Term[], opts: RenderOptions, first = 0): Button[] {
  const name: ActionName = opts.audience === "private" ? "define" : "peekDefine";
  return terms.slice(0, MAX_TERM_BUTTONS).map((t, i) => button(t.term, name, ref(t, opts), first + i));
}

function ref(term: Term, opts: RenderOptions): string {
  return encodeRef(
    opts.thread === undefined ? { termId: term.id } : { termId: term.id, thread: opts.thread },
  );
}

function sourceLabel(url: string): string {
  try {
    return `${LABELS.source}: ${new URL(url).hostname.replace(/^www\./, "")}`;
  } catch {
    return LABELS.source;
  }
}

function heading(term: Term): string {
  const aka = term.aliases.length > 0 ? ` _(also: ${esc(term.aliases.join(", "))})_` : "";
  return `*${esc(term.term)}*${aka}`;
}

/** The card of one term: summary and buttons, or (expanded) the full text. */
export function termCard(
  term: Term,
  extra: { related: readonly Term[]; seeAlso?: readonly Term[]; lead?: string },
  opts: RenderOptions,
): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (opts.echo !== undefined) blocks.push(context(m.code(clip(opts.echo, 200))));
  if (extra.lead !== undefined) blocks.push(context(extra.lead));
  const summary = cutText(esc(term.summary), SECTION - heading(term).length - 1);
  blocks.push(section(`${heading(term)}\n${summary.text}`));
  let bodyCut = false;
  if (opts.expanded === true && term.body.trim() !== "") {
    const chunks = splitText(markdownToMrkdwn(term.body), SECTION - 100);
    bodyCut = chunks.length > MAX_BODY_SECTIONS;
    const shown = chunks.slice(0, MAX_BODY_SECTIONS);
    // Chunks end at paragraph or sentence breaks; a body too long for the card says so with an ellipsis.
    if (bodyCut) shown[shown.length - 1] = `${shown[shown.length - 1] ?? ""} …`;
    for (const chunk of shown) blocks.push(section(chunk));
  }
  const controls: Button[] = [];
  const expandable = opts.expanded !== true && (term.body.trim() !== "" || summary.cut);
  if (expandable) {
    controls.push(button(LABELS.more, opts.audience === "private" ? "more" : "peekMore", ref(term, opts)));
  }
  if (opts.audience === "private") {
    controls.push(button(LABELS.share, "share", ref(term, opts), undefined, "primary"));
  }
  term.sources.slice(0, MAX_SOURCES).forEach((url, i) => {
    if (url.length <= SLACK_LIMITS.buttonUrl) controls.push(urlButton(sourceLabel(url), url, i));
  });
  blocks.push(...actions(controls));
  if (extra.related.length > 0) {
    blocks.push(context(LABELS.related), ...actions(termButtons(extra.related, opts)));
  }
  const seeAlso = extra.seeAlso ?? [];
  if (seeAlso.length > 0) {
    blocks.push(context(LABELS.seeAlso), ...actions(termButtons(seeAlso, opts, MAX_TERM_BUTTONS)));
  }
  if (opts.sharedBy !== undefined) blocks.push(context(sharedByText(opts.sharedBy, m)));
  return {
    text: clip(`${esc(term.term)}: ${esc(term.summary)}`, SLACK_LIMITS.fallbackText),
    blocks: capBlocks(blocks),
  };
}

/** The reply to an auto-explained message or to "Explain this message". */
function explanation(reply: Extract<Reply, { kind: "explanation" }>, opts: RenderOptions): SlackMessage {
  if (reply.terms.length === 0) return { text: NOTHING_TO_EXPLAIN, blocks: [section(NOTHING_TO_EXPLAIN)] };
  const shown = reply.terms.slice(0, MAX_LINE_SECTIONS);
  const named: readonly DetectedTerm[] = [...reply.terms.slice(MAX_LINE_SECTIONS), ...reply.named];
  const lead = explanationLead(shown, m);
  const blocks: KnownBlock[] = [section(lead)];
  shown.forEach((d, i) => {
    const line = cutText(`*${esc(d.term.term)}*: ${esc(d.term.summary)}`, SECTION).text;
    // "More" on these lines always answers the clicker privately: the lines stay for everyone else.
    blocks.push(section(line, button(LABELS.more, "peekMore", ref(d.term, opts), i)));
  });
  if (reply.mode === "auto") {
    blocks.push(
      ...actions(
        shown
          .slice(0, SLACK_LIMITS.actionsElements)
          .map((d, i) => button(`${LABELS.notJargon}: ${d.term.term}`, "silence", d.term.id, i)),
      ),
    );
  }
  if (named.length > 0) blocks.push(context(namedOnlyText(named, m)));
  return { text: clip(lead, SLACK_LIMITS.fallbackText), blocks: capBlocks(blocks) };
}

function list(reply: Extract<Reply, { kind: "list" }>, opts: RenderOptions): SlackMessage {
  const lead = listLead(reply.total);
  const blocks: KnownBlock[] = [];
  if (opts.echo !== undefined) blocks.push(context(m.code(clip(opts.echo, 200))));
  blocks.push(section(`*${esc(lead)}*`));
  const title = (g: (typeof reply.groups)[number]) =>
    `*${g.topic.charAt(0).toUpperCase()}${g.topic.slice(1)}* (${g.terms.length})`;
  const only = reply.groups.length === 1 ? reply.groups[0] : undefined;
  if (only !== undefined) {
    // One topic: each term with its summary when that fits the message, else every name.
    const lines = only.terms.map((t) => `*${esc(t.term)}*: ${esc(t.summary)}`);
    const chunks = splitText([title(only), ...lines].join("\n\n"), SECTION);
    const names = chunks.length <= MAX_LINE_SECTIONS ? chunks : nameChunks(title(only), only.terms);
    for (const chunk of names) blocks.push(section(chunk));
    return { text: lead, blocks: capBlocks(blocks) };
  }
  for (const g of reply.groups) {
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
  return { text: lead, blocks: capBlocks(blocks) };
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

function lines(terms: readonly Term[], opts: RenderOptions): KnownBlock[] {
  const name: ActionName = opts.audience === "private" ? "define" : "peekDefine";
  return terms
    .slice(0, MAX_LINE_SECTIONS)
    .map((t, i) =>
      section(
        `*${esc(t.term)}*: ${esc(t.summary)}`,
        button(LABELS.define, name, encodeRef({ termId: t.id }), i),
      ),
    );
}

/** Renders any reply of the bot for Slack. */
export function renderReply(reply: Reply, opts: RenderOptions): SlackMessage {
  const echo = opts.echo === undefined ? [] : [context(m.code(clip(opts.echo, 200)))];
  const simple = (text: string): SlackMessage => ({
    text: clip(text, SLACK_LIMITS.fallbackText),
    blocks: capBlocks([...echo, section(text)]),
  });
  switch (reply.kind) {
    case "definition":
      return termCard(
        reply.term,
        {
          related: reply.related,
          seeAlso: reply.seeAlso,
          ...(reply.match === "typo" ? { lead: correctedText(reply.query, esc(reply.term.term), m) } : {}),
        },
        opts,
      );
    case "notFound": {
      const lead = notFoundText(reply, m);
      if (reply.suggestions.length === 0) return simple(lead);
      const name: ActionName = opts.audience === "private" ? "define" : "peekDefine";
      const choices = reply.suggestions.map((t, i) => button(t.term, name, encodeRef({ termId: t.id }), i));
      return {
        text: clip(`${lead} ${reply.suggestions.map((t) => t.term).join(", ")}?`, SLACK_LIMITS.fallbackText),
        blocks: capBlocks([...echo, section(lead), ...actions(choices)]),
      };
    }
    case "searchResults": {
      if (reply.results.length === 0) return simple(noSearchResultsText(reply.query, m));
      const lead = searchResultsLead(reply.query, m);
      return {
        text: clip(`${lead} ${reply.results.map((t) => t.term).join(", ")}`, SLACK_LIMITS.fallbackText),
        blocks: capBlocks([...echo, section(lead), ...lines(reply.results, opts)]),
      };
    }
    case "list":
      return list(reply, opts);
    case "related": {
      const text = relatedText(
        esc(reply.term.term),
        reply.related.map((t) => esc(t.term)),
        m,
      );
      return {
        text: clip(text, SLACK_LIMITS.fallbackText),
        blocks: capBlocks([...echo, section(text), ...actions(termButtons(reply.related, opts))]),
      };
    }
    case "help": {
      const usage = reply.usage === undefined ? [] : [usageText(reply.usage, m), ""];
      return simple([...usage, HELP_LEAD, ...helpLines(m).map((l) => `• ${l}`)].join("\n"));
    }
    case "autoExplainSettings":
      return simple(settingsText(reply, m, slackDate));
    case "denied":
      return simple(deniedText(reply, "manage this channel", m));
    case "explanation":
      return explanation(reply, opts);
  }
}

/** A plain sentence as a message. */
export function sentence(text: string): SlackMessage {
  return { text: clip(text, SLACK_LIMITS.fallbackText), blocks: [section(text)] };
}

/** Keeps a message under Slack's block cap, keeping the first blocks (leads come first). */
function capBlocks(blocks: KnownBlock[]): KnownBlock[] {
  return blocks.length <= SLACK_LIMITS.blocks ? blocks : blocks.slice(0, SLACK_LIMITS.blocks);
}
