import { type Glossary, namesOf } from "./glossary.js";
import { singularize } from "./normalize.js";
import type { Term } from "./types.js";

/** One term found in a message: where, and the words that named it. */
export interface DetectedTerm {
  readonly term: Term;
  /** UTF-16 offset of the first character, inclusive. */
  readonly start: number;
  /** UTF-16 offset after the last character, exclusive. */
  readonly end: number;
  /** The words as written in the message. */
  readonly text: string;
}

const SYM_OTHER = 0;
const SYM_SEP = 1;
const SEPARATORS = " \t\n\r\f\v-_\u00a0\u2010\u2011\u2012\u2013\u2014";
/** Joined forms shorter than this ("mtls" → no) are not worth a pattern. */
const MIN_JOINED = 8;

interface Automaton {
  readonly alphabet: number;
  readonly ascii: Uint8Array;
  readonly wide: Map<number, number>;
  /** delta[state * alphabet + symbol] → next state. */
  readonly delta: Int32Array;
  /** Pattern ending exactly at a state, or -1. */
  readonly output: Int32Array;
  /** Nearest state on the failure chain that ends a pattern, or -1. */
  readonly dictLink: Int32Array;
  readonly patternTerm: Term[];
  readonly patternLength: Int32Array;
}

const automata = new WeakMap<Glossary, Automaton>();

/** The lower-case, separator-collapsed surface forms under which a name is found in running text. */
export function surfaceForms(name: string): string[] {
  const folded = name
    .normalize("NFKC")
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();
  const base = folded
    .split("")
    .map((ch) => (SEPARATORS.includes(ch) ? " " : ch))
    .join("")
    .replace(/ +/g, " ")
    .trim();
  if (base === "") return [];
  const forms = new Set([base]);
  const words = base.split(" ");
  const last = words[words.length - 1] ?? "";
  const lastWritten =
    name
      .trim()
      .split(/[\s\-_]+/)
      .pop() ?? "";
  const acronym = /[A-Z].*[A-Z]/.test(lastWritten) || /\d/.test(last);
  const head = words.slice(0, -1);
  if (/^[a-z]{3,}$/.test(last)) {
    if (!acronym) {
      const single = singularize(last);
      if (single !== last && single.length >= 4) forms.add([...head, single].join(" "));
    }
    if (!last.endsWith("s") || last.endsWith("ss")) forms.add([...head, pluralize(last)].join(" "));
  } else if (acronym && /^[a-z0-9]+$/.test(last) && !last.endsWith("s")) {
    forms.add(`${base}s`);
  }
  if (words.length > 1) {
    for (const f of [...forms]) {
      const joined = f.replaceAll(" ", "");
      if (joined.length >= MIN_JOINED) forms.add(joined);
    }
  }
  return [...forms];
}

function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

