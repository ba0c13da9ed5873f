import type { BotAction } from "../../../src/bot/conversation.js";
import { DISCORD_LIMITS } from "../render/limits.js";

/**
 * What a button asks the bot for, encoded in its custom_id (at most 100 characters) so that any replica can
 * answer a click without remembering the message: `mesh:more:<term id>`, `mesh:def:<p|e>:<term id>` (p:
 * answer in public, e: privately) and `mesh:nj:<term id>` ("Not jargon here").
 */
const PREFIX = "mesh";
const TERM_ID = /^[a-z0-9][a-z0-9-]*$/;

/** The custom_id for an action, or undefined when it would not fit Discord's 100 characters. */
export function encodeButton(action: Exclude<BotAction, { kind: "share" }>): string | undefined {
  const id =
    action.kind === "more"
      ? `${PREFIX}:more:${action.termId}`
      : action.kind === "define"
        ? `${PREFIX}:def:${action.privately ? "e" : "p"}:${action.termId}`
        : `${PREFIX}:nj:${action.termId}`;
  return id.length <= DISCORD_LIMITS.customId ? id : undefined;
}

/** Reads a custom_id back; undefined for anything this version did not write. */
export function decodeButton(customId: string): BotAction | undefined {
  const parts = customId.split(":");
  if (parts[0] !== PREFIX) return undefined;
  const [, kind, a, b] = parts;
  if (kind === "more" && a !== undefined && b === undefined && TERM_ID.test(a))
    return { kind: "more", termId: a };
  if (kind === "nj" && a !== undefined && b === undefined && TERM_ID.test(a))
    return { kind: "silence", termId: a };
  if (
    kind === "def" &&
    (a === "p" || a === "e") &&
    b !== undefined &&
    parts.length === 4 &&
    TERM_ID.test(b)
  ) {
    return { kind: "define", termId: b, privately: a === "e" };
  }
  return undefined;
}

/** True for custom_ids of this bot (so other apps' components in a shared process are left alone). */
export function isMeshButton(customId: string): boolean {
  return customId.startsWith(`${PREFIX}:`);
}
