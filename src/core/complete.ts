import { type Glossary, namesOf } from "./glossary.js";
import { lookupTerm } from "./lookup.js";
import { canonicalKey, MAX_QUERY_CHARS, normalizeName } from "./normalize.js";
import type { Term } from "./types.js";

/** Match tiers, best first. */
const Tier = Object.freeze({ Exact: 0, Prefix: 1, Alias: 2, WordPrefix: 3, Fuzzy: 4 });
type Tier = (typeof Tier)[keyof typeof Tier];

/** A term offered while someone types, with the alias that matched (shown beside the name). */
export interface Completion {
  readonly term: Term;
  readonly via: string | undefined;
}

interface Ranked extends Completion {
  readonly tier: Tier;
}

/**
 * Terms for what someone has typed so far, best first, at most `limit`: exact name or alias, name prefix,
 * alias prefix, a word of a name starting with the input, then the typo-tolerant lookup and its suggestions.
 * Empty input lists the glossary alphabetically. `accept` leaves out terms the caller cannot offer.
 */
export function completeTerm(
  glossary: Glossary,
  input: string,
  limit: number,
  accept: (term: Term) => boolean = () => true,
): Completion[] {
  const normal = normalizeName(input.slice(0, MAX_QUERY_CHARS * 2)).slice(0, MAX_QUERY_CHARS);
  if (normal === "") {
    return glossary.terms
      .filter(accept)
      .slice(0, limit)
      .map((term) => ({ term, via: undefined }));
  }
  const key = canonicalKey(normal);
  const best = new Map<string, Ranked>();
  const offer = (r: Ranked) => {
    const prev = best.get(r.term.id);
    if (prev === undefined || r.tier < prev.tier) best.set(r.term.id, r);
  };
  for (const term of glossary.terms) {
    if (!accept(term)) continue;
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
    for (const term of fuzzy) {
      if (accept(term) && !best.has(term.id)) ranked.push({ term, tier: Tier.Fuzzy, via: undefined });
    }
  }
  // Stable sort keeps the glossary's alphabetical order inside a tier; shorter names first among prefixes.
  ranked.sort(
    (a, b) =>
      a.tier - b.tier ||
      (a.tier === Tier.Prefix || a.tier === Tier.Alias ? a.term.term.length - b.term.term.length : 0),
  );
  return ranked.slice(0, limit).map(({ term, via }) => ({ term, via }));
}
