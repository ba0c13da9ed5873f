import {
  type AutoExplainAction,
  answerGlossaryCommand,
  type Command,
  parseCommand,
  type Reply,
} from "../core/command.js";
import { detectJargon } from "../core/detect.js";
import type { Glossary } from "../core/glossary.js";
import { lookupTerm } from "../core/lookup.js";
import type { ChannelRef } from "../core/place.js";
import { type AutoExplainSettings, decideAutoExplain } from "../core/policy.js";
import type { Logger } from "../logger.js";
import type { ChannelSettings, Store } from "../store/store.js";

/** Who asked, and what they may change. */
export interface Asker {
  /** Platform user id. */
  readonly id: string;
  /** May turn auto-explain on or off and silence terms here (Discord: Manage Channels). */
  readonly canManageChannel: boolean;
}

/** A message seen in a channel, reduced to what auto-explain needs. */
export interface IncomingMessage {
  readonly ref: ChannelRef;
  /** The thread the reply belongs in: the parent's id, or the message's own id when it starts one. */
  readonly thread: string;
  readonly user: string;
  readonly fromBot: boolean;
  readonly text: string;
  /** The platform's id for this delivery, so a redelivered event is handled once. */
  readonly eventId?: string;
}

export interface MeshBotOptions {
  readonly glossary: Glossary;
  readonly store: Store;
  readonly logger: Logger;
  readonly autoExplain: AutoExplainSettings;
  /** Whether a channel nobody configured has auto-explain on (the terminal: yes; chat platforms: no). */
  readonly enabledByDefault?: (ref: ChannelRef) => boolean;
  readonly now?: () => number;
}

/** The longest query kept in lookup statistics. */
const MAX_STORED_QUERY = 100;

/**
 * The platform-neutral bot: commands, questions and auto-explain over one glossary and one store. Adapters
 * turn platform events into calls here and render the replies.
 */
export class MeshBot {
  readonly glossary: Glossary;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly settings: AutoExplainSettings;
  private readonly enabledByDefault: (ref: ChannelRef) => boolean;
  private readonly now: () => number;

  constructor(options: MeshBotOptions) {
    this.glossary = options.glossary;
    this.store = options.store;
    this.logger = options.logger;
    this.settings = options.autoExplain;
    this.enabledByDefault = options.enabledByDefault ?? (() => false);
    this.now = options.now ?? Date.now;
  }

  /** Answers a `/mesh ...` command or a question put to the bot ("@mesh what is mTLS?"). */
  async command(ref: ChannelRef, asker: Asker, text: string): Promise<Reply> {
    return this.run(ref, asker, parseCommand(text));
  }

  /** Runs a parsed command; platforms with structured commands (Discord options) call this directly. */
  async run(ref: ChannelRef, asker: Asker, command: Command): Promise<Reply> {
    switch (command.kind) {
      case "autoexplain":
        return this.autoExplainCommand(ref, asker, command.action);
      case "silence":
        return this.silenceCommand(ref, asker, command.query, command.silenced);
      default: {
        const reply = answerGlossaryCommand(this.glossary, command);
        // Counting is not part of the answer: it never delays one (a PostgreSQL round trip would).
        if (reply.kind === "definition") void this.count({ termId: reply.term.id });
        else if (reply.kind === "notFound" && reply.query !== "") {
          void this.count({ missedQuery: reply.query.slice(0, MAX_STORED_QUERY) });
        }
        return reply;
      }
    }
  }

  /** Every term in a message, with no policy applied: the "Explain this message" action. */
  explainText(text: string): Reply {
    return { kind: "explanation", mode: "requested", terms: detectJargon(this.glossary, text), named: [] };
  }

  /** Decides whether a channel message gets a threaded explanation, and records what it explains. */
  async message(message: IncomingMessage): Promise<Extract<Reply, { kind: "explanation" }> | undefined> {
    if (message.fromBot) return undefined;
    const now = this.now();
    const { ref } = message;
    const channel = await this.store.channel(ref, this.enabledByDefault(ref));
    if (!channel.autoExplain) return undefined;
    const detected = detectJargon(this.glossary, message.text);
    if (detected.length === 0) return undefined;
    if (message.eventId !== undefined && !(await this.store.claimEvent(ref.platform, message.eventId, now))) {
      this.logger.debug({ eventId: message.eventId }, "redelivered message ignored");
      return undefined;
    }
    const ids = detected.map((d) => d.term.id);
    const [authorMuted, explainedInThread, lastExplainedInChannel] = await Promise.all([
      this.store.isMuted(ref.platform, ref.workspace, message.user),
      this.store.explainedInThread(ref, message.thread),
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
        message.thread,
        decision.terms.map((d) => d.term.id),
        now,
        this.settings.cooldownMs,
      ),
    );
    const terms = decision.terms.filter((d) => claimed.has(d.term.id));
    if (terms.length === 0) return undefined;
    return { kind: "explanation", mode: "auto", terms, named: decision.named };
  }

  /**
   * True the first time a platform delivers an event id; false for a redelivery (Slack retries, a Discord
   * resume replaying events), so the bot never answers twice.
   */
  async firstDelivery(platform: string, eventId: string): Promise<boolean> {
    return this.store.claimEvent(platform, eventId, this.now());
  }

  /** Lookup statistics for `mesh stats`. */
  stats(limit: number) {
    return this.store.lookupStats(limit);
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
    return this.settingsReply(ref, asker, channel, action);
  }

  private async silenceCommand(
    ref: ChannelRef,
    asker: Asker,
    query: string,
    silenced: boolean,
  ): Promise<Reply> {
    const result = lookupTerm(this.glossary, query);
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
      ...(await this.settingsReply(ref, asker, channel, silenced ? "silence" : "unsilence")),
      term: result.term,
    };
  }

  private async settingsReply(
    ref: ChannelRef,
    asker: Asker,
    channel: ChannelSettings,
    change: Extract<Reply, { kind: "autoExplainSettings" }>["change"],
  ): Promise<Extract<Reply, { kind: "autoExplainSettings" }>> {
    const userMuted = await this.store.isMuted(ref.platform, ref.workspace, asker.id);
    return {
      kind: "autoExplainSettings",
      change,
      enabled: channel.autoExplain,
      userMuted,
      silenced: channel.silenced.flatMap((id) => this.glossary.get(id) ?? []),
      changedBy: channel.changedBy,
      changedAt: channel.changedAt,
    };
  }

  private async count(result: { termId: string } | { missedQuery: string }): Promise<void> {
    try {
      await this.store.recordLookup(result, this.now());
    } catch (error) {
      // Statistics are a nicety: a failing store must not cost the asker their answer.
      this.logger.warn({ err: error }, "could not record lookup statistics");
    }
  }
}
