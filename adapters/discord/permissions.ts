import {
  type Client,
  DiscordAPIError,
  Events,
  type GuildTextBasedChannel,
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

/** How long the bot's permissions in a channel are trusted without an event saying they changed. */
export const PERMISSIONS_TTL_MS = 60_000;

/** Gateway events after which the bot's permissions in any channel may differ: every answer is forgotten. */
const PERMISSION_EVENTS = [
  Events.ChannelUpdate,
  Events.ChannelDelete,
  Events.GuildRoleCreate,
  Events.GuildRoleUpdate,
  Events.GuildRoleDelete,
  Events.GuildMemberUpdate,
  Events.GuildUpdate,
  Events.GuildDelete,
  Events.ShardReady,
  Events.ShardResume,
] as const;

interface Known {
  readonly at: number;
  readonly value: Readonly<PermissionsBitField> | null;
}

/** Each client's answers, by channel id; a client's listeners are added with its first question. */
const byClient = new WeakMap<Client, Map<string, Known>>();

function answersOf(client: Client): Map<string, Known> {
  let known = byClient.get(client);
  if (known === undefined) {
    const answers = new Map<string, Known>();
    const forget = () => answers.clear();
    for (const event of PERMISSION_EVENTS) client.on(event, forget);
    byClient.set(client, answers);
    known = answers;
  }
  return known;
}

/**
 * The bot's own permissions in a server channel, worked out once and remembered: discord.js works them out
 * from every role and overwrite at each call, for each message explained. A change to a role, a channel's
 * overwrites, the bot's membership or the server forgets every answer; PERMISSIONS_TTL_MS bounds how long a
 * change Discord does not tell us about (the bot's own roles, without the members intent) is missed. Meanwhile
 * a thread the bot may no longer start is refused with a 403, which is answered by a reply in the channel.
 */
export function botPermissionsIn(
  channel: GuildTextBasedChannel,
  now: number = Date.now(),
): Readonly<PermissionsBitField> | null {
  const answers = answersOf(channel.client);
  const known = answers.get(channel.id);
  if (known !== undefined && now - known.at < PERMISSIONS_TTL_MS) return known.value;
  const value = channel.permissionsFor(channel.guild.members.me ?? channel.client.user.id);
  if (answers.size >= 10_000) answers.clear();
  answers.set(channel.id, { at: now, value });
  return value;
}
