/**
 * Every user-facing sentence, written once. Each platform passes its own markup; what users typed goes
 * through `quote`, glossary text through `text`.
 */
import { COMMAND_HELP, type Reply } from "../core/command.js";
import type { DetectedTerm } from "../core/detect.js";
import type { Markup } from "./view.js";

export type { Markup } from "./view.js";

type NotFound = Extract<Reply, { kind: "notFound" }>;
type Settings = Extract<Reply, { kind: "autoExplainSettings" }>;
type Denied = Extract<Reply, { kind: "denied" }>;

/** "I don't know X": kind, never shaming, and pointing somewhere useful. */
export function notFoundText(reply: NotFound, m: Markup): string {
  if (reply.reason === "empty") return `Which term? Try ${m.code(`${m.prefix}define egress`)}.`;
  const asked = m.bold(m.quote(reply.query));
  if (reply.suggestions.length === 0) {
    return `I don't have "${asked}" in the glossary yet. ${m.code(`${m.prefix}list`)} shows every term I know.`;
  }
  if (reply.reason === "ambiguous") return `"${asked}" could mean more than one term. Did you mean:`;
  return `I don't have "${asked}" in the glossary. Did you mean:`;
}

/** One sentence per state: what auto-explain does here now, and how to change it. */
export function settingsText(reply: Settings, m: Markup): string {
  const p = m.prefix;
  switch (reply.change) {
    case "on":
      return (
        `Auto-explain is ${m.bold("on")} in this channel: when a message uses jargon, I reply in its thread ` +
        `with short definitions, each term once. ${m.code(`${p}autoexplain off`)} turns it off.`
      );
    case "off":
      return `Auto-explain is ${m.bold("off")} in this channel. ${m.code(`${p}autoexplain on`)} turns it back on.`;
    case "mute":
      return `Got it: I won't explain your messages anywhere in this workspace. ${m.code(`${p}autoexplain unmute`)} undoes it.`;
    case "unmute":
      return "Your messages can be explained again where auto-explain is on.";
    case "silence":
      return `OK: I won't explain ${m.bold(m.term(reply.term?.term ?? "that term"))} in this channel unprompted. ${m.code(
        `${p}autoexplain unsilence ${reply.term?.term ?? ""}`.trim(),
      )} undoes it.`;
    case "unsilence":
      return `${m.bold(m.term(reply.term?.term ?? "That term"))} can be explained in this channel again.`;
    case "status": {
      const parts = [`Auto-explain is ${m.bold(reply.enabled ? "on" : "off")} in this channel`];
      if (reply.changedBy !== undefined && reply.changedAt !== undefined) {
        parts[0] += ` (turned ${reply.enabled ? "on" : "off"} by ${m.user(reply.changedBy)}, ${m.when(reply.changedAt)})`;
      }
      parts[0] += ".";
      if (reply.silenced.length > 0) {
        parts.push(`Not jargon here: ${reply.silenced.map((t) => m.term(t.term)).join(", ")}.`);
      }
      if (reply.userMuted) parts.push(`Your own messages are muted (${m.code(`${p}autoexplain unmute`)}).`);
      parts.push(
        reply.enabled
          ? `${m.code(`${p}autoexplain off`)} turns it off.`
          : `${m.code(`${p}autoexplain on`)} turns it on.`,
      );
      return parts.join(" ");
    }
  }
}

/** Why a command was refused. */
export function deniedText(reply: Denied, permission: string, m: Markup): string {
  return `Only people who can ${permission} can use ${m.code(m.prefix + reply.action)}. Anyone can mute their own messages with ${m.code(
    `${m.prefix}autoexplain mute`,
  )}.`;
}

/** The first line of an auto-explain reply: which words triggered it. */
export function explanationLead(terms: readonly DetectedTerm[], m: Markup): string {
  const words = terms.map((d) => `"${m.quote(d.text)}"`);
  return `Jargon in this message: ${words.join(", ")}`;
}

/** The closing line naming terms that did not fit. */
export function namedOnlyText(named: readonly DetectedTerm[], m: Markup): string {
  const first = named[0];
  return `Also mentioned: ${named.map((d) => m.term(d.term.term)).join(", ")}${
    first === undefined ? "" : ` (${m.code(`${m.prefix}define ${first.term.term}`)})`
  }`;
}

/** What "Explain this message" says when the message holds no glossary term. */
export const NOTHING_TO_EXPLAIN = "I found no glossary terms in that message.";

/** Nothing matched a search. */
export function noSearchResultsText(query: string, m: Markup): string {
  return `Nothing in the glossary mentions "${m.bold(m.quote(query))}".`;
}

/** The help text's lines: usage and description. */
export function helpLines(m: Markup): string[] {
  return COMMAND_HELP.map((c) => `${m.code(m.prefix + c.usage)}: ${c.description}`);
}

export const HELP_LEAD = "I explain service mesh jargon. Ask me with:";

/** Sent when something went wrong on our side. */
export const SORRY = "Sorry, something went wrong on my side while answering. Please try again in a moment.";

/** Said instead of a settings answer while the bot's storage does not answer. */
export const SETTINGS_UNAVAILABLE =
  "I cannot save settings right now: my storage is not answering. Definitions still work; please try the setting again in a minute.";

/** The first line of search results. */
export function searchResultsLead(query: string, m: Markup): string {
  return `Terms that mention "${m.bold(m.quote(query))}":`;
}

