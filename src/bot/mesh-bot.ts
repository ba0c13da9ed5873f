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
import { type AutoExplainSettings, decideAutoExplain } from "../core/policy.js";
import type { Term } from "../core/types.js";
import type { Logger } from "../logger.js";
import { sessionStatusText, staleControlText } from "../present/messages.js";
import { announcementView, cardView, presentReply, sentenceView } from "../present/present.js";
import type { ChannelSettings, Store } from "../store/store.js";
import type { Asker, Audience, BotHandle, Inbound, Responder, TermChoice } from "./conversation.js";
import { WorkspaceGlossaries } from "./glossaries.js";
import { type After, TeamDesk } from "./team-desk.js";

export type { Asker } from "./conversation.js";

type Explanation = Extract<Reply, { kind: "explanation" }>;

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
}

/** The longest query kept in lookup statistics. */
const MAX_STORED_QUERY = 100;

const ASKER: Audience = { kind: "asker", replace: false };
const HERE: Audience = { kind: "here" };

/**
 * The platform-neutral bot. It owns the conversation: adapters hand it one `Inbound` value per platform
 * event, and it routes it (question, channel message, command, button, "explain this message"), drops
 * redeliveries, applies the auto-explain policy, decides who sees the answer and what is announced, and
 * delivers views through the adapter's responder.
 */
export class MeshBot implements BotHandle {
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly settings: AutoExplainSettings;
  private readonly enabledByDefault: (ref: ChannelRef) => boolean;
  private readonly now: () => number;
  private readonly glossaries: WorkspaceGlossaries;
  private readonly desk: TeamDesk;

  constructor(options: MeshBotOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.settings = options.autoExplain;
    this.enabledByDefault = options.enabledByDefault ?? (() => false);
    this.now = options.now ?? Date.now;
    this.glossaries = new WorkspaceGlossaries(options.glossary, options.store.team, options.logger);
    this.desk = new TeamDesk({
      store: options.store.team,
      glossaries: this.glossaries,
      logger: options.logger,
      maintainers: options.maintainers ?? new Set(),
      now: this.now,
    });
  }

  /** The bundled glossary every workspace's team terms are layered over. */
  get glossary(): Glossary {
    return this.glossaries.bundled;
  }

  /** Serves new bundled content (a reloaded CONTENT) from now on, team terms kept. */
  replaceGlossary(glossary: Glossary): void {
    this.glossaries.replaceBundled(glossary);
  }

  /** Stops listening for changes to team terms. */
  close(): void {
    this.glossaries.close();
  }

  async receive(inbound: Inbound, responder: Responder): Promise<Reply | undefined> {
    // Some answers leave work for after the asker has heard (a proposal put before its reviewers).
    const pending: (() => Promise<void>)[] = [];
    const reply = await this.route(inbound, responder, (work) => pending.push(work));
    for (const work of pending) await work();
    return reply;
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
        const channel = await this.store.channel(inbound.ref, this.enabledByDefault(inbound.ref));
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
    const glossary = ref === undefined ? this.glossary : (await this.layersOf(ref)).all;
    return completeTerm(glossary, input, limit).map(({ term, via }) => ({
      label: via === undefined ? term.term : `${term.term} (${via})`,
      termId: term.id,
    }));
  }

  /** Lookup statistics for `mesh stats`. */
  stats(limit: number) {
    return this.store.lookupStats(limit);
  }

