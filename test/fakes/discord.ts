/**
 * A loopback fake of Discord for tests: the gateway (WebSocket, JSON frames, no compression) and the REST API
 * (HTTP), both on 127.0.0.1 with OS-assigned ports. The real discord.js talks to it unmodified through
 * `new Client({ rest: { api: fake.apiUrl } })`.
 *
 * Behaviour copied from Discord because adapters depend on it:
 * - the bot receives its own messages (REST posts and public interaction replies are echoed as MESSAGE_CREATE);
 * - without the MessageContent intent, guild messages arrive with empty content unless they mention the bot;
 * - guild MESSAGE_CREATE needs the GuildMessages intent, DMs need DirectMessages;
 * - channel posts, replies and thread creation are checked against the bot's permissions (403, code 50013);
 * - a second callback for one interaction is 400 (code 40060); a first one later than 3 s is 404 (10062);
 *   a second thread on one message is 400 (160004);
 * - a MODAL callback (type 9) is checked against Discord's modal limits and refused for a modal submit;
 *   UPDATE_MESSAGE (type 7) only for interactions on a message (400, code 50035, otherwise);
 * - a modal submit (type 5) carries what was typed in the modal the bot showed, in the modal's own layout
 *   (Label components, or the older action rows), and the message the modal was opened from.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/** One REST request the fake received; `path` is URL-decoded and has no "/api/v10" prefix. */
export interface RestCall {
  method: string;
  path: string;
  rawPath: string;
  query: URLSearchParams;
  body: unknown;
  files: RestFile[];
  headers: Record<string, string>;
  status: number;
  /** When the whole request had arrived (`performance.now()`, ms): benchmarks split round trips with it. */
  receivedAt: number;
}

/** A file part of a multipart request (attachments). */
export interface RestFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A REST failure to inject with `failNext`. `retryAfter` is in seconds and may be fractional. */
export type RestFailure =
  | { status: 429; retryAfter: number; global?: boolean }
  | { status: 403; code: number; message: string }
  | { status: 401 }
  | { status: 500 };

/** A channel of the default guild (type 0 text, 2 voice, 4 category, 5 announcement, 15 forum...). */
export interface ChannelSpec {
  id?: string | undefined;
  type: number;
  name: string;
  parent_id?: string | undefined;
  permission_overwrites?: { id: string; type: 0 | 1; allow: string; deny: string }[];
}

/** Options for `startFakeDiscord`. */
export interface FakeDiscordOptions {
  /** Channels of the default guild; default one text channel "general". The first text channel is `channelId`. */
  channels?: ChannelSpec[] | undefined;
  /** Permissions of the @everyone role (the bot has no other role), decimal string. */
  botPermissions?: string | undefined;
  /** Gateway heartbeat interval sent in HELLO, default 1000 ms. */
  heartbeatIntervalMs?: number | undefined;
  /** Answer 403 when the bot lacks permissions, as Discord does; default true. */
  enforcePermissions?: boolean | undefined;
  /** Dispatch MESSAGE_CREATE for messages the bot posts, as Discord does; default true. */
  echoOwnMessages?: boolean | undefined;
  /**
   * How long after an interaction is dispatched its first callback is accepted; later ones get 404 (10062
   * Unknown interaction), as Discord invalidates the token after 3 s. Default 3000.
   */
  interactionDeadlineMs?: number | undefined;
}

/** A user of the fake (author of messages, invoker of interactions). */
export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean | undefined;
}

/** Builds a MESSAGE_CREATE. */
export interface MessageSpec {
  content: string;
  id?: string | undefined;
  /** Default: `fake.user.id` (a human). Use `fake.botUser.id` for the bot's own message. */
  authorId?: string | undefined;
  authorName?: string | undefined;
  authorBot?: boolean | undefined;
  /** Default: the default text channel, or the author's DM channel when `guildId` is null. May be a thread id. */
  channelId?: string | undefined;
  /** null makes a DM (no guild_id, no member). Default: the default guild. */
  guildId?: string | null | undefined;
  /** Put the bot in `mentions`. Default: the content contains `<@botId>` or `<@!botId>`. Content is not changed. */
  mentionsBot?: boolean | undefined;
  /** Make it a reply (type 19) to this message id. */
  replyTo?: string | undefined;
  /** This message already started a thread (flag HasThread, `thread` object); the thread is registered. */
  thread?: { id?: string; name: string };
  embeds?: unknown[] | undefined;
  /** Set webhook_id (messages posted by webhooks/other integrations). */
  webhookId?: string | undefined;
}

/** Fields shared by all interaction builders. */
export interface InteractionCommon {
  id?: string | undefined;
  /** Invoking user; default `fake.user`. */
  userId?: string | undefined;
  username?: string | undefined;
  /** Member permissions (decimal string), e.g. String(PermissionFlagsBits.ManageChannels); default @everyone's. */
  permissions?: string | undefined;
  /** Default: the default text channel (guild) or the user's DM channel (DM). */
  channelId?: string | undefined;
  /** null: a DM interaction (`user` instead of `member`, channel type 1, context 1). */
  guildId?: string | null | undefined;
  locale?: string | undefined;
}

/** Option values by name; strings are type 3, integers 4, other numbers 10, booleans 5. */
export type OptionValues = Record<string, string | number | boolean>;

/** An INTERACTION_CREATE to build. */
export type InteractionSpec = InteractionCommon &
  (
    | {
        kind: "chatInput";
        name?: string | undefined;
        subcommand?: string | undefined;
        group?: string | undefined;
        options?: OptionValues | undefined;
        commandId?: string | undefined;
      }
    | {
        kind: "autocomplete";
        name?: string | undefined;
        subcommand?: string | undefined;
        group?: string | undefined;
        /** Other options already filled in. */
        options?: OptionValues | undefined;
        /** Name and partial text of the focused option (sent as a string option). */
        focused: { name: string; value: string };
        commandId?: string | undefined;
      }
    | {
        kind: "button";
        customId: string;
        /** The message carrying the button: an id of a stored message, or content for a new bot message. */
        messageId?: string | undefined;
        messageContent?: string | undefined;
      }
    | {
        /**
         * Submits the modal the bot showed in answer to interaction `from` (its type 9 callback), by the same
         * person in the same channel unless told otherwise. `values` by input custom_id; inputs not given
         * keep what the modal filled in ("" when nothing).
         */
        kind: "modalSubmit";
        from: string;
        values?: Record<string, string> | undefined;
      }
    | {
        kind: "messageContext";
        name: string;
        /** Target message: an existing id, or a new message built from these fields. */
        targetId?: string | undefined;
        target?: { content: string; authorId?: string; authorBot?: boolean };
        commandId?: string | undefined;
      }
  );

