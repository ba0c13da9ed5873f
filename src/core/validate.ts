import { createGlossary } from "./glossary.js";
import { lookupTerm } from "./lookup.js";
import { canonicalKey } from "./normalize.js";
import type { Term } from "./types.js";

/** Something wrong with the content, tied to a term and the text that shows it. */
export interface ContentProblem {
  readonly termId: string;
  /** The field at fault; the content reader turns it into a line. */
  readonly field: string;
  /** The offending text as written in the file, to find its line. */
  readonly value?: string;
  /** A plain sentence saying what is wrong and what to do. */
  readonly message: string;
  /** The other term a clash is with, when the problem is a name two terms claim. */
  readonly otherTermId?: string;
}

/** Longest summary that still reads as one chat line. */
export const MAX_SUMMARY_CHARS = 200;

const LINK = /\]\(#([^)\s]+)\)/g;

/** Ids of other terms a body links to with `[text](#id)`. */
export function bodyLinks(body: string): string[] {
  return [...body.matchAll(LINK)].map((m) => m[1] as string);
}

/**
 * Checks a set of terms as a whole: unique ids and names, existing `related` and link targets. These make
 * start-up fail, because a broken glossary would answer wrongly.
 */
export function validateGlossary(terms: readonly Term[]): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const ids = new Map<string, Term>();
  for (const t of terms) {
    const first = ids.get(t.id);
    if (first !== undefined) {
      problems.push({
        termId: t.id,
        field: "id",
        value: t.id,
        message: `the id "${t.id}" is used by two terms; ids must be unique.`,
      });
    } else {
      ids.set(t.id, t);
    }
  }
  // Names and aliases: one owner each, unless every claim but one is a shared alias.
  const claims = new Map<string, { term: Term; text: string; shared: boolean }[]>();
  for (const t of terms) {
    const names = [
      { text: t.term, shared: false },
      ...t.aliases.map((text) => ({ text, shared: false })),
      ...t.sharedAliases.map((text) => ({ text, shared: true })),
    ];
    for (const { text, shared } of names) {
      const key = canonicalKey(text);
      if (key === "") {
        problems.push({ termId: t.id, field: "aliases", value: text, message: "an alias is empty." });
        continue;
      }
      const list = claims.get(key) ?? [];
      if (!list.some((c) => c.term === t)) list.push({ term: t, text, shared });
      claims.set(key, list);
    }
  }
  for (const list of claims.values()) {
    // A term's display name keeps it; the alias that collides with it is the one to move or share.
    const isName = (c: (typeof list)[number]) => Number(c.text === c.term.term);
    const owners = list.filter((c) => !c.shared).sort((a, b) => isName(b) - isName(a));
    if (owners.length < 2) continue;
    for (const c of owners.slice(1)) {
      const other = owners[0] as (typeof owners)[number];
      problems.push({
        termId: c.term.id,
        field: "aliases",
        value: c.text,
        otherTermId: other.term.id,
        message:
          `"${c.text}" also names "${other.term.id}". Keep it on one term, or list it under sharedAliases ` +
          "on each term it can mean.",
      });
    }
  }
  for (const t of terms) {
    for (const id of t.related) {
      if (!ids.has(id)) {
        problems.push({
          termId: t.id,
          field: "related",
          value: id,
          message: `related term "${id}" does not exist.`,
        });
      } else if (id === t.id) {
        problems.push({
          termId: t.id,
          field: "related",
          value: id,
          message: "a term cannot be related to itself.",
        });
      }
    }
    for (const id of bodyLinks(t.body)) {
      if (!ids.has(id)) {
        problems.push({
          termId: t.id,
          field: "body",
          value: `(#${id})`,
          message: `the link to "#${id}" points at no term.`,
        });
      }
    }
  }
  return problems;
}

/** Which editorial rules apply: imported glossaries cannot be made to relate a term the site leaves alone. */
export interface CheckOptions {
  /** Every term names at least one related term (the rule for term files). Default true. */
  readonly requireRelated?: boolean;
}

/**
 * Editorial checks run by `mesh check` and CI, on top of validateGlossary: every name reaches its own term
 * through the real lookup, every term has a related term, summaries are one short sentence.
 */
export function checkContent(terms: readonly Term[], options: CheckOptions = {}): ContentProblem[] {
  const problems = validateGlossary(terms);
  // Whether each name finds its own term is asked only of a glossary that holds together; the rest of each
  // term is checked either way, so fixing one problem does not uncover the next.
  if (problems.length === 0) problems.push(...namesThatStray(terms));
  for (const t of terms) {
    if (t.related.length === 0 && options.requireRelated !== false) {
      problems.push({
        termId: t.id,
        field: "related",
        message: "the term is related to no other term; add one.",
      });
    }
    const summary = t.summary.trim();
    if (summary.length > MAX_SUMMARY_CHARS) {
      problems.push({
        termId: t.id,
        field: "summary",
        message: `the summary is ${summary.length} characters; keep it under ${MAX_SUMMARY_CHARS}.`,
      });
    }
    if (/[.!?]\s+\p{Lu}/u.test(summary.replace(/\b(?:e\.g|i\.e|etc|vs)\./g, ""))) {
      problems.push({ termId: t.id, field: "summary", message: "the summary has more than one sentence." });
    }
  }
  return problems;
}

/** Names (a term's own, its aliases) that a lookup answers with another term, or with none. */
function namesThatStray(terms: readonly Term[]): ContentProblem[] {
  const glossary = createGlossary(terms);
  const problems: ContentProblem[] = [];
  for (const t of terms) {
    for (const name of [t.term, ...t.aliases]) {
      const result = lookupTerm(glossary, name);
      if (!result.found || result.term.id !== t.id) {
        const got = result.found ? `"${result.term.id}"` : "no term";
        problems.push({
          termId: t.id,
          field: name === t.term ? "term" : "aliases",
          value: name,
          message: `looking up "${name}" finds ${got} instead of "${t.id}".`,
        });
      }
    }
  }
  return problems;
}
