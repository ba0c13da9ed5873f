import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from "discord.js";
import { type Glossary, namesOf } from "../../../src/core/glossary.js";
import { lookupTerm } from "../../../src/core/lookup.js";
import { canonicalKey, MAX_QUERY_CHARS, normalizeName } from "../../../src/core/normalize.js";
import type { Term } from "../../../src/core/types.js";
import type { DiscordContext } from "../context.js";
import { DISCORD_LIMITS, truncate } from "../render/limits.js";

/** Match tiers, best first. */
const Tier = Object.freeze({ Exact: 0, Prefix: 1, Alias: 2, WordPrefix: 3, Fuzzy: 4 });
type Tier = (typeof Tier)[keyof typeof Tier];

interface Ranked {
  readonly term: Term;
  readonly tier: Tier;
  /** The alias that matched, shown beside the name so the choice explains itself. */
  readonly via?: string | undefined;
}

/** A choice's name: the term, with the alias that matched ("mTLS (mutual TLS)"), at most 100 characters. */
function choiceName(r: Ranked): string {
  const name = r.via === undefined ? r.term.term : `${r.term.term} (${r.via})`;
  return truncate(name, DISCORD_LIMITS.choiceName);
}

/**
 * Autocomplete choices for a term option, within Discord's limits (at most 25, names at most 100 characters,
 * value = term id). Ranked: exact name or alias, name prefix, alias prefix, a word of a name starting with
 * the input, then the engine's typo-tolerant lookup and its suggestions. Empty input lists the glossary
 * alphabetically.
 */
export function termChoices(glossary: Glossary, input: string): ApplicationCommandOptionChoiceData<string>[] {
  const limit = DISCORD_LIMITS.autocompleteChoices;
  const valid = (t: Term) => t.id.length <= DISCORD_LIMITS.choiceValue;
  const normal = normalizeName(input.slice(0, MAX_QUERY_CHARS * 2)).slice(0, MAX_QUERY_CHARS);
  if (normal === "") {
    return glossary.terms
      .filter(valid)
      .slice(0, limit)
      .map((term) => ({ name: choiceName({ term, tier: Tier.Prefix }), value: term.id }));
  }
  const key = canonicalKey(normal);
  const best = new Map<string, Ranked>();
  const offer = (r: Ranked) => {
    const prev = best.get(r.term.id);
    if (prev === undefined || r.tier < prev.tier) best.set(r.term.id, r);
  };
  for (const term of glossary.terms) {
    if (!valid(term)) continue;
    for (const { text, kind } of namesOf(term)) {
      const name = normalizeName(text);
      const isName = kind === "name";
      const via = isName ? undefined : text;
      if (name === normal || canonicalKey(text) === key) offer({ term, tier: Tier.Exact, via });
      else if (name.startsWith(normal)) offer({ term, tier: isName ? Tier.Prefix : Tier.Alias, via });
      else if (name.split(" ").some((w) => w.startsWith(normal) || w.startsWith(key)))
        offer({ term, tier: Tier.WordPrefix, via });
    }
  }
  const ranked = [...best.values()];
  if (ranked.length < limit) {
    const result = lookupTerm(glossary, normal);
    const fuzzy = result.found ? [result.term, ...result.seeAlso] : result.suggestions;
    for (const term of fuzzy) if (valid(term) && !best.has(term.id)) ranked.push({ term, tier: Tier.Fuzzy });
  }
  // Stable sort keeps the glossary's alphabetical order inside a tier; shorter names first among prefixes.
  ranked.sort(
    (a, b) =>
      a.tier - b.tier ||
      (a.tier === Tier.Prefix || a.tier === Tier.Alias ? a.term.term.length - b.term.term.length : 0),
  );
  return ranked.slice(0, limit).map((r) => ({ name: choiceName(r), value: r.term.id }));
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
