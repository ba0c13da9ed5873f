/**
 * Every user-facing sentence, written once. Each platform passes its own markup; what users typed goes
 * through `quote`, glossary text through `text`.
 */
import { COMMAND_HELP, type GlossaryAction, type Reply } from "../core/command.js";
import type { DetectedTerm } from "../core/detect.js";
import type { FieldProblem, GlossarySettings, Proposal, TeamField, TeamRevision } from "../core/team.js";
import type { Term } from "../core/types.js";
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
  if (reply.permission === "maintain") {
    return `Only people who ${permission} can use ${m.code(m.prefix + reply.action)}. Anyone can propose a term with ${m.code(
      `${m.prefix}add <term> = <summary>`,
    )}.`;
  }
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

/** Said instead of a change to (or a look at) the team's terms while the store does not answer. */
export const TEAM_UNAVAILABLE =
  "I cannot reach this team's terms right now: my storage is not answering. The glossary's own definitions still work; please try again in a minute.";

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

/** Where there are no buttons, how to add a term that was not found. */
export function addHintText(query: string, m: Markup): string {
  return `${m.code(`${m.prefix}add ${query} = <summary>`)} adds it to this team's glossary.`;
}

/** Labels of the buttons of the team's glossary. */
export const TEAM_LABELS = Object.freeze({
  edit: "Edit",
  approve: "Approve",
  reject: "Reject",
  propose: (name: string) => `Propose "${name}"`,
  postInThread: "Post in thread",
  thisTeam: "This team",
  glossary: "Glossary",
});

/** How each field of a team term is named to people. */
export const FIELD_LABELS: Readonly<Record<TeamField, string>> = Object.freeze({
  term: "Term",
  aliases: "Other names",
  summary: "Summary",
  body: "More",
  related: "Related terms",
  sources: "Sources",
});

/** What each field of the form asks for. */
export const FIELD_HINTS: Readonly<Record<TeamField, string>> = Object.freeze({
  term: "The name people use, e.g. Kraken",
  aliases: "Acronyms or other spellings, separated by commas",
  summary: "One sentence that fits on a chat line",
  body: "Optional: what people should know beyond the summary",
  related: "Optional: names of glossary terms, separated by commas",
  sources: "Optional: links to docs or runbooks, one per line",
});

/** Who keeps a team's term, under its card. */
export function keeperText(term: Term, m: Markup): string | undefined {
  const k = term.keeper;
  if (k === undefined) return undefined;
  const added = `Added to this team's glossary by ${m.user(k.addedBy)}, ${m.when(k.addedAt)}`;
  return k.revision <= 1 && k.changedBy === k.addedBy
    ? `${added}.`
    : `${added}; last changed by ${m.user(k.changedBy)}, ${m.when(k.changedAt)}.`;
}

/** A team term added, changed or removed. */
export function teamChangeText(change: "added" | "edited" | "removed", term: string, m: Markup): string {
  const name = m.bold(m.term(term));
  switch (change) {
    case "added":
      return `Added ${name} to this team's glossary.`;
    case "edited":
      return `Changed ${name}.`;
    case "removed":
      return `Removed ${name} from this team's glossary; ${m.code(`${m.prefix}history ${term}`)} still shows it.`;
  }
}

/** What happened to a proposal, for the person who made it. */
export function proposedText(
  action: "add" | "edit",
  term: string,
  reviewers: "channel" | "maintainers" | "none" | "unreachable",
  m: Markup,
  homeTab: boolean,
): string {
  const what = action === "add" ? m.bold(m.term(term)) : `your change to ${m.bold(m.term(term))}`;
  if (reviewers === "unreachable") {
    return (
      `I couldn't put ${what} before any reviewer: I may not be a member of the review channel (invite me there), ` +
      `or maintainers can't get my direct messages. The proposal is kept${
        homeTab ? ", and maintainers see it on my home tab." : "; ask a maintainer to look at it."
      }`
    );
  }
  if (reviewers === "none") {
    return (
      `I kept ${what} as a proposal, but there is no one to review it yet: a maintainer can choose a review channel ` +
      `with ${m.code(`${m.prefix}glossary review-channel`)}, or let everyone edit with ${m.code(`${m.prefix}glossary open`)}.`
    );
  }
  const where = reviewers === "channel" ? "in the review channel" : "with this team's maintainers";
  return `Thanks! ${capitalize(what)} is waiting for review ${where}; I'll tell you what they decide.`;
}

/** The first line of a proposal, as maintainers see it. */
export function proposalLead(proposal: Proposal, m: Markup): string {
  const who = m.user(proposal.proposedBy);
  return proposal.action === "add"
    ? `${who} proposes a term for this team's glossary:`
    : `${who} proposes a change to ${m.bold(m.term(proposal.fields.term))}:`;
}

/** Under a proposed change: what the term says now. */
export function currentText(current: Term, m: Markup): string {
  return `Now: ${m.quote(current.summary)}`;
}

/** A proposal approved or rejected (and whether it could be applied). */
export function decidedText(
  proposal: Proposal,
  refused: "conflict" | "exists" | "missing" | undefined,
  m: Markup,
): string {
  const name = m.bold(m.term(proposal.fields.term));
  const by = m.user(proposal.decidedBy ?? "");
  if (proposal.status === "rejected") return `Rejected by ${by}: ${name} was left as it was.`;
  switch (refused) {
    case "conflict":
      return `Approved by ${by}, but ${name} changed after it was proposed, so nothing was applied. Propose the change again from its current text.`;
    case "exists":
      return `Approved by ${by}, but this team added ${name} meanwhile, so nothing was applied.`;
    case "missing":
      return `Approved by ${by}, but ${name} was removed meanwhile, so nothing was applied.`;
    default:
      return proposal.action === "add"
        ? `Approved by ${by}: ${name} is in this team's glossary now.`
        : `Approved by ${by}: ${name} says the proposed text now.`;
  }
}

