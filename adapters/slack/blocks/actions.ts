import type { BotAction } from "../../../src/present/view.js";

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
  /** On a team term's card: open the form that edits it. */
  edit: "mesh_edit",
  /** Under a miss: open the form that adds the term. */
  propose: "mesh_propose",
  /** On a proposal: a maintainer's decision. */
  approve: "mesh_approve",
  reject: "mesh_reject",
  /** On a private "Explain this message" answer: post it in the message's thread. */
  postExplanation: "mesh_post_explanation",
});

export type ActionName = keyof typeof ACTION;

/** Matches the action id of any button of the bot. */
export const ANY_ACTION = /^mesh_[a-z_]+?(?:_\d+)?$/;

const NAME_OF_ID: ReadonlyMap<string, ActionName> = new Map(
  Object.entries(ACTION).map(([name, id]) => [id, name as ActionName]),
);

/** Which button an action id belongs to, with or without its numeric suffix; undefined for none of ours. */
export function actionNameOf(actionId: string): ActionName | undefined {
  return NAME_OF_ID.get(actionId.replace(/_\d+$/, ""));
}

/** An action id with a suffix that keeps it unique within one message. */
export function actionId(name: ActionName, index?: number): string {
  return index === undefined ? ACTION[name] : `${ACTION[name]}_${index}`;
}

/** The callback id of the modal that adds or edits a team term. */
export const TERM_FORM = "mesh_term_form";

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

/** The Slack action and button value of a neutral button, on a private card or a public message. */
export function encodeAction(
  action: BotAction,
  audience: "private" | "public",
  thread: string | undefined,
): { name: ActionName; value: string } {
  const ref = (termId: string) => encodeRef(thread === undefined ? { termId } : { termId, thread });
  switch (action.kind) {
    case "define":
      return { name: audience === "private" ? "define" : "peekDefine", value: ref(action.termId) };
    case "more":
      return { name: audience === "private" ? "more" : "peekMore", value: ref(action.termId) };
    case "share":
    case "silence":
    case "edit":
      return { name: action.kind, value: ref(action.termId) };
    case "propose":
      return { name: "propose", value: action.name };
    case "approve":
    case "reject":
      return { name: action.kind, value: action.proposalId };
    case "postExplanation":
      return {
        name: "postExplanation",
        value: `${action.termIds.join(",")}${thread === undefined ? "" : ` ${thread}`}`,
      };
  }
}

const TERM_ID = /^[a-z0-9][a-z0-9-]{0,120}$/;

/**
 * The neutral action of a click, from its action name and value; undefined for a value this version did not
 * write. `fromPrivate` says whether the button sat on a private card.
 */
export function decodeAction(
  name: Exclude<ActionName, "source">,
  value: string | undefined,
): { action: BotAction; thread: string | undefined } | undefined {
  switch (name) {
    case "define":
    case "peekDefine":
    case "more":
    case "peekMore":
    case "share":
    case "silence":
    case "edit": {
      const ref = decodeRef(value);
      if (ref === undefined) return undefined;
      const kind = name === "peekDefine" ? "define" : name === "peekMore" ? "more" : name;
      // Slack answers every click privately; sharing is its own button.
      const action: BotAction =
        kind === "define" ? { kind, termId: ref.termId, privately: true } : { kind, termId: ref.termId };
      return { action, thread: ref.thread };
    }
    case "propose":
      return value === undefined || value.trim() === ""
        ? undefined
        : { action: { kind: "propose", name: value.slice(0, 200) }, thread: undefined };
    case "approve":
    case "reject":
      return value !== undefined && /^[a-f0-9]{32}$/.test(value)
        ? { action: { kind: name, proposalId: value }, thread: undefined }
        : undefined;
    case "postExplanation": {
      const [ids = "", thread] = (value ?? "").split(" ");
      const termIds = ids.split(",").filter((id) => TERM_ID.test(id));
      if (termIds.length === 0) return undefined;
      return {
        action: { kind: "postExplanation", termIds },
        thread: thread !== undefined && /^\d{1,12}\.\d{1,9}$/.test(thread) ? thread : undefined,
      };
    }
  }
}
