import type { DetectedTerm } from "./detect.js";
import { type Glossary, relatedTerms, termsByTopic } from "./glossary.js";
import { type LookupMiss, lookupTerm, type MatchKind } from "./lookup.js";
import { searchGlossary } from "./search.js";
import type { FieldProblem, GlossarySettings, Proposal, TeamRevision, TeamTermFields } from "./team.js";
import { type Term, TOPICS, type Topic } from "./types.js";

/** Longest command text looked at; the rest is ignored. */
export const MAX_COMMAND_CHARS = 2000;

export type AutoExplainAction = "on" | "off" | "status" | "mute" | "unmute";

/** A parsed `/mesh ...` command, the same for every platform. */
export type Command =
  | { readonly kind: "define"; readonly query: string }
  | { readonly kind: "search"; readonly query: string }
  | { readonly kind: "list"; readonly topic: Topic | undefined }
  | { readonly kind: "related"; readonly query: string }
  | { readonly kind: "autoexplain"; readonly action: AutoExplainAction }
  | { readonly kind: "silence"; readonly query: string; readonly silenced: boolean }
  | { readonly kind: "help"; readonly reason: "asked" | "empty" | "usage"; readonly usage?: string }
  /** Add a team term: one line with `name = summary`, else a form (with the name filled in when given). */
  | { readonly kind: "add"; readonly name: string | undefined; readonly summary: string | undefined }
  /** Change a team term: one line with `name = summary`, else a form holding its fields. */
  | { readonly kind: "edit"; readonly query: string; readonly summary: string | undefined }
  | { readonly kind: "remove"; readonly query: string }
  | { readonly kind: "history"; readonly query: string }
  | { readonly kind: "recent" }
  /** Who may change the team's terms here, and where proposals go. */
  | { readonly kind: "glossary"; readonly action: GlossaryAction }
  | { readonly kind: "stats" };

/** `/mesh glossary ...`: anyone adds and edits (open), or proposals go to maintainers (review). */
export type GlossaryAction = "open" | "review" | "status" | "review-channel" | "review-channel-off";

/** Neutral answers; each adapter renders them its own way. */
export type Reply =
  | {
      readonly kind: "definition";
      readonly term: Term;
      readonly related: readonly Term[];
      readonly seeAlso: readonly Term[];
      readonly match: MatchKind;
      readonly confidence: number;
      readonly query: string;
      /** The glossary's own meaning of a name the team uses for a term of its own. */
      readonly otherMeaning?: Term;
    }
  | {
      readonly kind: "notFound";
      readonly query: string;
      readonly reason: LookupMiss["reason"];
      readonly suggestions: readonly Term[];
    }
  | { readonly kind: "searchResults"; readonly query: string; readonly results: readonly Term[] }
  | {
      readonly kind: "list";
      readonly groups: readonly { readonly topic: Topic | "other"; readonly terms: readonly Term[] }[];
      readonly total: number;
    }
  | { readonly kind: "related"; readonly term: Term; readonly related: readonly Term[] }
  | { readonly kind: "help"; readonly reason: "asked" | "empty" | "usage"; readonly usage?: string }
  | {
      readonly kind: "autoExplainSettings";
      /** What the command changed; "status" changes nothing. */
      readonly change: AutoExplainAction | "silence" | "unsilence";
      readonly enabled: boolean;
      /** The asker's own messages are left alone. */
      readonly userMuted: boolean;
      readonly silenced: readonly Term[];
      /** Platform user id of whoever last turned auto-explain on or off. */
      readonly changedBy: string | undefined;
      readonly changedAt: number | undefined;
      /** The term a silence/unsilence was about. */
      readonly term?: Term;
    }
  | {
      readonly kind: "denied";
      /** What the asker tried, e.g. "autoexplain on". */
      readonly action: string;
      /** What it takes: managing the channel, or maintaining the team's glossary. */
      readonly permission: "manage" | "maintain";
    }
  | {
      readonly kind: "explanation";
      /**
       * auto: a threaded reply nobody asked for; requested: "explain this message", for the asker; shared: that
       * answer posted in the message's thread by the asker (`sharedBy`).
       */
      readonly mode: "auto" | "requested" | "shared";
      readonly terms: readonly DetectedTerm[];
      /** Further terms, named only. */
      readonly named: readonly DetectedTerm[];
      readonly sharedBy?: string;
    }
  /** A team term was added, changed or removed. */
  | { readonly kind: "teamChange"; readonly change: "added" | "edited" | "removed"; readonly term: Term }
  /**
   * A change was sent to the maintainers; `reviewers` says where it went ("none": nobody to send it to;
   * "unreachable": every attempt to put it before them failed).
   */
  | {
      readonly kind: "proposed";
      readonly action: "add" | "edit";
      readonly term: Term;
      readonly reviewers: "channel" | "maintainers" | "none" | "unreachable";
    }
  /** A proposal, as maintainers see it, with what the term says now when it is an edit. */
  | { readonly kind: "proposal"; readonly proposal: Proposal; readonly term: Term; readonly current?: Term }
  /** A proposal approved or rejected; `refused` when it could not be applied (changed or added meanwhile). */
  | {
      readonly kind: "decided";
      readonly proposal: Proposal;
      readonly term: Term;
      readonly refused?: "conflict" | "exists" | "missing";
    }
  /** A proposal someone already decided. */
  | { readonly kind: "alreadyDecided"; readonly proposal: Proposal }
  /** A submitted term with fields to fix; nothing was stored. */
  | { readonly kind: "badTerm"; readonly problems: readonly FieldProblem[] }
  /** Someone changed the term since the form was opened: their text, and the current one. */
  | { readonly kind: "conflict"; readonly current: Term; readonly yours: TeamTermFields }
  /** A term of the bundled glossary, which chat cannot change. */
  | { readonly kind: "readOnly"; readonly term: Term; readonly action: "edit" | "remove" }
  /** The team has no term by that name (the glossary may). */
  | { readonly kind: "noTeamTerm"; readonly query: string; readonly action: "edit" | "remove" | "history" }
  | { readonly kind: "history"; readonly name: string; readonly revisions: readonly TeamRevision[] }
  | { readonly kind: "recent"; readonly changes: readonly TeamRevision[] }
  | {
      readonly kind: "glossarySettings";
      readonly change: GlossaryAction;
      readonly settings: GlossarySettings;
    }
  /** What people looked up in this workspace, and what they did not find. */
  | {
      readonly kind: "stats";
      readonly top: readonly {
        readonly term: Term | undefined;
        readonly key: string;
        readonly count: number;
      }[];
      readonly misses: readonly { readonly query: string; readonly count: number }[];
    };

