import type { BotAction } from "../../../src/bot/conversation.js";
import type { FormContext } from "../../../src/present/view.js";
import { DISCORD_LIMITS } from "../render/limits.js";

/**
 * What a button asks the bot for, encoded in its custom_id (at most 100 characters) so that any replica can
 * answer a click without remembering the message:
 *
 * - `mesh:more:<term id>`, `mesh:def:<p|e>:<term id>` (p: answer in public, e: privately), `mesh:nj:<term id>`
 *   ("Not jargon here"), `mesh:ed:<term id>` (edit a team term);
 * - `mesh:pr:<name>` (propose a term that was not found), `mesh:ap:<proposal>` and `mesh:rj:<proposal>`;
 * - `mesh:px:<term id>,<term id>...:<message id>` (post an explanation in the thread of the message it
 *   explains; without the message id, in the channel).
 */
const PREFIX = "mesh";
const TERM_ID = /^[a-z0-9][a-z0-9-]*$/;
const PROPOSAL_ID = /^[a-f0-9]{32}$/;
const SNOWFLAKE = /^\d{1,20}$/;

/**
 * The custom_id for an action, or undefined when it would not fit Discord's 100 characters. `explained`: the
 * message an explanation is about, carried by "Post in thread" (which names fewer terms rather than none when
 * all would not fit).
 */
export function encodeButton(
  action: Exclude<BotAction, { kind: "share" }>,
  explained?: string,
): string | undefined {
  if (action.kind === "postExplanation") {
    const suffix = explained === undefined ? "" : `:${explained}`;
    for (let n = action.termIds.length; n > 0; n--) {
      const id = `${PREFIX}:px:${action.termIds.slice(0, n).join(",")}${suffix}`;
      if (id.length <= DISCORD_LIMITS.customId) return id;
    }
    return undefined;
  }
  const id = (() => {
    switch (action.kind) {
      case "more":
        return `${PREFIX}:more:${action.termId}`;
      case "define":
        return `${PREFIX}:def:${action.privately ? "e" : "p"}:${action.termId}`;
      case "silence":
        return `${PREFIX}:nj:${action.termId}`;
      case "edit":
        return `${PREFIX}:ed:${action.termId}`;
      case "propose":
        return `${PREFIX}:pr:${action.name}`;
      case "approve":
        return `${PREFIX}:ap:${action.proposalId}`;
      case "reject":
        return `${PREFIX}:rj:${action.proposalId}`;
    }
  })();
  return id.length <= DISCORD_LIMITS.customId ? id : undefined;
}

/** Reads a custom_id back; undefined for anything this version did not write. */
export function decodeButton(customId: string): BotAction | undefined {
  const parts = customId.split(":");
  if (parts[0] !== PREFIX) return undefined;
  const [, kind, a, b] = parts;
  const rest = parts.slice(2).join(":");
  const one = a !== undefined && b === undefined;
  switch (kind) {
    case "more":
      return one && TERM_ID.test(a) ? { kind: "more", termId: a } : undefined;
    case "nj":
      return one && TERM_ID.test(a) ? { kind: "silence", termId: a } : undefined;
    case "ed":
      return one && TERM_ID.test(a) ? { kind: "edit", termId: a } : undefined;
    case "def":
      return (a === "p" || a === "e") && b !== undefined && parts.length === 4 && TERM_ID.test(b)
        ? { kind: "define", termId: b, privately: a === "e" }
        : undefined;
    case "pr":
      return rest.trim() === "" ? undefined : { kind: "propose", name: rest };
    case "ap":
    case "rj":
      return one && PROPOSAL_ID.test(a)
        ? { kind: kind === "ap" ? "approve" : "reject", proposalId: a }
        : undefined;
    case "px": {
      const valid = a !== undefined && parts.length <= 4 && (b === undefined || SNOWFLAKE.test(b));
      const termIds = (valid ? a : "").split(",").filter((id) => TERM_ID.test(id));
      return termIds.length === 0 ? undefined : { kind: "postExplanation", termIds };
    }
    default:
      return undefined;
  }
}

/** The message a "Post in thread" button explains, when it names one. */
export function explainedMessage(customId: string): string | undefined {
  const [prefix, kind, , message] = customId.split(":");
  return prefix === PREFIX && kind === "px" && message !== undefined && SNOWFLAKE.test(message)
    ? message
    : undefined;
}

/** True for custom_ids of this bot (so other apps' components in a shared process are left alone). */
export function isMeshButton(customId: string): boolean {
  return customId.startsWith(`${PREFIX}:`);
}

/** The custom_id of the term form: `mesh:form:add`, or `mesh:form:edit:<slug>:<revision>`. */
export function encodeForm(context: FormContext): string {
  return context.mode === "add"
    ? `${PREFIX}:form:add`
    : `${PREFIX}:form:edit:${context.termId ?? ""}:${context.baseRevision ?? ""}`.slice(
        0,
        DISCORD_LIMITS.customId,
      );
}

/** Reads a term form's custom_id back; undefined for anything else. */
export function decodeForm(customId: string): FormContext | undefined {
  const [prefix, form, mode, termId, revision] = customId.split(":");
  if (prefix !== PREFIX || form !== "form") return undefined;
  if (mode === "add") return { mode: "add" };
  if (mode !== "edit" || termId === undefined || !TERM_ID.test(termId)) return undefined;
  const base = Number(revision);
  return { mode: "edit", termId, baseRevision: Number.isInteger(base) && base > 0 ? base : undefined };
}
