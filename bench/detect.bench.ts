/**
 * Jargon detection at 500 terms over a chat corpus: detectJargon against (a) one case-insensitive
 * word-boundary RegExp per surface form, (b) one big alternation RegExp, longest form first, and (c) the
 * floor, a charCodeAt loop that touches every character. All three matchers look for the same surface forms
 * (surfaceForms, owned by one term) and settle overlaps the same way (leftmost, then longest; each term once),
 * so their answers can be compared message by message.
 */
import { detectJargon, surfaceForms } from "../src/core/detect.js";
import { createGlossary, namesOf } from "../src/core/glossary.js";
import type { Term } from "../src/core/types.js";
import { type Corpus, generateCorpus } from "./corpus.js";
import { benchFixture } from "./glossary-gen.js";
import { streamRng } from "./prng.js";
import { fmtMs, fmtPct, fmtRatio, nowMs, settleHeap, table, timeInterleaved } from "./stats.js";
import type { BenchContext, BenchModule, Goal } from "./types.js";

/** The separators detectJargon treats as one space, as a character class. */
const SEP = "[ \\t\\n\\r\\f\\v\\-_\\u00a0\\u2010-\\u2014]+";
const SEP_RUN = /[ \t\n\r\f\v\-_\u00a0\u2010-\u2014]+/g;

interface Pattern {
  readonly form: string;
  readonly term: Term;
}

/** Surface forms and their owners, by the rule detectJargon uses (a form two terms claim is nobody's). */
function patternsOf(terms: readonly Term[]): Pattern[] {
  const owner = new Map<string, Term | null>();
  for (const term of terms) {
    for (const { text, kind } of namesOf(term)) {
      for (const form of surfaceForms(text)) {
        const prev = owner.get(form);
        if (prev === undefined) owner.set(form, kind === "shared" ? null : term);
        else if (prev === null && kind !== "shared") owner.set(form, term);
        else if (prev !== null && prev !== term && kind !== "shared") owner.set(form, null);
      }
    }
  }
  const out: Pattern[] = [];
  for (const [form, term] of owner) if (term !== null) out.push({ form, term });
  return out;
}

function source(form: string): string {
  return form
    .split(" ")
    .map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
    .join(SEP);
}

/** Leftmost first, longest first at one start; each term once, at its first appearance. */
function settle(spans: number[], terms: readonly Term[]): Term[] {
  const order: number[] = [];
  for (let i = 0; i < spans.length; i += 3) order.push(i);
  order.sort(
    (x, y) =>
      (spans[x] as number) - (spans[y] as number) || (spans[y + 1] as number) - (spans[x + 1] as number),
  );
  const out: Term[] = [];
  let covered = 0;
  for (const i of order) {
    if ((spans[i] as number) < covered) continue;
    covered = spans[i + 1] as number;
    const t = terms[spans[i + 2] as number] as Term;
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** (a) The naive detector: every form's own RegExp over the whole message. */
function naiveDetector(patterns: readonly Pattern[]) {
  const regexes = patterns.map((p) => new RegExp(`\\b${source(p.form)}\\b`, "gi"));
  const terms = patterns.map((p) => p.term);
  return (text: string): Term[] => {
    const spans: number[] = [];
    for (let p = 0; p < regexes.length; p++) {
      const re = regexes[p] as RegExp;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text))
        spans.push(m.index, m.index + m[0].length, p);
    }
    return spans.length === 0 ? [] : settle(spans, terms);
  };
}

/** (b) One alternation, longest form first, so the regex engine picks leftmost-longest itself. */
function alternationDetector(patterns: readonly Pattern[]) {
  const sorted = [...patterns].sort((a, b) => b.form.length - a.form.length);
  const re = new RegExp(`\\b(?:${sorted.map((p) => source(p.form)).join("|")})\\b`, "gi");
  const byForm = new Map(patterns.map((p) => [p.form, p.term]));
  return (text: string): Term[] => {
    const out: Term[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const term = byForm.get(m[0].toLowerCase().replace(SEP_RUN, " "));
      if (term !== undefined && !out.includes(term)) out.push(term);
    }
    return out;
  };
}

/** (c) The floor: read every character once and do the least possible with it (a sum). */
function touchEveryChar(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) | 0;
  return sum;
}

