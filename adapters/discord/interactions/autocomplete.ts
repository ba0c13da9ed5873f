import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from "discord.js";
import type { BotHandle } from "../../../src/bot/conversation.js";
import type { DiscordContext } from "../context.js";
import { DISCORD_LIMITS, truncate } from "../render/limits.js";

/**
 * Autocomplete choices for a term option, ranked by the bot, within Discord's limits (at most 25, names at
 * most 100 characters, value = term id).
 */
export function termChoices(bot: BotHandle, input: string): ApplicationCommandOptionChoiceData<string>[] {
  return bot
    .complete(input, DISCORD_LIMITS.autocompleteChoices, "discord")
    .filter((c) => c.termId.length <= DISCORD_LIMITS.choiceValue)
    .map((c) => ({ name: truncate(c.label, DISCORD_LIMITS.choiceName), value: c.termId }));
}

/** Answers an autocomplete request for any term option (define, related, autoexplain silence). */
export async function handleAutocomplete(
  interaction: AutocompleteInteraction,
  ctx: DiscordContext,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === "term" ? termChoices(ctx.bot, String(focused.value)) : []);
}
