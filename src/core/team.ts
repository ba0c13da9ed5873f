/**
 * The team's own terms: what a person may type into one, how it is cleaned and checked, and how it joins
 * the glossary. Pure: the store keeps the records, the bot decides who may change them.
 */
import type { Glossary } from "./glossary.js";
import { lookupTerm } from "./lookup.js";
import { canonicalKey } from "./normalize.js";
import type { Term } from "./types.js";

/** The longest of each field a team term may have. */
export const TEAM_LIMITS = Object.freeze({
  name: 80,
  summary: 300,
  body: 4000,
  aliases: 10,
  related: 20,
  sources: 10,
  url: 500,
});

/** The fields a person writes: the same as a content term's. */
export interface TeamTermFields {
  readonly term: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly body: string;
  /** Names of related terms, as typed; resolved to ids when the term is saved. */
  readonly related: readonly string[];
  readonly sources: readonly string[];
}

export type TeamField = keyof TeamTermFields;

/** One term a team keeps, as the store holds it. `id` is the slug ("kraken"). */
export interface TeamTermRecord {
  readonly id: string;
  readonly fields: TeamTermFields;
  /** Related term ids (bundled ids, or team terms' glossary ids), resolved when saved. */
  readonly relatedIds: readonly string[];
  readonly addedBy: string;
  readonly addedAt: number;
  readonly changedBy: string;
  readonly changedAt: number;
  /** 1 when added; each edit adds one. */
  readonly revision: number;
}

/** One change to a team term, as history shows it. */
export interface TeamRevision {
  readonly termId: string;
  readonly revision: number;
  readonly action: "add" | "edit" | "remove";
  /** The term's fields after the change (for a removal: the fields it had). */
  readonly fields: TeamTermFields;
  readonly by: string;
  readonly at: number;
}

/** Who may change the team's terms in a workspace, and where proposals go. */
export interface GlossarySettings {
  /** open: anyone adds and edits; review: others' changes become proposals for maintainers. */
  readonly mode: "open" | "review";
  /** The channel proposals are posted in; undefined sends them to each maintainer privately. */
  readonly reviewChannel: string | undefined;
  readonly changedBy: string | undefined;
  readonly changedAt: number | undefined;
}

/** A change someone proposed, waiting for a maintainer. */
export interface Proposal {
  readonly id: string;
  readonly platform: string;
  readonly workspace: string;
  readonly action: "add" | "edit";
  /** The slug of the term added or edited. */
  readonly termId: string;
  readonly fields: TeamTermFields;
  readonly relatedIds: readonly string[];
  /** For an edit: the revision it was written against. */
  readonly baseRevision: number | undefined;
  readonly proposedBy: string;
  readonly proposedAt: number;
  /** Where it was proposed, so the outcome can be said there. */
  readonly channel: string | undefined;
  /** The people asked to review it privately; they may decide it wherever they click. */
  readonly reviewers: readonly string[];
  readonly status: "open" | "approved" | "rejected";
  readonly decidedBy: string | undefined;
  readonly decidedAt: number | undefined;
}

/** Something wrong with one field of a submitted term, said so the person can fix it. */
export interface FieldProblem {
  readonly field: TeamField;
  readonly message: string;
}

/** Team terms live in the glossary under ids of their own, so a team's "Egress" never hides the glossary's. */
export const TEAM_ID_PREFIX = "team-";

/** The glossary id of a team term's slug ("kraken" → "team-kraken"). */
export function teamGlossaryId(slug: string): string {
  return `${TEAM_ID_PREFIX}${slug}`;
}

/** The slug of a team term's glossary id, or undefined for a term of the bundled glossary. */
export function teamSlug(glossaryId: string): string | undefined {
  return glossaryId.startsWith(TEAM_ID_PREFIX) ? glossaryId.slice(TEAM_ID_PREFIX.length) : undefined;
}

