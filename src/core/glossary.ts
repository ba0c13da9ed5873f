import type { Term, Topic } from "./types.js";

/** An immutable, validated set of terms. Indexes for lookup and detection are built lazily beside it. */
export interface Glossary {
  /** Every term, sorted by display name. */
  readonly terms: readonly Term[];
  get(id: string): Term | undefined;
}

/** A term with the defaults of a content file for every field not given (no aliases, auto-explained...). */
export function termWithDefaults(fields: Pick<Term, "id" | "term"> & Partial<Term>): Term {
  return {
    aliases: [],
    sharedAliases: [],
    summary: "",
    body: "",
    related: [],
    sources: [],
    topic: undefined,
    everyday: false,
    autoExplain: true,
    ...fields,
  };
}

/** Builds a glossary; callers validate first (see validateGlossary). */
export function createGlossary(terms: readonly Term[]): Glossary {
  const sorted = [...terms].sort((a, b) => a.term.localeCompare(b.term, "en", { sensitivity: "base" }));
  const byId = new Map(sorted.map((t) => [t.id, t]));
  return Object.freeze({
    terms: Object.freeze(sorted),
    get: (id: string) => byId.get(id),
  });
}

/** The related terms of `term` that exist, in the order the content lists them. */
export function relatedTerms(glossary: Glossary, term: Term): Term[] {
  const out: Term[] = [];
  for (const id of term.related) {
    const t = glossary.get(id);
    if (t !== undefined && t.id !== term.id) out.push(t);
  }
  return out;
}

/** Terms grouped by topic, topics in a stable order, terms without a topic last under "other". */
export function termsByTopic(
  glossary: Glossary,
  order: readonly Topic[],
): { topic: Topic | "other"; terms: Term[] }[] {
  const groups = new Map<Topic | "other", Term[]>();
  for (const t of glossary.terms) {
    const key = t.topic ?? "other";
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [t]);
    else list.push(t);
  }
  const keys: (Topic | "other")[] = [...order.filter((t) => groups.has(t))];
  if (groups.has("other")) keys.push("other");
  return keys.map((topic) => ({ topic, terms: groups.get(topic) ?? [] }));
}

/** All names of a term a person might type: display name, the id read as words, aliases. */
export function namesOf(term: Term): { text: string; kind: "name" | "alias" | "shared" }[] {
  const names: { text: string; kind: "name" | "alias" | "shared" }[] = [
    { text: term.term, kind: "name" },
    { text: term.id.replaceAll("-", " "), kind: "name" },
  ];
  for (const a of term.aliases) names.push({ text: a, kind: "alias" });
  for (const a of term.sharedAliases) names.push({ text: a, kind: "shared" });
  return names;
}
