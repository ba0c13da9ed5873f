import type { APIEmbed, APIEmbedField } from "discord.js";
import type { Term } from "../../../src/core/types.js";
import { DISCORD_LIMITS, truncate } from "./limits.js";
import { paragraphs } from "./markup.js";

/** Embed colour of glossary answers. */
export const TERM_COLOR = 0x2b7bb9;
/** How much of the body a definition shows before "More". */
export const PREVIEW_CHARS = 700;

/** Field titles: labels, not sentences. */
const FIELD = Object.freeze({ aliases: "Also called", seeAlso: "Can also mean", sources: "Sources" });

/** Characters an embed counts towards Discord's 6000 total. */
export function embedLength(e: APIEmbed): number {
  let n = (e.title ?? "").length + (e.description ?? "").length + (e.footer?.text ?? "").length;
  n += (e.author?.name ?? "").length;
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/** Enforces every per-embed limit; the description gives way when the total would pass `budget`. */
export function fitEmbed(e: APIEmbed, budget: number = DISCORD_LIMITS.embedTotal): APIEmbed {
  const out: APIEmbed = { ...e };
  if (out.title !== undefined) out.title = truncate(out.title, DISCORD_LIMITS.embedTitle);
  if (out.description !== undefined)
    out.description = truncate(out.description, DISCORD_LIMITS.embedDescription);
  if (out.footer !== undefined)
    out.footer = { ...out.footer, text: truncate(out.footer.text, DISCORD_LIMITS.footer) };
  if (out.fields !== undefined) {
    out.fields = out.fields.slice(0, DISCORD_LIMITS.embedFields).map((f) => ({
      ...f,
      name: truncate(f.name, DISCORD_LIMITS.fieldName),
      value: truncate(f.value, DISCORD_LIMITS.fieldValue),
    }));
  }
  let over = embedLength(out) - budget;
  if (over > 0 && out.description !== undefined) {
    out.description = truncate(out.description, Math.max(1, out.description.length - over));
    over = embedLength(out) - budget;
  }
  while (over > 0 && out.fields !== undefined && out.fields.length > 0) {
    out.fields = out.fields.slice(0, -1);
    over = embedLength(out) - budget;
  }
  return out;
}

/** Whole lines that fit in a field value (a cut URL would be a broken link). */
function lines(items: readonly string[], max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const item of items) {
    const add = item.length + (kept.length > 0 ? 1 : 0);
    if (length + add > max) break;
    kept.push(item);
    length += add;
  }
  return kept.join("\n");
}

function sourcesField(term: Term): APIEmbedField[] {
  const value = lines(term.sources, DISCORD_LIMITS.fieldValue);
  return value === "" ? [] : [{ name: FIELD.sources, value }];
}

/** Each term's preview, made once: a term is never changed in place (an edit or a reload makes a new one). */
const previews = new WeakMap<Term, { readonly text: string; readonly hasMore: boolean }>();

/** The body shown under a definition: the first paragraph, cut short; and whether "More" has the rest. */
export function bodyPreview(term: Term): { readonly text: string; readonly hasMore: boolean } {
  let preview = previews.get(term);
  if (preview === undefined) {
    const all = paragraphs(term.body);
    const first = all[0];
    const text = first === undefined ? "" : truncate(first, PREVIEW_CHARS);
    preview = { text, hasMore: first !== undefined && (all.length > 1 || text !== first) };
    previews.set(term, preview);
  }
  return preview;
}

/**
 * Who keeps a team's term, as the last line of an embed's description: footers show text as typed, so the
 * person and the date would not render there.
 */
const keeperLine = (keeper: string | undefined) => (keeper === undefined ? [] : [`*${keeper}*`]);

/** A definition: term, summary, the body's first paragraph, who keeps it, other names and sources. */
export function definitionEmbed(
  term: Term,
  seeAlso: readonly Term[],
  keeper?: string,
): { embed: APIEmbed; hasMore: boolean } {
  const preview = bodyPreview(term);
  const fields: APIEmbedField[] = [];
  if (term.aliases.length > 0) {
    fields.push({ name: FIELD.aliases, value: term.aliases.join(", "), inline: true });
  }
  if (seeAlso.length > 0) {
    fields.push({ name: FIELD.seeAlso, value: seeAlso.map((t) => t.term).join(", "), inline: true });
  }
  fields.push(...sourcesField(term));
  const description = [
    term.summary,
    ...(preview.text === "" ? [] : [preview.text]),
    ...keeperLine(keeper),
  ].join("\n\n");
  return {
    embed: fitEmbed({ title: term.term, description, color: TERM_COLOR, fields }),
    hasMore: preview.hasMore,
  };
}

/**
 * The whole term, for "More" and proposals: its summary and body paragraphs packed into as few embeds as fit
 * one message (each at most 4096 characters, all together at most 6000), who keeps it, sources last and
 * `footer` under them (what the term was checked against). What cannot fit is cut with "…".
 */
export function fullBodyEmbeds(term: Term, footer?: string, keeper?: string): APIEmbed[] {
  const chunks: string[] = [];
  let current = "";
  // The summary first: this message stands on its own (a private "More", a proposal before reviewers).
  for (const p of [term.summary, ...paragraphs(term.body), ...keeperLine(keeper)]) {
    const piece = truncate(p, DISCORD_LIMITS.embedDescription);
    if (current === "") current = piece;
    else if (current.length + 2 + piece.length <= DISCORD_LIMITS.embedDescription) current += `\n\n${piece}`;
    else {
      chunks.push(current);
      current = piece;
    }
  }
  if (current !== "") chunks.push(current);
  const sources = sourcesField(term);
  const embeds: APIEmbed[] = [];
  let budget = DISCORD_LIMITS.embedTotal;
  chunks.slice(0, DISCORD_LIMITS.embedsPerMessage).forEach((description, i) => {
    if (budget <= 1) return;
    const last = i === chunks.length - 1;
    const embed = fitEmbed(
      {
        ...(i === 0 ? { title: term.term } : {}),
        description,
        color: TERM_COLOR,
        ...(last && sources.length > 0 ? { fields: sources } : {}),
        ...(last && footer !== undefined ? { footer: { text: footer } } : {}),
      },
      budget,
    );
    budget -= embedLength(embed);
    embeds.push(embed);
  });
  return embeds;
}
