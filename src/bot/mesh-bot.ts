import {
  type AutoExplainAction,
  answerGlossaryCommand,
  type Command,
  isGlossaryCommand,
  parseCommand,
  type Reply,
} from "../core/command.js";
import { completeTerm } from "../core/complete.js";
import { detectJargon } from "../core/detect.js";
import { type Glossary, relatedTerms } from "../core/glossary.js";
import { defineIn, type Layers } from "../core/layers.js";
import { lookupTerm } from "../core/lookup.js";
import type { ChannelRef } from "../core/place.js";
import { type AutoExplainDecision, type AutoExplainSettings, decideAutoExplain } from "../core/policy.js";
import type { Term } from "../core/types.js";
import type { Logger } from "../logger.js";
import {
  SETTINGS_UNAVAILABLE,
  sessionStatusText,
  staleControlText,
  TEAM_UNAVAILABLE,
} from "../present/messages.js";
import { announcementView, cardView, presentReply, sentenceView } from "../present/present.js";
import { DEFAULT_CLAIM_LEASE_MS } from "../store/claims.js";
import type { ChannelSettings, Store } from "../store/store.js";
import type { Asker, Audience, BotHandle, Inbound, Responder, TermChoice } from "./conversation.js";
import { WorkspaceGlossaries } from "./glossaries.js";
import { type LookupResult, LookupTally } from "./lookup-tally.js";
import { type BotObserver, type RequestKind, type RequestOutcome, SILENT_OBSERVER } from "./observer.js";
import { type After, TeamDesk } from "./team-desk.js";

export type { Asker } from "./conversation.js";

type Explanation = Extract<Reply, { kind: "explanation" }>;
type MessageInbound = Extract<Inbound, { kind: "message" }>;
type CommandInbound = Extract<Inbound, { kind: "command" }>;
type ActionInbound = Extract<Inbound, { kind: "action" }>;

export interface MeshBotOptions {
  readonly glossary: Glossary;
  readonly store: Store;
  readonly logger: Logger;
  readonly autoExplain: AutoExplainSettings;
  /** Whether a channel nobody configured has auto-explain on (the terminal: yes; chat platforms: no). */
  readonly enabledByDefault?: (ref: ChannelRef) => boolean;
  /** Platform user ids who maintain every workspace's glossary, besides admins (MESH_MAINTAINERS). */
  readonly maintainers?: ReadonlySet<string>;
  readonly now?: () => number;
  /** Where the bot reports what it does, for metrics (default: nowhere). */
  readonly observer?: BotObserver;
  /** How long a claim on an event holds before a redelivery may answer it (default 30 s). */
  readonly claimLeaseMs?: number;
  /** How long lookups are counted in memory before they are written (default LOOKUP_FLUSH_MS). */
  readonly lookupFlushMs?: number;
}

/** The definition of one particular term, as its button asks (not a lookup of its name). */
function definitionOf(layers: Layers, term: Term): Reply {
  return {
    kind: "definition",
    term,
    related: relatedTerms(layers.all, term),
    seeAlso: [],
    match: "name",
    confidence: 1,
    query: term.term,
  };
}

/**
 * Whether this caller answers an event: "won" a claim to confirm or release; "taken" by an earlier or
 * concurrent delivery; "untracked" when there is no event id, or the store could not be asked (the question
 * is answered all the same: an answer never depends on bookkeeping).
 */
type Claim = "won" | "taken" | "untracked";

/** Terms claimed for an auto-explanation, given back when it could not be posted. */
interface ExplainedClaim {
  readonly thread: string;
  readonly termIds: readonly string[];
  readonly at: number;
}

const KIND: Readonly<Record<Inbound["kind"], RequestKind>> = {
  message: "question",
  command: "command",
  action: "action",
  explain: "action",
  open: "command",
  form: "command",
  home: "action",
};

/** The longest query kept in lookup statistics. */
const MAX_STORED_QUERY = 100;

const ASKER: Audience = { kind: "asker", replace: false };
const HERE: Audience = { kind: "here" };

