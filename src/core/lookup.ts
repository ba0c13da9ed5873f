import Fuse from "fuse.js";
import { detectJargon } from "./detect.js";
import { type Glossary, namesOf } from "./glossary.js";
import {
  boundedEditDistance,
  canonicalKey,
  capText,
  joinedKey,
  MAX_QUERY_CHARS,
  normalizeName,
  stem,
  stemmedKey,
  stripQualifier,
  stripQuestion,
} from "./normalize.js";
import type { Term } from "./types.js";

/** How a query reached its term. */
export type MatchKind = "name" | "alias" | "joined" | "inflection" | "typo";

export interface LookupHit {
  readonly found: true;
  readonly term: Term;
  /** 1 for the exact name, lower for aliases, inflections and typos. */
  readonly confidence: number;
  readonly match: MatchKind;
  /** Other terms the same words can mean (a shared alias with a winner). */
  readonly seeAlso: readonly Term[];
  /** The normalised query that was looked at. */
  readonly query: string;
}

export interface LookupMiss {
  readonly found: false;
  /** empty: nothing to look up; ambiguous: several terms fit equally; unknown: nothing fits well. */
  readonly reason: "empty" | "ambiguous" | "unknown";
  /** Ranked; never more than LOOKUP_DEFAULTS.maxSuggestions. */
  readonly suggestions: readonly Term[];
  readonly query: string;
}

export type LookupResult = LookupHit | LookupMiss;

/** Tuning knobs of the lookup, frozen in one place. */
export const LOOKUP_DEFAULTS = Object.freeze({
  maxSuggestions: 5,
  /** Shortest key length at which one edit is still a confident match. */
  oneEditMinLength: 4,
  /** Shortest key length at which two edits are still a confident match. */
  twoEditMinLength: 8,
  /** Edits up to which a key is offered as a suggestion. */
  suggestEdits: 2,
  /** fuse.js's bitap cannot take patterns longer than 32 characters. */
  fuseMaxPattern: 32,
  confidence: { name: 1, alias: 0.95, joined: 0.9, inflection: 0.9, typo1: 0.8, typo2: 0.65 },
});

interface NameEntry {
  readonly term: Term;
  readonly kind: "name" | "alias" | "shared";
}

interface NameForms {
  /** Normalised as written ("sidecar proxies"). */
  readonly raw: string;
  /** Canonical, words singular ("sidecar proxy"). */
  readonly canon: string;
  /** Raw without spaces ("sidecarproxies"). */
  readonly joined: string;
}

interface FuzzyKey extends NameForms {
  readonly term: Term;
}

interface LookupIndex {
  readonly exact: Map<string, NameEntry[]>;
  readonly joined: Map<string, NameEntry[]>;
  readonly stemmed: Map<string, NameEntry[]>;
  readonly fuzzy: FuzzyKey[];
  fuse: Fuse<{ name: string; term: Term; kind: NameEntry["kind"] }> | undefined;
  readonly names: { name: string; term: Term; kind: NameEntry["kind"] }[];
  /** How each name is written, normalised, keyed by `${term id}\u0000${name}`: the name wins over an alias. */
  readonly written: Map<string, NameEntry["kind"]>;
}

const indexes = new WeakMap<Glossary, LookupIndex>();

function push(map: Map<string, NameEntry[]>, key: string, entry: NameEntry): void {
  if (key === "") return;
  const list = map.get(key);
  if (list === undefined) map.set(key, [entry]);
  else if (!list.some((e) => e.term === entry.term && e.kind === entry.kind)) list.push(entry);
}

function buildIndex(glossary: Glossary): LookupIndex {
  const exact = new Map<string, NameEntry[]>();
  const joined = new Map<string, NameEntry[]>();
  const stemmed = new Map<string, NameEntry[]>();
  const fuzzy: FuzzyKey[] = [];
  const names: { name: string; term: Term; kind: NameEntry["kind"] }[] = [];
  const seenFuzzy = new Set<string>();
  const written = new Map<string, NameEntry["kind"]>();
  for (const term of glossary.terms) {
    for (const { text, kind } of namesOf(term)) {
      const key = canonicalKey(text);
      if (key === "") continue;
      const entry = { term, kind };
      push(exact, key, entry);
      push(joined, joinedKey(key), entry);
      push(stemmed, stemmedKey(key), entry);
      const raw = normalizeName(text);
      const fk = `${term.id}\u0000${raw}`;
      if (written.get(fk) !== "name") written.set(fk, kind);
      if (!seenFuzzy.has(fk)) {
        seenFuzzy.add(fk);
        fuzzy.push({ raw, canon: key, joined: joinedKey(raw), term });
        names.push({ name: raw, term, kind });
      }
    }
  }
  return { exact, joined, stemmed, fuzzy, fuse: undefined, names, written };
}