/** One line of help: what to type and what it does. */
export interface CommandHelp {
  readonly usage: string;
  readonly description: string;
}

/** The commands, in the order help shows them. Platform adapters prefix their own command name. */
export const COMMAND_HELP: readonly CommandHelp[] = [
  { usage: "define <term>", description: "what a term means (or just `<term>`)" },
  { usage: "search <words>", description: "terms whose definitions mention the words" },
  { usage: "list [topic]", description: "every term, grouped by topic" },
  { usage: "related <term>", description: "terms that go with a term" },
  { usage: "autoexplain on|off|status", description: "explain jargon in this channel's threads" },
  { usage: "autoexplain mute|unmute", description: "stop or restart explaining your own messages" },
  { usage: "autoexplain silence|unsilence <term>", description: "mark a term as not jargon in this channel" },
  { usage: "add <term> = <summary>", description: "add a term of this team's (without `= ...`: a form)" },
  { usage: "edit <term> = <summary>", description: "change a team term's summary (without `= ...`: a form)" },
  { usage: "remove <term>", description: "remove a team term" },
  { usage: "history <term>", description: "every change to a team term" },
  { usage: "recent", description: "team terms added or changed lately" },
  { usage: "glossary open|review|status", description: "who may change team terms here" },
  { usage: "glossary review-channel [off]", description: "send proposals to this channel" },
  { usage: "stats", description: "what people look up, and miss (maintainers)" },
  { usage: "help", description: "this list" },
];

const DEFINE = new Set(["define", "def", "d", "explain", "whatis"]);
const SEARCH = new Set(["search", "find", "s", "grep"]);
const LIST = new Set(["list", "ls", "all", "terms", "index", "browse"]);
const RELATED = new Set(["related", "rel", "see", "seealso"]);
const AUTO = new Set(["autoexplain", "auto-explain", "auto", "ae"]);
const HELP = new Set(["help", "h", "?", "-h", "--help", "usage", "commands"]);
const ADD = new Set(["add"]);
const EDIT = new Set(["edit"]);
const REMOVE = new Set(["remove", "delete"]);
const GLOSSARY_ACTIONS = new Set(["open", "review", "status"]);
const ACTIONS = new Set<AutoExplainAction>(["on", "off", "status", "mute", "unmute"]);
const ACTION_SYNONYMS: Record<string, AutoExplainAction> = {
  enable: "on",
  start: "on",
  yes: "on",
  disable: "off",
  stop: "off",
  no: "off",
  state: "status",
  optout: "mute",
  "opt-out": "mute",
  optin: "unmute",
  "opt-in": "unmute",
};

