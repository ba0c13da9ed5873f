/**
 * The action ids of every button the bot renders, and how a button's value carries what the click needs
 * (Slack keeps no state for us; ephemeral messages are not even sent back with the click).
 */

/** Action ids. A numeric suffix (`mesh_define_3`) keeps ids unique within a message. */
export const ACTION = Object.freeze({
  /** On a private card: replace it with the full text. */
  more: "mesh_more",
  /** On a private card: replace it with another term's card (related terms, "did you mean"). */
  define: "mesh_define",
  /** On a private card: post the term in the channel and remove the private card. */
  share: "mesh_share",
  /** URL buttons (sources): Slack still sends a click, which only needs an ack. */
  source: "mesh_source",
  /** On a public message: answer the clicker privately with the full text. */
  peekMore: "mesh_peek_more",
  /** On a public message: answer the clicker privately with another term's card. */
  peekDefine: "mesh_peek_define",
  /** On an auto-explain reply: mark a term "not jargon here" in this channel. */
  silence: "mesh_silence",
});

export type ActionName = keyof typeof ACTION;

/** Matches an action id with or without its numeric suffix. */
export function actionPattern(name: ActionName): RegExp {
  return new RegExp(`^${ACTION[name]}(?:_\\d+)?$`);
}

/** An action id with a suffix that keeps it unique within one message. */
export function actionId(name: ActionName, index?: number): string {
  return index === undefined ? ACTION[name] : `${ACTION[name]}_${index}`;
}

/** The callback id of the "Explain this message" message shortcut (also in manifest.yaml). */
export const EXPLAIN_SHORTCUT = "explain_message";

/** The slash command (also in manifest.yaml). */
export const SLASH_COMMAND = "/mesh";

/** What a button click needs: a term id and, when known, the thread the conversation is in. */
export interface ButtonRef {
  readonly termId: string;
  readonly thread?: string;
}

/** Encodes a ButtonRef as a button value ("term-id" or "term-id thread-ts"). */
export function encodeRef(ref: ButtonRef): string {
  return ref.thread === undefined ? ref.termId : `${ref.termId} ${ref.thread}`;
}

/** Decodes a button value; undefined when it is not one of ours. */
export function decodeRef(value: string | undefined): ButtonRef | undefined {
  if (value === undefined) return undefined;
  const [termId = "", thread, ...rest] = value.split(" ");
  if (!/^[a-z0-9][a-z0-9-]{0,120}$/.test(termId) || rest.length > 0) return undefined;
  if (thread !== undefined && !/^\d{1,12}\.\d{1,9}$/.test(thread)) return { termId };
  return thread === undefined ? { termId } : { termId, thread };
}