function indexOf(glossary: Glossary): LookupIndex {
  let index = indexes.get(glossary);
  if (index === undefined) {
    index = buildIndex(glossary);
    indexes.set(glossary, index);
  }
  return index;
}

/** Picks the answer among entries sharing one key: a unique term, a winner over shared aliases, or none. */
function settle(
  entries: readonly NameEntry[],
): { term: Term; kind: NameEntry["kind"]; seeAlso: Term[] } | Term[] {
  const terms = [...new Set(entries.map((e) => e.term))];
  if (terms.length === 1) {
    const only = terms[0] as Term;
    const kind = entries.some((e) => e.kind === "name") ? "name" : (entries[0] as NameEntry).kind;
    return { term: only, kind, seeAlso: [] };
  }
  const owners = [...new Set(entries.filter((e) => e.kind !== "shared").map((e) => e.term))];
  if (owners.length === 1) {
    const winner = owners[0] as Term;
    return { term: winner, kind: "alias", seeAlso: terms.filter((t) => t !== winner) };
  }
  return terms;
}

function hit(term: Term, match: MatchKind, query: string, seeAlso: readonly Term[] = []): LookupHit {
  const c = LOOKUP_DEFAULTS.confidence;
  const confidence = match === "typo" ? c.typo1 : c[match];
  return { found: true, term, confidence, match, seeAlso, query };
}

function miss(reason: LookupMiss["reason"], query: string, suggestions: readonly Term[]): LookupMiss {
  return { found: false, reason, query, suggestions: suggestions.slice(0, LOOKUP_DEFAULTS.maxSuggestions) };
}

/** The forms of a query worth trying, most literal first. */
function queryForms(normal: string): string[] {
  const stripped = stripQuestion(normal);
  const forms = [normal, stripped, stripQualifier(stripped), stripQualifier(normal)];
  return [...new Set(forms.filter((f) => f !== ""))];
}

function exactTiers(index: LookupIndex, form: string): LookupResult | undefined {
  const key = canonicalKey(form);
  if (key === "") return undefined;
  const tiers: [Map<string, NameEntry[]>, string, MatchKind | undefined][] = [
    [index.exact, key, undefined],
    [index.joined, joinedKey(key), "joined"],
    [index.stemmed, stemmedKey(key), "inflection"],
  ];
  for (const [map, k, kind] of tiers) {
    const entries = map.get(k);
    if (entries === undefined) continue;
    const settled = settle(entries);
    if (Array.isArray(settled)) return miss("ambiguous", form, settled);
    // Exact means as written: "mTLS" is its own name even though its canonical key is the singular "mtl".
    const as = kind === undefined ? index.written.get(`${settled.term.id}\u0000${form}`) : undefined;
    const match: MatchKind = kind ?? (as === undefined ? "inflection" : as === "name" ? "name" : "alias");
    return hit(settled.term, match, form, settled.seeAlso);
  }
  return undefined;
}

interface Scored {
  term: Term;
  distance: number;
  keyLength: number;
}

/** Edit distance between a query and a name, over its written, singular and joined forms. */
function nameDistance(q: NameForms, k: NameForms, max: number): number {
  let d = boundedEditDistance(q.raw, k.raw, max);
  if (d === 0) return 0;
  if (q.canon !== q.raw || k.canon !== k.raw) d = Math.min(d, boundedEditDistance(q.canon, k.canon, max));
  if (d > 0 && (q.joined !== q.raw || k.joined !== k.raw)) {
    d = Math.min(d, boundedEditDistance(q.joined, k.joined, max));
  }
  return d;
}

function fuzzyCandidates(index: LookupIndex, form: string): Scored[] {
  const canon = canonicalKey(form);
  const q: NameForms = { raw: form, canon, joined: joinedKey(form) };
  // Two edits on a short word reach almost anything ("mesh" → "esb"): suggest one-edit neighbours only.
  // The singular counts: "meshes" is compared as "mesh" too.
  const shortest = Math.min(q.joined.length, joinedKey(canon).length);
  const max = shortest <= 5 ? 1 : LOOKUP_DEFAULTS.suggestEdits;
  const best = new Map<Term, Scored>();
  if (q.joined.length < 3) return [];
  for (const fk of index.fuzzy) {
    const d = nameDistance(q, fk, max);
    if (d > max) continue;
    const prev = best.get(fk.term);
    if (prev === undefined || d < prev.distance) {
      best.set(fk.term, { term: fk.term, distance: d, keyLength: fk.joined.length });
    }
  }
  const firstChar = q.joined.charCodeAt(0);
  const startsAlike = (t: Term) => Number(normalizeName(t.term).charCodeAt(0) === firstChar);
  return [...best.values()].sort(
    (a, b) =>
      a.distance - b.distance ||
      startsAlike(b.term) - startsAlike(a.term) ||
      Math.abs(a.keyLength - q.joined.length) - Math.abs(b.keyLength - q.joined.length),
  );
}