/**
 * The platform-neutral bot. It owns the conversation: adapters hand it one `Inbound` value per platform
 * event, and it routes it (question, channel message, command, button, "explain this message", a submitted
 * form), answers each event effectively once, applies the auto-explain policy, decides who sees the answer
 * and what is announced, and delivers views through the adapter's responder. The team's own glossary is
 * its desk's business (team-desk.ts).
 */
export class MeshBot implements BotHandle {
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly settings: AutoExplainSettings;
  private readonly enabledByDefault: (ref: ChannelRef) => boolean;
  private readonly now: () => number;
  private readonly glossaries: WorkspaceGlossaries;
  private readonly desk: TeamDesk;
  private readonly observer: BotObserver;
  private readonly claimLeaseMs: number;
  private readonly lookups: LookupTally;
  /** Events answered with a failure sentence because the store failed: their outcome is "error". */
  private readonly storeFailed = new WeakSet<Inbound>();
  /** Confirmations of answered events on their way to the store: nothing waits for them but close(). */
  private readonly confirming = new Set<Promise<void>>();

  constructor(options: MeshBotOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.settings = options.autoExplain;
    this.enabledByDefault = options.enabledByDefault ?? (() => false);
    this.now = options.now ?? Date.now;
    this.glossaries = new WorkspaceGlossaries(options.glossary, options.store.team, options.logger);
    this.lookups = new LookupTally(options.store, options.logger, options.lookupFlushMs);
    this.desk = new TeamDesk({
      lookups: this.lookups,
      store: options.store.team,
      glossaries: this.glossaries,
      logger: options.logger,
      maintainers: options.maintainers ?? new Set(),
      now: this.now,
    });
    this.observer = options.observer ?? SILENT_OBSERVER;
    this.claimLeaseMs = options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  }

  /** The bundled glossary every workspace's team terms are layered over. */
  get glossary(): Glossary {
    return this.glossaries.bundled;
  }

  /** Serves new bundled content (a reloaded CONTENT) from now on, team terms kept. */
  replaceGlossary(glossary: Glossary): void {
    this.glossaries.replaceBundled(glossary);
  }

  /** Stops listening for changes to team terms and writes the lookups counted since the last write. */
  async close(): Promise<void> {
    this.glossaries.close();
    await Promise.all([this.lookups.flush(), ...this.confirming]);
  }

  async receive(inbound: Inbound, responder: Responder): Promise<Reply | undefined> {
    const started = performance.now();
    const kind = inbound.kind === "message" && !inbound.addressed ? "auto_explain" : KIND[inbound.kind];
    let outcome: RequestOutcome = "error";
    // Some answers leave work for after the asker has heard (a proposal put before its reviewers).
    const pending: (() => Promise<void>)[] = [];
    try {
      const reply = await this.route(inbound, responder, (work) => pending.push(work));
      outcome = this.storeFailed.has(inbound) ? "error" : outcomeOf(reply);
      if (pending.length > 0) {
        // An answer written to a socket leaves when the event loop next turns: let it, before the rest.
        await new Promise<void>((resolve) => setImmediate(resolve));
        for (const work of pending) await work();
      }
      return reply;
    } finally {
      this.observer.request(inbound.ref.platform, kind, outcome, (performance.now() - started) / 1000);
    }
  }

