/**
 * The bench glossary: the real content plus synthetic terms up to BENCH_TERMS (default 500) in all, generated
 * deterministically from the run's seed. Synthetic terms look like the real ones: multi-word names
 * ("adaptive retry window"), acronyms (display name or alias), CamelCase resource kinds, aliases, and
 * everyday words of plain speech flagged `everyday`. Every name is unique by canonical key, every related id
 * and body link exists, so the set passes the same validation the bot runs at start-up.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BUNDLED_CONTENT } from "../src/config.js";
import { readContent } from "../src/content/load.js";
import { termFileText } from "../src/content/write.js";
import { createGlossary, type Glossary, namesOf } from "../src/core/glossary.js";
import { canonicalKey } from "../src/core/normalize.js";
import { type Term, TOPICS } from "../src/core/types.js";
import { validateGlossary } from "../src/core/validate.js";
import { benchSeed, type Rng, streamRng } from "./prng.js";

/** bench/.generated in the source tree (git-ignored), found from the project root whatever the cwd. */
export const GENERATED_DIR = join(dirname(BUNDLED_CONTENT), "bench", ".generated");

export const REAL_CONTENT = BUNDLED_CONTENT;

export function benchTermCount(): number {
  const raw = process.env.BENCH_TERMS;
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 500;
}

const MODIFIERS = [
  "adaptive",
  "weighted",
  "zonal",
  "passive",
  "active",
  "hedged",
  "sticky",
  "shadow",
  "tiered",
  "bounded",
  "elastic",
  "lazy",
  "eager",
  "regional",
  "federated",
  "cascading",
  "graceful",
  "partial",
  "jittered",
  "sharded",
  "pinned",
  "stateless",
  "ordered",
  "speculative",
  "warm",
  "rolling",
  "layered",
  "transparent",
  "upstream",
  "downstream",
  "inbound",
  "outbound",
  "cross-zone",
  "local",
  "global",
  "priority",
  "burst",
  "exponential",
  "deterministic",
  "ephemeral",
  "durable",
  "dedicated",
  "delegated",
  "scoped",
  "mirrored",
  "isolated",
  "coordinated",
  "progressive",
  "incremental",
  "distributed",
  "centralized",
  "synthetic",
  "composite",
  "deferred",
  "continuous",
  "periodic",
  "selective",
  "optimistic",
  "conservative",
  "predictive",
  "reactive",
  "hierarchical",
  "segmented",
  "multi-tenant",
  "zero-copy",
  "fail-open",
  "fail-closed",
  "per-route",
  "per-host",
  "least-request",
  "consistent-hash",
];

/** Head nouns, with the synonyms people use for them (aliases). */
const HEADS: readonly (readonly [string, ...string[]])[] = [
  ["retry window", "retry interval"],
  ["health probe", "health check"],
  ["connection drain", "connection draining"],
  ["load shedding", "load shed"],
  ["request hedging", "hedged requests"],
  ["traffic mirror", "traffic mirroring"],
  ["route table", "routing table"],
  ["policy cache"],
  ["endpoint pool"],
  ["token bucket", "token bucket limiter"],
  ["queue depth"],
  ["backpressure signal"],
  ["failover group"],
  ["identity bundle"],
  ["certificate chain", "cert chain"],
  ["trust bundle", "CA bundle"],
  ["span sampler", "trace sampler"],
  ["metric pipeline", "metrics pipeline"],
  ["log shipper"],
  ["config snapshot"],
  ["rollout gate"],
  ["admission hook", "admission webhook"],
  ["mesh gateway", "mesh edge gateway"],
  ["service entry"],
  ["port mapping", "port map"],
  ["listener filter"],
  ["locality map"],
  ["outlier score"],
  ["latency target"],
  ["error window"],
  ["shard key"],
  ["lease timer"],
  ["heartbeat interval"],
  ["concurrency limit", "concurrency cap"],
  ["deadline propagation"],
  ["header rewrite"],
  ["path matcher"],
  ["weight table"],
  ["subset selector"],
  ["drain timeout"],
  ["warmup period", "warm-up period"],
  ["probe schedule"],
  ["quota ledger"],
  ["session affinity"],
  ["cookie pinning"],
  ["socket reuse"],
  ["stream multiplexing"],
  ["buffer limit"],
  ["keepalive policy", "keep-alive policy"],
  ["idle timeout", "idle timer"],
  ["handshake cache"],
  ["secret mount"],
  ["key rotation", "key rollover"],
  ["audit trail"],
  ["telemetry filter"],
  ["trace context"],
  ["baggage header"],
  ["error classifier"],
  ["status mapping"],
  ["traffic policy"],
  ["zone router"],
  ["egress rule"],
  ["ingress rule"],
  ["failure detector"],
  ["backoff schedule"],
  ["priority queue"],
  ["rate window"],
  ["fairness scheduler"],
  ["load report"],
  ["capacity model"],
];

