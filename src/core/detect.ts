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
/** A letter or digit that no pattern uses: it can only be inside a word, never start a name. */
const SYM_WORD = 2;
/** A character no pattern uses that may open a skipped range (`, <, >, :, &, .): "other", but noted. */
const SYM_MARK = 3;
const MARK_CHARS = "`<>:&.";
const SEPARATORS = " \t\n\r\f\v-_\u00a0\u2010\u2011\u2012\u2013\u2014";
/** Joined forms shorter than this ("mtls" → no) are not worth a pattern. */
const MIN_JOINED = 8;
/** No chain symbol: the state is a leaf, or has a dense row. */
const NO_SYMBOL = -1;
/** Flags in Automaton.chain: the state ends a pattern; the state has a dense row. */
const EMITS = 1;
const DENSE = 2;
/** Trie depth down to which every state gets a dense row; below, only branching states do. */
const DENSE_DEPTH = 2;

/**
 * A word-anchored Aho-Corasick automaton in two layouts. Dense rows (the root, shallow and branching states)
 * answer a transition with one load; long single-child chains, the bulk of a big glossary's states, take
 * one small entry each (the symbol to the next state, which is numbered state + 1).
 *
 * Why (npm run bench -- detect): with a full transition table the 500-term glossary's automaton was 2.6 MB,
 * and every character of a jargon mention missed the cache. Here the dense rows take ~145 KB, the part plain
 * text uses (the root's neighbourhood, laid out first) ~35 KB, and a chain state 4 bytes. Together with the
 * word anchoring, the skipped-range marks and the allocation-free candidates below, detection went from
 * ~10x to ~4x the time of a bare charCodeAt loop over the bench corpus.
 */
interface Automaton {
  readonly ascii: Uint16Array;
  readonly wide: Map<number, number>;
  /** Dense rows: rows[row + symbol] → the next state's row offset, or ~state when that state ends a
   * pattern or has no dense row (the slow path looks at it). */
  readonly rows: Int32Array;
  /**
   * Per state, packed for one load on the slow path, shifted left by 2 above the EMITS and DENSE flags: a
   * dense state's row offset, or else the chain symbol (the one symbol that leads on, to state + 1, or
   * NO_SYMBOL).
   */
  readonly chain: Int32Array;
  /** 1 for a state reached by a separator, which further separators leave where it is. */
  readonly sepIn: Uint8Array;
  /** Failure link: the longest proper suffix, starting a word, that is a state. */
  readonly fail: Int32Array;
  /** The first state on a state's output chain (itself when it ends a pattern), or -1. */
  readonly emit: Int32Array;
  /** Pattern ending exactly at a state, or -1. */
  readonly output: Int32Array;
  /** Nearest state on the failure chain that ends a pattern, or -1. */
  readonly dictLink: Int32Array;
  readonly patternTerm: Term[];
  /** Index of each pattern's term in glossary.terms, for the once-per-term check. */
  readonly patternTermIndex: Int32Array;
  readonly patternLength: Int32Array;
  /** Index into `words` of a multi-word pattern's word lengths, or -1 for a one-word pattern. */
  readonly patternWords: Int32Array;
  /** For each multi-word pattern: the number of words, then each word's length in characters. */
  readonly words: Int32Array;
  /** 1 for the symbols of MARK_CHARS: reading one takes the slow path, which notes a possible skipped range. */
  readonly marks: Uint8Array;
  /** Per term: the detectJargon call that last reported it (see `generation`). */
  readonly seen: Int32Array;
  generation: number;
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