  private async route(inbound: Inbound, responder: Responder, after: After): Promise<Reply | undefined> {
    switch (inbound.kind) {
      case "message":
        return inbound.addressed
          ? this.question(inbound, responder, after)
          : this.autoExplain(inbound, responder);
      case "command":
        return this.command(inbound, responder, after);
      case "action":
        return this.action(inbound, responder);
      case "explain": {
        const layers = await this.layersOf(inbound.ref);
        const reply = this.explainText(layers, inbound.text);
        await responder.deliver({
          to: ASKER,
          view: presentReply(reply, responder.surface, { visibility: "private", privately: true }),
        });
        return reply;
      }
      case "open": {
        const fallback = this.enabledByDefault(inbound.ref);
        const channel = await this.store.channel(inbound.ref, fallback).catch((error: unknown) => {
          this.storeUnavailable(error, "read the channel's settings");
          return { autoExplain: fallback };
        });
        const text = sessionStatusText(channel.autoExplain, responder.surface.markup);
        await responder.deliver({ to: ASKER, view: sentenceView(text) });
        return undefined;
      }
      case "form": {
        const reply = await this.desk.form(
          inbound.context,
          inbound.values,
          inbound.ref,
          inbound.asker,
          responder,
          after,
        );
        if (reply !== undefined)
          await responder.deliver({ to: ASKER, view: this.privateView(reply, responder) });
        return reply;
      }
      case "home":
        await this.desk.home(inbound.ref, inbound.asker, responder);
        return undefined;
    }
  }

  async complete(input: string, limit: number, ref?: ChannelRef): Promise<TermChoice[]> {
    const started = performance.now();
    const glossary = ref === undefined ? this.glossary : (await this.layersOf(ref)).all;
    const choices = completeTerm(glossary, input, limit).map(({ term, via }) => ({
      label: via === undefined ? term.term : `${term.term} (${via})`,
      termId: term.id,
    }));
    const outcome = choices.length === 0 && input.trim() !== "" ? "not_found" : "ok";
    this.observer.request(
      ref?.platform ?? "unknown",
      "autocomplete",
      outcome,
      (performance.now() - started) / 1000,
    );
    return choices;
  }

  /** Lookup statistics for `mesh stats`, with every lookup counted so far. */
  async stats(limit: number) {
    await this.lookups.flush();
    return this.store.lookupStats(limit);
  }

  /**
   * A DM or a mention: answered where it was asked, for everyone there, effectively once per event: claimed,
   * answered, then confirmed; a failed answer gives its claim back for the platform's redelivery.
   */
  private async question(
    inbound: MessageInbound,
    responder: Responder,
    after: After,
  ): Promise<Reply | undefined> {
    if (inbound.fromBot) return undefined;
    const claim = await this.claim(inbound);
    if (claim === "taken") return undefined;
    try {
      const reply = await this.answerOrSay(inbound, parseCommand(inbound.text), responder, HERE, after);
      if (reply !== undefined) {
        await this.deliver(inbound, responder, {
          to: HERE,
          view: presentReply(reply, responder.surface, { visibility: "public", privately: false }),
        });
        await this.announce(reply, inbound.asker, responder);
      }
      await this.settle(inbound, claim, true);
      return reply;
    } catch (error) {
      await this.settle(inbound, claim, false);
      throw error;
    }
  }

  /**
   * `/mesh ...`: private when asked so (Slack always asks); otherwise definitions and related terms are
   * for everyone, and misses, browsing, settings and refusals stay with the asker.
   */
  private async command(
    inbound: CommandInbound,
    responder: Responder,
    after: After,
  ): Promise<Reply | undefined> {
    const command = typeof inbound.command === "string" ? parseCommand(inbound.command) : inbound.command;
    const reply = await this.answerOrSay(inbound, command, responder, ASKER, after);
    if (reply === undefined) return undefined;
    const shared = !inbound.privately && (reply.kind === "definition" || reply.kind === "related");
    await responder.deliver({
      to: shared ? HERE : ASKER,
      view: presentReply(reply, responder.surface, {
        visibility: shared ? "public" : "private",
        privately: inbound.privately,
        echo: shared ? undefined : inbound.echo,
      }),
    });
    await this.announce(reply, inbound.asker, responder);
    return reply;
  }

