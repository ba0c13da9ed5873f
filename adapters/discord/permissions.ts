import {
  DiscordAPIError,
  PermissionFlagsBits,
  type PermissionsBitField,
  RESTJSONErrorCodes,
} from "discord.js";

/** Discord's own names for the permissions the bot reads or needs, as its settings screens show them. */
const NAMES = new Map<bigint, string>([
  [PermissionFlagsBits.ViewChannel, "View Channel"],
  [PermissionFlagsBits.SendMessages, "Send Messages"],
  [PermissionFlagsBits.SendMessagesInThreads, "Send Messages in Threads"],
  [PermissionFlagsBits.CreatePublicThreads, "Create Public Threads"],
  [PermissionFlagsBits.EmbedLinks, "Embed Links"],
  [PermissionFlagsBits.ReadMessageHistory, "Read Message History"],
  [PermissionFlagsBits.ManageChannels, "Manage Channels"],
]);

/** What the bot needs to start a thread on a message and explain in it. */
export const THREAD_PERMISSIONS: readonly bigint[] = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.SendMessagesInThreads,
];

/** What the bot needs to post inside an existing thread. */
export const IN_THREAD_PERMISSIONS: readonly bigint[] = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessagesInThreads,
];

/** What the bot needs to reply to a message in a channel (a reply reads the message it answers). */
export const REPLY_PERMISSIONS: readonly bigint[] = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.ReadMessageHistory,
];

/** The permissions of the invite URL (docs/discord.md), as Discord's integer. */
export const INVITE_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

/** Display name of a permission flag. */
export function permissionName(flag: bigint): string {
  return (
    NAMES.get(flag) ?? Object.entries(PermissionFlagsBits).find(([, v]) => v === flag)?.[0] ?? String(flag)
  );
}

/** Names of those of `needed` that `have` lacks; every one when `have` is unknown (null). */
export function missingPermissions(
  have: Readonly<PermissionsBitField> | null | undefined,
  needed: readonly bigint[],
): string[] {
  return needed.filter((flag) => !have?.has(flag, true)).map(permissionName);
}

/** A 403 "Missing Permissions" (50013) or "Missing Access" (50001) from Discord's API. */
export function isMissingPermissions(error: unknown): error is DiscordAPIError {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.MissingPermissions || error.code === RESTJSONErrorCodes.MissingAccess)
  );
}
