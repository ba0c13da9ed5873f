import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { BotAction } from "../../../src/bot/conversation.js";
import type { Term } from "../../../src/core/types.js";
import { encodeButton } from "../interactions/custom-id.js";
import { DISCORD_LIMITS, truncate } from "./limits.js";

export type ButtonRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Button labels: short words on controls, not sentences. */
export const LABELS = Object.freeze({
  more: "More",
  moreAbout: (term: string) => `More: ${term}`,
  notJargon: (term: string) => `Not jargon here: ${term}`,
});

/**
 * One button, or undefined when its custom_id cannot fit Discord's limit. `explained`: the message an
 * explanation is about, for "Post in thread".
 */
export function button(
  label: string,
  action: Exclude<BotAction, { kind: "share" }>,
  style: ButtonStyle.Primary | ButtonStyle.Secondary = ButtonStyle.Secondary,
  explained?: string,
): APIButtonComponent | undefined {
  const customId = encodeButton(action, explained);
  if (customId === undefined) return undefined;
  return {
    type: ComponentType.Button,
    style,
    label: truncate(label, DISCORD_LIMITS.buttonLabel),
    custom_id: customId,
  };
}

/** Buttons that define each term (related terms, "did you mean", search results). */
export function defineButtons(
  terms: readonly Pick<Term, "id" | "term">[],
  privately: boolean,
): APIButtonComponent[] {
  const out: APIButtonComponent[] = [];
  const seen = new Set<string>();
  for (const t of terms) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    const b = button(t.term, { kind: "define", termId: t.id, privately });
    if (b !== undefined) out.push(b);
  }
  return out;
}

/** Buttons laid out five to a row, in at most `maxRows` rows (Discord: 5). Extra buttons are dropped. */
export function rows(
  buttons: readonly APIButtonComponent[],
  maxRows: number = DISCORD_LIMITS.rows,
): ButtonRow[] {
  const out: ButtonRow[] = [];
  for (let i = 0; i < buttons.length && out.length < maxRows; i += DISCORD_LIMITS.buttonsPerRow) {
    out.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow),
    });
  }
  return out;
}