  /** A click on one of the bot's buttons. A button whose term is gone gets a kind word instead of an error. */
  private async action(inbound: ActionInbound, responder: Responder): Promise<Reply | undefined> {
    const { action, asker, ref } = inbound;
    switch (action.kind) {
      case "approve":
      case "reject": {
        const status = action.kind === "approve" ? "approved" : "rejected";
        const reply = await this.desk.decide(action.proposalId, status, asker, responder);
        if (reply === undefined) return this.stale(inbound, responder);
        // The decision replaced the review message; refusals are for the clicker alone.
        if (reply.kind !== "decided")
          await responder.deliver({ to: ASKER, view: this.privateView(reply, responder) });
        return reply;
      }
      case "propose":
        return this.formOrReply(await this.desk.proposeButton(action.name, responder), responder);
      case "postExplanation": {
        const layers = await this.layersOf(ref);
        const terms = action.termIds.flatMap((id) => layers.all.get(id) ?? []);
        if (terms.length === 0) return this.stale(inbound, responder);
        const reply: Explanation = {
          kind: "explanation",
          mode: "shared",
          terms: terms.map((term) => ({ term, start: 0, end: 0, text: term.term })),
          named: [],
          sharedBy: asker.id,
        };
        await responder.deliver({
          to: HERE,
          view: presentReply(reply, responder.surface, { visibility: "public", privately: true }),
        });
        await responder.dismiss();
        return reply;
      }
      default:
        return this.termAction(inbound, action, responder);
    }
  }

  /** A button about one term: its card, its full text, sharing it, silencing it, editing it. */
  private async termAction(
    inbound: ActionInbound,
    action: Extract<ActionInbound["action"], { termId: string }>,
    responder: Responder,
  ): Promise<Reply | undefined> {
    const { ref, asker, fromPrivate } = inbound;
    const layers = await this.layersOf(ref);
    const term = layers.all.get(action.termId);
    if (term === undefined) return this.stale(inbound, responder);
    const inPlace: Audience = { kind: "asker", replace: fromPrivate };
    const related = relatedTerms(layers.all, term);
    switch (action.kind) {
      case "define": {
        // The very term of the button, even where the team's term of the same name would answer a lookup.
        const reply = definitionOf(layers, term);
        const { privately } = action;
        await responder.deliver({
          to: privately ? inPlace : HERE,
          view: presentReply(reply, responder.surface, {
            visibility: privately ? "private" : "public",
            privately: true,
          }),
        });
        this.count(ref, { termId: term.id });
        return reply;
      }
      case "more":
        await responder.deliver({
          to: inPlace,
          view: cardView(term, related, responder.surface, { visibility: "private", expanded: true }),
        });
        return undefined;
      case "share":
        await responder.deliver({
          to: HERE,
          view: cardView(term, related, responder.surface, {
            visibility: "public",
            expanded: false,
            sharedBy: asker.id,
          }),
        });
        await responder.dismiss();
        return undefined;
      case "silence": {
        const reply = await this.answerOrSay(
          inbound,
          { kind: "silence", query: term.id, silenced: true },
          responder,
          ASKER,
          () => {},
        );
        if (reply === undefined) return undefined;
        await responder.deliver({ to: ASKER, view: this.privateView(reply, responder) });
        return reply;
      }
      case "edit":
        return this.formOrReply(await this.desk.editButton(term.id, ref, responder), responder);
    }
  }

  /** A button that no longer leads anywhere: a kind word for the clicker. */
  private async stale(inbound: ActionInbound, responder: Responder): Promise<undefined> {
    this.logger.info({ ref: inbound.ref, action: inbound.action }, "click on a stale button");
    await responder.deliver({ to: ASKER, view: sentenceView(staleControlText(responder.surface.markup)) });
    return undefined;
  }

  /** Says a reply to the asker, unless a form opened instead (undefined). */
  private async formOrReply(reply: Reply | undefined, responder: Responder): Promise<Reply | undefined> {
    if (reply !== undefined) await responder.deliver({ to: ASKER, view: this.privateView(reply, responder) });
    return reply;
  }

  private privateView(reply: Reply, responder: Responder) {
    return presentReply(reply, responder.surface, { visibility: "private", privately: true });
  }

  /** The glossary layers of the conversation's workspace. */
  private layersOf(ref: ChannelRef): Promise<Layers> {
    return this.glossaries.layers({ platform: ref.platform, workspace: ref.workspace });
  }