function buildAutomaton(glossary: Glossary): Automaton {
  const patterns: { form: string; term: Term }[] = [];
  const owner = new Map<string, Term | null>();
  for (const term of glossary.terms) {
    for (const { text, kind } of namesOf(term)) {
      for (const form of surfaceForms(text)) {
        const prev = owner.get(form);
        // A form two terms share is only detected when one of them owns it outright.
        if (prev === undefined) owner.set(form, kind === "shared" ? null : term);
        else if (prev === null && kind !== "shared") owner.set(form, term);
        else if (prev !== null && prev !== term && kind !== "shared") owner.set(form, null);
      }
    }
  }
  for (const [form, term] of owner) if (term !== null) patterns.push({ form, term });

  // Alphabet: every character patterns use, both cases, plus "other" and "separator".
  const ascii = new Uint8Array(128);
  const wide = new Map<number, number>();
  let alphabet = 2;
  const symbolOf = (code: number): number => {
    if (code < 128) {
      if (ascii[code] === 0) ascii[code] = alphabet++;
      return ascii[code] as number;
    }
    let s = wide.get(code);
    if (s === undefined) {
      s = alphabet++;
      wide.set(code, s);
    }
    return s;
  };
  for (const ch of SEPARATORS) {
    const code = ch.charCodeAt(0);
    if (code < 128) ascii[code] = SYM_SEP;
    else wide.set(code, SYM_SEP);
  }
  wide.set(0x2019, 0); // curly apostrophe resolves below, after "'" has a symbol
  const encoded = patterns.map(({ form }) =>
    Array.from(form, (ch) => (ch === " " ? SYM_SEP : symbolOf(ch.charCodeAt(0)))),
  );
  wide.set(0x2019, ascii[39] ?? 0);
  for (let c = 65; c <= 90; c++) if ((ascii[c] as number) === 0) ascii[c] = ascii[c + 32] as number;
  for (const [code, sym] of [...wide]) {
    const upper = String.fromCharCode(code).toUpperCase();
    if (upper.length === 1 && !wide.has(upper.charCodeAt(0))) wide.set(upper.charCodeAt(0), sym);
  }

  // Trie.
  const children: Map<number, number>[] = [new Map()];
  const terminal: number[] = [-1];
  encoded.forEach((symbols, p) => {
    let state = 0;
    for (const sym of symbols) {
      const node = children[state] as Map<number, number>;
      let next = node.get(sym);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        terminal.push(-1);
        node.set(sym, next);
      }
      state = next;
    }
    terminal[state] = p;
  });

  // Breadth-first: failure links folded into a full transition table.
  const states = children.length;
  const delta = new Int32Array(states * alphabet);
  const fail = new Int32Array(states);
  const output = Int32Array.from(terminal);
  const dictLink = new Int32Array(states).fill(-1);
  const queue: number[] = [];
  for (const [sym, next] of children[0] as Map<number, number>) {
    delta[sym] = next;
    queue.push(next);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    const f = fail[state] as number;
    dictLink[state] = (output[f] as number) >= 0 ? f : (dictLink[f] as number);
    const row = state * alphabet;
    const failRow = f * alphabet;
    for (let sym = 0; sym < alphabet; sym++) delta[row + sym] = delta[failRow + sym] as number;
    for (const [sym, next] of children[state] as Map<number, number>) {
      fail[next] = delta[failRow + sym] as number;
      delta[row + sym] = next;
      queue.push(next);
    }
  }
  delta[SYM_OTHER] = 0;
  return {
    alphabet,
    ascii,
    wide,
    delta,
    output,
    dictLink,
    patternTerm: patterns.map((p) => p.term),
    patternLength: Int32Array.from(encoded, (e) => e.length),
  };
}

function automatonOf(glossary: Glossary): Automaton {
  let a = automata.get(glossary);
  if (a === undefined) {
    a = buildAutomaton(glossary);
    automata.set(glossary, a);
  }
  return a;
}

const WORD_WIDE = /[\p{L}\p{N}\p{M}]/u;

function isWordChar(code: number): boolean {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  }
  return WORD_WIDE.test(String.fromCharCode(code));
}

/** True when the match at [start, end) stands on its own words, not inside a word, domain or handle. */
function onWordBoundaries(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charCodeAt(start - 1) : -1;
  const after = end < text.length ? text.charCodeAt(end) : -1;
  if (before >= 0) {
    if (isWordChar(before)) return false;
    // "#egress-alerts", "@linkerd", "$LATENCY", "config.linkerd"
    if (before === 35 || before === 64 || before === 36) return false;
    if (before === 46 && start > 1 && isWordChar(text.charCodeAt(start - 2))) return false;
  }
  if (after >= 0) {
    if (isWordChar(after)) return false;
    // "linkerd.io", "mtls.go", "linkerd@2"
    const next = end + 1 < text.length ? text.charCodeAt(end + 1) : -1;
    if ((after === 46 || after === 64) && next >= 0 && isWordChar(next)) return false;
  }
  return true;
}

