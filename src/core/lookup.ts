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
  /** letterMask of raw (and so of joined, which has the same letters). */
  readonly rawMask: number;
  readonly canonMask: number;
}

/** The query's forms with their letter masks (see nameDistance). */
interface QueryForms extends NameForms {
  readonly rawMask: number;
  readonly canonMask: number;
}

/** fuseSuggestions' view of the names: each name's canonical words and their stems, built on first use. */
interface NameWords {
  readonly words: readonly string[];
  readonly stems: readonly string[];
  readonly masks: readonly number[];
}

interface LookupIndex {
  readonly exact: Map<string, NameEntry[]>;
  readonly joined: Map<string, NameEntry[]>;
  readonly stemmed: Map<string, NameEntry[]>;
  readonly fuzzy: FuzzyKey[];
  readonly names: { name: string; term: Term; kind: NameEntry["kind"] }[];
  /** Parallel to `names`; built by the first lookup that needs suggestions. */
  nameWords: NameWords[] | undefined;
  /** First character of each term's normalised display name, for ranking typo candidates. */
  readonly firstChar: Map<Term, number>;
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
        fuzzy.push({
          raw,
          canon: key,
          joined: joinedKey(raw),
          term,
          rawMask: letterMask(raw),
          canonMask: letterMask(key),
        });
        names.push({ name: raw, term, kind });
      }
    }
  }
  const firstChar = new Map(glossary.terms.map((t) => [t, normalizeName(t.term).charCodeAt(0)]));
  return { exact, joined, stemmed, fuzzy, names, nameWords: undefined, firstChar, written };
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
  // Tier by tier, each key made only when the tier before it has nothing.
  return (
    tierHit(index, form, index.exact.get(key), undefined) ??
    tierHit(index, form, index.joined.get(joinedKey(key)), "joined") ??
    tierHit(index, form, index.stemmed.get(stemmedKey(key)), "inflection")
  );
}

/** What one tier's entries for a form say: a hit, names it cannot choose between, or nothing. */
function tierHit(
  index: LookupIndex,
  form: string,
  entries: NameEntry[] | undefined,
  kind: MatchKind | undefined,
): LookupResult | undefined {
  if (entries === undefined) return undefined;
  const settled = settle(entries);
  if (Array.isArray(settled)) return miss("ambiguous", form, settled);
  // Exact means as written: "mTLS" is its own name even though its canonical key is the singular "mtl".
  const as = kind === undefined ? index.written.get(`${settled.term.id}\u0000${form}`) : undefined;
  const match: MatchKind = kind ?? (as === undefined ? "inflection" : as === "name" ? "name" : "alias");
  return hit(settled.term, match, form, settled.seeAlso);
}

interface Scored {
  term: Term;
  distance: number;
  keyLength: number;
}

/**
 * The letters (a-z; digits and the rest share a few buckets) a text contains, one bit each, spaces left out.
 * One edit changes at most two bits, so two texts whose masks differ in more than 2 * max bits are more than
 * max edits apart: a cheap test that spares the edit-distance computation for almost every name.
 */
function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) continue;
    mask |= 1 << (c >= 97 && c <= 122 ? c - 97 : 26 + (c % 6));
  }
  return mask;
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Edit distance between a query and a name, over its written, singular and joined forms. */
function nameDistance(q: QueryForms, k: FuzzyKey, max: number): number {
  // Why the masks: at 500 terms a typo compared itself with ~2,000 names three ways each, and this edit
  // distance was most of a typo lookup's time. A pair the mask rules out would come back as max + 1 anyway.
  const limit = 2 * max;
  const rawFar = bitCount(q.rawMask ^ k.rawMask) > limit;
  let d = rawFar ? max + 1 : boundedEditDistance(q.raw, k.raw, max);
  if (d === 0) return 0;
  if ((q.canon !== q.raw || k.canon !== k.raw) && bitCount(q.canonMask ^ k.canonMask) <= limit) {
    d = Math.min(d, boundedEditDistance(q.canon, k.canon, max));
  }
  // joined has raw's letters, so raw's mask rules it out too.
  if (d > 0 && (q.joined !== q.raw || k.joined !== k.raw) && !rawFar) {
    d = Math.min(d, boundedEditDistance(q.joined, k.joined, max));
  }
  return d;
}