const EVERYDAY = [
  "backlog",
  "quota",
  "throughput",
  "jitter",
  "lease",
  "shard",
  "replica",
  "heartbeat",
  "payload",
  "handshake",
  "bottleneck",
  "rollback",
  "checksum",
  "snapshot",
  "watchdog",
  "hotspot",
  "deadline",
  "outage",
  "runbook",
  "hotfix",
  "cutover",
  "failback",
  "quorum",
  "tenant",
  "backoff",
  "saturation",
  "headroom",
  "toil",
  "flapping",
  "blast radius",
];

const KIND_SUFFIXES = ["Policy", "Config", "Spec", "Binding", "Profile", "Route", "Filter", "Set", "Target"];

const PURPOSES = [
  "keeps a slow dependency from dragging every caller down with it",
  "spreads requests so that no single replica carries more than its share",
  "lets operators change behaviour per route without redeploying the workload",
  "gives the proxy a bounded amount of extra work it may spend on recovery",
  "records enough context to explain a failure after the fact",
  "decides which endpoints may receive traffic at a given moment",
  "limits how much a noisy client can consume before it is slowed down",
  "lets two versions of a service run side by side while traffic moves over",
  "proves which workload is on the other end of a connection",
  "turns raw proxy counters into numbers a dashboard can show",
];

const SENTENCES = [
  "In practice the setting lives next to the workload and the proxy picks it up without a restart.",
  "Most teams leave the defaults alone until an incident shows them where the limits really are.",
  "The value is measured per destination, so one misbehaving backend does not spoil the numbers for the rest.",
  "Getting it wrong rarely breaks anything outright; it shows up as slowly rising tail latency instead.",
  "Dashboards usually show it as a rate over the last minute rather than as a raw counter.",
  "It only applies to traffic that passes through the mesh; a workload that bypasses its proxy escapes it.",
  "Operators tend to tighten it after a load test and loosen it again when the pager stays quiet.",
  "Because it is evaluated on every request, it has to be cheap enough to disappear in the noise.",
  "The control plane pushes changes to every proxy within a few seconds of an update.",
  "When two policies disagree, the more specific one wins, which is usually what people expect.",
  "A good first step when debugging is to compare the configured value with what the proxy actually reports.",
  "The idea predates service meshes; the mesh just makes it uniform across languages and teams.",
];

interface Fixture {
  readonly seed: number;
  readonly realTerms: readonly Term[];
  readonly syntheticTerms: readonly Term[];
  /** Real and synthetic, in generation order. */
  readonly terms: readonly Term[];
  readonly glossary: Glossary;
  readonly realGlossary: Glossary;
  readonly generateMs: number;
}

let fixture: Fixture | undefined;

/** The shared bench glossary, generated once per run. */
export function benchFixture(): Fixture {
  if (fixture !== undefined) return fixture;
  const t0 = performance.now();
  const seed = benchSeed();
  const { content, problems } = readContent(REAL_CONTENT);
  if (problems.length > 0) throw new Error(`the real content has problems: ${problems[0]?.message}`);
  const realTerms = content.terms;
  const want = Math.max(0, benchTermCount() - realTerms.length);
  const syntheticTerms = generateTerms(want, realTerms, streamRng(seed, "glossary"));
  const terms = [...realTerms, ...syntheticTerms];
  const invalid = validateGlossary(terms);
  if (invalid.length > 0) throw new Error(`generated glossary is invalid: ${invalid[0]?.message}`);
  fixture = {
    seed,
    realTerms,
    syntheticTerms,
    terms,
    glossary: createGlossary(terms),
    realGlossary: createGlossary(realTerms),
    generateMs: performance.now() - t0,
  };
  return fixture;
}