  /**
   * Any other message: a threaded explanation when the channel opted in and the policy allows it. Nothing is
   * said while the store fails (whether the channel opted in is not known). A reply that could not be posted
   * gives back its claim and its terms, so a redelivery explains them.
   */
  private async autoExplain(inbound: MessageInbound, responder: Responder): Promise<Explanation | undefined> {
    let found: Awaited<ReturnType<MeshBot["explanationFor"]>>;
    try {
      found = await this.explanationFor(inbound);
    } catch (error) {
      this.storeUnavailable(error, "decide on an auto-explanation");
      this.observer.autoExplain(inbound.ref.platform, "store-unavailable");
      return undefined;
    }
    this.observer.autoExplain(inbound.ref.platform, found.reason);
    if (found.reply === undefined) return undefined;
    const { reply, claim, explained } = found;
    try {
      await this.deliver(inbound, responder, {
        to: { kind: "thread" },
        view: presentReply(reply, responder.surface, { visibility: "public", privately: true }),
      });
    } catch (error) {
      await this.settle(inbound, claim, false, explained);
      throw error;
    }
    await this.settle(inbound, claim, true);
    return reply;
  }

  /** Turning auto-explain on or off is said in the channel, naming who did it. */
  private async announce(reply: Reply, asker: Asker, responder: Responder): Promise<void> {
    if (reply.kind !== "autoExplainSettings" || (reply.change !== "on" && reply.change !== "off")) return;
    await responder.deliver({
      to: { kind: "channel" },
      view: announcementView(reply.enabled, asker.id, responder.surface),
    });
  }

  /** Claims an event for a lease: "taken" for one answered or being answered (Slack retries, a resume). */
  private async claim(inbound: Inbound): Promise<Claim> {
    if (inbound.eventId === undefined) return "untracked";
    try {
      const won = await this.store.claimEvent(
        inbound.ref.platform,
        inbound.eventId,
        this.now(),
        this.claimLeaseMs,
      );
      if (won) return "won";
    } catch (error) {
      this.storeUnavailable(error, "claim an event; answering it without");
      return "untracked";
    }
    this.logger.debug({ eventId: inbound.eventId }, "redelivered event ignored");
    return "taken";
  }

  /**
   * After an answer: confirms the claim when it was delivered; otherwise releases it and the terms claimed
   * for it, so that a redelivery answers. A store failure here is logged, never thrown.
   */
  private async settle(
    inbound: Inbound,
    claim: Claim,
    delivered: boolean,
    explained?: ExplainedClaim,
  ): Promise<void> {
    const { platform } = inbound.ref;
    try {
      if (!delivered && explained !== undefined) {
        await this.store.releaseExplained(inbound.ref, explained.thread, explained.termIds, explained.at);
      }
      if (claim !== "won" || inbound.eventId === undefined) return;
      if (delivered) this.confirmLater(platform, inbound.eventId);
      else await this.store.releaseEvent(platform, inbound.eventId);
    } catch (error) {
      this.storeUnavailable(error, "release an unanswered event");
    }
  }

  /**
   * Records that an event was answered, without holding up its acknowledgement: the answer is out, and until
   * the record lands the claim's lease keeps redeliveries away. (A platform redelivers only what was not
   * acknowledged, so an acknowledged event whose record was lost in a crash is not delivered again.)
   */
  private confirmLater(platform: string, eventId: string): void {
    const work = this.store.confirmEvent(platform, eventId, this.now()).catch((error: unknown) => {
      this.storeUnavailable(error, "confirm an answered event");
    });
    this.confirming.add(work);
    void work.finally(() => this.confirming.delete(work));
  }

  /** Delivers through the responder; a platform failure is counted before it is passed on. */
  private async deliver(
    inbound: Inbound,
    responder: Responder,
    delivery: Parameters<Responder["deliver"]>[0],
  ): Promise<void> {
    try {
      await responder.deliver(delivery);
    } catch (error) {
      this.observer.platformError(inbound.ref.platform);
      throw error;
    }
  }