/** A proposal someone decided before this click. */
export function alreadyDecidedText(proposal: Proposal, m: Markup): string {
  return `This proposal was already ${proposal.status} by ${m.user(proposal.decidedBy ?? "someone")}.`;
}

/** A submitted term with fields to fix. */
export function badTermText(problems: readonly FieldProblem[], bullet: string): string {
  return [
    "Nothing was saved. Please fix:",
    ...problems.map((p) => `${bullet}${FIELD_LABELS[p.field]}: ${p.message}`),
  ].join("\n");
}

/** An edit made against a revision someone else replaced meanwhile. */
export function conflictText(current: Term, yours: string, m: Markup): string {
  return (
    `${m.bold(m.term(current.term))} changed since you opened it, so your edit was not saved. ` +
    `It now says: "${m.quote(current.summary)}". Yours was: "${m.quote(yours)}". Edit it again to apply yours.`
  );
}

/** A bundled term someone tried to change from chat. */
export function readOnlyText(term: Term, action: "edit" | "remove", m: Markup): string {
  const name = m.bold(m.term(term.term));
  const verb = action === "edit" ? "changed" : "removed";
  return (
    `${name} comes with the glossary, so it can't be ${verb} from chat. To give it this team's own meaning, ` +
    `${m.code(`${m.prefix}add ${term.term} = <summary>`)}; to correct it for everyone, change its content file.`
  );
}

/** No team term by that name. */
export function noTeamTermText(query: string, action: "edit" | "remove" | "history", m: Markup): string {
  const asked = m.bold(m.quote(query));
  if (action === "history") return `This team has no history for "${asked}".`;
  return `This team has no term "${asked}". ${m.code(`${m.prefix}add ${query} = <summary>`)} adds one.`;
}

const VERBS = Object.freeze({ add: "added", edit: "changed", remove: "removed" });

/** A team term's history, oldest change first. */
export function historyText(
  name: string,
  revisions: readonly TeamRevision[],
  m: Markup,
  bullet: string,
): string {
  return [
    `Changes to ${m.bold(m.term(name))}, oldest first:`,
    ...revisions.map(
      (r) =>
        `${bullet}${VERBS[r.action]} by ${m.user(r.by)}, ${m.when(r.at)}${
          r.action === "remove" ? "" : `: ${m.quote(r.fields.summary)}`
        }`,
    ),
  ].join("\n");
}

/** The team's latest changes. */
export function recentText(changes: readonly TeamRevision[], m: Markup, bullet: string): string {
  if (changes.length === 0) {
    return `This team hasn't added any terms yet. ${m.code(`${m.prefix}add <term> = <summary>`)} adds one.`;
  }
  return [
    "Lately in this team's glossary:",
    ...changes.map(
      (r) =>
        `${bullet}${m.bold(m.term(r.fields.term))} ${VERBS[r.action]} by ${m.user(r.by)}, ${m.when(r.at)}`,
    ),
  ].join("\n");
}

/** Who may change the team's terms here, and where proposals go. */
export function glossarySettingsText(change: GlossaryAction, settings: GlossarySettings, m: Markup): string {
  const where =
    settings.reviewChannel === undefined
      ? "Proposals go to each maintainer privately."
      : `Proposals are posted in ${m.channel(settings.reviewChannel)}.`;
  switch (change) {
    case "open":
      return `Anyone here can add and edit this team's terms now. ${m.code(`${m.prefix}glossary review`)} sends changes for review again.`;
    case "review":
      return `From now on, changes by people who don't maintain the glossary go to maintainers for review. ${where}`;
    case "review-channel":
      return `Proposals will be posted in ${m.channel(settings.reviewChannel ?? "")}. ${m.code(`${m.prefix}glossary review-channel off`)} sends them to maintainers privately again.`;
    case "review-channel-off":
      return "Proposals will go to each maintainer privately.";
    case "status":
      return settings.mode === "open"
        ? `This team's glossary is open: anyone adds and edits terms. ${m.code(`${m.prefix}glossary review`)} asks for review.`
        : `This team's glossary is in review: changes by people who don't maintain it are proposed to maintainers. ${where}`;
  }
}

/** What people looked up here, and what they missed. */
export function statsText(
  top: readonly { readonly term: Term | undefined; readonly key: string; readonly count: number }[],
  misses: readonly { readonly query: string; readonly count: number }[],
  m: Markup,
  bullet: string,
): string {
  if (top.length === 0 && misses.length === 0) return "Nobody has looked anything up here yet.";
  const lines = ["Looked up most here:"];
  for (const t of top) lines.push(`${bullet}${m.bold(m.term(t.term?.term ?? t.key))}: ${t.count}`);
  if (top.length === 0) lines.push(`${bullet}nothing yet`);
  lines.push("Looked for and not found:");
  for (const q of misses) lines.push(`${bullet}${m.quote(q.query)}: ${q.count}`);
  if (misses.length === 0) lines.push(`${bullet}nothing: every lookup found a term`);
  return lines.join("\n");
}

/** The home tab's headings. */
export const HOME_TEXT = Object.freeze({
  title: "Service mesh jargon, explained",
  intro: "Ask with /mesh define <term>, or mention me with a question. Terms this team keeps are below.",
  recent: "Lately in this team's glossary",
  proposals: "Waiting for your review",
  noProposals: "No proposals are waiting.",
});

/** The form's title and submit button. */
export function formTitle(mode: "add" | "edit", name: string): { title: string; submit: string } {
  return mode === "add" ? { title: "Add a term", submit: "Add" } : { title: `Edit ${name}`, submit: "Save" };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