  // Alphabet: every character patterns use, both cases, plus "other", "separator" and "word".
  const ascii = new Uint16Array(128);
  const wide = new Map<number, number>();
  const isWordSymbol: boolean[] = [false, false, true, false];
  let alphabet = 4;
  const symbolOf = (code: number): number => {
    if (code < 128) {
      if (ascii[code] === 0) {
        ascii[code] = alphabet++;
        isWordSymbol.push(isWordChar(code));
      }
      return ascii[code] as number;
    }
    let s = wide.get(code);
    if (s === undefined) {
      s = alphabet++;
      isWordSymbol.push(isWordChar(code));
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
  // Letters and digits no pattern uses still make a word: a name cannot start right after one.
  for (let c = 0; c < 128; c++) if (ascii[c] === 0 && isWordChar(c)) ascii[c] = SYM_WORD;
  for (const ch of MARK_CHARS) if (ascii[ch.charCodeAt(0)] === 0) ascii[ch.charCodeAt(0)] = SYM_MARK;

  // Trie, patterns inserted in symbol order so that states are numbered depth-first: a state's first child
  // is the next state, which makes a long name a run of consecutive states. In that order each pattern
  // shares a prefix with the one before and adds states after it, so no per-state map is needed.
  const kids: number[][] = [[]]; // per state: symbol, child, symbol, child, ...
  const terminal: number[] = [-1];
  const incoming: number[] = [-1];
  const depth: number[] = [0];
  const bySymbols = (x: number, y: number): number => {
    const a = encoded[x] as number[];
    const b = encoded[y] as number[];
    for (let k = 0; k < a.length && k < b.length; k++)
      if (a[k] !== b[k]) return (a[k] as number) - (b[k] as number);
    return a.length - b.length;
  };
  const path: number[] = [0];
  let previous: number[] = [];
  for (const p of encoded.map((_, p) => p).sort(bySymbols)) {
    const symbols = encoded[p] as number[];
    let shared = 0;
    while (shared < symbols.length && symbols[shared] === previous[shared]) shared++;
    path.length = shared + 1;
    let state = path[shared] as number;
    for (let k = shared; k < symbols.length; k++) {
      const next = terminal.length;
      (kids[state] as number[]).push(symbols[k] as number, next);
      kids.push([]);
      terminal.push(-1);
      incoming.push(symbols[k] as number);
      depth.push(k + 1);
      path.push(next);
      state = next;
    }
    terminal[state] = p;
    previous = symbols;
  }

  // Failure links, breadth-first. Word-anchored: a name only starts where no letter or digit comes before
  // it, so a failure link only goes to a suffix that starts a word, and "inside a word" is a state of its
  // own (inWord) that waits for the word to end. Matches the boundary check made on every match anyway, and
  // keeps the automaton near its root in plain text.
  const root = 0;
  const inWord = terminal.length;
  const states = inWord + 1;
  const fail = new Int32Array(states);
  // Plain loops below, not Array.from with callbacks: building this is on the first message's path.
  const output = new Int32Array(states);
  output.set(terminal);
  output[inWord] = -1;
  const dictLink = new Int32Array(states).fill(-1);
  const sepIn = new Uint8Array(states);
  for (let s = 0; s < inWord; s++) if (incoming[s] === SYM_SEP) sepIn[s] = 1;
  const restart = (sym: number) => (isWordSymbol[sym] ? inWord : root);

  // Layout, in breadth-first order: dense rows for the root, inWord, shallow and branching states (shallowest
  // first: plain text keeps to the root's neighbourhood, whose rows then share cache lines), and a chain
  // symbol for the rest.
  const order: number[] = [root, inWord];
  for (let head = 0; head < order.length; head++) {
    const list = kids[order[head] as number] ?? [];
    for (let k = 1; k < list.length; k += 2) order.push(list[k] as number);
  }
  const rowOf = new Int32Array(states).fill(-1);
  const chainSymbol = new Int32Array(states).fill(NO_SYMBOL);
  let rowCount = 0;
  for (const s of order) {
    const list = kids[s] ?? [];
    const dense =
      s === root ||
      s === inWord ||
      (depth[s] as number) <= DENSE_DEPTH ||
      list.length > 2 ||
      (list.length === 2 && list[1] !== s + 1);
    if (dense) rowOf[s] = rowCount++ * alphabet;
    else if (list.length === 2) chainSymbol[s] = list[0] as number;
  }

  // Transitions and failure links together, breadth-first. A failure link is always shallower, so its dense
  // row is already filled when a step needs it: a transition costs a load or two, not a walk.
  const target = new Int32Array(rowCount * alphabet);
  const step = (from: number, sym: number): number => {
    let s = from;
    for (;;) {
      const r = rowOf[s] as number;
      if (r >= 0) return target[r + sym] as number;
      // A run of separators reads as one: further separators leave the state where it is.
      if (sym === SYM_SEP && sepIn[s] === 1) return s;
      if (chainSymbol[s] === sym) return s + 1;
      s = fail[s] as number;
    }
  };
  for (let sym = 0; sym < alphabet; sym++) {
    target[(rowOf[root] as number) + sym] = restart(sym);
    target[(rowOf[inWord] as number) + sym] = restart(sym);
  }
  const rootKids = kids[root] as number[];
  for (let k = 0; k < rootKids.length; k += 2) {
    target[(rowOf[root] as number) + (rootKids[k] as number)] = rootKids[k + 1] as number;
    fail[rootKids[k + 1] as number] = restart(rootKids[k] as number);
  }
  for (let head = 2; head < order.length; head++) {
    const state = order[head] as number;
    const f = fail[state] as number;
    dictLink[state] = (output[f] as number) >= 0 ? f : (dictLink[f] as number);
    const list = kids[state] as number[];
    const base = rowOf[state] as number;
    if (base >= 0) {
      for (let sym = 0; sym < alphabet; sym++) target[base + sym] = step(f, sym);
      for (let k = 0; k < list.length; k += 2) target[base + (list[k] as number)] = list[k + 1] as number;
      if (sepIn[state] === 1) target[base + SYM_SEP] = state;
    }
    for (let k = 0; k < list.length; k += 2) fail[list[k + 1] as number] = step(f, list[k] as number);
  }
  const emit = new Int32Array(states);
  for (let s = 0; s < states; s++) emit[s] = (output[s] as number) >= 0 ? s : (dictLink[s] as number);
  const chain = new Int32Array(states);
  for (let s = 0; s < states; s++) {
    const dense = (rowOf[s] as number) >= 0;
    const flags = ((emit[s] as number) >= 0 ? EMITS : 0) | (dense ? DENSE : 0);
    chain[s] = ((dense ? (rowOf[s] as number) : (chainSymbol[s] as number)) << 2) | flags;
  }
  // Characters that may open a skipped range always take the slow path, which notes them.
  const marks = new Uint8Array(alphabet);
  for (const ch of MARK_CHARS) marks[ascii[ch.charCodeAt(0)] as number] = 1;
  const rows = new Int32Array(rowCount * alphabet);
  for (let k = 0; k < rows.length; k++) {
    const t = target[k] as number;
    const r = rowOf[t] as number;
    rows[k] = r >= 0 && (emit[t] as number) < 0 && marks[k % alphabet] === 0 ? r : ~t;
  }

  const words: number[] = [];
  const patternWords = Int32Array.from(encoded, (symbols) => {
    if (!symbols.includes(SYM_SEP)) return -1;
    const at = words.length;
    const lengths = [0];
    for (const sym of symbols) {
      if (sym === SYM_SEP) lengths.push(0);
      else lengths[lengths.length - 1] = (lengths[lengths.length - 1] as number) + 1;
    }
    words.push(lengths.length, ...lengths);
    return at;
  });
  const termIndex = new Map(glossary.terms.map((t, i) => [t, i]));
  return {
    ascii,
    wide,
    rows,
    chain,
    marks,
    sepIn,
    fail,
    emit,
    output,
    dictLink,
    patternTerm: patterns.map((p) => p.term),
    patternTermIndex: Int32Array.from(patterns, (p) => termIndex.get(p.term) ?? 0),
    patternLength: Int32Array.from(encoded, (e) => e.length),
    patternWords,
    words: Int32Array.from(words),
    seen: new Int32Array(glossary.terms.length),
    generation: 0,
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

/*
 * A match at [start, end) stands on its own words, not inside a word, domain or handle, when it starts and
 * ends on a word boundary (two checks, so that collect checks a shared end once).
 */
function startsOnWordBoundary(text: string, start: number): boolean {
  const before = start > 0 ? text.charCodeAt(start - 1) : -1;
  if (before >= 0) {
    if (isWordChar(before)) return false;
    // "#egress-alerts", "@linkerd", "$LATENCY", "config.linkerd"
    if (before === 35 || before === 64 || before === 36) return false;
    if (before === 46 && start > 1 && isWordChar(text.charCodeAt(start - 2))) return false;
  }
  return true;
}

function endsOnWordBoundary(text: string, end: number): boolean {
  const after = end < text.length ? text.charCodeAt(end) : -1;
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

// detectJargon only calls this when its scan noted one of these openers (see MARK_CHARS and opensSkip):
// keep the two in step.
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
  // Why not matchAll: over a 10 KB paste the regex tried its alternatives at every character, and that was
  // the largest cost left in detection. A match can only begin where skipOpeners says; trying the same regex,
  // sticky, at those positions in order finds the same ranges.
  const ranges: number[] = [];
  let pos = 0;
  for (const at of skipOpeners(text)) {
    if (at < pos) continue;
    SKIPPED_AT.lastIndex = at;
    const m = SKIPPED_AT.exec(text);
    if (m === null) continue;
    ranges.push(at, at + m[0].length);
    pos = at + m[0].length;
  }
  return ranges;
}

/** SKIPPED, matching only at lastIndex. */
const SKIPPED_AT = new RegExp(SKIPPED.source, "imy");

/**
 * Every position where a SKIPPED match can begin, ascending (more is harmless): a backtick or "<"; 3 to 5
 * characters before "://" (ftp, http, https); "www." in any case; a line start (after \n, \r, \u2028 or
 * \u2029, as ^ under the m flag) whose spaces and tabs are followed by ">" or "&" (of "&gt;", any case).
 */
function skipOpeners(text: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf("`"); i >= 0; i = text.indexOf("`", i + 1)) at.push(i);
  for (let i = text.indexOf("<"); i >= 0; i = text.indexOf("<", i + 1)) at.push(i);
  for (let i = text.indexOf("://"); i >= 0; i = text.indexOf("://", i + 1)) {
    for (let back = 3; back <= 5 && back <= i; back++) at.push(i - back);
  }
  for (let i = text.indexOf("."); i >= 0; i = text.indexOf(".", i + 1)) {
    const w = (k: number) => (text.charCodeAt(k) | 0x20) === 119;
    if (i >= 3 && w(i - 3) && w(i - 2) && w(i - 1)) at.push(i - 3);
  }
  const quoteAt = (line: number) => {
    let k = line;
    while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
    const c = text.charCodeAt(k);
    if (c === 62 || c === 38) at.push(line);
  };
  quoteAt(0);
  for (const end of ["\n", "\r", "\u2028", "\u2029"]) {
    for (let i = text.indexOf(end); i >= 0; i = text.indexOf(end, i + 1)) quoteAt(i + 1);
  }
  return at.sort((x, y) => x - y);
}

/** Symbol of a character outside ASCII: a pattern's own, else word or other. */
function wideSymbol(wide: Map<number, number>, code: number): number {
  return wide.get(code) ?? (isWordChar(code) ? SYM_WORD : SYM_OTHER);
}

/**
 * Candidate matches as (start, end, pattern) triples in start order, longest first at one start. Shared by
 * every call (detection is synchronous), so a message costs no allocation until something is found.
 */
let candidates = new Int32Array(96);

/**
 * Finds every known term in a message in one pass of an Aho-Corasick automaton: case-insensitive, on word
 * boundaries, plurals included, skipping code, URLs, quotes and mention markup. Each term is reported once,
 * at its first appearance, in order; overlapping names resolve to the longest ("sidecar proxy" over "proxy").
 */
export function detectJargon(glossary: Glossary, text: string): DetectedTerm[] {
  const a = automatonOf(glossary);
  const { ascii, wide, rows, chain, marks, sepIn, fail } = a;
  const n = text.length;
  let count = 0;
  let marked = false;
  // The fast path: one dense-row load a character while no name ends and no long name is being read.
  let row = 0;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    const sym = code < 128 ? (ascii[code] as number) : wideSymbol(wide, code);
    const v = rows[row + sym] as number;
    if (v >= 0) {
      row = v;
      continue;
    }
    // The slow path: a mark character, a state that ends a pattern, or a long name's chain of states.
    if (marks[sym] === 1) marked ||= opensSkip(text, i);
    let t = ~v;
    for (;;) {
      const packed = chain[t] as number;
      if ((packed & EMITS) !== 0) count = collect(a, text, i, t, count);
      if ((packed & DENSE) !== 0) {
        row = packed >> 2;
        break;
      }
      if (++i === n) break;
      const c = text.charCodeAt(i);
      const y = c < 128 ? (ascii[c] as number) : wideSymbol(wide, c);
      if (marks[y] === 1) marked ||= opensSkip(text, i);
      if (packed >> 2 === y) {
        t++;
        continue;
      }
      if (y === SYM_SEP && sepIn[t] === 1) continue;
      // Off the chain: follow failure links to a state that reads y (dense rows always do).
      let u = fail[t] as number;
      for (;;) {
        const pu = chain[u] as number;
        if ((pu & DENSE) !== 0) {
          const w = rows[(pu >> 2) + y] as number;
          if (w >= 0) row = w;
          t = w >= 0 ? -1 : ~w;
          break;
        }
        if (pu >> 2 === y) {
          t = u + 1;
          break;
        }
        if (y === SYM_SEP && sepIn[u] === 1) {
          t = u;
          break;
        }
        u = fail[u] as number;
      }
      if (t < 0) break;
    }
  }
  if (count === 0) return [];
  return settleMatches(a, text, candidates, count, marked);
}

/**
 * True when the mark character at `i` starts something skippedRanges looks for: "`", "<", ">", "://", "&gt;"
 * or "www." (the "." after "www"). Noted while scanning, so a message without any needs no extra pass.
 */
function opensSkip(text: string, i: number): boolean {
  switch (text.charCodeAt(i)) {
    case 58: // "://"
      return text.startsWith("//", i + 1);
    case 38: // "&gt;"
      return text.startsWith("gt;", i + 1);
    case 46: // "www."
      return i >= 3 && text.startsWith("www", i - 3);
    default: // "`", "<", ">"
      return true;
  }
}

const NO_RANGES: readonly number[] = [];

/** Records the patterns that end at `last` in state `state` and stand on word boundaries. */
function collect(a: Automaton, text: string, last: number, state: number, count: number): number {
  const { output, dictLink, patternLength, patternWords, words, ascii, wide } = a;
  const end = last + 1;
  // Every pattern ending here shares what follows: when a word goes on ("retry" in "retrying"), none is a
  // match, so the end is checked once, before working out where each would start.
  if (!endsOnWordBoundary(text, end)) return count;
  let found = candidates;
  let n = count;
  for (let s = a.emit[state] as number; s > 0; s = dictLink[s] as number) {
    const p = output[s] as number;
    const w = patternWords[p] as number;
    const start = w < 0 ? end - (patternLength[p] as number) : startOf(text, end, words, w, ascii, wide);
    if (!startsOnWordBoundary(text, start)) continue;
    if (n + 3 > found.length) {
      const grown = new Int32Array(found.length * 2);
      grown.set(found);
      found = candidates = grown;
    }
    // Insertion keeps (start ascending, end descending) order; matches arrive nearly in that order already.
    let k = n;
    while (k > 0) {
      const prevStart = found[k - 3] as number;
      if (prevStart < start || (prevStart === start && (found[k - 2] as number) >= end)) break;
      found[k] = prevStart;
      found[k + 1] = found[k - 2] as number;
      found[k + 2] = found[k - 1] as number;
      k -= 3;
    }
    found[k] = start;
    found[k + 1] = end;
    found[k + 2] = p;
    n += 3;
  }
  return n;
}

function isSeparator(code: number, ascii: Uint16Array, wide: Map<number, number>): boolean {
  return code < 128 ? ascii[code] === SYM_SEP : wide.get(code) === SYM_SEP;
}

/** Where a multi-word match ending at `end` starts: word lengths back from the end, separator runs between. */
function startOf(
  text: string,
  end: number,
  words: Int32Array,
  at: number,
  ascii: Uint16Array,
  wide: Map<number, number>,
): number {
  let pos = end;
  for (let k = at + (words[at] as number); k > at; k--) {
    pos -= words[k] as number;
    if (k > at + 1) while (pos > 0 && isSeparator(text.charCodeAt(pos - 1), ascii, wide)) pos--;
  }
  return pos;
}

function settleMatches(
  a: Automaton,
  text: string,
  found: Int32Array,
  count: number,
  marked: boolean,
): DetectedTerm[] {
  const ranges = marked ? skippedRanges(text) : NO_RANGES;
  const { patternTerm, patternTermIndex, seen } = a;
  // A generation number marks the terms this call reported, instead of a Set per call.
  if (a.generation >= 0x3fffffff) {
    seen.fill(0);
    a.generation = 0;
  }
  const generation = ++a.generation;
  const out: DetectedTerm[] = [];
  let covered = 0;
  // Skipped ranges are sorted and disjoint and candidates come in start order, so one cursor walks both:
  // a linear pass, where scanning every range per candidate was quadratic on code-heavy messages.
  let r = 0;
  for (let i = 0; i < count; i += 3) {
    const start = found[i] as number;
    const end = found[i + 1] as number;
    if (start < covered) continue;
    while (r < ranges.length && (ranges[r + 1] as number) <= start) r += 2;
    if (r < ranges.length && end > (ranges[r] as number)) continue;
    covered = end;
    const p = found[i + 2] as number;
    const t = patternTermIndex[p] as number;
    if (seen[t] === generation) continue;
    seen[t] = generation;
    out.push({ term: patternTerm[p] as Term, start, end, text: text.slice(start, end) });
  }
  return out;
}