/** The running fake: addresses, fixtures, recorded traffic and controls. */
export interface FakeDiscord {
  /** REST base for `new Client({ rest: { api } })` and `new REST({ api })`: "http://127.0.0.1:R/api". */
  apiUrl: string;
  /** Gateway URL returned by /gateway/bot (also the resume_gateway_url). */
  gatewayUrl: string;
  applicationId: string;
  botUser: { id: string; username: string; bot: true };
  /** The bot's managed role in the server: `<@&id>` mentions the bot too. */
  botRoleId: string;
  /** A human member of the guild, the default author/invoker. */
  user: FakeUser;
  guildId: string;
  /** The guild's owner (owner_id of GUILD_CREATE), another member. */
  ownerId: string;
  /** The first text channel (type 0) of the default guild. */
  channelId: string;
  /** Every REST request, in arrival order (including failed ones). */
  calls: RestCall[];
  /** Messages the fake knows (built or posted), by id. */
  messages: Map<string, Record<string, unknown>>;
  /** Channels the fake knows (guild channels, threads, DM channels), by id. */
  channels: Map<string, Record<string, unknown>>;
  /** Modals the bot showed (MODAL callbacks, type 9), by the id of the interaction they answered. */
  modals: Map<string, Record<string, unknown>>;
  /** Commands registered through PUT/POST, keyed "global" or the guild id. */
  commands: Map<string, Record<string, unknown>[]>;
  /** Intents of the last IDENTIFY. */
  intents: number;
  identifies: number;
  resumes: number;
  /** Events re-sent to the client by RESUMEs (sent while it was away), in total. */
  replayed: number;
  /** Gateway frames received from the client (heartbeats excluded). */
  received: { op: number; d: unknown }[];
  /** First recorded call matching, already made or coming; rejects after timeoutMs (default 2000). */
  waitForCall(predicate: (c: RestCall) => boolean, timeoutMs?: number): Promise<RestCall>;
  /** The next `times` (default 1) matching requests get `failure` instead of their normal answer. */
  failNext(match: (c: RestCall) => boolean, failure: RestFailure, times?: number): void;
  /** Resolves once a client identified and READY + GUILD_CREATE were sent. */
  ready(): Promise<void>;
  /** Resolves once `resumes >= count` (default 1). */
  resumed(count?: number, timeoutMs?: number): Promise<void>;
  /** Sends {op:0,t,s,d} to the connected client (kept for replay on RESUME if none is connected). */
  dispatch(t: string, d: unknown): void;
  /** Sends a raw gateway frame, e.g. {op:7} (reconnect) or {op:9,d:false} (invalid session). */
  sendRaw(frame: { op: number; d?: unknown }): void;
  /** Builds and dispatches a MESSAGE_CREATE; returns the message id. */
  messageCreate(m: MessageSpec): string;
  /** Registers a thread under a channel of the guild and dispatches THREAD_CREATE; returns its id. */
  threadCreate(t: { name: string; parentId?: string; id?: string; type?: 10 | 11 | 12 }): string;
  /** Builds and dispatches an INTERACTION_CREATE; returns the interaction id. */
  interaction(i: InteractionSpec): string;
  /** The token of an interaction built by `interaction()`. */
  interactionToken(id: string): string;
  /** The DM channel id for a user (created on first use). */
  dmChannelFor(userId: string): string;
  /** Changes @everyone's permissions and dispatches GUILD_ROLE_UPDATE. */
  setBotPermissions(permissions: string): void;
  /** Permissions the fake computes for the bot in a channel (overwrites applied, threads use their parent). */
  botPermissionsIn(channelId: string): bigint;
  /** Closes the client's gateway socket with `code` (default 4000, resumable). */
  disconnect(code?: number): void;
  /** Stops both servers and drops every connection. */
  close(): Promise<void>;
}