function kebab(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function camel(words: string): string {
  return words
    .split(/[\s-]+/)
    .map((w) => capitalize(w))
    .join("");
}

function initials(words: string): string {
  return words
    .split(/[\s-]+/)
    .map((w) => w.charAt(0).toUpperCase())
    .join("");
}

interface Draft {
  term: string;
  aliases: string[];
  everyday: boolean;
}

/** Generates `count` synthetic terms whose every name is unique against `existing` and each other. */
export function generateTerms(count: number, existing: readonly Term[], rng: Rng): Term[] {
  const taken = new Set<string>();
  const ids = new Set<string>();
  for (const t of existing) {
    ids.add(t.id);
    for (const n of namesOf(t)) taken.add(canonicalKey(n.text));
  }
  const drafts: Draft[] = [];
  const claim = (names: readonly string[]): boolean => {
    const keys = names.map(canonicalKey);
    if (keys.some((k) => k === "" || taken.has(k)) || new Set(keys).size !== keys.length) return false;
    for (const k of keys) taken.add(k);
    return true;
  };
  const add = (draft: Draft): boolean => {
    const id = kebab(draft.term);
    if (ids.has(id) || count <= drafts.length) return false;
    // The id read as words is a name too (namesOf); it must not collide either.
    const aliases = draft.aliases.filter((a) => canonicalKey(a) !== canonicalKey(draft.term));
    const idWords = id.replaceAll("-", " ");
    const names = [draft.term, ...(canonicalKey(idWords) === canonicalKey(draft.term) ? [] : [idWords])];
    if (!claim(names)) return false;
    // Aliases that collide are dropped, the way an editor would drop them.
    const kept = aliases.filter((a) => claim([a]));
    ids.add(id);
    drafts.push({ ...draft, aliases: kept });
    return true;
  };

  // Everyday words (about 6%), then heads on their own (about 5%), then compounds.
  for (const word of rng.shuffle(EVERYDAY).slice(0, Math.round(count * 0.06))) {
    add({ term: capitalize(word), aliases: [], everyday: true });
  }
  for (const [head, ...synonyms] of rng.shuffle(HEADS).slice(0, Math.round(count * 0.05))) {
    add({ term: capitalize(head), aliases: synonyms.slice(0, 1), everyday: false });
  }
  let guard = 0;
  while (drafts.length < count && guard++ < count * 200) {
    const [head, ...synonyms] = rng.pick(HEADS);
    const mod = rng.pick(MODIFIERS);
    const mod2 = rng.chance(0.2) ? rng.pick(MODIFIERS) : undefined;
    if (mod2 === mod) continue;
    const words = mod2 === undefined ? `${mod} ${head}` : `${mod2} ${mod} ${head}`;
    const aliases: string[] = [];
    const style = rng.next();
    if (style < 0.08) {
      // A CamelCase resource kind ("RetryWindowPolicy"), spelled out as an alias.
      const kind = rng.pick(KIND_SUFFIXES);
      add({ term: camel(`${head} ${kind}`), aliases: [`${head} ${kind.toLowerCase()}`], everyday: false });
      continue;
    }
    const acronym = initials(words);
    if (style < 0.16 && acronym.length >= 3) {
      // Acronym first, like SLO: the spelled-out form is the alias.
      add({ term: acronym, aliases: [words], everyday: false });
      continue;
    }
    if (acronym.length >= 3 && rng.chance(0.35)) aliases.push(acronym);
    const synonym = synonyms[0];
    if (synonym !== undefined && rng.chance(0.5)) aliases.push(`${mod} ${synonym}`);
    if (rng.chance(0.15)) aliases.push(`${mod} ${head.split(" ")[0]}`);
    add({ term: capitalize(words), aliases, everyday: false });
  }
  if (drafts.length < count) throw new Error(`could only generate ${drafts.length} of ${count} terms`);

  const allIds = [...existing.map((t) => t.id), ...drafts.map((d) => kebab(d.term))];
  return drafts.map((d) => {
    const id = kebab(d.term);
    const related = rng
      .shuffle(allIds.filter((x) => x !== id))
      .slice(0, rng.range(2, 4))
      .filter((x, i, all) => all.indexOf(x) === i);
    return {
      id,
      term: d.term,
      aliases: d.aliases,
      sharedAliases: [],
      summary: `${d.term} is a mechanism that ${rng.pick(PURPOSES)}.`,
      body: body(d.term, related, existing, drafts, rng),
      related,
      sources: [`https://example.com/mesh/${id}`],
      topic: rng.pick(TOPICS),
      everyday: d.everyday,
      autoExplain: !rng.chance(0.03),
    };
  });
}

/** A markdown body of roughly the real bodies' length (600-1300 chars), linking two related terms. */
function body(
  name: string,
  related: readonly string[],
  existing: readonly Term[],
  drafts: Draft[],
  rng: Rng,
) {
  const display = (id: string) =>
    existing.find((t) => t.id === id)?.term ?? drafts.find((d) => kebab(d.term) === id)?.term ?? id;
  const [r1 = "", r2 = ""] = related;
  const first =
    `${name} ${rng.pick(PURPOSES)}. It works together with [${display(r1)}](#${r1}), ` +
    `and its effect shows up in [${display(r2)}](#${r2}).`;
  const paragraphs = [first];
  const target = rng.range(600, 1300);
  let length = first.length;
  let current: string[] = [];
  while (length < target) {
    const s = rng.pick(SENTENCES);
    current.push(s);
    length += s.length + 1;
    if (current.length >= 3) {
      paragraphs.push(current.join(" "));
      current = [];
    }
  }
  if (current.length > 0) paragraphs.push(current.join(" "));
  return paragraphs.join("\n\n");
}

/**
 * Writes the bench glossary as a content folder: the real files verbatim, the synthetic ones through the
 * project's own term-file writer. Returns the folder.
 */
export function writeContentDir(name: string, synthetic: readonly Term[]): string {
  const dir = join(GENERATED_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(REAL_CONTENT)) {
    if (file.endsWith(".md")) copyFileSync(join(REAL_CONTENT, file), join(dir, file));
  }
  for (const t of synthetic) writeFileSync(join(dir, `${t.id}.md`), termFileText(t));
  return dir;
}
