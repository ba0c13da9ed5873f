/**
 * The contract between the bot and the chat adapters. An adapter turns a platform event into one `Inbound`
 * value and hands it to the bot with a `Responder`; the bot decides what to say, to whom, and delivers it
 * through the responder as neutral views that the adapter renders (Block Kit, embeds, terminal text).
 */
import type { Command, Reply } from "../core/command.js";
import type { ChannelRef } from "../core/place.js";
import type { FieldProblem, TeamField } from "../core/team.js";
import type { BotAction, FormContext, FormView, Surface, View } from "../present/view.js";

export type { ChannelRef } from "../core/place.js";
export type { BotAction } from "../present/view.js";

/** Who asked, and what they may change. */
export interface Asker {
  /** Platform user id. */
  readonly id: string;
  /** May turn auto-explain on or off and silence terms here (Discord: Manage Channels; Slack: anyone). */
  readonly canManageChannel: boolean;
  /**
   * Maintains the team's glossary here (Slack: workspace admins and owners; Discord: Manage Server; the
   * terminal: its user). Asked only when it matters; absent means no (MESH_MAINTAINERS still counts).
   */
  readonly canMaintain?: (() => Promise<boolean>) | undefined;
}

interface InboundBase {
  readonly ref: ChannelRef;
  readonly asker: Asker;
  /** The thread the conversation is in (the parent's id), when it is in one. */
  readonly thread?: string | undefined;
  /** The platform's id for this delivery, so a redelivered event is handled once. */
  readonly eventId?: string | undefined;
}

/** A platform event, reduced to what the bot needs. */
export type Inbound =
  /**
   * A message someone wrote. `addressed`: a direct message or a mention of the bot, so a question; any other
   * message may be auto-explained, in the thread `thread` (its own id when it starts one: `startsThread`).
   */
  | (InboundBase & {
      readonly kind: "message";
      readonly text: string;
      readonly addressed: boolean;
      readonly fromBot: boolean;
      readonly startsThread?: boolean | undefined;
    })
  /**
   * `/mesh ...`: the text after the command, or a Command already parsed from structured options. `privately`:
   * the asker wants the answer for their eyes only. `echo`: the command as typed, shown above a private answer
   * where the platform does not show it.
   */
  | (InboundBase & {
      readonly kind: "command";
      readonly command: string | Command;
      readonly privately: boolean;
      readonly echo?: string | undefined;
    })
  /** A click on one of the bot's buttons. `fromPrivate`: the button was on a message only the clicker sees. */
  | (InboundBase & { readonly kind: "action"; readonly action: BotAction; readonly fromPrivate: boolean })
  /** "Explain this message" on someone's message. */
  | (InboundBase & { readonly kind: "explain"; readonly text: string })
  /** Someone opened a conversation with the bot (the terminal chat starting): it says what it does there. */
  | (InboundBase & { readonly kind: "open" })
  /** A form that adds or edits a team term, submitted with what was typed into each field. */
  | (InboundBase & {
      readonly kind: "form";
      readonly context: FormContext;
      readonly values: Readonly<Partial<Record<TeamField, string>>>;
    })
  /** Someone opened the bot's home (Slack's App Home). */
  | (InboundBase & { readonly kind: "home" });

/** Where a delivery goes. */
export type Audience =
  /** Only the asker sees it; `replace`: in place of the private message they clicked. */
  | { readonly kind: "asker"; readonly replace: boolean }
  /** Everyone where the asker spoke: the thread of a mention, the direct message, the command's channel. */
  | { readonly kind: "here" }
  /** A thread on the message the bot read (auto-explain), started when there is none yet. */
  | { readonly kind: "thread" }
  /** The channel itself, for announcements ("auto-explain turned on by ..."). */
  | { readonly kind: "channel" }
  /** In place of the message the button was on, for everyone who saw it (a decided proposal). */
  | { readonly kind: "source" }
  /** Another channel of the workspace (the review channel). */
  | { readonly kind: "review"; readonly channel: string }
  /** One person, privately (a maintainer asked to review; a proposer told the outcome). */
  | { readonly kind: "person"; readonly user: string }
  /** The asker's home with the bot (Slack's App Home tab). */
  | { readonly kind: "home" };

/** One message for the adapter to render and send. */
export interface Delivery {
  readonly to: Audience;
  readonly view: View;
}

/** How an adapter answers one inbound event; made by the adapter for each event it hands over. */
export interface Responder {
  /** How this platform marks up text and what it can show. */
  readonly surface: Surface;
  /** Renders and sends one message. Rejects when the platform refused it. */
  deliver(delivery: Delivery): Promise<void>;
  /** Removes the private message the asker clicked (after sharing it), where the platform can. */
  dismiss(): Promise<void>;
  /** Opens a form for the asker (a modal), where this event allows one; absent where none can open. */
  readonly openForm?: ((form: FormView) => Promise<void>) | undefined;
  /** Shows problems beside the fields of the form just submitted, which stays open; absent: say them. */
  readonly formProblems?: ((problems: readonly FieldProblem[]) => Promise<void>) | undefined;
  /** The people who maintain the glossary here, when the platform can tell (admins, the server owner). */
  readonly maintainers?: (() => Promise<string[]>) | undefined;
}

/** A choice offered while someone types a term (Discord autocomplete). */
export interface TermChoice {
  /** What the person sees, e.g. "mTLS (mutual TLS)". */
  readonly label: string;
  /** The term id. */
  readonly termId: string;
}

/** The narrow handle adapters get: hand over events, ask for completions. */
export interface BotHandle {
  /**
   * Handles one event: routes it, applies the policy and delivers the answer through `responder`. Resolves
   * with the reply it answered with (undefined when it said nothing), for platform-specific follow-ups.
   */
  receive(inbound: Inbound, responder: Responder): Promise<Reply | undefined>;
  /** Ranked term choices for what someone has typed so far, from the workspace's glossary when given. */
  complete(input: string, limit: number, ref?: ChannelRef): Promise<TermChoice[]>;
}

/** A chat platform the bot runs on; main.ts starts each configured one and stops them on shutdown. */
export interface ChatAdapter {
  readonly name: string;
  /** Connects and starts answering; resolves once the platform accepted the connection. */
  start(): Promise<void>;
  /** Stops taking new events and closes connections. */
  stop(): Promise<void>;
  /** Connected to the platform right now (readiness); absent means always, once started. */
  connected?(): boolean;
  /** Resolves when the adapter has ended by itself (the terminal at end of input); chat platforms never do. */
  readonly ended?: Promise<void>;
}