function allowedEdits(length: number): number {
  if (length >= LOOKUP_DEFAULTS.twoEditMinLength) return 2;
  if (length >= LOOKUP_DEFAULTS.oneEditMinLength) return 1;
  return 0;
}

const STOPWORDS = new Set([
  "the",
  "and",
  "for",
  "with",
  "what",
  "how",
  "why",
  "does",
  "are",
  "not",
  "you",
  "this",
]);

/** True when a query word and a name word are the same word, one's prefix, or one typo apart. */
function wordsMeet(q: string, n: string): boolean {
  if (q === n || stem(q) === stem(n)) return true;
  if (q.length >= 4 && n.startsWith(q)) return true;
  return q.length >= 5 && n.length >= 5 && boundedEditDistance(q, n, 1) <= 1;
}

/**
 * Names that share a word with the query, ranked by fuse.js. Requiring a shared word keeps fuse's
 * substring matches ("love" inside "failover") out of the suggestions.
 */
function fuseSuggestions(index: LookupIndex, form: string): Term[] {
  const words = canonicalKey(form)
    .split(" ")
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w));
  if (words.length === 0) return [];
  // Terms whose own name holds the word ("Sidecar proxy" for "proxy") rank before those with it in an alias.
  const candidates = new Map<Term, boolean>();
  for (const { name, term, kind } of index.names) {
    if (candidates.get(term) === true) continue;
    const nameWords = canonicalKey(name).split(" ");
    if (words.some((w) => nameWords.some((n) => wordsMeet(w, n)))) candidates.set(term, kind === "name");
  }
  if (candidates.size === 0) return [];
  if (index.fuse === undefined) {
    index.fuse = new Fuse(index.names, {
      keys: ["name"],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.6,
    });
  }
  const ranked: Term[] = [];
  for (const r of index.fuse.search(capText(form, LOOKUP_DEFAULTS.fuseMaxPattern))) {
    if (candidates.has(r.item.term) && !ranked.includes(r.item.term)) ranked.push(r.item.term);
  }
  for (const t of candidates.keys()) if (!ranked.includes(t)) ranked.push(t);
  return [...ranked.filter((t) => candidates.get(t)), ...ranked.filter((t) => !candidates.get(t))];
}

/**
 * Resolves a query to one term with confidence, or to no term with ranked suggestions. Exact names, aliases,
 * joined and inflected forms answer first; typos answer only when one term is clearly closest; everything
 * else becomes "did you mean" suggestions, never a silent guess.
 */
export function lookupTerm(glossary: Glossary, query: string): LookupResult {
  const normal = normalizeName(capText(query, MAX_QUERY_CHARS * 2))
    .slice(0, MAX_QUERY_CHARS)
    .trim();
  if (normal === "") return miss("empty", "", []);
  const index = indexOf(glossary);
  const forms = queryForms(normal);
  let ambiguous: LookupMiss | undefined;
  for (const form of forms) {
    const result = exactTiers(index, form);
    if (result === undefined) continue;
    if (result.found) return result;
    ambiguous ??= result;
  }
  if (ambiguous !== undefined) return ambiguous;

  const target = forms[forms.length - 1] ?? normal;
  const candidates = fuzzyCandidates(index, target);
  const [first, second] = candidates;
  if (first !== undefined) {
    const length = Math.min(first.keyLength, joinedKey(target).length);
    const clear = second === undefined || second.distance > first.distance;
    if (first.distance <= allowedEdits(length) && clear) {
      const c = LOOKUP_DEFAULTS.confidence;
      return { ...hit(first.term, "typo", target), confidence: first.distance <= 1 ? c.typo1 : c.typo2 };
    }
  }
  // A one-word query that is a whole word of some names ("metrics") means those names more than a word two
  // edits away ("retries"); in longer queries the shared words are context and edits rank first.
  const oneWord = !target.includes(" ");
  const suggestions: Term[] = candidates.filter((c) => !oneWord || c.distance <= 1).map((c) => c.term);
  for (const t of fuseSuggestions(index, target)) if (!suggestions.includes(t)) suggestions.push(t);
  for (const c of candidates) if (!suggestions.includes(c.term)) suggestions.push(c.term);
  if (suggestions.length < LOOKUP_DEFAULTS.maxSuggestions) {
    for (const d of detectJargon(glossary, normal)) {
      if (!suggestions.includes(d.term)) suggestions.push(d.term);
    }
  }
  const reason = first !== undefined && second !== undefined && second.distance === first.distance;
  return miss(reason ? "ambiguous" : "unknown", target, suggestions);
}

/** Every term that the lookup can reach by exact name, for the content checks. */
export function nameOwners(glossary: Glossary, name: string): Term[] {
  const entries = indexOf(glossary).exact.get(canonicalKey(name)) ?? [];
  return [...new Set(entries.map((e) => e.term))];
}