const key = (terms: readonly Term[]) =>
  terms
    .map((t) => t.id)
    .sort()
    .join(",");

interface FullPass {
  readonly found: string[];
  readonly ms: number;
}

/** One timed pass of a detector over the whole corpus, keeping what it found in each message. */
function fullPass(messages: readonly string[], detect: (text: string) => Term[]): FullPass {
  for (const text of messages.slice(0, 20)) detect(text); // compile regexes, warm the JIT
  settleHeap();
  const found: string[] = [];
  const t0 = nowMs();
  for (const text of messages) found.push(key(detect(text)));
  return { found, ms: nowMs() - t0 };
}

function agreement(
  ctx: BenchContext,
  corpus: Corpus,
  passes: Record<string, FullPass>,
): { all: number; plain: number } {
  const names = Object.keys(passes);
  const found = names.map((n) => (passes[n] as FullPass).found);
  let agree = 0;
  let plainAgree = 0;
  let plainTotal = 0;
  const examples: string[] = [];
  corpus.messages.forEach((text, i) => {
    const keys = found.map((f) => f[i] as string);
    const same = keys.every((k) => k === keys[0]);
    const markup = corpus.withMarkup.has(i);
    if (same) agree++;
    if (!markup) {
      plainTotal++;
      if (same) plainAgree++;
      else if (examples.length < 3) {
        examples.push(
          `    ${JSON.stringify(text.slice(0, 160))}\n${names.map((n, j) => `      ${n}: ${keys[j]}`).join("\n")}`,
        );
      }
    }
  });
  const all = agree / corpus.messages.length;
  const plain = plainAgree / Math.max(1, plainTotal);
  ctx.log(
    `Agreement (same terms in a message from ${names.join(", ")}): ${fmtPct(all)} of ${corpus.messages.length} ` +
      `messages; ${fmtPct(plain)} of the ${plainTotal} without chat markup.`,
  );
  ctx.log(
    `  (The other ${corpus.withMarkup.size} carry code, links, Slack markup or quoted lines, which detectJargon ` +
      "skips by design and the regexes do not.)",
  );
  for (const e of examples) ctx.log(`  disagreement:\n${e}`);
  return { all, plain };
}

