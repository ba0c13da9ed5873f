/**
 * Lookup at 500 terms: lookupTerm against fuse.js with its DEFAULT options over term, aliases and body, for
 * exact names and for one- and two-edit typos of names (seeded insert/delete/substitute/transpose). Latency
 * per query (mean, p50, p99) and top-1 accuracy: the found term, or else the first suggestion, is the term
 * the query was made from.
 */
import Fuse from "fuse.js";
import { createGlossary, namesOf } from "../src/core/glossary.js";
import { LOOKUP_DEFAULTS, lookupTerm } from "../src/core/lookup.js";
import { canonicalKey, normalizeName } from "../src/core/normalize.js";
import type { Term } from "../src/core/types.js";
import { benchFixture } from "./glossary-gen.js";
import { type Rng, streamRng } from "./prng.js";
import {
  type Distribution,
  distribution,
  fmtMs,
  fmtPct,
  fmtRatio,
  nowMs,
  settleHeap,
  table,
  timeEach,
} from "./stats.js";
import type { BenchModule, Goal } from "./types.js";

/** Queries per class; fuse.js takes tens of milliseconds a query at this size, so the sample stays modest. */
const SAMPLE = Number(process.env.BENCH_LOOKUP_QUERIES ?? 120);

interface Query {
  readonly text: string;
  readonly intended: Term;
}

/** Optimal string alignment distance, written independently of the code under test. */
function osa(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** One random edit at a letter or digit: insert, delete, substitute or transpose with the next one. */
function edit(text: string, rng: Rng): string {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) if (/[a-z0-9]/.test(text[i] as string)) positions.push(i);
  const i = rng.pick(positions);
  const letter = rng.pick([...LETTERS]);
  switch (rng.int(4)) {
    case 0:
      return text.slice(0, i) + letter + text.slice(i);
    case 1:
      return text.slice(0, i) + text.slice(i + 1);
    case 2:
      return text.slice(0, i) + letter + text.slice(i + 1);
    default: {
      const j = i + 1;
      if (j >= text.length || !/[a-z0-9]/.test(text[j] as string) || text[i] === text[j])
        return edit(text, rng);
      return text.slice(0, i) + text[j] + text[i] + text.slice(j + 1);
    }
  }
}

/**
 * Typo queries with exactly `edits` edits from a term's display name. A typo is dropped when its ground truth
 * is not unique: when it is itself a name, or another term has a name at `edits` edits or fewer.
 */
function typoQueries(
  terms: readonly Term[],
  edits: number,
  minLength: number,
  rng: Rng,
): { queries: Query[]; dropped: number; eligible: number } {
  const names = terms.flatMap((t) => namesOf(t).map((n) => ({ term: t, normal: normalizeName(n.text) })));
  const keys = new Set(terms.flatMap((t) => namesOf(t).map((n) => canonicalKey(n.text))));
  const eligible = terms.filter((t) => normalizeName(t.term).replaceAll(" ", "").length >= minLength);
  const queries: Query[] = [];
  let dropped = 0;
  for (const t of rng.shuffle(eligible)) {
    if (queries.length >= SAMPLE) break;
    const name = normalizeName(t.term);
    let typo = name;
    for (let tries = 0; tries < 20 && osa(typo, name) !== edits; tries++) {
      typo = name;
      for (let e = 0; e < edits; e++) typo = edit(typo, rng);
    }
    if (osa(typo, name) !== edits) continue;
    const clash =
      keys.has(canonicalKey(typo)) || names.some((n) => n.term !== t && osa(typo, n.normal) <= edits);
    if (clash) {
      dropped++;
      continue;
    }
    queries.push({ text: typo, intended: t });
  }
  return { queries, dropped, eligible: eligible.length };
}