/** Names within a few edits of `form`; `cap` (a length) limits the edits as if the query were that short. */
function fuzzyCandidates(index: LookupIndex, form: string, cap = Number.POSITIVE_INFINITY): Scored[] {
  const canon = canonicalKey(form);
  const q: QueryForms = {
    raw: form,
    canon,
    joined: joinedKey(form),
    rawMask: letterMask(form),
    canonMask: letterMask(canon),
  };
  // Two edits on a short word reach almost anything ("mesh" → "esb"): suggest one-edit neighbours only.
  // The singular counts: "meshes" is compared as "mesh" too.
  const shortest = Math.min(q.joined.length, joinedKey(canon).length, cap);
  const max = shortest <= 5 ? 1 : LOOKUP_DEFAULTS.suggestEdits;
  const best = new Map<Term, Scored>();
  if (Math.min(q.joined.length, cap) < 3) return [];
  for (const fk of index.fuzzy) {
    const d = nameDistance(q, fk, max);
    if (d > max) continue;
    const prev = best.get(fk.term);
    if (prev === undefined || d < prev.distance) {
      best.set(fk.term, { term: fk.term, distance: d, keyLength: fk.joined.length });
    }
  }
  const firstChar = q.joined.charCodeAt(0);
  const startsAlike = (t: Term) => Number(index.firstChar.get(t) === firstChar);
  return [...best.values()].sort(
    (a, b) =>
      a.distance - b.distance ||
      startsAlike(b.term) - startsAlike(a.term) ||
      Math.abs(a.keyLength - q.joined.length) - Math.abs(b.keyLength - q.joined.length),
  );
}

/**
 * A typo hit for `target` when one term is clearly closest, within the edits allowed for the shorter of the
 * name and `lengthOf` (the query form whose length counts).
 */
