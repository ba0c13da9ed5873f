import type { DetectedTerm } from "./detect.js";
import { type Glossary, relatedTerms, termsByTopic } from "./glossary.js";
import { type LookupMiss, lookupTerm, type MatchKind } from "./lookup.js";
import { searchGlossary } from "./search.js";
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
  | { readonly kind: "help"; readonly reason: "asked" | "empty" | "usage"; readonly usage?: string };

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
      /** The permission that it takes, in the platform's words. */
      readonly permission: string;
    }
  | {
      readonly kind: "explanation";
      /** auto: a threaded reply nobody asked for; requested: "explain this message". */
      readonly mode: "auto" | "requested";
      readonly terms: readonly DetectedTerm[];
      /** Further terms, named only. */
      readonly named: readonly DetectedTerm[];
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
  { usage: "help", description: "this list" },
];

const DEFINE = new Set(["define", "def", "d", "explain", "whatis"]);
const SEARCH = new Set(["search", "find", "s", "grep"]);
const LIST = new Set(["list", "ls", "all", "terms", "index", "browse"]);
const RELATED = new Set(["related", "rel", "see", "seealso"]);
const AUTO = new Set(["autoexplain", "auto-explain", "auto", "ae"]);
const HELP = new Set(["help", "h", "?", "-h", "--help", "usage", "commands"]);
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
const HEADS = new Set([...DEFINE, ...SEARCH, ...LIST, ...RELATED, ...AUTO, ...HELP, "mute", "unmute"]);

/**
 * Parses what follows `/mesh`. A leading `/mesh` is tolerated, and so is a bare `mesh` before a command word
 * ("mesh help"), but not before a term ("mesh identity" is a term). Never throws.
 */
export function parseCommand(input: string): Command {
  let text = input
    .slice(0, MAX_COMMAND_CHARS)
    .replace(/^\s*\/mesh(?:[:,]|(?=\s)|$)/i, "")
    .trim();
  const bare = text.match(/^mesh(?:[:,]\s*|\s+)(\S+)/i);
  if (bare !== null && HEADS.has((bare[1] as string).toLowerCase()))
    text = text.slice(bare[0].length - (bare[1] as string).length);
  if (text === "") return { kind: "help", reason: "empty" };
  const space = text.search(/\s/);
  const head = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const rest = space < 0 ? "" : text.slice(space).trim();

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
  return { kind: "define", query: text };
}

/** The named options of each subcommand, in the order the grammar reads them as words. */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  define: ["term"],
  search: ["words"],
  list: ["topic"],
  related: ["term"],
  autoexplain: ["action", "term"],
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
  const words = names.map(value).filter((w) => w !== "");
  const command = parseCommand([subcommand, ...words].join(" "));
  if (command.kind !== "help" || command.reason !== "usage") return command;
  const named = names.map((n) => `${n}:${value(n) === "" ? `<${n}>` : value(n)}`);
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

/** Answers the commands that need only the glossary: define, search, list, related and help. */
export function answerGlossaryCommand(
  glossary: Glossary,
  command: Exclude<Command, { kind: "autoexplain" | "silence" }>,
): Reply {
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
