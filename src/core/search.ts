import Fuse from "fuse.js";
import type { Glossary } from "./glossary.js";
import { normalizeName } from "./normalize.js";
import type { Term } from "./types.js";

/** Tuning of full-text search, frozen in one place. */
export const SEARCH_DEFAULTS = Object.freeze({
  maxResults: 10,
  maxWords: 8,
  /** fuse.js's bitap cannot take patterns longer than 32 characters. */
  maxWordChars: 32,
  threshold: 0.3,
});

const indexes = new WeakMap<Glossary, Fuse<Term>>();

function indexOf(glossary: Glossary): Fuse<Term> {
  let fuse = indexes.get(glossary);
  if (fuse === undefined) {
    fuse = new Fuse(glossary.terms as Term[], {
      keys: [
        { name: "term", weight: 4 },
        { name: "aliases", weight: 3 },
        { name: "summary", weight: 2 },
        { name: "body", weight: 1 },
      ],
      includeScore: true,
      ignoreLocation: true,
      ignoreFieldNorm: false,
      threshold: SEARCH_DEFAULTS.threshold,
      useExtendedSearch: true,
    });
    indexes.set(glossary, fuse);
  }
  return fuse;
}

/**
 * Full-text search over names, summaries and bodies. Every word must match somewhere (fuzzily); results are
 * ranked by fuse.js with names weighing most.
 */
export function searchGlossary(glossary: Glossary, query: string): Term[] {
  const words = normalizeName(query.slice(0, 1000))
    .split(" ")
    .filter((w) => w.length >= 2)
    .slice(0, SEARCH_DEFAULTS.maxWords)
    .map((w) => w.slice(0, SEARCH_DEFAULTS.maxWordChars));
  if (words.length === 0) return [];
  // Extended search: space-separated plain words are fuzzy and ANDed. Normalised words hold no operators.
  return indexOf(glossary)
    .search(words.join(" "), { limit: SEARCH_DEFAULTS.maxResults })
    .map((r) => r.item);
}
