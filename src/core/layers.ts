/**
 * A workspace's glossary: the team's terms layered over the bundled content. A team term named like a bundled
 * one is a second meaning: lookups show both, the team's first, and auto-explain explains the team's.
 */
import type { Reply } from "./command.js";
import { defineReply } from "./command.js";
import { createGlossary, type Glossary, namesOf, relatedTerms } from "./glossary.js";
import { lookupTerm } from "./lookup.js";
import { RecentAnswers, remember } from "./memo.js";
import { canonicalKey } from "./normalize.js";
import type { Term } from "./types.js";

/** The glossaries one workspace answers from. */
export interface Layers {
  /** The content shipped with the bot (or CONTENT). */
  readonly bundled: Glossary;
  /** The team's own terms only. */
  readonly team: Glossary;
  /** Both: what list, search, related, completion and buttons see. */
  readonly all: Glossary;
  /** Both, less the bundled terms a team term shadows by name: what auto-explain reads messages with. */
  readonly detection: Glossary;
}

/** The layers of a workspace; with no team terms every layer is the bundled glossary itself. */
export function layerGlossary(bundled: Glossary, team: readonly Term[]): Layers {
  if (team.length === 0) return { bundled, team: createGlossary([]), all: bundled, detection: bundled };
  const teamNames = new Set(team.flatMap((t) => namesOf(t).map((n) => canonicalKey(n.text))));
  const shadowed = (t: Term) =>
    namesOf(t).some((n) => n.kind !== "shared" && teamNames.has(canonicalKey(n.text)));
  return {
    bundled,
    team: createGlossary(team),
    all: createGlossary([...bundled.terms, ...team]),
    detection: createGlossary([...bundled.terms.filter((t) => !shadowed(t)), ...team]),
  };
}

/**
 * The answers kept, across every workspace: a few megabytes at most with their views and renderings, however
 * many workspaces the bot is installed in.
 */
const REMEMBERED_DEFINITIONS = 500;

const definitions = new RecentAnswers<Reply>(REMEMBERED_DEFINITIONS);

/** A number for each glossary the answers come from, to key them by. */
const sources = new WeakMap<object, number>();
let sourceCount = 0;

/**
 * The answer to "what is <query>?" in a workspace: the team's term when the team has one by that name (with
 * the glossary's meaning beside it when the glossary has one too), else the glossary's, else the nearest
 * terms of either. The same terms always give the same answer, so the answers to the questions asked most
 * recently are kept: those of workspaces without terms of their own come from the bundled glossary alone and
 * are shared, and a change of a team's terms makes new layers, whose answers start afresh.
 */
export function defineIn(layers: Layers, query: string): Reply {
  const source = layers.team.terms.length === 0 ? layers.bundled : layers;
  const id = remember(sources, source, () => ++sourceCount);
  return definitions.get(`${id}\u0000${query}`, () => lookUpIn(layers, query));
}

function lookUpIn(layers: Layers, query: string): Reply {
  if (layers.team.terms.length === 0) return defineReply(layers.bundled, query);
  const team = lookupTerm(layers.team, query);
  const bundled = lookupTerm(layers.bundled, query);
  const sure = (r: typeof team) => r.found && r.match !== "typo";
  if (team.found && sure(team)) {
    const other = bundled.found && sure(bundled) ? bundled.term : undefined;
    return {
      kind: "definition",
      term: team.term,
      related: relatedTerms(layers.all, team.term),
      seeAlso: team.seeAlso,
      match: team.match,
      confidence: team.confidence,
      query: team.query,
      ...(other === undefined ? {} : { otherMeaning: other }),
    };
  }
  if (bundled.found && sure(bundled)) {
    const reply = defineReply(layers.bundled, query);
    return reply.kind === "definition" ? { ...reply, related: relatedTerms(layers.all, reply.term) } : reply;
  }
  return defineReply(layers.all, query);
}