function clearTypo(candidates: readonly Scored[], target: string, lengthOf: string): LookupHit | undefined {
  const [first, second] = candidates;
  if (first === undefined) return undefined;
  const length = Math.min(first.keyLength, joinedKey(lengthOf).length);
  const clear = second === undefined || second.distance > first.distance;
  if (first.distance > allowedEdits(length) || !clear) return undefined;
  const c = LOOKUP_DEFAULTS.confidence;
  return { ...hit(first.term, "typo", target), confidence: first.distance <= 1 ? c.typo1 : c.typo2 };
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

/**
 * True when a query word and a name word are the same word, one's prefix, or one typo apart. Stems and
 * letter masks come precomputed (see NameWords): this runs for every word of every name on each miss.
 */
function wordsMeet(
  q: string,
  qStem: string,
  qMask: number,
  n: string,
  nStem: string,
  nMask: number,
): boolean {
  if (q === n || qStem === nStem) return true;
  if (q.length >= 4 && n.startsWith(q)) return true;
  return q.length >= 5 && n.length >= 5 && bitCount(qMask ^ nMask) <= 2 && boundedEditDistance(q, n, 1) <= 1;
}

function nameWordsOf(index: LookupIndex): NameWords[] {
  index.nameWords ??= index.names.map(({ name }) => {
    const words = canonicalKey(name).split(" ");
    return { words, stems: words.map(stem), masks: words.map(letterMask) };
  });
  return index.nameWords;
}

const FUSE_SUGGEST_OPTIONS = Object.freeze({
  keys: ["name"],
  includeScore: true,
  ignoreLocation: true,
  threshold: 0.6,
});

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
  const stems = words.map(stem);
  const masks = words.map(letterMask);
  const nameWords = nameWordsOf(index);
  index.names.forEach(({ term, kind }, i) => {
    if (candidates.get(term) === true) return;
    const nw = nameWords[i] as NameWords;
    const meets = words.some((w, wi) =>
      nw.words.some((n, ni) =>
        wordsMeet(
          w,
          stems[wi] as string,
          masks[wi] as number,
          n,
          nw.stems[ni] as string,
          nw.masks[ni] as number,
        ),
      ),
    );
    if (meets) candidates.set(term, kind === "name");
  });
  if (candidates.size === 0) return [];
  // fuse.js ranks only the candidates' names. It scores each name on its own and breaks ties by position, so
  // ranking this subset (kept in order) equals ranking every name and filtering; at 500 terms searching all
  // ~2,000 names took milliseconds, most of a miss's time.
  const fuse = new Fuse(
    index.names.filter((n) => candidates.has(n.term)),
    FUSE_SUGGEST_OPTIONS,
  );
  const ranked: Term[] = [];
  for (const r of fuse.search(capText(form, LOOKUP_DEFAULTS.fuseMaxPattern))) {
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
  // The query as typed first: most are a name, and the stripped forms are not needed then.
  const direct = exactTiers(index, normal);
  if (direct?.found === true) return direct;
  const forms = queryForms(normal);
  let ambiguous: LookupMiss | undefined = direct;
  for (const form of forms.slice(1)) {
    const result = exactTiers(index, form);
    if (result === undefined) continue;
    if (result.found) return result;
    ambiguous ??= result;
  }
  if (ambiguous !== undefined) return ambiguous;
  const annotated = parentheticalHit(index, capText(query, MAX_QUERY_CHARS * 2));
  if (annotated !== undefined) return annotated;

  const target = forms[forms.length - 1] ?? normal;
  const candidates = fuzzyCandidates(index, target);
  const typo = clearTypo(candidates, target, target);
  if (typo !== undefined) return typo;
  // Stripping can take a name's own words with it: "mesh identqty" becomes "identqty", near nothing, while
  // "Mesh identity" is one edit away (so are "kubernetes seryice" and "linkerd cxi plugin"). Look for a clear
  // typo in the less stripped forms too, least stripped last. The edits still count against the stripped
  // words' length (the shortest form's), so "kubernetes csd" does not become "Kubernetes pod".
  const shortest = forms.reduce((a, b) => (joinedKey(b).length < joinedKey(a).length ? b : a), target);
  const fuller: Scored[] = [];
  for (let f = forms.length - 2; f >= 0; f--) {
    const form = forms[f] as string;
    const more = fuzzyCandidates(index, form, joinedKey(shortest).length);
    const found = clearTypo(more, form, shortest);
    if (found !== undefined) return found;
    fuller.push(...more);
  }
  const [first, second] = candidates;
  // A one-word query that is a whole word of some names ("metrics") means those names more than a word two
  // edits away ("retries"); in longer queries the shared words are context and edits rank first.
  const oneWord = !target.includes(" ");
  const suggestions: Term[] = candidates.filter((c) => !oneWord || c.distance <= 1).map((c) => c.term);
  for (const t of fuseSuggestions(index, target)) if (!suggestions.includes(t)) suggestions.push(t);
  for (const c of candidates) if (!suggestions.includes(c.term)) suggestions.push(c.term);
  for (const c of fuller) if (!suggestions.includes(c.term)) suggestions.push(c.term);
  if (suggestions.length < LOOKUP_DEFAULTS.maxSuggestions) {
    for (const d of detectJargon(glossary, normal)) {
      if (!suggestions.includes(d.term)) suggestions.push(d.term);
    }
  }
  const reason = first !== undefined && second !== undefined && second.distance === first.distance;
  return miss(reason ? "ambiguous" : "unknown", target, suggestions);
}

/**
 * "Mutual TLS (mTLS)": a name with another name of it in parentheses, as glossary titles are often written.
 * The term both parts name, or the one part that names a term when the other names none.
 */
function parentheticalHit(index: LookupIndex, query: string): LookupHit | undefined {
  const parts = /^(.*\S)\s*\(([^()]+)\)\s*[?.!]*$/.exec(query.trim());
  if (parts === null) return undefined;
  const exact = (text: string): LookupResult | undefined => {
    const normal = normalizeName(text).trim();
    if (normal === "") return undefined;
    for (const form of queryForms(normal)) {
      const result = exactTiers(index, form);
      if (result !== undefined) return result;
    }
    return undefined;
  };
  const outer = exact(parts[1] as string);
  const inner = exact(parts[2] as string);
  if (outer?.found === false || inner?.found === false) return undefined;
  if (outer !== undefined && inner !== undefined) return outer.term === inner.term ? outer : undefined;
  return outer ?? inner;
}

/** Every term that the lookup can reach by exact name, for the content checks. */
export function nameOwners(glossary: Glossary, name: string): Term[] {
  const entries = indexOf(glossary).exact.get(canonicalKey(name)) ?? [];
  return [...new Set(entries.map((e) => e.term))];
}
