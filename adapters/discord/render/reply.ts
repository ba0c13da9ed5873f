import type { APIEmbed } from "discord.js";
import { ButtonStyle } from "discord.js";
import type { DetectedTerm } from "../../../src/core/detect.js";
import { remember } from "../../../src/core/memo.js";
import type { Term } from "../../../src/core/types.js";
import { isKept } from "../../../src/present/present.js";
import type { ButtonView, View, ViewBlock } from "../../../src/present/view.js";
import { type ButtonRow, button, defineButtons, LABELS, rows } from "./components.js";
import { explanationMessage } from "./explanation.js";
import { DISCORD_LIMITS, truncate } from "./limits.js";
import { inertTerm, DISCORD_MARKUP as M } from "./markup.js";
import { definitionEmbed, fitEmbed, fullBodyEmbeds, TERM_COLOR } from "./term.js";

/** A reply ready for discord.js: content, embeds, buttons, and whether only the asker sees it. */
export interface DiscordReply {
  readonly content?: string;
  readonly embeds: APIEmbed[];
  readonly components: ButtonRow[];
  /** Only the asker sees it (interactions only; a reply to a message is always public). */
  readonly ephemeral: boolean;
}

const lines = (items: readonly string[], max: number) => {
  let out = "";
  for (const item of items) {
    const next = out === "" ? item : `${out}\n${item}`;
    if (next.length > max) return out === "" ? truncate(item, max) : `${out}\n…`;
    out = next;
  }
  return out;
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What a view is rendered about, beyond the view itself. */
export interface RenderOptions {
  /** The message an "Explain this message" answer explains: "Post in thread" posts in its thread. */
  readonly explained?: string | undefined;
}

/** Discord buttons for neutral ones (Discord has no "Share": its answers can be public already). */
function buttons(views: readonly ButtonView[], options: RenderOptions) {
  return views.flatMap((b) => {
    const { action } = b;
    if (action.kind === "share") return [];
    const style = b.primary === true ? ButtonStyle.Primary : ButtonStyle.Secondary;
    const made = button(b.label, action, style, options.explained);
    return made === undefined ? [] : [made];
  });
}

/** What one block adds to a message. */
interface Part {
  readonly content?: string;
  readonly embeds?: APIEmbed[];
  readonly components?: ButtonRow[];
}

function partOf(block: ViewBlock, options: RenderOptions): Part {
  switch (block.type) {
    case "echo":
      // Discord shows the command someone used above the answer itself.
      return {};
    case "text":
    case "note":
      return { content: block.text };
    case "card": {
      if (block.expanded) return { embeds: fullBodyEmbeds(block.term, block.asOf, block.keeper) };
      const made = definitionEmbed(block.term, block.seeAlso, block.keeper);
      const { hasMore } = made;
      // Whose meaning it is, when a name has two here.
      const embed = {
        ...made.embed,
        ...(block.label === undefined ? {} : { author: { name: block.label } }),
      };
      const more = hasMore
        ? button(LABELS.more, { kind: "more", termId: block.term.id }, ButtonStyle.Primary)
        : undefined;
      return {
        ...(block.credit === undefined ? {} : { content: block.credit }),
        embeds: [embed],
        components: [
          ...(more === undefined ? [] : rows([more])),
          // Related terms are defined for whoever clicks, privately: nobody floods the channel by exploring.
          ...rows(defineButtons(block.related, true), 2),
        ],
      };
    }
    case "terms":
      return {
        content: lines(
          block.terms.map((t) => truncate(`${M.bold(t.term)}: ${t.summary}`, 300)),
          DISCORD_LIMITS.content - 200,
        ),
        components: rows(defineButtons(block.terms, block.privately), 2),
      };
    case "explanation":
      return explanationMessage(block);
    case "topics":
      return {
        embeds: [
          fitEmbed({
            title: block.title,
            color: TERM_COLOR,
            fields: block.groups.map((g) => ({
              name: `${capitalise(g.topic)} (${g.terms.length})`,
              value: truncate(g.terms.map((t) => t.term).join(", "), DISCORD_LIMITS.fieldValue),
            })),
          }),
        ],
      };
    case "buttons":
      return { components: rows(buttons(block.buttons, options), 2) };
  }
}

/** A block whose terms show what people typed into them inert (a team's term may hold `@everyone`). */
function inertBlock(block: ViewBlock): ViewBlock {
  const all = (terms: readonly Term[]) => terms.map(inertTerm);
  switch (block.type) {
    case "card":
      return {
        ...block,
        term: inertTerm(block.term),
        related: all(block.related),
        seeAlso: all(block.seeAlso),
      };
    case "terms":
      return { ...block, terms: all(block.terms) };
    case "explanation": {
      const detected = (ds: readonly DetectedTerm[]) => ds.map((d) => ({ ...d, term: inertTerm(d.term) }));
      return { ...block, terms: detected(block.terms), named: detected(block.named) };
    }
    case "topics":
      return { ...block, groups: block.groups.map((g) => ({ ...g, terms: all(g.terms) })) };
    default:
      return block;
  }
}

/** Kept views (a definition asked again), rendered once each. */
const rendered = new WeakMap<View, DiscordReply>();

/** Renders a view of the bot for Discord, within Discord's limits. */
export function renderView(view: View, options: RenderOptions = {}): DiscordReply {
  if (!isKept(view) || options.explained !== undefined) return render(view, options);
  return remember(rendered, view, () => render(view, options));
}

function render(view: View, options: RenderOptions): DiscordReply {
  const content: string[] = [];
  const embeds: APIEmbed[] = [];
  const components: ButtonRow[] = [];
  for (const block of view.blocks) {
    const part = partOf(inertBlock(block), options);
    if (part.content !== undefined && part.content !== "") content.push(part.content);
    embeds.push(...(part.embeds ?? []));
    components.push(...(part.components ?? []));
  }
  return {
    ...(content.length === 0 ? {} : { content: truncate(content.join("\n"), DISCORD_LIMITS.content) }),
    embeds: embeds.slice(0, DISCORD_LIMITS.embedsPerMessage),
    components: components.slice(0, DISCORD_LIMITS.rows),
    ephemeral: view.visibility === "private",
  };
}

/**
 * The same reply as plain text, for channels where the bot may not embed: each embed becomes a bold title,
 * its text and its fields; links are wrapped in <> so Discord does not unfurl them.
 */
export function withoutEmbeds(reply: DiscordReply): DiscordReply {
  const blocks = reply.content === undefined ? [] : [reply.content];
  for (const e of reply.embeds) {
    const lines: string[] = [];
    if (e.title !== undefined) lines.push(M.bold(e.title));
    if (e.description !== undefined) lines.push(e.description);
    for (const f of e.fields ?? []) {
      lines.push(
        `${M.bold(f.name)}: ${f.value.replace(/(^|\s)(https?:\/\/\S+)/g, "$1<$2>").replace(/\n/g, " ")}`,
      );
    }
    blocks.push(lines.join("\n"));
  }
  return { ...reply, content: truncate(blocks.join("\n\n"), DISCORD_LIMITS.content), embeds: [] };
}