const P = {
  ManageChannels: 1n << 4n,
  Administrator: 1n << 3n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** Default @everyone permissions: everything a text bot needs, nothing administrative. */
export const DEFAULT_BOT_PERMISSIONS = String(
  P.ViewChannel |
    P.SendMessages |
    P.SendMessagesInThreads |
    P.CreatePublicThreads |
    P.CreatePrivateThreads |
    P.EmbedLinks |
    P.AttachFiles |
    P.ReadMessageHistory |
    P.AddReactions |
    P.UseExternalEmojis |
    P.UseApplicationCommands,
);

const ALL_PERMISSIONS = (1n << 53n) - 1n;
const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_DIRECT_MESSAGES = 1 << 12;
const INTENT_MESSAGE_CONTENT = 1 << 15;
const THREAD_TYPES = new Set([10, 11, 12]);
const DISCORD_EPOCH = 1420070400000n;

type Json = Record<string, unknown>;
type GatewayFrame = { op: number; t?: string | null; s?: number | null; d?: unknown };

class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts the fake gateway and REST servers on 127.0.0.1 (ports chosen by the OS). */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  let lastTs = 0n;
  let counter = 0n;
  const snowflake = (): string => {
    let ts = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ts <= lastTs) ts = lastTs;
    if (ts !== lastTs) counter = 0n;
    lastTs = ts;
    counter += 1n;
    if (counter > 4095n) {
      lastTs += 1n;
      counter = 0n;
    }
    return ((lastTs << 22n) | counter).toString();
  };
  const now = () => new Date().toISOString();
  const enforce = opts.enforcePermissions ?? true;
  const echoOwn = opts.echoOwnMessages ?? true;
  const deadline = opts.interactionDeadlineMs ?? 3000;

  const applicationId = snowflake();
  const botUser = { id: applicationId, username: "mesh-bot", bot: true as const };
  const user: FakeUser = { id: snowflake(), username: "alice" };
  const ownerId = snowflake();
  const guildId = snowflake();
  const users = new Map<string, FakeUser>([
    [botUser.id, botUser],
    [user.id, user],
  ]);

  const channels = new Map<string, Json>();
  const messages = new Map<string, Json>();
  const commands = new Map<string, Json[]>();
  type InteractionInfo = {
    id: string;
    token: string;
    type: number;
    channelId: string;
    guildId: string | null;
    userId: string;
    /** The invoker's permissions, as sent in `member`. */
    permissions: string;
    /** When it was dispatched (ms since epoch), for the 3 s deadline of its first callback. */
    createdAt: number;
    messageId?: string | undefined;
  };
  const interactions = new Map<string, InteractionInfo>();
  const acknowledged = new Set<string>();
  const modals = new Map<string, Json>();
  const originals = new Map<string, Json>();
  const calls: RestCall[] = [];
  const callWaiters = new Set<{ predicate: (c: RestCall) => boolean; resolve: (c: RestCall) => void }>();
  const failures: { match: (c: RestCall) => boolean; failure: RestFailure; left: number }[] = [];

  let everyonePermissions = opts.botPermissions ?? DEFAULT_BOT_PERMISSIONS;
  const everyoneRole = (): Json => ({
    id: guildId,
    name: "@everyone",
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: everyonePermissions,
    managed: false,
    mentionable: false,
    flags: 0,
  });

  /** The role Discord creates for a bot when it joins a server ("@mesh-bot"), which people mention too. */
  const botRoleId = snowflake();
  const botRole = (): Json => ({
    ...everyoneRole(),
    id: botRoleId,
    name: botUser.username,
    position: 1,
    permissions: "0",
    managed: true,
    tags: { bot_id: botUser.id },
  });

  const specs = opts.channels ?? [{ type: 0, name: "general" }];
  specs.forEach((spec, position) => {
    const id = spec.id ?? snowflake();
    channels.set(id, {
      id,
      type: spec.type,
      name: spec.name,
      guild_id: guildId,
      position,
      parent_id: spec.parent_id ?? null,
      permission_overwrites: spec.permission_overwrites ?? [],
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
      ...(spec.type === 0 || spec.type === 5 || spec.type === 15
        ? { default_auto_archive_duration: 1440 }
        : {}),
    });
  });
  const firstText = [...channels.values()].find((c) => c.type === 0);
  if (!firstText) throw new Error("startFakeDiscord: give at least one text channel (type 0)");
  const channelId = firstText.id as string;

  const userObject = (id: string): Json => {
    const u = users.get(id) ?? { id, username: `user-${id.slice(-4)}` };
    return {
      id: u.id,
      username: u.username,
      discriminator: "0",
      global_name: u.bot ? null : u.username,
      avatar: null,
      bot: u.bot ?? false,
      public_flags: 0,
      flags: 0,
      ...(u.bot ? { system: false } : {}),
    };
  };
  const memberObject = (permissions?: string): Json => ({
    roles: [],
    nick: null,
    avatar: null,
    banner: null,
    joined_at: "2024-01-01T00:00:00.000Z",
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  });

  const dmChannelFor = (userId: string): string => {
    for (const c of channels.values()) {
      if (c.type === 1 && (c.recipients as Json[])[0]?.id === userId) return c.id as string;
    }
    const id = snowflake();
    channels.set(id, { id, type: 1, flags: 0, last_message_id: null, recipients: [userObject(userId)] });
    return id;
  };

  const botPermissionsIn = (id: string): bigint => {
    let channel = channels.get(id);
    if (!channel) return 0n;
    if (channel.type === 1 || channel.type === 3) {
      return (
        P.ViewChannel |
        P.SendMessages |
        P.EmbedLinks |
        P.AttachFiles |
        P.ReadMessageHistory |
        P.AddReactions |
        P.UseExternalEmojis
      );
    }
    if (THREAD_TYPES.has(channel.type as number))
      channel = channels.get(channel.parent_id as string) ?? channel;
    let perms = BigInt(everyonePermissions);
    if (perms & P.Administrator) return ALL_PERMISSIONS;
    const overwrites = (channel.permission_overwrites as { id: string; allow: string; deny: string }[]) ?? [];
    for (const target of [guildId, botUser.id]) {
      const o = overwrites.find((x) => x.id === target);
      if (o) perms = (perms & ~BigInt(o.deny)) | BigInt(o.allow);
    }
    return perms;
  };
  const requirePermissions = (id: string, needed: bigint): void => {
    if (!enforce) return;
    if ((botPermissionsIn(id) & needed) !== needed)
      throw new DiscordHttpError(403, 50013, "Missing Permissions");
  };

  // ---------------------------------------------------------------- gateway

  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const gatewayUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const heartbeatInterval = opts.heartbeatIntervalMs ?? 1000;

  let active: WebSocket | null = null;
  let sessionId: string | null = null;
  let seq = 0;
  let log: GatewayFrame[] = [];
  const readyWaiters: (() => void)[] = [];
  let isReady = false;
  const state = {
    intents: 0,
    identifies: 0,
    resumes: 0,
    replayed: 0,
    received: [] as { op: number; d: unknown }[],
  };
  const resumeWaiters = new Set<() => void>();

  const sendFrame = (socket: WebSocket | null, frame: GatewayFrame) => {
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const dispatch = (t: string, d: unknown) => {
    seq += 1;
    const frame = { op: 0, t, s: seq, d };
    log.push(frame);
    sendFrame(active, frame);
  };

  const guildCreatePayload = (): Json => ({
    id: guildId,
    name: "Mesh Test Guild",
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: "en-US",
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    features: [],
    application_id: null,
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    joined_at: "2024-01-01T00:00:00.000Z",
    large: false,
    unavailable: false,
    member_count: 2,
    roles: [everyoneRole(), botRole()],
    emojis: [],
    stickers: [],
    channels: [...channels.values()]
      .filter((c) => c.guild_id === guildId && !THREAD_TYPES.has(c.type as number))
      .map(({ guild_id: _g, ...c }) => c),
    threads: [...channels.values()].filter((c) => THREAD_TYPES.has(c.type as number)),
    members: [
      { ...memberObject(), roles: [botRoleId], user: userObject(botUser.id) },
      { ...memberObject(), user: userObject(user.id) },
    ],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  });

  const onFrame = (socket: WebSocket, frame: GatewayFrame) => {
    if (frame.op !== 1) state.received.push({ op: frame.op, d: frame.d });
    switch (frame.op) {
      case 1:
        sendFrame(socket, { op: 11 });
        return;
      case 2: {
        const d = (frame.d ?? {}) as { intents?: number };
        state.intents = d.intents ?? 0;
        state.identifies += 1;
        sessionId = randomBytes(16).toString("hex");
        seq = 0;
        log = [];
        active = socket;
        dispatch("READY", {
          v: 10,
          user: { ...userObject(botUser.id), verified: true, mfa_enabled: false },
          guilds: [{ id: guildId, unavailable: true }],
          session_id: sessionId,
          session_type: "normal",
          resume_gateway_url: gatewayUrl,
          shard: [0, 1],
          application: { id: applicationId, flags: 0 },
          private_channels: [],
          presences: [],
          relationships: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
          user_settings: {},
          _trace: ["fake-discord"],
        });
        dispatch("GUILD_CREATE", guildCreatePayload());
        isReady = true;
        for (const w of readyWaiters.splice(0)) w();
        return;
      }
      case 6: {
        const d = (frame.d ?? {}) as { session_id?: string; seq?: number | null };
        if (!sessionId || d.session_id !== sessionId) {
          sendFrame(socket, { op: 9, d: false });
          return;
        }
        state.resumes += 1;
        active = socket;
        for (const f of log) {
          if ((f.s ?? 0) <= (d.seq ?? 0)) continue;
          state.replayed += 1;
          sendFrame(socket, f);
        }
        seq += 1;
        sendFrame(socket, { op: 0, t: "RESUMED", s: seq, d: { _trace: ["fake-discord"] } });
        for (const w of resumeWaiters) w();
        return;
      }
      default:
        return;
    }
  };

  wss.on("connection", (socket) => {
    socket.on("message", (data) => {
      let frame: GatewayFrame;
      try {
        frame = JSON.parse(data.toString()) as GatewayFrame;
      } catch {
        socket.close(4002, "Error while decoding payload.");
        return;
      }
      onFrame(socket, frame);
    });
    socket.on("close", () => {
      if (active === socket) active = null;
    });
    socket.on("error", () => {});
    sendFrame(socket, { op: 10, d: { heartbeat_interval: heartbeatInterval, _trace: ["fake-discord"] } });
  });

  // ---------------------------------------------------------------- builders

  const registerThread = (t: {
    name: string;
    parentId: string;
    id?: string | undefined;
    type?: number | undefined;
    ownerId?: string | undefined;
    messageId?: string | undefined;
    autoArchive?: number | undefined;
  }): Json => {
    const id = t.id ?? t.messageId ?? snowflake();
    const thread: Json = {
      id,
      type: t.type ?? 11,
      guild_id: guildId,
      parent_id: t.parentId,
      owner_id: t.ownerId ?? botUser.id,
      name: t.name,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0,
      applied_tags: [],
      thread_metadata: {
        archived: false,
        auto_archive_duration: t.autoArchive ?? 1440,
        archive_timestamp: now(),
        locked: false,
        create_timestamp: now(),
        ...(t.type === 12 ? { invitable: true } : {}),
      },
      member: { id, user_id: t.ownerId ?? botUser.id, join_timestamp: now(), flags: 0 },
    };
    channels.set(id, thread);
    return thread;
  };

  const channelTypeOf = (id: string): number | undefined => channels.get(id)?.type as number | undefined;

  const buildMessage = (m: {
    id?: string | undefined;
    channelId: string;
    guildId: string | null;
    authorId: string;
    content: string;
    type?: number | undefined;
    embeds?: unknown[] | undefined;
    components?: unknown[] | undefined;
    flags?: number | undefined;
    mentions?: Json[] | undefined;
    reference?: string | undefined;
    webhookId?: string | undefined;
    extra?: Json | undefined;
  }): Json => {
    const referenced = m.reference ? messages.get(m.reference) : undefined;
    const msg: Json = {
      id: m.id ?? snowflake(),
      type: m.type ?? (m.reference ? 19 : 0),
      channel_id: m.channelId,
      author: userObject(m.authorId),
      content: m.content,
      timestamp: now(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: m.mentions ?? [],
      mention_roles: [],
      mention_channels: [],
      attachments: [],
      embeds: m.embeds ?? [],
      components: m.components ?? [],
      reactions: [],
      pinned: false,
      flags: m.flags ?? 0,
      ...(m.webhookId ? { webhook_id: m.webhookId } : {}),
      ...(m.reference
        ? {
            message_reference: {
              type: 0,
              message_id: m.reference,
              channel_id: m.channelId,
              ...(m.guildId ? { guild_id: m.guildId } : {}),
            },
            referenced_message: referenced ?? null,
          }
        : {}),
      ...m.extra,
    };
    messages.set(msg.id as string, msg);
    const ch = channels.get(m.channelId);
    if (ch) ch.last_message_id = msg.id;
    return msg;
  };

  /** MESSAGE_CREATE payload (guild_id, member, channel_type), filtered by the intents like Discord does. */
  const dispatchMessage = (msg: Json, guild: string | null) => {
    const isOwn = (msg.author as Json).id === botUser.id;
    const needed = guild ? INTENT_GUILD_MESSAGES : INTENT_DIRECT_MESSAGES;
    if (state.identifies > 0 && (state.intents & needed) === 0) return;
    let payload: Json = { ...msg };
    if (guild) payload = { ...payload, guild_id: guild, member: memberObject() };
    const type = channelTypeOf(msg.channel_id as string);
    if (type !== undefined) payload.channel_type = type;
    const mentioned = (msg.mentions as Json[]).some((u) => u.id === botUser.id);
    if (guild && !isOwn && !mentioned && (state.intents & INTENT_MESSAGE_CONTENT) === 0) {
      payload = { ...payload, content: "", embeds: [], attachments: [], components: [] };
    }
    dispatch("MESSAGE_CREATE", payload);
  };

  const messageCreate = (m: MessageSpec): string => {
    const guild = m.guildId === undefined ? guildId : m.guildId;
    const authorId = m.authorId ?? user.id;
    if (!users.has(authorId)) {
      users.set(authorId, {
        id: authorId,
        username: m.authorName ?? `user-${authorId.slice(-4)}`,
        bot: m.authorBot,
      });
    } else if (m.authorName || m.authorBot !== undefined) {
      const u = users.get(authorId) as FakeUser;
      users.set(authorId, { ...u, username: m.authorName ?? u.username, bot: m.authorBot ?? u.bot });
    }
    const channel = m.channelId ?? (guild === null ? dmChannelFor(authorId) : channelId);
    const mentionsBot =
      m.mentionsBot ?? (m.content.includes(`<@${botUser.id}>`) || m.content.includes(`<@!${botUser.id}>`));
    const id = m.id ?? snowflake();
    let extra: Json | undefined;
    let flags = 0;
    if (m.thread) {
      const thread = registerThread({
        name: m.thread.name,
        parentId: channel,
        id: m.thread.id ?? id,
        ownerId: authorId,
      });
      extra = { thread };
      flags |= 32;
    }
    const msg = buildMessage({
      id,
      channelId: channel,
      guildId: guild,
      authorId,
      content: m.content,
      embeds: m.embeds,
      mentions: mentionsBot
        ? [{ ...userObject(botUser.id), ...(guild ? { member: memberObject() } : {}) }]
        : [],
      reference: m.replyTo,
      webhookId: m.webhookId,
      flags,
      extra,
    });
    dispatchMessage(msg, guild);
    return id;
  };

  const threadCreate = (t: { name: string; parentId?: string; id?: string; type?: 10 | 11 | 12 }): string => {
    const thread = registerThread({
      name: t.name,
      parentId: t.parentId ?? channelId,
      id: t.id,
      type: t.type,
    });
    dispatch("THREAD_CREATE", { ...thread, newly_created: true });
    return thread.id as string;
  };

  const optionList = (values: OptionValues | undefined): Json[] =>
    Object.entries(values ?? {}).map(([name, value]) => ({
      name,
      type: typeof value === "string" ? 3 : typeof value === "boolean" ? 5 : Number.isInteger(value) ? 4 : 10,
      value,
    }));
  const wrapSub = (opts: Json[], subcommand?: string, group?: string): Json[] => {
    let out = opts;
    if (subcommand) out = [{ name: subcommand, type: 1, options: out }];
    if (group) out = [{ name: group, type: 2, options: out }];
    return out;
  };

  /**
   * What Discord sends back for a submitted modal: its layout (Label 18, Action Row 1, Text Display 10) with
   * each text input's custom_id and value, components numbered in order where the modal gave no ids.
   */
  const modalSubmission = (modal: Json, values: Record<string, string>): Json[] => {
    let next = 0;
    const idOf = (c: Json) => {
      next += 1;
      return (c.id as number | undefined) ?? next;
    };
    const input = (c: Json): Json => {
      const customId = c.custom_id as string;
      const value = values[customId] ?? (c.value as string | undefined) ?? "";
      return { type: c.type, id: idOf(c), custom_id: customId, value };
    };
    return ((modal.components as Json[] | undefined) ?? []).map((c) => {
      if (c.type === 18) return { type: 18, id: idOf(c), component: input(c.component as Json) };
      if (c.type === 1) return { type: 1, id: idOf(c), components: (c.components as Json[]).map(input) };
      return { type: c.type, id: idOf(c) };
    });
  };

  const interaction = (spec: InteractionSpec): string => {
    const id = spec.id ?? snowflake();
    const token = `fake-interaction-token.${id}.${randomBytes(8).toString("hex")}`;
    // A modal is submitted where it was opened, by whoever opened it.
    const source = spec.kind === "modalSubmit" ? interactions.get(spec.from) : undefined;
    if (spec.kind === "modalSubmit" && (source === undefined || !modals.has(spec.from))) {
      throw new Error(`fake discord: interaction ${spec.from} showed no modal`);
    }
    const guild = spec.guildId === undefined ? (source?.guildId ?? guildId) : spec.guildId;
    const invokerId = spec.userId ?? source?.userId ?? user.id;
    if (!users.has(invokerId)) users.set(invokerId, { id: invokerId, username: spec.username ?? "user" });
    const channel =
      spec.channelId ?? source?.channelId ?? (guild === null ? dmChannelFor(invokerId) : channelId);
    const channelObject = channels.get(channel) ?? { id: channel, type: guild === null ? 1 : 0 };

    let type: number;
    let data: Json;
    let message: Json | undefined;
    switch (spec.kind) {
      case "chatInput":
        type = 2;
        data = {
          id: spec.commandId ?? snowflake(),
          name: spec.name ?? "mesh",
          type: 1,
          options: wrapSub(optionList(spec.options), spec.subcommand, spec.group),
          ...(guild ? { guild_id: guild } : {}),
        };
        break;
      case "autocomplete":
        type = 4;
        data = {
          id: spec.commandId ?? snowflake(),
          name: spec.name ?? "mesh",
          type: 1,
          options: wrapSub(
            [
              ...optionList(spec.options),
              { name: spec.focused.name, type: 3, value: spec.focused.value, focused: true },
            ],
            spec.subcommand,
            spec.group,
          ),
          ...(guild ? { guild_id: guild } : {}),
        };
        break;
      case "button": {
        type = 3;
        const stored = spec.messageId ? messages.get(spec.messageId) : undefined;
        message =
          stored ??
          buildMessage({
            id: spec.messageId,
            channelId: channel,
            guildId: guild,
            authorId: botUser.id,
            content: spec.messageContent ?? "",
            components: [
              {
                type: 1,
                id: 1,
                components: [{ type: 2, id: 2, style: 1, label: spec.customId, custom_id: spec.customId }],
              },
            ],
          });
        data = { custom_id: spec.customId, component_type: 2, id: 2 };
        break;
      }
      case "modalSubmit": {
        type = 5;
        const modal = modals.get(spec.from) as Json;
        data = { custom_id: modal.custom_id, components: modalSubmission(modal, spec.values ?? {}) };
        message = source?.messageId === undefined ? undefined : messages.get(source.messageId);
        break;
      }
      case "messageContext": {
        type = 2;
        const target =
          (spec.targetId ? messages.get(spec.targetId) : undefined) ??
          (() => {
            const authorId = spec.target?.authorId ?? user.id;
            if (!users.has(authorId))
              users.set(authorId, { id: authorId, username: "user", bot: spec.target?.authorBot });
            return buildMessage({
              id: spec.targetId,
              channelId: channel,
              guildId: guild,
              authorId,
              content: spec.target?.content ?? "",
            });
          })();
        data = {
          id: spec.commandId ?? snowflake(),
          name: spec.name,
          type: 3,
          target_id: target.id,
          resolved: { messages: { [target.id as string]: target } },
          ...(guild ? { guild_id: guild } : {}),
        };
        break;
      }
    }

    const invoker = userObject(invokerId);
    const permissions = spec.permissions ?? source?.permissions ?? everyonePermissions;
    interactions.set(id, {
      id,
      token,
      type,
      channelId: channel,
      guildId: guild,
      userId: invokerId,
      permissions,
      createdAt: Date.now(),
    });
    if (message) {
      const info = interactions.get(id) as InteractionInfo;
      info.messageId = message.id as string;
      originals.set(token, message);
    }
    const payload: Json = {
      id,
      application_id: applicationId,
      type,
      data,
      channel: channelObject,
      channel_id: channel,
      token,
      version: 1,
      locale: spec.locale ?? "en-US",
      app_permissions: String(botPermissionsIn(channel)),
      entitlements: [],
      authorizing_integration_owners: { "0": guild ?? "0" },
      context: guild === null ? 1 : 0,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(message ? { message } : {}),
      ...(guild
        ? {
            guild_id: guild,
            guild: { id: guild, locale: "en-US", features: [] },
            guild_locale: "en-US",
            member: { ...memberObject(permissions), user: invoker },
          }
        : { user: invoker }),
    };
    dispatch("INTERACTION_CREATE", payload);
    return id;
  };

  // ---------------------------------------------------------------- REST

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });

  const parseBody = (raw: Buffer, contentType: string): { body: unknown; files: RestFile[] } => {
    if (raw.length === 0) return { body: undefined, files: [] };
    if (contentType.startsWith("multipart/form-data")) {
      const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
      if (!boundary) return { body: raw.toString("utf8"), files: [] };
      const files: RestFile[] = [];
      let body: unknown;
      const text = raw.toString("latin1");
      for (const part of text.split(`--${boundary}`)) {
        const sep = part.indexOf("\r\n\r\n");
        if (sep < 0) continue;
        const head = part.slice(0, sep);
        const content = part.slice(sep + 4, part.endsWith("\r\n") ? -2 : undefined);
        const field = /name="([^"]*)"/.exec(head)?.[1] ?? "";
        const filename = /filename="([^"]*)"/.exec(head)?.[1];
        if (filename === undefined) {
          if (field === "payload_json") body = JSON.parse(Buffer.from(content, "latin1").toString("utf8"));
        } else {
          files.push({
            field,
            filename,
            contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? "application/octet-stream",
            data: Buffer.from(content, "latin1"),
          });
        }
      }
      return { body, files };
    }
    const text = raw.toString("utf8");
    if (contentType.includes("json")) return { body: JSON.parse(text), files: [] };
    return { body: text, files: [] };
  };

  type Reply = {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    after?: (() => void) | undefined;
  };

  const messageFromBody = (
    body: Json,
    channel: string,
    extra: {
      id?: string | undefined;
      type?: number | undefined;
      webhookId?: string | undefined;
      extra?: Json | undefined;
      reference?: string | undefined;
    } = {},
  ): Json => {
    const ch = channels.get(channel);
    const guild = (ch?.guild_id as string | undefined) ?? null;
    return buildMessage({
      id: extra.id,
      channelId: channel,
      guildId: guild,
      authorId: botUser.id,
      content: (body.content as string | undefined) ?? "",
      embeds: (body.embeds as unknown[] | undefined) ?? [],
      components: (body.components as unknown[] | undefined) ?? [],
      flags: (body.flags as number | undefined) ?? 0,
      type: extra.type,
      reference: extra.reference,
      webhookId: extra.webhookId,
      extra: { ...extra.extra, ...(body.nonce !== undefined ? { nonce: body.nonce } : {}) },
    });
  };

  const echo = (msg: Json) => {
    if (!echoOwn) return;
    const ch = channels.get(msg.channel_id as string);
    setImmediate(() => dispatchMessage(msg, (ch?.guild_id as string | undefined) ?? null));
  };

  const knownChannel = (id: string): Json => {
    const ch = channels.get(id);
    if (!ch) throw new DiscordHttpError(404, 10003, "Unknown Channel");
    return ch;
  };
  const knownMessage = (id: string): Json => {
    const m = messages.get(id);
    if (!m) throw new DiscordHttpError(404, 10008, "Unknown Message");
    return m;
  };
  const webhookExtra = (info: InteractionInfo | undefined): Json => ({
    application_id: applicationId,
    ...(info
      ? {
          interaction_metadata: {
            id: info.id,
            type: info.type,
            user: userObject(info.userId),
            authorizing_integration_owners: { "0": info.guildId ?? "0" },
          },
        }
      : {}),
  });
  const interactionByToken = (token: string) => [...interactions.values()].find((i) => i.token === token);

  const editMessage = (msg: Json, body: Json): Json => {
    for (const key of ["content", "embeds", "components", "flags", "attachments"] as const) {
      if (body[key] !== undefined) msg[key] = body[key];
    }
    msg.edited_timestamp = now();
    return msg;
  };

  const commandObject = (c: Json, guild?: string): Json => ({
    id: snowflake(),
    application_id: applicationId,
    version: snowflake(),
    type: 1,
    description: "",
    default_member_permissions: null,
    nsfw: false,
    integration_types: [0],
    contexts: null,
    ...c,
    ...(guild ? { guild_id: guild } : {}),
  });

  /** What Discord would refuse in a modal (interaction callback type 9), or undefined when it fits. */
  const modalProblem = (modal: Json): string | undefined => {
    const text = (v: unknown, min: number, max: number) =>
      typeof v === "string" && v.length >= min && v.length <= max;
    const optional = (v: unknown, max: number) => v === undefined || text(v, 0, max);
    if (!text(modal.custom_id, 1, 100)) return "custom_id must be 1-100 characters";
    if (!text(modal.title, 1, 45)) return "title must be 1-45 characters";
    const components = modal.components as Json[] | undefined;
    if (!Array.isArray(components) || components.length < 1 || components.length > 5)
      return "a modal has 1 to 5 components";
    const ids = new Set<string>();
    const input = (c: Json | undefined, label: unknown, legacy: boolean): string | undefined => {
      if (c?.type !== 4) return "only text inputs are expected here";
      if (!text(c.custom_id, 1, 100)) return "a text input's custom_id must be 1-100 characters";
      if (ids.has(c.custom_id as string)) return `custom_id ${String(c.custom_id)} is used twice`;
      ids.add(c.custom_id as string);
      if (legacy ? !text(label, 1, 45) : label !== undefined && !text(label, 1, 45))
        return "a label must be 1-45 characters";
      if (c.style !== 1 && c.style !== 2) return "a text input's style is 1 (short) or 2 (paragraph)";
      const min = (c.min_length as number | undefined) ?? 0;
      const max = (c.max_length as number | undefined) ?? 4000;
      if (min < 0 || min > 4000 || max < 1 || max > 4000 || min > max)
        return "min_length is 0-4000 and max_length 1-4000";
      if (!optional(c.placeholder, 100)) return "a placeholder is at most 100 characters";
      if (!optional(c.value, Math.min(max, 4000))) return "a text input's value is at most its max_length";
      return undefined;
    };
    for (const c of components) {
      const problem =
        c.type === 18
          ? !text(c.label, 1, 45)
            ? "a label must be 1-45 characters"
            : !optional(c.description, 100)
              ? "a label's description is at most 100 characters"
              : input(c.component as Json | undefined, undefined, false)
          : c.type === 1
            ? (c.components as Json[] | undefined)?.length !== 1
              ? "an action row in a modal holds one text input"
              : input((c.components as Json[])[0], (c.components as Json[])[0]?.label, true)
            : c.type === 10
              ? undefined
              : `component type ${String(c.type)} is not allowed in a modal`;
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

  const route = (method: string, seg: string[], query: URLSearchParams, body: Json): Reply => {
    const [a, b, c, d, e] = seg;
    const n = seg.length;
    const json = (status: number, value: unknown): Reply => ({ status, body: value });

    if (method === "GET" && a === "gateway" && (n === 1 || (n === 2 && b === "bot"))) {
      return json(200, {
        url: gatewayUrl,
        ...(n === 2
          ? {
              shards: 1,
              session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
            }
          : {}),
      });
    }
    if (a === "users") {
      if (method === "GET" && n === 2 && b === "@me")
        return json(200, { ...userObject(botUser.id), verified: true });
      if (method === "GET" && n === 2 && b) return json(200, userObject(b));
      if (method === "POST" && n === 3 && b === "@me" && c === "channels") {
        const recipient = body.recipient_id as string;
        return json(200, channels.get(dmChannelFor(recipient)));
      }
    }
    if (a === "applications" && b) {
      if (method === "GET" && n === 2 && b === "@me") {
        return json(200, {
          id: applicationId,
          name: botUser.username,
          icon: null,
          description: "",
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: "0".repeat(64),
          flags: 0,
          team: null,
          owner: userObject(ownerId),
          bot: userObject(botUser.id),
        });
      }
      const key =
        n === 5 && c === "guilds" && e === "commands"
          ? (d as string)
          : n === 3 && c === "commands"
            ? "global"
            : null;
      if (key) {
        const guild = key === "global" ? undefined : key;
        if (method === "PUT") {
          const list = (Array.isArray(body) ? body : []) as Json[];
          commands.set(
            key,
            list.map((x) => commandObject(x, guild)),
          );
          return json(200, commands.get(key));
        }
        if (method === "GET") return json(200, commands.get(key) ?? []);
        if (method === "POST") {
          const created = commandObject(body, guild);
          commands.set(key, [...(commands.get(key) ?? []).filter((x) => x.name !== body.name), created]);
          return json(201, created);
        }
      }
    }
    if (method === "POST" && a === "interactions" && n === 4 && d === "callback" && b && c) {
      if (acknowledged.has(b))
        throw new DiscordHttpError(400, 40060, "Interaction has already been acknowledged.");
      const info = interactions.get(b);
      if (info !== undefined && Date.now() - info.createdAt > deadline) {
        throw new DiscordHttpError(404, 10062, "Unknown interaction");
      }
      const type = body.type as number;
      const data = (body.data ?? {}) as Json;
      if (type === 9) {
        // MODAL: not for autocomplete or a modal submit, and within the modal's limits.
        const problem =
          info?.type === 4 || info?.type === 5
            ? `a modal cannot answer an interaction of type ${info.type}`
            : modalProblem(data);
        if (problem !== undefined) throw new DiscordHttpError(400, 50035, `Invalid Form Body: ${problem}`);
        modals.set(b, data);
      }
      if (type === 7 && info?.messageId === undefined) {
        throw new DiscordHttpError(400, 50035, "Invalid Form Body: UPDATE_MESSAGE needs a message to update");
      }
      acknowledged.add(b);
      let response: Json | undefined;
      let after: (() => void) | undefined;
      if (info && (type === 4 || type === 5)) {
        const ephemeral = (((data.flags as number | undefined) ?? 0) & 64) !== 0;
        response = messageFromBody(
          type === 5 ? { flags: ((data.flags as number) ?? 0) | 128 } : data,
          info.channelId,
          {
            type: 20,
            webhookId: applicationId,
            extra: webhookExtra(info),
          },
        );
        originals.set(info.token, response);
        if (!ephemeral) {
          const msg = response;
          after = () => echo(msg);
        }
      }
      if (info?.messageId && type === 7) {
        const target = messages.get(info.messageId);
        if (target) response = editMessage(target, data);
      }
      if (query.get("with_response") === "true") {
        return {
          status: 200,
          body: {
            interaction: {
              id: b,
              type: info?.type ?? 2,
              response_message_id: response?.id ?? null,
              response_message_loading: type === 5,
              response_message_ephemeral: (((response?.flags as number | undefined) ?? 0) & 64) !== 0,
            },
            ...(response ? { resource: { type, message: response } } : {}),
          },
          after,
        };
      }
      return { status: 204, after };
    }
    if (a === "webhooks" && b && c) {
      const info = interactionByToken(c);
      if (n === 3 && method === "POST") {
        const msg = messageFromBody(body, info?.channelId ?? channelId, {
          type: 20,
          webhookId: b,
          extra: webhookExtra(info),
        });
        if ((((msg.flags as number) ?? 0) & 64) === 0) echo(msg);
        return query.get("wait") === "true" ? json(200, msg) : { status: 204 };
      }
      if (n === 5 && d === "messages" && e) {
        const existing = e === "@original" ? originals.get(c) : messages.get(e);
        if (method === "GET") {
          if (!existing) throw new DiscordHttpError(404, 10008, "Unknown Message");
          return json(200, existing);
        }
        if (method === "DELETE") {
          if (existing) messages.delete(existing.id as string);
          if (e === "@original") originals.delete(c);
          return { status: 204 };
        }
        if (method === "PATCH") {
          let msg: Json;
          if (existing) {
            msg = editMessage(existing, body);
            msg.flags = ((msg.flags as number) ?? 0) & ~128;
          } else {
            msg = messageFromBody(body, info?.channelId ?? channelId, {
              type: 20,
              webhookId: b,
              extra: webhookExtra(info),
            });
            if (e === "@original") originals.set(c, msg);
          }
          return json(200, msg);
        }
      }
    }
    if (a === "channels" && b) {
      if (method === "GET" && n === 2) return json(200, knownChannel(b));
      if (method === "POST" && n === 3 && c === "typing") {
        knownChannel(b);
        return { status: 204 };
      }
      if (c === "messages" && n === 3 && method === "POST") {
        const ch = knownChannel(b);
        const inThread = THREAD_TYPES.has(ch.type as number);
        const ref = (body.message_reference as Json | undefined)?.message_id as string | undefined;
        requirePermissions(
          b,
          P.ViewChannel |
            (inThread ? P.SendMessagesInThreads : P.SendMessages) |
            (ref ? P.ReadMessageHistory : 0n),
        );
        if (ref && !messages.has(ref) && (body.message_reference as Json).fail_if_not_exists !== false) {
          throw new DiscordHttpError(400, 50035, "Invalid Form Body");
        }
        const msg = messageFromBody(body, b, { reference: ref });
        if (inThread) {
          ch.message_count = ((ch.message_count as number) ?? 0) + 1;
          ch.total_message_sent = ((ch.total_message_sent as number) ?? 0) + 1;
        }
        return { status: 200, body: msg, after: () => echo(msg) };
      }
      if (c === "messages" && d && n === 4) {
        knownChannel(b);
        const msg = knownMessage(d);
        if (method === "GET") return json(200, msg);
        if (method === "PATCH") return json(200, editMessage(msg, body));
        if (method === "DELETE") {
          messages.delete(d);
          return { status: 204 };
        }
      }
      if (method === "POST" && c === "messages" && d && n === 5 && e === "threads") {
        const parent = knownChannel(b);
        const starter = knownMessage(d);
        requirePermissions(b, P.ViewChannel | (parent.type === 5 ? 0n : P.CreatePublicThreads));
        if (starter.thread)
          throw new DiscordHttpError(400, 160004, "A thread has already been created for this message");
        const thread = registerThread({
          name: String(body.name ?? "thread"),
          parentId: b,
          messageId: d,
          type: parent.type === 5 ? 10 : 11,
          autoArchive: body.auto_archive_duration as number | undefined,
        });
        starter.thread = thread;
        starter.flags = ((starter.flags as number) ?? 0) | 32;
        return {
          status: 201,
          body: thread,
          after: () => setImmediate(() => dispatch("THREAD_CREATE", { ...thread, newly_created: true })),
        };
      }
      if (method === "POST" && c === "threads" && n === 3) {
        knownChannel(b);
        const type = (body.type as number | undefined) ?? 12;
        requirePermissions(b, P.ViewChannel | (type === 12 ? P.CreatePrivateThreads : P.CreatePublicThreads));
        const thread = registerThread({
          name: String(body.name ?? "thread"),
          parentId: b,
          type,
          autoArchive: body.auto_archive_duration as number | undefined,
        });
        return {
          status: 201,
          body: thread,
          after: () => setImmediate(() => dispatch("THREAD_CREATE", { ...thread, newly_created: true })),
        };
      }
      if (method === "PUT" && c === "thread-members" && n === 4) return { status: 204 };
      if (c === "messages" && e === "reactions" && (method === "PUT" || method === "DELETE"))
        return { status: 204 };
    }
    return json(200, {});
  };

  const failureReply = (failure: RestFailure): Reply => {
    if (failure.status === 429) {
      const global = failure.global ?? false;
      return {
        status: 429,
        headers: {
          "retry-after": String(failure.retryAfter),
          "x-ratelimit-limit": "5",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Date.now() / 1000 + failure.retryAfter),
          "x-ratelimit-reset-after": String(failure.retryAfter),
          "x-ratelimit-bucket": "fake-bucket",
          "x-ratelimit-scope": global ? "global" : "user",
          ...(global ? { "x-ratelimit-global": "true" } : {}),
        },
        body: { message: "You are being rate limited.", retry_after: failure.retryAfter, global, code: 0 },
      };
    }
    if (failure.status === 403)
      return { status: 403, body: { code: failure.code, message: failure.message } };
    if (failure.status === 401) return { status: 401, body: { message: "401: Unauthorized", code: 0 } };
    return { status: 500, body: { message: "500: Internal Server Error", code: 0 } };
  };

  const send = (res: ServerResponse, reply: Reply) => {
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body !== undefined && reply.status !== 204) {
      const text = JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...headers, "content-type": "application/json" });
      res.end(text);
    } else {
      res.writeHead(reply.status, headers);
      res.end();
    }
  };

  const http: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const receivedAt = performance.now();
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const rawPath = url.pathname.replace(/^\/api(\/v\d+)?/, "");
      const seg = rawPath.split("/").filter(Boolean).map(decodeURIComponent);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      }
      const method = req.method ?? "GET";
      let parsed: { body: unknown; files: RestFile[] };
      try {
        parsed = parseBody(raw, headers["content-type"] ?? "");
      } catch {
        parsed = { body: raw.toString("utf8"), files: [] };
      }
      const call: RestCall = {
        method,
        path: `/${seg.join("/")}`,
        rawPath,
        query: url.searchParams,
        body: parsed.body,
        files: parsed.files,
        headers,
        status: 0,
        receivedAt,
      };
      let reply: Reply;
      const failure = failures.find((x) => x.left > 0 && x.match(call));
      if (failure) {
        failure.left -= 1;
        reply = failureReply(failure.failure);
      } else {
        try {
          reply = route(method, seg, url.searchParams, (parsed.body ?? {}) as Json);
        } catch (err) {
          if (!(err instanceof DiscordHttpError)) throw err;
          reply = { status: err.status, body: { code: err.code, message: err.message } };
        }
      }
      call.status = reply.status;
      calls.push(call);
      for (const w of callWaiters) {
        if (w.predicate(call)) {
          callWaiters.delete(w);
          w.resolve(call);
        }
      }
      send(res, reply);
      reply.after?.();
    })().catch((err: unknown) => {
      console.error("fake discord REST handler failed", err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "fake failure", code: 0 }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => resolve());
  });
  const apiUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`;

  // ---------------------------------------------------------------- API

  const timers = new Set<NodeJS.Timeout>();
  const withTimeout = <T>(what: string, timeoutMs: number, register: (done: (v: T) => void) => () => void) =>
    new Promise<T>((resolve, reject) => {
      let unregister: () => void = () => {};
      const timer = setTimeout(() => {
        timers.delete(timer);
        unregister();
        reject(new Error(`fake discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      timers.add(timer);
      unregister = register((v) => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(v);
      });
    });

  const fake: FakeDiscord = {
    apiUrl,
    gatewayUrl,
    applicationId,
    botUser,
    botRoleId,
    user,
    guildId,
    ownerId,
    channelId,
    calls,
    messages,
    channels,
    modals,
    commands,
    get intents() {
      return state.intents;
    },
    get identifies() {
      return state.identifies;
    },
    get resumes() {
      return state.resumes;
    },
    get replayed() {
      return state.replayed;
    },
    get received() {
      return state.received;
    },
    waitForCall(predicate, timeoutMs = 2000) {
      const found = calls.find(predicate);
      if (found) return Promise.resolve(found);
      return withTimeout<RestCall>("a matching REST call", timeoutMs, (done) => {
        const w = { predicate, resolve: done };
        callWaiters.add(w);
        return () => callWaiters.delete(w);
      });
    },
    failNext(match, failure, times = 1) {
      failures.push({ match, failure, left: times });
    },
    ready() {
      if (isReady) return Promise.resolve();
      return new Promise<void>((resolve) => readyWaiters.push(resolve));
    },
    resumed(count = 1, timeoutMs = 3000) {
      if (state.resumes >= count) return Promise.resolve();
      return withTimeout<void>(`${count} resume(s)`, timeoutMs, (done) => {
        const w = () => {
          if (state.resumes >= count) {
            resumeWaiters.delete(w);
            done();
          }
        };
        resumeWaiters.add(w);
        return () => resumeWaiters.delete(w);
      });
    },
    dispatch,
    sendRaw(frame) {
      sendFrame(active, frame);
    },
    messageCreate,
    threadCreate,
    interaction,
    interactionToken(id) {
      const info = interactions.get(id);
      if (!info) throw new Error(`fake discord: unknown interaction ${id}`);
      return info.token;
    },
    dmChannelFor,
    setBotPermissions(permissions) {
      everyonePermissions = permissions;
      dispatch("GUILD_ROLE_UPDATE", { guild_id: guildId, role: everyoneRole() });
    },
    botPermissionsIn,
    disconnect(code = 4000) {
      active?.close(code, "fake disconnect");
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return fake;
}