export const detectBench: BenchModule = {
  name: "detect",
  title: "Jargon detection: detectJargon vs RegExp baselines vs a charCodeAt floor",
  run(ctx) {
    const fx = benchFixture();
    const terms = fx.terms;
    const corpus = generateCorpus(terms, streamRng(fx.seed, "corpus"));
    const patterns = patternsOf(terms);
    ctx.log(
      `Glossary: ${terms.length} terms (${fx.realTerms.length} real + ${fx.syntheticTerms.length} synthetic), ` +
        `${patterns.length} surface forms.`,
    );
    ctx.log(
      `Corpus: ${corpus.shortCount} chat messages (50-400 chars) + ${corpus.longCount} pastes of 10 KB, ` +
        `${(corpus.chars / 1e6).toFixed(2)} M chars; ${corpus.withMarkup.size} messages carry markup.`,
    );

    // Build costs, each on a fresh glossary object so the lazily built automaton is not cached yet.
    const fresh = createGlossary(terms);
    let t0 = nowMs();
    detectJargon(fresh, "warm");
    const automatonMs = nowMs() - t0;
    t0 = nowMs();
    const naive = naiveDetector(patterns);
    const naiveBuildMs = nowMs() - t0;
    t0 = nowMs();
    const alternation = alternationDetector(patterns);
    const altBuildMs = nowMs() - t0;
    const glossary = fx.glossary;
    const ours = (text: string) => detectJargon(glossary, text).map((d) => d.term);

    // The regex baselines take seconds a pass: one warmed-up, timed pass each over the whole corpus, which
    // also gives the agreement check its answers.
    const messages = corpus.messages;
    const oursFull = fullPass(messages, ours);
    const altFull = fullPass(messages, alternation);
    const naiveFull = fullPass(messages, naive);
    const agreed = agreement(ctx, corpus, { ours: oursFull, alternation: altFull, naive: naiveFull });

    // Ours against the floor: passes interleaved, so that whatever else the machine does hits both alike;
    // the median pass counts. Both run the same harness: one call a message.
    const passOf = (fn: (text: string) => unknown) => (list: readonly string[]) => () => {
      let n = 0;
      for (const text of list) n += fn(text) === undefined ? 0 : 1;
      return n;
    };
    const oursPass = passOf((text) => detectJargon(glossary, text));
    const floorPass = passOf(touchEveryChar);
    const paired = (list: readonly string[], minMs: number) => {
      const [o, f] = timeInterleaved([oursPass(list), floorPass(list)], { minRounds: 15, minMs });
      return { ours: o as number, floor: f as number, chars: list.reduce((n, m) => n + m.length, 0) };
    };
    settleHeap();
    const all = paired(messages, 1500);
    const short = paired(
      messages.filter((m) => m.length <= 400),
      400,
    );
    const long = paired(
      messages.filter((m) => m.length > 400),
      400,
    );
    // The scan alone, without detections to settle: the messages in which nothing was found.
    const bare = paired(
      messages.filter((_, i) => oursFull.found[i] === ""),
      200,
    );
    settleHeap();
    let detections = 0;
    let jargonChars = 0;
    for (const text of messages) {
      for (const d of detectJargon(glossary, text)) {
        detections++;
        jargonChars += d.end - d.start;
      }
    }

    const mbps = (chars: number, ms: number) => chars / 1e6 / (ms / 1000);
    const rows = [
      ["floor (charCodeAt sum)", all.floor, "median of interleaved passes"],
      ["detectJargon (ours)", all.ours, "median of interleaved passes"],
      ["alternation RegExp", altFull.ms, "one pass"],
      ["naive RegExp per form", naiveFull.ms, "one pass"],
    ] as const;
    ctx.log();
    ctx.log(
      table(
        ["matcher", "corpus pass", "MB/s", "vs ours", "timing"],
        rows.map(([name, ms, how]) => [
          name,
          fmtMs(ms),
          mbps(corpus.chars, ms).toFixed(1),
          name.startsWith("detectJargon") ? "-" : fmtRatio(ms / all.ours),
          how,
        ]),
      ),
    );
    ctx.log();
    ctx.log(
      `By message size: chat messages ${mbps(short.chars, short.ours).toFixed(1)} MB/s ` +
        `(${fmtRatio(short.ours / short.floor)} the floor's time), 10 KB pastes ` +
        `${mbps(long.chars, long.ours).toFixed(1)} MB/s (${fmtRatio(long.ours / long.floor)} the floor's time).`,
    );
    ctx.log(
      `Jargon density: ${(detections / messages.length).toFixed(2)} terms a message, ` +
        `${fmtPct(jargonChars / corpus.chars)} of the characters; in the ${fmtPct(
          oursFull.found.filter((f) => f === "").length / messages.length,
        )} of messages with no term, detectJargon takes ${fmtRatio(bare.ours / bare.floor)} the floor's time.`,
    );
    ctx.log(
      `Build: automaton ${fmtMs(automatonMs)} (first detectJargon on a fresh glossary); ` +
        `naive RegExps ${fmtMs(naiveBuildMs)}; alternation ${fmtMs(altBuildMs)} (construction only).`,
    );
    ctx.log(`(One pass of ours over the corpus, cold, during the agreement check: ${fmtMs(oursFull.ms)}.)`);

    const vsNaive = naiveFull.ms / all.ours;
    const vsAlt = altFull.ms / all.ours;
    const vsFloor = all.ours / all.floor;
    return [
      {
        name: "detect: ours vs naive RegExp per form",
        target: ">= 100x",
        measured: fmtRatio(vsNaive),
        pass: vsNaive >= 100,
      },
      {
        name: "detect: ours vs alternation RegExp",
        target: ">= 1.5x",
        measured: fmtRatio(vsAlt),
        pass: vsAlt >= 1.5,
      },
      {
        name: "detect: ours time / floor time",
        target: "<= 3x",
        measured: fmtRatio(vsFloor),
        pass: vsFloor <= 3,
      },
      {
        name: "detect: agreement on messages without markup",
        target: "100%",
        measured: fmtPct(agreed.plain),
        pass: agreed.plain === 1,
      },
    ] satisfies Goal[];
  },
};