  /** Logs a store failure as the store's, not the platform's. */
  private storeUnavailable(error: unknown, doing: string): void {
    this.logger.warn({ err: error, component: "store" }, `the store is unavailable: could not ${doing}`);
  }

  /**
   * The answer to a command; when it needed the store and the store failed, says so to `to` instead (the
   * glossary's answers need no store) and resolves undefined. Undefined too when a form opened instead.
   */
  private async answerOrSay(
    inbound: Inbound,
    command: Command,
    responder: Responder,
    to: Audience,
    after: After,
  ): Promise<Reply | undefined> {
    try {
      return await this.answer(inbound.ref, inbound.asker, command, responder, after);
    } catch (error) {
      if (isGlossaryCommand(command)) throw error;
      this.storeUnavailable(error, `answer "${command.kind}"`);
      this.storeFailed.add(inbound);
      await this.deliver(inbound, responder, {
        to,
        view: sentenceView(
          TeamDesk.handles(command) ? TEAM_UNAVAILABLE : SETTINGS_UNAVAILABLE,
          to.kind === "asker" ? "private" : "public",
        ),
      });
      return undefined;
    }
  }

  /**
   * Answers a command for `asker` in `ref`: the workspace's glossary's answer, a change of settings, or a
   * change to the team's terms. Undefined when a form opened instead of an answer.
   */
  private async answer(
    ref: ChannelRef,
    asker: Asker,
    command: Command,
    responder: Responder,
    after: After,
  ): Promise<Reply | undefined> {
    if (command.kind === "autoexplain") return this.autoExplainCommand(ref, asker, command.action);
    if (TeamDesk.handles(command)) return this.desk.command(command, ref, asker, responder, after);
    const layers = await this.layersOf(ref);
    if (command.kind === "silence")
      return this.silenceCommand(ref, asker, command.query, command.silenced, layers);
    if (!isGlossaryCommand(command)) return undefined;
    const reply =
      command.kind === "define"
        ? defineIn(layers, command.query)
        : answerGlossaryCommand(layers.all, command);
    // Counted in memory, written in batches (lookup-tally.ts).
    if (reply.kind === "definition") {
      this.observer.lookup(true);
      this.count(ref, { termId: reply.term.id });
    } else if (reply.kind === "notFound" && reply.query !== "") {
      this.observer.lookup(false);
      this.count(ref, { missedQuery: reply.query.slice(0, MAX_STORED_QUERY) });
    }
    return reply;
  }

  /** Every term in a message, with no policy applied: the "Explain this message" action. */
  private explainText(layers: Layers, text: string): Explanation {
    return { kind: "explanation", mode: "requested", terms: detectJargon(layers.detection, text), named: [] };
  }

  /**
   * Decides whether a channel message gets a threaded explanation, claims the event and records what it
   * explains; says why not otherwise.
   */
  private async explanationFor(message: MessageInbound): Promise<{
    reply?: Explanation;
    reason: string;
    claim: Claim;
    explained?: ExplainedClaim;
  }> {
    let claim: Claim = "untracked";
    if (message.fromBot) return { reason: "from-bot", claim };
    const now = this.now();
    const { ref } = message;
    const thread = message.thread ?? "";
    const [channel, layers] = await Promise.all([
      this.store.channel(ref, this.enabledByDefault(ref)),
      this.layersOf(ref),
    ]);
    if (!channel.autoExplain) return { reason: "channel-off", claim };
    const detected = detectJargon(layers.detection, message.text);
    if (detected.length === 0) return { reason: "no-terms", claim };
    // A thread this message starts has nothing in it yet but what this very event claimed before its claimant
    // died; without a cooldown the claim gives those back by itself, so there is nothing to read, and the
    // event and its terms are claimed together once the policy has chosen them.
    const fresh = message.startsThread === true && this.settings.cooldownMs <= 0;
    if (fresh && message.eventId !== undefined) {
      return this.explainNewThread(message, message.eventId, channel, detected, now, thread);
    }
    // What the thread and the channel already had is read while the event is claimed: one round trip less.
    const state = Promise.all([
      this.store.isMuted(ref.platform, ref.workspace, message.asker.id),
      fresh ? new Set<string>() : this.store.explainedInThread(ref, thread),
      // Without a cooldown, when a term was last explained in the channel decides nothing.
      this.settings.cooldownMs > 0
        ? this.store.lastExplained(
            ref,
            detected.map((d) => d.term.id),
          )
        : new Map<string, number>(),
    ]);
    state.catch(() => {}); // awaited below, unless the event was taken
    claim = await this.claim(message);
    if (claim === "taken") return { reason: "redelivered", claim };
    try {
      return await this.decideAndClaimTerms(message, channel, detected, claim, now, thread, await state);
    } catch (error) {
      await this.settle(message, claim, false);
      throw error;
    }
  }