/** What `related` says: the terms that go with one, or that there are none yet. */
export function relatedText(term: string, related: readonly string[], m: Markup): string {
  return related.length === 0
    ? `${m.bold(m.term(term))} has no related terms yet.`
    : `${m.bold(m.term(term))} goes with: ${related.map(m.term).join(", ")}`;
}

/** The first line of `list`. */
export function listLead(total: number): string {
  return `${total} terms in the glossary:`;
}

/** Said above a definition found by correcting a typo, so the answer is never a silent guess. */
export function correctedText(query: string, term: string, m: Markup): string {
  return `Showing ${m.bold(m.term(term))} for "${m.quote(query)}".`;
}

/** The choices of "Did you mean", named where there are no buttons to offer them. */
export function choicesText(terms: readonly string[], m: Markup): string {
  return `${terms.map(m.term).join(", ")}?`;
}

/** What the terminal chat says at start: whether auto-explain reads the lines typed there. */
export function sessionStatusText(enabled: boolean, m: Markup): string {
  return enabled
    ? `Auto-explain is ${m.bold("on")} here: jargon in your lines is explained, each term once per session.`
    : `Auto-explain is ${m.bold("off")} here; ${m.code(`${m.prefix}autoexplain on`)} turns it on.`;
}

/**
 * The bot lacks platform permissions it needs. `permissions` are the platform's own names ("Create Public
 * Threads"); `where` names the place (default "in this channel"); `consequence` says what happens meanwhile.
 */
export function missingPermissionText(
  permissions: readonly string[],
  m: Markup,
  options: { readonly where?: string; readonly consequence?: string } = {},
): string {
  const names = permissions.map((p) => m.bold(p));
  const list = names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  const plural = names.length === 1 ? "permission" : "permissions";
  const tail = options.consequence === undefined ? "." : `, so ${options.consequence}.`;
  return (
    `I'm missing the ${list} ${plural} ${options.where ?? "in this channel"}${tail} ` +
    `Someone who manages the server can grant ${names.length === 1 ? "it" : "them"} in the channel's settings.`
  );
}

/** What auto-explain does when it may not start threads. */
export const REPLIES_IN_CHANNEL = "I'll explain jargon with a reply in the channel instead of a thread";

/** A button or menu from an older message that no longer leads anywhere. */
export function staleControlText(m: Markup): string {
  return `That button no longer works (the term may have been renamed). Try ${m.code(`${m.prefix}define`)} instead.`;
}

/** Said in the channel when someone turns auto-explain on or off there, naming who did it. */
export function autoExplainChangedText(enabled: boolean, by: string, m: Markup): string {
  return enabled
    ? `Auto-explain turned ${m.bold("on")} by ${m.user(by)}: when a message here uses jargon, I reply in its ` +
        `thread with short definitions, each term once. ${m.code(`${m.prefix}autoexplain off`)} turns it off.`
    : `Auto-explain turned ${m.bold("off")} by ${m.user(by)}. ${m.code(`${m.prefix}autoexplain on`)} turns it back on.`;
}

/** Credits the person who shared a private answer in the channel. */
export function sharedByText(user: string, m: Markup): string {
  return `Shared by ${m.user(user)}`;
}

/** Why the bot could not post in a conversation. */
export type PostFailure = "not-in-channel" | "channel-not-found" | "archived" | "restricted" | "rate-limited";

/** Tells the asker why their answer could not be posted and what to do; `invite` is how to add the bot. */
export function cannotPostText(reason: PostFailure, invite: string): string {
  switch (reason) {
    case "not-in-channel":
      return `I'm not a member of this channel, so I can't post or see messages here. Invite me with ${invite} and try again.`;
    case "channel-not-found":
      return `I can't reach this conversation (it may be private, or a direct message I'm not part of). Invite me with ${invite} and try again.`;
    case "archived":
      return "This channel is archived, so I can't post in it.";
    case "restricted":
      return "Posting in this channel is restricted, so I couldn't post there; your answer stays private.";
    case "rate-limited":
      return "The platform asked me to slow down. Please try again in a minute.";
  }
}

/** Closes a topic of `list` cut short to fit, pointing at the full topic. */
export function listTrimmedText(hidden: number, topic: string, m: Markup): string {
  return `…and ${hidden} more: ${m.code(`${m.prefix}list ${topic}`)}`;
}

/** Shows how a command is typed, when it was typed wrongly. */
export function usageText(usage: string, m: Markup): string {
  return `Usage: ${m.code(m.prefix + usage)}`;
}

/** How products and books are named, for the lower-case names of a term's `asOf`. */
const PRODUCT_NAMES: Readonly<Record<string, string>> = {
  linkerd: "Linkerd",
  kubernetes: "Kubernetes",
  istio: "Istio",
  "gateway api": "Gateway API",
  "google sre book": "Google SRE book",
  "sre workbook": "SRE workbook",
};

/** What a term was checked against, said beside its full text: "As of Linkerd 2.20." */
export function asOfText(asOf: string): string {
  const named = asOf.split(",").map((part) => {
    const text = part.trim();
    const product = Object.keys(PRODUCT_NAMES).find((p) => text.toLowerCase().startsWith(`${p} `));
    if (product !== undefined) return `${PRODUCT_NAMES[product]}${text.slice(product.length)}`;
    return text.charAt(0).toUpperCase() + text.slice(1);
  });
  return `As of ${named.join(", ")}.`;
}
