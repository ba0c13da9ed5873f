import type { DetectedTerm } from "./detect.js";

/** What the store knows that bears on one message. */
export interface AutoExplainState {
  /** The channel opted in (`autoexplain on`). */
  readonly channelEnabled: boolean;
  /** Term ids this channel marked "not jargon here". */
  readonly silenced: ReadonlySet<string>;
  /** The author asked for their own messages not to be explained (`autoexplain mute`). */
  readonly authorMuted: boolean;
  /** Term ids already explained in this thread. */
  readonly explainedInThread: ReadonlySet<string>;
  /** When each term was last explained in this channel (ms since epoch). */
  readonly lastExplainedInChannel: ReadonlyMap<string, number>;
}

/** The message being considered. */
export interface AutoExplainMessage {
  readonly detected: readonly DetectedTerm[];
  /** Written by a bot, this one included, or by an integration. */
  readonly fromBot: boolean;
}

/** Tuning of the policy. */
export interface AutoExplainSettings {
  /** How long a channel does not hear the same term explained again, in ms. 0 turns the cooldown off. */
  readonly cooldownMs: number;
  /** Terms defined in one reply; further terms are only named. */
  readonly maxTerms: number;
}

export type AutoExplainSkip =
  | "channel-off"
  | "from-bot"
  | "author-muted"
  | "no-terms"
  | "already-explained"
  | "everyday-only";

/** Either the terms of one threaded reply, or the reason for staying quiet. */
export type AutoExplainDecision =
  | {
      readonly explain: true;
      /** Terms to define, in order of appearance. */
      readonly terms: readonly DetectedTerm[];
      /** Further new terms, named but not defined, beyond `maxTerms`. */
      readonly named: readonly DetectedTerm[];
    }
  | { readonly explain: false; readonly reason: AutoExplainSkip };

/**
 * Decides what to explain unprompted about one message. Rules, in order:
 * only channels that opted in; never bots; never authors who muted themselves; terms marked
 * `autoExplain: false` or silenced in the channel are left out; each term once per thread; each term once per
 * channel cooldown; everyday words (container, latency...) only alongside a real jargon term that is explained
 * in the same reply, never on their own; at most `maxTerms` defined, the rest named.
 */
export function decideAutoExplain(
  message: AutoExplainMessage,
  state: AutoExplainState,
  settings: AutoExplainSettings,
  now: number,
): AutoExplainDecision {
  if (!state.channelEnabled) return { explain: false, reason: "channel-off" };
  if (message.fromBot) return { explain: false, reason: "from-bot" };
  if (state.authorMuted) return { explain: false, reason: "author-muted" };
  const eligible = message.detected.filter((d) => d.term.autoExplain && !state.silenced.has(d.term.id));
  if (eligible.length === 0) return { explain: false, reason: "no-terms" };
  const fresh = eligible.filter((d) => {
    if (state.explainedInThread.has(d.term.id)) return false;
    const last = state.lastExplainedInChannel.get(d.term.id);
    return last === undefined || settings.cooldownMs <= 0 || now - last >= settings.cooldownMs;
  });
  if (fresh.length === 0) return { explain: false, reason: "already-explained" };
  if (!fresh.some((d) => !d.term.everyday)) return { explain: false, reason: "everyday-only" };
  // Jargon first so the everyday words never crowd a real term out of the defined set.
  const ranked = [...fresh.filter((d) => !d.term.everyday), ...fresh.filter((d) => d.term.everyday)];
  const chosen = new Set(ranked.slice(0, Math.max(1, settings.maxTerms)));
  return {
    explain: true,
    terms: fresh.filter((d) => chosen.has(d)),
    named: fresh.filter((d) => !chosen.has(d)),
  };
}