  /**
   * A message that starts its thread, without a cooldown: the policy chooses from what the message says alone,
   * then the event and the chosen terms are claimed in one step. A message that gets no explanation claims
   * nothing: there is no answer to keep from being said twice.
   */
  private async explainNewThread(
    message: MessageInbound,
    eventId: string,
    channel: ChannelSettings,
    detected: ReturnType<typeof detectJargon>,
    now: number,
    thread: string,
  ): Promise<{ reply?: Explanation; reason: string; claim: Claim; explained?: ExplainedClaim }> {
    const { ref } = message;
    const decision = decideAutoExplain(
      { detected, fromBot: message.fromBot },
      {
        channelEnabled: true,
        silenced: new Set(channel.silenced),
        authorMuted: await this.store.isMuted(ref.platform, ref.workspace, message.asker.id),
        explainedInThread: new Set(),
        lastExplainedInChannel: new Map(),
      },
      this.settings,
      now,
    );
    if (!decision.explain) {
      this.logger.debug({ channel: ref.channel, reason: decision.reason }, "auto-explain skipped");
      return { reason: decision.reason, claim: "untracked" };
    }
    const { won, terms: claimedIds } = await this.store.claimEventAndTerms(
      { platform: ref.platform, eventId, at: now, leaseMs: this.claimLeaseMs },
      ref,
      thread,
      decision.terms.map((d) => d.term.id),
    );
    if (!won) {
      this.logger.debug({ eventId }, "redelivered event ignored");
      return { reason: "redelivered", claim: "taken" };
    }
    return this.explainClaimed(message, "won", decision, claimedIds, thread, now);
  }

  private async decideAndClaimTerms(
    message: MessageInbound,
    channel: ChannelSettings,
    detected: ReturnType<typeof detectJargon>,
    claim: Claim,
    now: number,
    thread: string,
    [authorMuted, everExplainedInThread, lastExplained]: [boolean, Set<string>, Map<string, number>],
  ): Promise<{ reply?: Explanation; reason: string; claim: Claim; explained?: ExplainedClaim }> {
    const { ref } = message;
    // Terms this very event claimed before its claimant died are its own (a redelivery taking over): neither
    // their place in the thread nor their cooldown is a reason to stay quiet. Asked only when it can matter.
    const takeOver = claim === "won" && everExplainedInThread.size > 0 ? message.eventId : undefined;
    const explainedInThread =
      takeOver === undefined
        ? everExplainedInThread
        : await this.store.explainedInThread(ref, thread, takeOver);
    const lastExplainedInChannel = new Map(
      [...lastExplained].filter(([id]) => explainedInThread.has(id) || !everExplainedInThread.has(id)),
    );
    const decision = decideAutoExplain(
      { detected, fromBot: message.fromBot },
      {
        channelEnabled: true,
        silenced: new Set(channel.silenced),
        authorMuted,
        explainedInThread,
        lastExplainedInChannel,
      },
      this.settings,
      now,
    );
    if (!decision.explain) {
      this.logger.debug({ channel: ref.channel, reason: decision.reason }, "auto-explain skipped");
      await this.settle(message, claim, true);
      return { reason: decision.reason, claim };
    }
    const claimedIds = await this.store.claimExplained(
      ref,
      thread,
      decision.terms.map((d) => d.term.id),
      now,
      this.settings.cooldownMs,
      claim === "won" ? message.eventId : undefined,
    );
    return this.explainClaimed(message, claim, decision, claimedIds, thread, now);
  }