// Code, links, mentions and quoted lines are someone else's words or not words at all: never jargon.
// An unclosed fence runs to the end of the text ((?![\s\S]), since $ under the m flag is any line end).
const SKIPPED =
  /```[\s\S]*?(?:```|(?![\s\S]))|``[^\n]*?``|`[^`\n]*`|<[^<>\n]{1,500}>|\b(?:https?|ftp):\/\/[^\s<>]+|\bwww\.[^\s<>]+|^[ \t]*(?:>|&gt;)[^\n]*/gim;

function skippedRanges(text: string): number[] {
  if (
    text.indexOf("`") < 0 &&
    text.indexOf("<") < 0 &&
    text.indexOf(">") < 0 &&
    text.indexOf("://") < 0 &&
    text.indexOf("www.") < 0 &&
    text.indexOf("&gt;") < 0
  ) {
    return [];
  }
  const ranges: number[] = [];
  for (const m of text.matchAll(SKIPPED)) ranges.push(m.index, m.index + m[0].length);
  return ranges;
}

/**
 * Finds every known term in a message in one pass of an Aho-Corasick automaton: case-insensitive, on word
 * boundaries, plurals included, skipping code, URLs, quotes and mention markup. Each term is reported once,
 * at its first appearance, in order; overlapping names resolve to the longest ("sidecar proxy" over "proxy").
 */
export function detectJargon(glossary: Glossary, text: string): DetectedTerm[] {
  const a = automatonOf(glossary);
  const { ascii, wide, delta, output, dictLink, alphabet, patternLength, patternTerm } = a;
  const n = text.length;
  // Candidate matches as (start, end, pattern) triples.
  const found: number[] = [];
  let state = 0;
  let prevSep = true;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    const sym = code < 128 ? (ascii[code] as number) : (wide.get(code) ?? SYM_OTHER);
    if (sym === SYM_SEP) {
      if (prevSep) continue;
      prevSep = true;
    } else {
      prevSep = false;
    }
    state = delta[state * alphabet + sym] as number;
    let s = (output[state] as number) >= 0 ? state : (dictLink[state] as number);
    while (s > 0) {
      const p = output[s] as number;
      const start = startOf(text, i, patternLength[p] as number, ascii, wide);
      if (onWordBoundaries(text, start, i + 1)) found.push(start, i + 1, p);
      s = dictLink[s] as number;
    }
  }
  if (found.length === 0) return [];
  return settleMatches(text, found, patternTerm);
}

/** Walks back `length` symbols (a separator run counts as one) from `last` to find where a match starts. */
function startOf(
  text: string,
  last: number,
  length: number,
  ascii: Uint8Array,
  wide: Map<number, number>,
): number {
  let pos = last + 1;
  const isSep = (code: number) => (code < 128 ? ascii[code] === SYM_SEP : wide.get(code) === SYM_SEP);
  for (let remaining = length; remaining > 0; remaining--) {
    pos--;
    if (isSep(text.charCodeAt(pos))) while (pos > 0 && isSep(text.charCodeAt(pos - 1))) pos--;
  }
  return pos;
}

function settleMatches(text: string, found: number[], patternTerm: readonly Term[]): DetectedTerm[] {
  const ranges = skippedRanges(text);
  const order: number[] = [];
  for (let i = 0; i < found.length; i += 3) order.push(i);
  // Leftmost first, longest first at the same start.
  order.sort(
    (x, y) =>
      (found[x] as number) - (found[y] as number) || (found[y + 1] as number) - (found[x + 1] as number),
  );
  const out: DetectedTerm[] = [];
  const seen = new Set<Term>();
  let covered = 0;
  // Skipped ranges are sorted and disjoint and candidates come in start order, so one cursor walks both:
  // a linear pass, where scanning every range per candidate was quadratic on code-heavy messages.
  let r = 0;
  for (const i of order) {
    const start = found[i] as number;
    const end = found[i + 1] as number;
    if (start < covered) continue;
    while (r < ranges.length && (ranges[r + 1] as number) <= start) r += 2;
    if (r < ranges.length && end > (ranges[r] as number)) continue;
    covered = end;
    const term = patternTerm[found[i + 2] as number] as Term;
    if (seen.has(term)) continue;
    seen.add(term);
    out.push({ term, start, end, text: text.slice(start, end) });
  }
  return out;
}