/** The command words, for telling "mesh help" (the bot's name typed first) from "mesh identity" (a term). */
const HEADS = new Set([
  ...DEFINE,
  ...SEARCH,
  ...LIST,
  ...RELATED,
  ...AUTO,
  ...HELP,
  ...ADD,
  ...EDIT,
  ...REMOVE,
  "mute",
  "unmute",
  "history",
  "recent",
  "glossary",
  "stats",
]);

/** The command without a leading `/mesh`, or a bare `mesh` before a command word. */
function withoutPrefix(input: string): string {
  const text = input.replace(/^\s*\/mesh(?:[:,]|(?=\s)|$)/i, "").trim();
  const bare = text.match(/^mesh(?:[:,]\s*|\s+)(\S+)/i);
  if (bare !== null && HEADS.has((bare[1] as string).toLowerCase()))
    return text.slice(bare[0].length - (bare[1] as string).length);
  return text;
}

/**
 * Parses what follows `/mesh`. A leading `/mesh` is tolerated, and so is a bare `mesh` before a command word
 * ("mesh help"), but not before a term ("mesh identity" is a term). Never throws.
 */
export function parseCommand(input: string): Command {
  const text = withoutPrefix(input.slice(0, MAX_COMMAND_CHARS));
  if (text === "") return { kind: "help", reason: "empty" };
  const space = text.search(/\s/);
  const head = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const rest = space < 0 ? "" : text.slice(space).trim();
  // A term's fields are checked against their own limits, which must see (and name) their whole length.
  const whole = () =>
    input.length <= MAX_COMMAND_CHARS || space < 0 ? rest : withoutPrefix(input).slice(space).trim();

  if (HELP.has(head)) return { kind: "help", reason: "asked" };
  if (DEFINE.has(head)) {
    return rest === "" ? usage("define <term>, for example: define egress") : { kind: "define", query: rest };
  }
  if (SEARCH.has(head)) {
    return rest === ""
      ? usage("search <words>, for example: search retries timeouts")
      : { kind: "search", query: rest };
  }
  if (LIST.has(head)) {
    if (rest === "") return { kind: "list", topic: undefined };
    const topic = rest.toLowerCase();
    if ((TOPICS as readonly string[]).includes(topic)) return { kind: "list", topic: topic as Topic };
    return usage(`list [topic], where topic is one of ${TOPICS.join(", ")}`);
  }
  if (RELATED.has(head)) {
    return rest === ""
      ? usage("related <term>, for example: related mtls")
      : { kind: "related", query: rest };
  }
  if (AUTO.has(head) || head === "mute" || head === "unmute") {
    return parseAutoExplain(AUTO.has(head) ? rest : text);
  }
  if (ADD.has(head)) {
    const { name, summary } = nameAndSummary(whole());
    return { kind: "add", name, summary };
  }
  if (EDIT.has(head)) {
    const { name, summary } = nameAndSummary(whole());
    return name === undefined
      ? usage("edit <term> = <summary>, for example: edit kraken = Our ingress cluster in eu-west")
      : { kind: "edit", query: name, summary };
  }
  if (REMOVE.has(head)) {
    return rest === "" ? usage("remove <term>, for example: remove kraken") : { kind: "remove", query: rest };
  }
  if (head === "history") {
    return rest === ""
      ? usage("history <term>, for example: history kraken")
      : { kind: "history", query: rest };
  }
  if (head === "recent" && rest === "") return { kind: "recent" };
  if (head === "stats" && rest === "") return { kind: "stats" };
  if (head === "glossary") return parseGlossary(rest);
  return { kind: "define", query: text };
}

/** "kraken = Our ingress cluster" → the name and the summary; either may be missing. */
function nameAndSummary(rest: string): { name: string | undefined; summary: string | undefined } {
  const eq = rest.indexOf("=");
  const name = (eq < 0 ? rest : rest.slice(0, eq)).trim();
  const summary = eq < 0 ? undefined : rest.slice(eq + 1).trim();
  return { name: name === "" ? undefined : name, summary: summary === "" ? undefined : summary };
}

function parseGlossary(rest: string): Command {
  const words = rest
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "");
  const [first = "status", second] = words;
  if (GLOSSARY_ACTIONS.has(first) && words.length <= 1) {
    return { kind: "glossary", action: first as GlossaryAction };
  }
  if ((first === "review-channel" || first === "reviewchannel") && words.length <= 2) {
    if (second === undefined || second === "here") return { kind: "glossary", action: "review-channel" };
    if (["off", "none", "clear"].includes(second)) return { kind: "glossary", action: "review-channel-off" };
  }
  return usage("glossary open|review|status|review-channel [off]");
}