  /**
   * The explanation of the chosen terms this replica claimed: another replica may have explained some of them
   * a moment ago. With none left, the event is settled as answered and nothing is said.
   */
  private async explainClaimed(
    message: MessageInbound,
    claim: Claim,
    decision: Extract<AutoExplainDecision, { explain: true }>,
    claimedIds: string[],
    thread: string,
    now: number,
  ): Promise<{ reply?: Explanation; reason: string; claim: Claim; explained?: ExplainedClaim }> {
    const claimed = new Set(claimedIds);
    const terms = decision.terms.filter((d) => claimed.has(d.term.id));
    if (terms.length === 0) {
      await this.settle(message, claim, true);
      return { reason: "claimed-elsewhere", claim };
    }
    return {
      reply: { kind: "explanation", mode: "auto", terms, named: decision.named },
      reason: "explained",
      claim,
      explained: { thread, termIds: [...claimed], at: now },
    };
  }

  private async autoExplainCommand(ref: ChannelRef, asker: Asker, action: AutoExplainAction): Promise<Reply> {
    const now = this.now();
    let channel: ChannelSettings;
    if (action === "on" || action === "off") {
      if (!asker.canManageChannel)
        return { kind: "denied", action: `autoexplain ${action}`, permission: "manage" };
      channel = await this.store.setAutoExplain(ref, action === "on", asker.id, now);
    } else {
      if (action === "mute" || action === "unmute") {
        await this.store.setMuted(ref.platform, ref.workspace, asker.id, action === "mute", now);
      }
      channel = await this.store.channel(ref, this.enabledByDefault(ref));
    }
    return this.settingsReply(ref, asker, channel, action, await this.layersOf(ref));
  }

  private async silenceCommand(
    ref: ChannelRef,
    asker: Asker,
    query: string,
    silenced: boolean,
    layers: Layers,
  ): Promise<Reply> {
    const result = lookupTerm(layers.all, query);
    if (!result.found) {
      return {
        kind: "notFound",
        query: result.query,
        reason: result.reason,
        suggestions: result.suggestions,
      };
    }
    if (!asker.canManageChannel) {
      return {
        kind: "denied",
        action: `autoexplain ${silenced ? "silence" : "unsilence"}`,
        permission: "manage",
      };
    }
    await this.store.setSilenced(ref, result.term.id, silenced, asker.id, this.now());
    const channel = await this.store.channel(ref, this.enabledByDefault(ref));
    return {
      ...(await this.settingsReply(ref, asker, channel, silenced ? "silence" : "unsilence", layers)),
      term: result.term,
    };
  }

  private async settingsReply(
    ref: ChannelRef,
    asker: Asker,
    channel: ChannelSettings,
    change: Extract<Reply, { kind: "autoExplainSettings" }>["change"],
    layers: Layers,
  ): Promise<Extract<Reply, { kind: "autoExplainSettings" }>> {
    const userMuted = await this.store.isMuted(ref.platform, ref.workspace, asker.id);
    return {
      kind: "autoExplainSettings",
      change,
      enabled: channel.autoExplain,
      userMuted,
      silenced: channel.silenced.flatMap((id) => layers.all.get(id) ?? []),
      changedBy: channel.changedBy,
      changedAt: channel.changedAt,
    };
  }

  private count(ref: ChannelRef, result: LookupResult): void {
    this.lookups.add({ platform: ref.platform, workspace: ref.workspace }, result, this.now());
  }
}

/** How a request ended, from the reply it got. */
function outcomeOf(reply: Reply | undefined): RequestOutcome {
  if (reply?.kind === "notFound" || reply?.kind === "noTeamTerm") return "not_found";
  if (reply?.kind === "denied") return "refused";
  return "ok";
}