/** A slug for a name: lower case, words joined by hyphens ("Kraken (EU)" → "kraken-eu"). */
export function slugOf(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

// Control characters (newline and tab kept), bidi overrides and isolates, zero-width characters and the BOM:
// invisible, and able to make a term read differently from what it is.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Text without invisible characters, trimmed. */
export function cleanText(text: string): string {
  return text.replace(INVISIBLE, "").trim();
}

/** One line: invisible characters dropped, runs of white space (newlines too) made one space. */
export function cleanLine(text: string): string {
  return cleanText(text).replace(/\s+/g, " ");
}

/** A list typed as one text: items separated by commas or new lines, each one line, empty ones dropped. */
export function cleanList(text: string | readonly string[]): string[] {
  const items = typeof text === "string" ? text.split(/[,\n]/) : text;
  return [...new Set(items.map(cleanLine).filter((s) => s !== ""))];
}

/** Fields as typed (any field may be missing), cleaned: one-line names, lists split, bodies kept multi-line. */
export function cleanFields(raw: {
  readonly term?: string | undefined;
  readonly aliases?: string | readonly string[] | undefined;
  readonly summary?: string | undefined;
  readonly body?: string | undefined;
  readonly related?: string | readonly string[] | undefined;
  readonly sources?: string | readonly string[] | undefined;
}): TeamTermFields {
  return {
    term: cleanLine(raw.term ?? ""),
    aliases: cleanList(raw.aliases ?? []),
    summary: cleanLine(raw.summary ?? ""),
    body: cleanText(raw.body ?? "").replace(/\r\n?/g, "\n"),
    related: cleanList(raw.related ?? []),
    sources: cleanList(raw.sources ?? []),
  };
}

/** What a check of a submitted term knows about the workspace. */
export interface TeamCheckContext {
  /** The team's terms as they are now. */
  readonly team: readonly TeamTermRecord[];
  /** The glossary the team's terms are layered over, and the team's terms in it. */
  readonly glossary: Glossary;
  /** The slug of the term being edited (its own names are not a clash); undefined when adding. */
  readonly editing?: string | undefined;
}

/**
 * Checks a submitted term: every field within its limits, names no other team term owns, related terms that
 * exist, sources that are web links. Returns the related ids it resolved, or a sentence per field at fault.
 */
export function checkTeamTerm(
  fields: TeamTermFields,
  context: TeamCheckContext,
): { problems: FieldProblem[]; relatedIds: string[] } {
  const problems: FieldProblem[] = [];
  const add = (field: TeamField, message: string) => problems.push({ field, message });
  const L = TEAM_LIMITS;
  if (fields.term === "") add("term", "The term needs a name.");
  else if (fields.term.length > L.name)
    add("term", `Keep the name to ${L.name} characters (it has ${fields.term.length}).`);
  else if (slugOf(fields.term) === "") add("term", "The name needs at least one letter or digit.");
  if (fields.summary === "") add("summary", "The term needs a one-line summary.");
  else if (fields.summary.length > L.summary)
    add(
      "summary",
      `Keep the summary to ${L.summary} characters, one line (it has ${fields.summary.length}); the rest can go in the longer text.`,
    );
  if (fields.body.length > L.body)
    add("body", `Keep the longer text to ${L.body} characters (it has ${fields.body.length}).`);
  if (fields.aliases.length > L.aliases) add("aliases", `Give at most ${L.aliases} other names.`);
  const longAlias = fields.aliases.find((a) => a.length > L.name);
  if (longAlias !== undefined) add("aliases", `Keep each other name to ${L.name} characters.`);
  if (fields.sources.length > L.sources) add("sources", `Give at most ${L.sources} links.`);
  const badSource = fields.sources.find((s) => !isWebLink(s));
  if (badSource !== undefined)
    add("sources", `"${badSource.slice(0, 60)}" is not a web link; sources start with https:// or http://.`);
  const owner = clash(fields, context);
  if (owner !== undefined) add(owner.field, owner.message);
  const relatedIds: string[] = [];
  if (fields.related.length > L.related) add("related", `Give at most ${L.related} related terms.`);
  else {
    const unknown: string[] = [];
    for (const name of fields.related) {
      const found = lookupTerm(context.glossary, name);
      if (found.found && found.match !== "typo") relatedIds.push(found.term.id);
      else unknown.push(name);
    }
    if (unknown.length > 0)
      add(
        "related",
        `I don't know ${unknown.map((n) => `"${n.slice(0, 60)}"`).join(", ")}: name terms the glossary has.`,
      );
  }
  return { problems, relatedIds: [...new Set(relatedIds)] };
}

function isWebLink(text: string): boolean {
  if (text.length > TEAM_LIMITS.url) return false;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** The first name or alias of `fields` that another team term already owns. */
function clash(fields: TeamTermFields, context: TeamCheckContext): FieldProblem | undefined {
  const owners = new Map<string, TeamTermRecord>();
  for (const t of context.team) {
    if (t.id === context.editing) continue;
    for (const name of [t.fields.term, ...t.fields.aliases]) owners.set(canonicalKey(name), t);
  }
  const slug = slugOf(fields.term);
  const sameSlug = context.team.find((t) => t.id === slug && t.id !== context.editing);
  if (sameSlug !== undefined) {
    return {
      field: "term",
      message: `This team already has "${sameSlug.fields.term}"; edit it instead, or choose another name.`,
    };
  }
  const names: { field: TeamField; text: string }[] = [
    { field: "term", text: fields.term },
    ...fields.aliases.map((text) => ({ field: "aliases" as const, text })),
  ];
  for (const { field, text } of names) {
    const owner = owners.get(canonicalKey(text));
    if (owner !== undefined) {
      return {
        field,
        message: `"${text}" is already a name of this team's "${owner.fields.term}"; choose another.`,
      };
    }
  }
  return undefined;
}

/** A team term as a glossary term, beside the bundled ones. */
export function teamTerm(record: TeamTermRecord): Term {
  return {
    id: teamGlossaryId(record.id),
    term: record.fields.term,
    aliases: [...record.fields.aliases],
    sharedAliases: [],
    summary: record.fields.summary,
    body: record.fields.body,
    related: [...record.relatedIds],
    sources: [...record.fields.sources],
    topic: undefined,
    everyday: false,
    autoExplain: true,
    keeper: {
      addedBy: record.addedBy,
      addedAt: record.addedAt,
      changedBy: record.changedBy,
      changedAt: record.changedAt,
      revision: record.revision,
    },
  };
}

/** The fields of a glossary term, for a form that edits it or a record that copies it. */
export function fieldsOf(term: Term, glossary: Glossary): TeamTermFields {
  return {
    term: term.term,
    aliases: [...term.aliases],
    summary: term.summary,
    body: term.body,
    related: term.related.flatMap((id) => glossary.get(id)?.term ?? []),
    sources: [...term.sources],
  };
}
