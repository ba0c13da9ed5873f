import { MAX_SUMMARY_CHARS } from "../core/validate.js";

// A sentence ends at . ! or ? (closing quotes and brackets may follow) before a capital letter, as the content
// checks see it; "e.g.", "i.e.", "etc." and "vs." do not end one.
const SENTENCE_END = /[.!?]["'’”)\]]*(?=\s+["'‘“([]?\p{Lu})/gu;
const ABBREVIATION = /\b(?:e\.g|i\.e|etc|vs)$/i;

/** The first sentence of a plain line of text (all of it when it is one sentence). */
export function firstSentence(text: string): string {
  for (const m of text.matchAll(SENTENCE_END)) {
    const at = m.index as number;
    if (!ABBREVIATION.test(text.slice(0, at))) return text.slice(0, at + m[0].length).trim();
  }
  return text.trim();
}

/**
 * A summary that reads as one chat line, from the plain text of a first paragraph: the paragraph itself when
 * it is one short sentence, else its first sentence, cut after a word (with "…") when even that is too long.
 */
export function chatSummary(paragraph: string): string {
  const sentence = firstSentence(paragraph.replace(/\s+/g, " "));
  if (sentence.length <= MAX_SUMMARY_CHARS) return sentence;
  const cut = sentence.slice(0, MAX_SUMMARY_CHARS - 1);
  const word = cut.lastIndexOf(" ");
  return `${(word > MAX_SUMMARY_CHARS / 2 ? cut.slice(0, word) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

/**
 * The More text of an imported term: its body, less a first paragraph that only says the summary again (a
 * page whose one paragraph is the summary would otherwise show it twice).
 */
export function bodyAfterSummary(body: string, summary: string): string {
  const gap = /\n[ \t]*\n/.exec(body);
  const first = gap === null ? body : body.slice(0, gap.index);
  const plain = (s: string) =>
    s
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[*_`]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  if (plain(first) !== plain(summary)) return body;
  return gap === null ? "" : body.slice(gap.index + gap[0].length).trim();
}
