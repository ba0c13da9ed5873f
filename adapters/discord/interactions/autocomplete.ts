import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from "discord.js";
import { type Completion, completeTerm } from "../../../src/core/complete.js";
import type { Glossary } from "../../../src/core/glossary.js";
import type { DiscordContext } from "../context.js";
import { DISCORD_LIMITS, truncate } from "../render/limits.js";

/** A choice's name: the term, with the alias that matched ("mTLS (mutual TLS)"), at most 100 characters. */
function choiceName(c: Completion): string {
  return truncate(c.via === undefined ? c.term.term : `${c.term.term} (${c.via})`, DISCORD_LIMITS.choiceName);
}

/**
 * Autocomplete choices for a term option, within Discord's limits (at most 25, names at most 100 characters,
 * value = term id), ranked by the engine's completion.
 */
export function termChoices(glossary: Glossary, input: string): ApplicationCommandOptionChoiceData<string>[] {
  return completeTerm(
    glossary,
    input,
    DISCORD_LIMITS.autocompleteChoices,
    (t) => t.id.length <= DISCORD_LIMITS.choiceValue,
  ).map((c) => ({ name: choiceName(c), value: c.term.id }));
}

/** Answers an autocomplete request for any term option (define, related, autoexplain silence). */
export async function handleAutocomplete(
  interaction: AutocompleteInteraction,
  ctx: DiscordContext,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const choices = focused.name === "term" ? termChoices(ctx.bot.glossary, String(focused.value)) : [];
  await interaction.respond(choices);
}