  /** A DM or a mention: answered where it was asked, for everyone there, once per event. */
  private async question(
    inbound: MessageInbound,
    responder: Responder,
    after: After,
  ): Promise<Reply | undefined> {
    if (inbound.fromBot) return undefined;
    if (!(await this.firstDelivery(inbound))) return undefined;
    const reply = await this.answer(inbound.ref, inbound.asker, parseCommand(inbound.text), responder, after);
    if (reply === undefined) return undefined;
    await responder.deliver({
      to: HERE,
      view: presentReply(reply, responder.surface, { visibility: "public", privately: false }),
    });
    await this.announce(reply, inbound.asker, responder);
    return reply;
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
    const reply = await this.answer(inbound.ref, inbound.asker, command, responder, after);
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
        void this.count(ref, { termId: term.id });
        const { privately } = action;
        await responder.deliver({
          to: privately ? inPlace : HERE,
          view: presentReply(reply, responder.surface, {
            visibility: privately ? "private" : "public",
            privately: true,
          }),
        });
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
        const reply = await this.silenceCommand(ref, asker, term.id, true, layers);
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

  /** Any other message: a threaded explanation when the channel opted in and the policy allows it. */
  private async autoExplain(inbound: MessageInbound, responder: Responder): Promise<Explanation | undefined> {
    const reply = await this.explanationFor(inbound);
    if (reply === undefined) return undefined;
    await responder.deliver({
      to: { kind: "thread" },
      view: presentReply(reply, responder.surface, { visibility: "public", privately: true }),
    });
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

  /** False for an event id seen before (Slack retries, a Discord resume replaying events). */
  private async firstDelivery(inbound: Inbound): Promise<boolean> {
    if (inbound.eventId === undefined) return true;
    if (await this.store.claimEvent(inbound.ref.platform, inbound.eventId, this.now())) return true;
    this.logger.debug({ eventId: inbound.eventId }, "redelivered event ignored");
    return false;
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
    // Counting is not part of the answer: it never delays one (a PostgreSQL round trip would).
    if (reply.kind === "definition") void this.count(ref, { termId: reply.term.id });
    else if (reply.kind === "notFound" && reply.query !== "") {
      void this.count(ref, { missedQuery: reply.query.slice(0, MAX_STORED_QUERY) });
    }
    return reply;
  }

  /** Every term in a message, with no policy applied: the "Explain this message" action. */
  private explainText(layers: Layers, text: string): Explanation {
    return { kind: "explanation", mode: "requested", terms: detectJargon(layers.detection, text), named: [] };
  }

  /** Decides whether a channel message gets a threaded explanation, and records what it explains. */
  private async explanationFor(message: MessageInbound): Promise<Explanation | undefined> {
    if (message.fromBot) return undefined;
    const now = this.now();
    const { ref } = message;
    const thread = message.thread ?? "";
    const [channel, layers] = await Promise.all([
      this.store.channel(ref, this.enabledByDefault(ref)),
      this.layersOf(ref),
    ]);
    if (!channel.autoExplain) return undefined;
    const detected = detectJargon(layers.detection, message.text);
    if (detected.length === 0) return undefined;
    if (!(await this.firstDelivery(message))) return undefined;
    const ids = detected.map((d) => d.term.id);
    const [authorMuted, explainedInThread, lastExplainedInChannel] = await Promise.all([
      this.store.isMuted(ref.platform, ref.workspace, message.asker.id),
      this.store.explainedInThread(ref, thread),
      this.store.lastExplained(ref, ids),
    ]);
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
      return undefined;
    }
    // Another replica may have explained some of these a moment ago: keep only what this one claimed.
    const claimed = new Set(
      await this.store.claimExplained(
        ref,
        thread,
        decision.terms.map((d) => d.term.id),
        now,
        this.settings.cooldownMs,
      ),
    );
    const terms = decision.terms.filter((d) => claimed.has(d.term.id));
    if (terms.length === 0) return undefined;
    return { kind: "explanation", mode: "auto", terms, named: decision.named };
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

  private async count(ref: ChannelRef, result: { termId: string } | { missedQuery: string }): Promise<void> {
    try {
      await Promise.all([this.store.recordLookup(result, this.now()), this.desk.recordLookup(ref, result)]);
    } catch (error) {
      // Statistics are a nicety: a failing store must not cost the asker their answer.
      this.logger.warn({ err: error }, "could not record lookup statistics");
    }
  }
}