/**
 * The named options of each subcommand, in the order the grammar reads them as words. An option written
 * "=name" is the part after " = " ("add kraken = Our cluster").
 */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  define: ["term"],
  search: ["words"],
  list: ["topic"],
  related: ["term"],
  autoexplain: ["action", "term"],
  add: ["term", "=summary"],
  edit: ["term", "=summary"],
  remove: ["term"],
  history: ["term"],
  recent: [],
  glossary: ["action"],
  stats: [],
  help: [],
});

/**
 * A command given as a subcommand and named options (Discord's slash commands), read by the same grammar as
 * typed text: the options become the words they stand for. A usage hint names the options, as they are typed
 * there ("autoexplain action:silence term:<term>").
 */
export function commandFromOptions(
  subcommand: string,
  options: Readonly<Record<string, string | undefined>>,
): Command {
  const names = COMMAND_OPTIONS[subcommand];
  if (names === undefined) return { kind: "help", reason: "asked" };
  const value = (name: string) => (options[name] ?? "").trim();
  // A term left blank is a lookup of nothing, whose answer ("Which term? Try ...") says what to type.
  if (subcommand === "define") return { kind: "define", query: value("term") };
  const option = (n: string) => n.replace(/^=/, "");
  const words = names.flatMap((n) => {
    const v = value(option(n));
    if (v === "") return [];
    return n.startsWith("=") ? ["=", v] : [v];
  });
  const command = parseCommand([subcommand, ...words].join(" "));
  if (command.kind !== "help" || command.reason !== "usage") return command;
  const named = names.map(option).map((n) => `${n}:${value(n) === "" ? `<${n}>` : value(n)}`);
  return { kind: "help", reason: "usage", usage: [subcommand, ...named].join(" ") };
}

function parseAutoExplain(rest: string): Command {
  const [first = "", ...more] = rest.split(/\s+/);
  const word = first.toLowerCase();
  const arg = more.join(" ").trim();
  if (word === "silence" || word === "unsilence" || word === "ignore" || word === "unignore") {
    if (arg === "") return usage("autoexplain silence <term>, for example: autoexplain silence latency");
    return { kind: "silence", query: arg, silenced: word === "silence" || word === "ignore" };
  }
  const action = ACTIONS.has(word as AutoExplainAction)
    ? (word as AutoExplainAction)
    : word === ""
      ? "status"
      : ACTION_SYNONYMS[word];
  if (action === undefined || arg !== "")
    return usage("autoexplain on|off|status|mute|unmute|silence <term>");
  return { kind: "autoexplain", action };
}

function usage(text: string): Command {
  return { kind: "help", reason: "usage", usage: text };
}

/** The commands the glossary answers alone, with no store or rights involved. */
export type GlossaryCommand = Extract<Command, { kind: "define" | "search" | "list" | "related" | "help" }>;

/** True for a command the glossary answers alone. */
export function isGlossaryCommand(command: Command): command is GlossaryCommand {
  return ["define", "search", "list", "related", "help"].includes(command.kind);
}

/** Answers the commands that need only the glossary: define, search, list, related and help. */
export function answerGlossaryCommand(glossary: Glossary, command: GlossaryCommand): Reply {
  switch (command.kind) {
    case "define":
      return defineReply(glossary, command.query);
    case "search": {
      const results = searchGlossary(glossary, command.query);
      return { kind: "searchResults", query: command.query.trim().slice(0, 200), results };
    }
    case "list": {
      const groups = termsByTopic(glossary, command.topic === undefined ? TOPICS : [command.topic]).filter(
        (g) => command.topic === undefined || g.topic === command.topic,
      );
      return { kind: "list", groups, total: groups.reduce((n, g) => n + g.terms.length, 0) };
    }
    case "related": {
      const result = lookupTerm(glossary, command.query);
      if (!result.found) return notFound(result);
      return { kind: "related", term: result.term, related: relatedTerms(glossary, result.term) };
    }
    case "help":
      return command.usage === undefined
        ? { kind: "help", reason: command.reason }
        : { kind: "help", reason: command.reason, usage: command.usage };
  }
}

/** The answer to "what is <query>?": a definition, or a kind "not found" with suggestions. */
export function defineReply(glossary: Glossary, query: string): Reply {
  const result = lookupTerm(glossary, query);
  if (!result.found) return notFound(result);
  return {
    kind: "definition",
    term: result.term,
    related: relatedTerms(glossary, result.term),
    seeAlso: result.seeAlso,
    match: result.match,
    confidence: result.confidence,
    query: result.query,
  };
}

function notFound(result: LookupMiss): Reply {
  return { kind: "notFound", query: result.query, reason: result.reason, suggestions: result.suggestions };
}
