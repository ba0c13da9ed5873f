/**
 * The neutral view of a message: what the bot says, decided once for every platform, before any platform
 * markup structure (Block Kit, embeds, terminal lines) exists. Text in a view is already marked up with the
 * surface's `Markup`; adapters map blocks to their own structures and buttons to their own ids.
 */
import type { DetectedTerm } from "../core/detect.js";
import type { TeamField } from "../core/team.js";
import type { Term, Topic } from "../core/types.js";

/**
 * How a platform marks up text. Every user-facing sentence is written once, in src/present/messages.ts, and
 * each adapter passes its own markup.
 */
export interface Markup {
  readonly bold: (s: string) => string;
  readonly code: (s: string) => string;
  /** Text the user typed, echoed back: made inert so it can neither format nor ping. */
  readonly quote: (s: string) => string;
  /** A glossary term's name inside a sentence: escaped where the markup needs it, highlighted where it can. */
  readonly term: (s: string) => string;
  /** How commands are typed here: "/mesh " on chat platforms, "mesh " in a shell. */
  readonly prefix: string;
  /** A person, by platform user id. */
  readonly user: (id: string) => string;
  /** A moment (ms since epoch), as this platform shows dates. */
  readonly when: (ms: number) => string;
  /** A channel of the workspace, by platform id. */
  readonly channel: (id: string) => string;
}

/** What a platform can show, and how it says things the sentences leave open. */
export interface Surface {
  readonly markup: Markup;
  /** Buttons exist: choices are offered as buttons; without them, the sentences name the choices. */
  readonly buttons: boolean;
  /** Starts each line of a list of commands. */
  readonly bullet: string;
  /** How refusals name the right to manage a channel ("manage this channel"). */
  readonly managePermission: string;
  /** How refusals name who maintains the team's glossary ("are workspace admins or owners"). */
  readonly maintainPermission: string;
  /** The team's glossary can be changed from here (chat; not the `mesh` command line). */
  readonly teamGlossary: boolean;
  /** The bot has a home people open (Slack's App Home), where maintainers find open proposals. */
  readonly homeTab: boolean;
}

/** What a button asks the bot for. Adapters encode it in the platform's button id and decode it on a click. */
export type BotAction =
  /** A term's card; `privately`: for the clicker only (Discord; Slack answers clicks privately anyway). */
  | { readonly kind: "define"; readonly termId: string; readonly privately: boolean }
  /** A term's full text, for the clicker only. */
  | { readonly kind: "more"; readonly termId: string }
  /** Post a private card for everyone, crediting who shared it. */
  | { readonly kind: "share"; readonly termId: string }
  /** "Not jargon here": stop explaining a term in this channel unprompted. */
  | { readonly kind: "silence"; readonly termId: string }
  /** Open the form that edits a team term. */
  | { readonly kind: "edit"; readonly termId: string }
  /** Open the form that adds a term, its name filled in (a miss offers it). */
  | { readonly kind: "propose"; readonly name: string }
  /** A maintainer approves or rejects a proposal. */
  | { readonly kind: "approve"; readonly proposalId: string }
  | { readonly kind: "reject"; readonly proposalId: string }
  /** Post a private "Explain this message" answer in the message's thread, for everyone. */
  | { readonly kind: "postExplanation"; readonly termIds: readonly string[] };

/** The kinds of button that open a term. */
export type TermAction = Extract<BotAction, { termId: string }>;

/** A field of the form that adds or edits a team term. */
export interface FormField {
  readonly name: TeamField;
  readonly label: string;
  /** What the field holds when the form opens. */
  readonly value: string;
  readonly multiline: boolean;
  readonly required: boolean;
  readonly maxLength: number;
  /** A short example or what to write, under or inside the field. */
  readonly hint: string;
}

/** What a submitted form must bring back to the bot, untouched. */
export interface FormContext {
  readonly mode: "add" | "edit";
  /** The team term edited (its slug). */
  readonly termId?: string | undefined;
  /** The revision the form was filled from, so a change made meanwhile is noticed. */
  readonly baseRevision?: number | undefined;
}

/** A form (Slack modal, Discord modal) that adds or edits a team term. */
export interface FormView {
  readonly title: string;
  readonly submit: string;
  readonly fields: readonly FormField[];
  readonly context: FormContext;
}

/** A button: what it says and what a click asks the bot for. */
export interface ButtonView {
  readonly label: string;
  readonly action: BotAction;
  readonly primary?: boolean;
}

/** One group of `list`: a topic and its terms. */
export interface TopicGroup {
  readonly topic: Topic | "other";
  readonly terms: readonly Term[];
}

/** The parts a message is made of, in order. */
export type ViewBlock =
  /** The command as typed, for platforms that do not show a private command (Slack). */
  | { readonly type: "echo"; readonly text: string }
  /** A paragraph. */
  | { readonly type: "text"; readonly text: string }
  /** Small print above or below the rest: a correction, a credit, the terms that did not fit. */
  | { readonly type: "note"; readonly text: string }
  /**
   * A term's card: name, other names, summary and, `expanded`, the whole body; related terms and other
   * meanings to open; sources. Each platform draws its own card (Block Kit section, embed, lines of text).
   */
  | {
      readonly type: "card";
      readonly term: Term;
      readonly related: readonly Term[];
      readonly seeAlso: readonly Term[];
      readonly expanded: boolean;
      /** Who shared the card in the channel, as marked-up text ("Shared by @ana"). */
      readonly credit?: string | undefined;
      /** What the term was checked against ("As of Linkerd 2.20."), shown with its full text. */
      readonly asOf?: string | undefined;
      /** Whose term it is, when a name has two meanings here: "This team" or "Glossary". */
      readonly label?: string | undefined;
      /** Who keeps a team term, as marked-up text ("Added by @ana, changed by @bo on ..."). */
      readonly keeper?: string | undefined;
    }
  /** Terms, one line each with their summary, each with a button that defines it (search results). */
  | { readonly type: "terms"; readonly terms: readonly Term[]; readonly privately: boolean }
  /**
   * The jargon of one message, a line per term with "More" and, when `silenceable`, "Not jargon here"; and
   * terms only named (`named`). A platform that cannot fit every line names the rest too.
   */
  | {
      readonly type: "explanation";
      readonly lead: string;
      readonly terms: readonly DetectedTerm[];
      readonly named: readonly DetectedTerm[];
      readonly silenceable: boolean;
    }
  /** The glossary by topic. `detailed`: one topic, each term with its summary where it fits. */
  | {
      readonly type: "topics";
      readonly title: string;
      readonly groups: readonly TopicGroup[];
      readonly detailed: boolean;
    }
  /** A row of buttons. */
  | { readonly type: "buttons"; readonly buttons: readonly ButtonView[] };

/** One message: who sees it, its blocks, and the whole of it as one line for notifications. */
export interface View {
  readonly visibility: "private" | "public";
  readonly blocks: readonly ViewBlock[];
  /** The message as plain marked-up text: notifications, screen readers, clients without blocks. */
  readonly fallback: string;
}