export const lookupBench: BenchModule = {
  name: "lookup",
  title: "Lookup: lookupTerm vs fuse.js (default options; keys term, aliases, body)",
  run(ctx) {
    const fx = benchFixture();
    const terms = fx.terms;
    const rng = streamRng(fx.seed, "lookup");

    // Build costs: our indexes are built lazily by the first lookup, on a fresh glossary object.
    const glossary = createGlossary(terms);
    let t0 = nowMs();
    lookupTerm(glossary, "egress");
    const indexMs = nowMs() - t0;
    t0 = nowMs();
    // A miss that shares a word with names builds the suggestions' name words and the detection automaton.
    lookupTerm(glossary, "adaptive something else entirely");
    const suggestMs = nowMs() - t0;
    t0 = nowMs();
    const fuse = new Fuse(terms as Term[], { keys: ["term", "aliases", "body"] });
    const fuseBuildMs = nowMs() - t0;

    const exact: Query[] = rng
      .shuffle(terms)
      .slice(0, SAMPLE)
      .map((t) => ({ text: t.term, intended: t }));
    const one = typoQueries(terms, 1, LOOKUP_DEFAULTS.oneEditMinLength, rng);
    const two = typoQueries(terms, 2, LOOKUP_DEFAULTS.twoEditMinLength, rng);
    ctx.log(
      `Glossary: ${terms.length} terms. Queries: ${exact.length} exact display names; ` +
        `${one.queries.length} one-edit typos of names of >= ${LOOKUP_DEFAULTS.oneEditMinLength} letters ` +
        `(${one.dropped} dropped: ground truth not unique); ${two.queries.length} two-edit typos of names of ` +
        `>= ${LOOKUP_DEFAULTS.twoEditMinLength} letters (${two.dropped} dropped).`,
    );
    ctx.log(
      `Build: our index ${fmtMs(indexMs)} (first lookup), name words + detection automaton ${fmtMs(suggestMs)} ` +
        `(first miss); fuse.js index ${fmtMs(fuseBuildMs)}. Not included in the latencies below.`,
    );

    const oursTop = (q: Query): Term | undefined => {
      const r = lookupTerm(glossary, q.text);
      return r.found ? r.term : r.suggestions[0];
    };
    const fuseTop = (q: Query): Term | undefined => fuse.search(q.text)[0]?.item;
    const accuracy = (qs: readonly Query[], top: (q: Query) => Term | undefined) =>
      qs.filter((q) => top(q) === q.intended).length / Math.max(1, qs.length);

    const classes = [
      { name: "exact", queries: exact },
      { name: "one-edit typo", queries: one.queries },
      { name: "two-edit typo", queries: two.queries },
    ];
    // fuse.js warms up on a few queries of its own, then runs each query once, timed: at tens of
    // milliseconds a query, one round is stable, and the same calls give its top-1 answers.
    for (const q of exact.slice(0, 5)) fuse.search(q.text);
    const results = classes.map(({ name, queries }) => {
      // Ours: every query once (the accuracy pass, which also warms up), then timed over many rounds.
      const oursAcc = accuracy(queries, oursTop);
      settleHeap();
      const ours = distribution(
        timeEach(queries, (q) => lookupTerm(glossary, q.text), { minRounds: 5, minMs: 400, maxRounds: 200 }),
      );
      settleHeap();
      const fuseTops: (Term | undefined)[] = [];
      const theirs = distribution(timeEach(queries, (q) => fuseTops.push(fuseTop(q)), { minRounds: 1 }));
      const fuseAcc =
        queries.filter((q, i) => fuseTops[i] === q.intended).length / Math.max(1, queries.length);
      settleHeap();
      return {
        name,
        ours,
        theirs,
        oursAcc,
        fuseAcc,
        misses: queries.filter((q) => oursTop(q) !== q.intended),
      };
    });

    const lat = (d: Distribution) => [fmtMs(d.mean), fmtMs(d.p50), fmtMs(d.p99)];
    ctx.log();
    ctx.log(
      table(
        ["queries", "impl", "mean", "p50", "p99", "top-1", "mean ratio", "p99 ratio"],
        results.flatMap((r) => [
          [
            r.name,
            "ours",
            ...lat(r.ours),
            fmtPct(r.oursAcc),
            fmtRatio(r.theirs.mean / r.ours.mean),
            fmtRatio(r.theirs.p99 / r.ours.p99),
          ],
          ["", "fuse.js", ...lat(r.theirs), fmtPct(r.fuseAcc), "", ""],
        ]),
      ),
    );
    for (const r of results) {
      if (r.misses.length === 0 || r.name === "exact") continue;
      const shown = r.misses.slice(0, 5).map((q) => {
        const res = lookupTerm(glossary, q.text);
        const got = res.found
          ? `found ${res.term.id}`
          : `suggests [${res.suggestions.map((t) => t.id).join(", ")}]`;
        return `"${q.text}" (${q.intended.id}) -> ${got}`;
      });
      ctx.log(`  ${r.name} top-1 misses (${r.misses.length}), e.g.: ${shown.join("; ")}`);
    }

    const [ex, t1, t2] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0]];
    const goals: Goal[] = [
      {
        name: "lookup: exact, mean latency vs fuse.js",
        target: ">= 1000x",
        measured: fmtRatio(ex.theirs.mean / ex.ours.mean),
        pass: ex.theirs.mean / ex.ours.mean >= 1000,
      },
      ...[t1, t2].map((r) => ({
        name: `lookup: ${r.name}, p99 latency vs fuse.js`,
        target: ">= 25x",
        measured: fmtRatio(r.theirs.p99 / r.ours.p99),
        pass: r.theirs.p99 / r.ours.p99 >= 25,
      })),
      {
        name: "lookup: one-edit typo top-1 accuracy",
        target: ">= 95%",
        measured: `${fmtPct(t1.oursAcc)} (fuse ${fmtPct(t1.fuseAcc)})`,
        pass: t1.oursAcc >= 0.95,
      },
      {
        name: "lookup: two-edit typo top-1 accuracy",
        target: ">= 90%",
        measured: `${fmtPct(t2.oursAcc)} (fuse ${fmtPct(t2.fuseAcc)})`,
        pass: t2.oursAcc >= 0.9,
      },
    ];
    return goals;
  },
};
