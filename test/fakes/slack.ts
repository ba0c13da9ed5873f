// A loopback fake of Slack for tests and benchmarks: Web API, response_url, Socket Mode server and a
// signing HTTP client that plays Slack towards an HTTP-mode Bolt app. Everything listens on 127.0.0.1
// on a free port; `close()` releases every socket and timer.
import { createHmac, randomUUID } from "node:crypto";
import { type Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";

/** One Web API request the fake received (failed attempts included, see `failure`). */
export interface SlackApiCall {
  /** Web API method, e.g. "chat.postMessage". */
  method: string;
  /** Arguments from the form or JSON body; JSON-string values (blocks, attachments, view...) parsed back. */
  args: Record<string, unknown>;
  /** Token from `Authorization: Bearer` (or a `token` body field); never left inside `args`. */
  token: string | undefined;
  /** The injected failure this call was answered with, if any. */
  failure?: SlackFailure;
  /** Slack's error when the fake itself refused the call (`invalid_arguments`, `exchanged_trigger_id`...). */
  refused?: string;
}

/** One POST the fake received at a response_url. */
export interface SlackResponsePost {
  /** The response_url that was posted to. */
  url: string;
  /** The JSON (or form) body, parsed. */
  body: Record<string, unknown>;
  /** The injected failure this post was answered with, if any. */
  failure?: SlackFailure;
}

/** A failure to inject: 429 with Retry-After seconds, HTTP 500, 200 `{ok:false,error}`, or a dropped socket. */
export type SlackFailure =
  | { status: 429; retryAfter: number }
  | { status: 500 }
  | { error: string }
  | { drop: true };

/** Socket Mode envelope types the fake can deliver. */
export type SocketEnvelopeType = "slash_commands" | "events_api" | "interactive";

/** What a Socket Mode client sent back for an envelope: `{envelope_id, payload}`. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

/** Extra envelope fields and the ack timeout for `socket.send`. */
export interface SocketSendOptions {
  retry_attempt?: number;
  retry_reason?: string;
  /** Reject if the client has not acked within this many ms (default 3000, like Slack). */
  timeoutMs?: number;
}

/** The fake's Socket Mode server (`apps.connections.open` hands out its ws:// URL). */
export interface FakeSlackSocket {
  /** The ws:// URL `apps.connections.open` answers with. */
  readonly url: string;
  /** Resolves once a client is connected and has been sent `hello` (immediately if one already is). */
  connected(timeoutMs?: number): Promise<void>;
  /** Resolves once no WebSocket connection is open any more (e.g. after `app.stop()`). */
  disconnected(timeoutMs?: number): Promise<void>;
  /** Delivers an envelope to the newest connected client; resolves with the client's ack. */
  send(type: SocketEnvelopeType, payload: object, extra?: SocketSendOptions): Promise<SocketAck>;
  /** Sends `{type:"disconnect"}` to every client (or, with `hard`, kills the TCP sockets) to test reconnects. */
  disconnectClient(opts?: { hard?: boolean }): void;
  /** How many WebSocket connections were accepted since start (reconnects count). */
  readonly connections: number;
  /** How many WebSocket connections are open right now. */
  readonly openConnections: number;
  /** Every envelope sent to clients, in order. */
  readonly envelopes: Record<string, unknown>[];
  /** Every ack received from clients, in order. */
  readonly acks: SocketAck[];
}

/** A workspace (or an Enterprise Grid org, for an org-wide install) that installs the app. */
export interface FakeWorkspace {
  /** The team installing; leave it out for an org-wide install. */
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  /** An org-wide install: Slack answers with `team: null` and `is_enterprise_install: true`. */
  orgWide?: boolean;
  /** Who clicks Allow. */
  userId?: string;
  /** The bot's user id in this workspace (default `U<team or enterprise id>BOT`). */
  botUserId?: string;
  /** Token rotation on: bot tokens expire after this many seconds and come with a refresh token. */
  expiresIn?: number;
  /** The installer clicks Cancel instead of Allow. */
  deny?: boolean;
}

/** A bot token the fake handed out through oauth.v2.access. */
export interface FakeToken {
  readonly token: string;
  readonly refreshToken: string | undefined;
  /** The team id, or the enterprise id of an org-wide install. */
  readonly workspace: string;
  readonly teamId: string | undefined;
  readonly enterpriseId: string | undefined;
  readonly botUserId: string;
  readonly botId: string;
  /** The grant that produced it: an authorization code, or a refresh token. */
  readonly grantType: "authorization_code" | "refresh_token";
  revoked: boolean;
}

/** The fake's side of Slack's OAuth v2 flow: the authorize page and oauth.v2.access. */
export interface FakeSlackOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  /** "http://127.0.0.1:P/oauth/v2/authorize", for the installer's `authorizationUrl`. */
  readonly authorizeUrl: string;
  /** Where the authorize page sends the browser when the link names no redirect_uri (the app's Redirect URL). */
  redirectUri: string | undefined;
  /** The query of every visit to the authorize page, in order. */
  readonly authorizeRequests: URLSearchParams[];
  /** The workspace the next visit to the authorize page installs into (default: team T1). */
  installNext(workspace: FakeWorkspace): void;
  /** A fresh one-time code for `workspace`, as the authorize page hands out. */
  grant(workspace: FakeWorkspace): string;
  /** Every bot token handed out, oldest first. */
  readonly tokens: FakeToken[];
  /** The newest bot token of a team (or org), if any. */
  tokenOf(workspace: string): FakeToken | undefined;
  /** Revokes a token: Web API calls with it then fail with `token_revoked`. */
  revoke(token: string): void;
}

/** A running fake Slack. */
export interface FakeSlack {
  /** Base URL of the fake, "http://127.0.0.1:P". */
  url: string;
  /** "http://127.0.0.1:P/api/", for `clientOptions.slackApiUrl`. */
  apiUrl: string;
  /** Identity `auth.test` reports and builders default to. */
  botUserId: string;
  botId: string;
  teamId: string;
  appId: string;
  /** Every Web API call, in arrival order. */
  calls: SlackApiCall[];
  /** Every POST to a response_url, in arrival order. */
  responses: SlackResponsePost[];
  /** A fresh response_url served by the fake. */
  responseUrl(): string;
  /** First call (already recorded or future) to `method` matching `predicate`; rejects after `timeoutMs`. */
  waitForCall(
    method: string,
    predicate?: (c: SlackApiCall) => boolean,
    timeoutMs?: number,
  ): Promise<SlackApiCall>;
  /** Resolves with the first `count` calls to `method` once that many have arrived. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<SlackApiCall[]>;
  /** First response_url POST (already recorded or future) matching `predicate`. */
  waitForResponse(
    predicate?: (r: SlackResponsePost) => boolean,
    timeoutMs?: number,
  ): Promise<SlackResponsePost>;
  /** All calls recorded so far to `method`. */
  callsTo(method: string): SlackApiCall[];
  /** Answers the next `times` calls to `method` (or "response_url" for response_url POSTs) with `failure`. */
  failNext(method: string, failure: SlackFailure, times?: number): void;
  /** Custom OK payload for `method`: the reply is merged over `{ok:true}` (return `{ok:false,error}` to fail). */
  onCall(
    method: string,
    reply: (call: SlackApiCall) => Record<string, unknown> | Promise<Record<string, unknown>>,
  ): void;
  /** Forgets recorded calls, responses, envelopes, acks, pending failures and onCall handlers. */
  reset(): void;
  /** The Socket Mode server. */
  socket: FakeSlackSocket;
  /** The OAuth flow: authorize page, codes and the tokens oauth.v2.access hands out. */
  oauth: FakeSlackOAuth;
  /** The workspace's people, as users.info and users.list tell them (anyone else is a regular member). */
  users: FakeDirectory;
  /** Every view the app opened (views.open) or published (views.publish), by view id, as Slack holds it. */
  readonly views: ReadonlyMap<string, FakeView>;
  /** Closes every connection, the WebSocket server and the HTTP server; rejects pending waits. Idempotent. */
  close(): Promise<void>;
}

/** A person of the workspace, as users.info and users.list describe them. */
export interface FakeUser {
  readonly id: string;
  /** A workspace admin (`is_admin`). */
  readonly admin?: boolean;
  /** A workspace owner (`is_owner`; owners are admins too, as Slack reports them). */
  readonly owner?: boolean;
  /** A deactivated account (`deleted`). */
  readonly deleted?: boolean;
  /** An app's bot user (`is_bot`). */
  readonly bot?: boolean;
}

/** The people the fake knows; users.info answers any other `U…`/`W…` id as a regular member. */
export interface FakeDirectory {
  /** Adds or replaces a person. */
  set(user: FakeUser): void;
  /** Everyone known, the bot user first. */
  all(): FakeUser[];
}

/** A view the fake holds after views.open or views.publish: what was sent, plus what Slack adds. */
export type FakeView = Record<string, unknown> & {
  readonly id: string;
  readonly type: string;
  readonly hash: string;
  /** views.open: the trigger exchanged; views.publish: the user whose Home tab it is. */
  readonly trigger_id?: string;
  readonly user_id?: string;
};

/** Options for `startFakeSlack`. */
export interface FakeSlackOptions {
  botUserId?: string;
  botId?: string;
  teamId?: string;
  teamName?: string;
  botName?: string;
  appId?: string;
  /** The app's Client ID and Client Secret that oauth.v2.access accepts. */
  clientId?: string;
  clientSecret?: string;
  /** Default timeout of the waitFor* helpers (ms, default 2000). */
  waitTimeoutMs?: number;
  /** People of the workspace (admins, owners...) besides the bot user. */
  users?: readonly FakeUser[];
}

/** Keys whose string values stay strings even when they look like JSON. */
const FREE_TEXT_KEYS = new Set(["text", "markdown_text", "query", "user_auth_message", "alt_text", "title"]);

type Waiter<T> = {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
};

/** An append-only list that can be awaited. */
class Feed<T> {
  items: T[] = [];
  private waiters = new Set<Waiter<T>>();

  push(item: T): void {
    this.items.push(item);
    for (const w of [...this.waiters]) {
      if (w.match(item)) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(item);
      }
    }
  }

  wait(match: (item: T) => boolean, timeoutMs: number, describe: () => string): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          reject(new Error(describe()));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  clear(): void {
    this.items.length = 0;
  }

  abort(reason: string): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(reason));
    }
    this.waiters.clear();
  }
}

/** Waiters on a boolean condition (connected / disconnected). */
class Condition {
  private waiters = new Set<{ resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly test: () => boolean) {}

  wait(timeoutMs: number, what: string): Promise<void> {
    if (this.test()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          reject(new Error(`fake Slack: timed out after ${timeoutMs}ms waiting for ${what}`));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  check(): void {
    if (!this.test()) return;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.waiters.clear();
  }

  abort(reason: string): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(reason));
    }
    this.waiters.clear();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses strings that web-api JSON-encoded (objects/arrays) back, leaving free text alone. */
function reviveJsonStrings(args: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(args)) {
    if (typeof value !== "string" || FREE_TEXT_KEYS.has(key)) continue;
    const t = value.trimStart();
    if (!t.startsWith("{") && !t.startsWith("[")) continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // not JSON after all: keep the string
    }
  }
  return args;
}

/** Parses a form (urlencoded or multipart) or JSON body into an object. */
async function parseBody(contentType: string | undefined, raw: Buffer): Promise<Record<string, unknown>> {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const out: Record<string, unknown> = {};
  if (raw.length === 0) return out;
  if (type === "application/json") {
    try {
      const parsed: unknown = JSON.parse(raw.toString("utf8"));
      return isRecord(parsed) ? parsed : { _body: parsed };
    } catch {
      return { _raw: raw.toString("utf8") };
    }
  }
  if (type === "multipart/form-data" && contentType !== undefined) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType },
    }).formData();
    for (const [key, value] of form.entries()) {
      out[key] =
        typeof value === "string" ? value : { filename: value.name, size: value.size, type: value.type };
    }
    return out;
  }
  for (const [key, value] of new URLSearchParams(raw.toString("utf8"))) out[key] = value;
  return out;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/** Answers `res` with an injected failure. */
function sendFailure(req: IncomingMessage, res: ServerResponse, failure: SlackFailure): void {
  if ("drop" in failure) {
    req.socket.destroy();
  } else if ("error" in failure) {
    sendJson(res, 200, { ok: false, error: failure.error });
  } else if (failure.status === 429) {
    sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
  } else {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("Internal Server Error");
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A user object as users.info and users.list return it. */
function userObject(u: FakeUser, teamId: string): Record<string, unknown> {
  const owner = u.owner === true;
  return {
    id: u.id,
    team_id: teamId,
    name: `user-${u.id.toLowerCase()}`,
    deleted: u.deleted === true,
    real_name: `User ${u.id}`,
    tz: "Europe/Amsterdam",
    is_admin: owner || u.admin === true,
    is_owner: owner,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.bot === true,
    is_app_user: false,
    updated: 1_700_000_000,
    profile: { real_name: `User ${u.id}`, display_name: `user-${u.id.toLowerCase()}`, team: teamId },
  };
}

/** A plain_text object within `max` characters, or why not. */
function plainTextProblem(value: unknown, what: string, max: number): string | undefined {
  if (!isRecord(value) || value.type !== "plain_text" || typeof value.text !== "string")
    return `${what} must be a plain_text object`;
  if (value.text.length === 0 || value.text.length > max)
    return `${what} must be 1 to ${max} characters (it has ${value.text.length})`;
  return undefined;
}

/** How a view breaks the documented limits of a modal or Home tab (https://docs.slack.dev/reference/views). */
function viewProblems(view: Record<string, unknown>, type: "modal" | "home"): string[] {
  const problems: string[] = [];
  const add = (p: string | undefined) => {
    if (p !== undefined) problems.push(p);
  };
  if (view.type !== type) return [`view.type must be ${type}`];
  const blocks = Array.isArray(view.blocks) ? (view.blocks as unknown[]) : undefined;
  if (blocks === undefined) return ["view.blocks must be an array"];
  if (blocks.length > 100) add(`view has ${blocks.length} blocks (max 100)`);
  if (str(view.private_metadata) !== undefined && (view.private_metadata as string).length > 3000)
    add("private_metadata is over 3000 characters");
  if (str(view.callback_id) !== undefined && (view.callback_id as string).length > 255)
    add("callback_id is over 255 characters");
  const hasInput = blocks.some((b) => isRecord(b) && b.type === "input");
  if (type === "modal") {
    add(plainTextProblem(view.title, "title", 24));
    if (view.close !== undefined) add(plainTextProblem(view.close, "close", 24));
    if (view.submit !== undefined) add(plainTextProblem(view.submit, "submit", 24));
    else if (hasInput) add("submit is required when the view has input blocks");
  } else if (hasInput) add("a Home tab cannot hold input blocks");
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  const element = (e: unknown, i: number) => {
    const id = isRecord(e) ? str(e.action_id) : undefined;
    if (id === undefined) return;
    if (actionIds.has(id)) add(`block ${i}: action_id ${id} repeats`);
    actionIds.add(id);
  };
  blocks.forEach((b, i) => {
    if (!isRecord(b)) {
      add(`block ${i} is not an object`);
      return;
    }
    const id = str(b.block_id);
    if (id !== undefined) {
      if (blockIds.has(id)) add(`block_id ${id} repeats`);
      blockIds.add(id);
    }
    if (b.type === "section") {
      const text = isRecord(b.text) ? str(b.text.text) : undefined;
      if (text === undefined || text.length === 0 || text.length > 3000)
        add(`block ${i}: section text must be 1 to 3000 characters`);
      element(b.accessory, i);
    } else if (b.type === "actions") {
      const elements = Array.isArray(b.elements) ? b.elements : [];
      if (elements.length === 0 || elements.length > 25) add(`block ${i}: actions need 1 to 25 elements`);
      for (const e of elements) element(e, i);
    } else if (b.type === "input") {
      add(plainTextProblem(b.label, `block ${i} label`, 2000));
      if (b.hint !== undefined) add(plainTextProblem(b.hint, `block ${i} hint`, 2000));
      const e = isRecord(b.element) ? b.element : {};
      if (e.type === "plain_text_input") {
        const max = typeof e.max_length === "number" ? e.max_length : 3000;
        if (max < 1 || max > 3000) add(`block ${i}: max_length must be 1 to 3000`);
        const initial = str(e.initial_value);
        if (initial !== undefined && initial.length > max)
          add(`block ${i}: initial_value is longer than max_length`);
      } else add(`block ${i}: unexpected input element ${String(e.type)}`);
    } else if (!["context", "divider", "header"].includes(String(b.type))) {
      add(`block ${i}: unexpected block type ${String(b.type)}`);
    }
  });
  return problems;
}

/** Starts a fake Slack on 127.0.0.1 (free port). */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botUserId = opts.botUserId ?? "UBOT";
  const botId = opts.botId ?? "BBOT";
  const teamId = opts.teamId ?? "T1";
  const teamName = opts.teamName ?? "Test";
  const botName = opts.botName ?? "mesh";
  const appId = opts.appId ?? "A1";
  const waitTimeoutMs = opts.waitTimeoutMs ?? 2000;
  const clientId = opts.clientId ?? "1111111111.2222222222";
  const clientSecret = opts.clientSecret ?? "0123456789abcdef0123456789abcdef";

  const calls = new Feed<SlackApiCall>();
  const responses = new Feed<SlackResponsePost>();
  const acks = new Feed<SocketAck>();
  const envelopes: Record<string, unknown>[] = [];
  const failures = new Map<string, SlackFailure[]>();
  const handlers = new Map<
    string,
    (call: SlackApiCall) => Record<string, unknown> | Promise<Record<string, unknown>>
  >();
  let tsCounter = 0;
  let responseCounter = 0;
  let viewCounter = 0;
  let ticketCounter = 0;
  let closed = false;

  const nextTs = (): string => {
    tsCounter += 1;
    const micros = tsCounter * 100;
    return `${1_700_000_000 + Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  };

  const takeFailure = (key: string): SlackFailure | undefined => {
    const queue = failures.get(key);
    const failure = queue?.shift();
    if (queue !== undefined && queue.length === 0) failures.delete(key);
    return failure;
  };

  // ---- Socket Mode state ----
  const wss = new WebSocketServer({ noServer: true });
  const allSockets = new Set<WebSocket>();
  const active: WebSocket[] = []; // hello sent, not asked to disconnect
  let acceptedConnections = 0;
  const pendingAcks = new Map<
    string,
    { resolve: (a: SocketAck) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  const connectedCond = new Condition(() => active.length > 0);
  const disconnectedCond = new Condition(() => allSockets.size === 0);
  const removeActive = (ws: WebSocket): void => {
    const i = active.indexOf(ws);
    if (i >= 0) active.splice(i, 1);
  };

  let base = "";

  // ---- OAuth state ----
  const codes = new Map<string, { workspace: FakeWorkspace; scope: string }>();
  const tokens: FakeToken[] = [];
  const authorizeRequests: URLSearchParams[] = [];
  let nextInstall: FakeWorkspace | undefined;
  let grantCounter = 0;
  const secret = () => randomUUID().replaceAll("-", "");
  const issue = (w: FakeWorkspace, grantType: FakeToken["grantType"], refreshToken?: string): FakeToken => {
    grantCounter += 1;
    const workspace = (w.orgWide === true ? w.enterpriseId : w.teamId) ?? "T1";
    const rotating = w.expiresIn !== undefined;
    const token: FakeToken = {
      token: `${rotating ? "xoxe.xoxb-1" : "xoxb"}-${workspace}-${grantCounter}-${secret()}`,
      refreshToken: rotating ? (refreshToken ?? `xoxe-1-${workspace}-${secret()}`) : undefined,
      workspace,
      teamId: w.orgWide === true ? undefined : workspace,
      enterpriseId: w.enterpriseId,
      botUserId: w.botUserId ?? `U${workspace}BOT`,
      botId: `B${workspace}`,
      grantType,
      revoked: false,
    };
    tokens.push(token);
    return token;
  };
  const workspaces = new Map<string, FakeWorkspace>();
  const tokenInfo = (token: string | undefined) => tokens.find((t) => t.token === token);

  // ---- People and views ----
  const people = new Map<string, FakeUser>();
  for (const u of opts.users ?? []) people.set(u.id, u);
  const users: FakeDirectory = {
    set: (u) => {
      people.set(u.id, u);
    },
    all: () => [{ id: botUserId, bot: true }, ...[...people.values()].filter((u) => u.id !== botUserId)],
  };
  const views = new Map<string, FakeView>();
  const exchangedTriggers = new Set<string>();

  /** oauth.v2.access: a code (or, with rotation on, a refresh token) for a bot token, per Slack's docs. */
  const oauthAccess = (a: Record<string, unknown>): Record<string, unknown> => {
    if (a.client_id !== clientId) return { ok: false, error: "invalid_client_id" };
    if (a.client_secret !== clientSecret) return { ok: false, error: "bad_client_secret" };
    if (a.grant_type === "refresh_token") {
      const old = tokens.find((t) => t.refreshToken !== undefined && t.refreshToken === a.refresh_token);
      const w = old === undefined ? undefined : workspaces.get(old.workspace);
      if (old === undefined || w === undefined) return { ok: false, error: "invalid_refresh_token" };
      const fresh = issue(w, "refresh_token", old.refreshToken);
      return {
        access_token: fresh.token,
        token_type: "bot",
        expires_in: w.expiresIn,
        refresh_token: fresh.refreshToken,
        scope: "chat:write,commands",
        bot_user_id: fresh.botUserId,
        app_id: appId,
        team: w.orgWide === true ? null : { id: fresh.teamId, name: w.teamName ?? "Test" },
        enterprise: w.enterpriseId === undefined ? null : { id: w.enterpriseId, name: w.enterpriseName },
        is_enterprise_install: w.orgWide === true,
      };
    }
    const code = str(a.code);
    const granted = code === undefined ? undefined : codes.get(code);
    if (code === undefined || granted === undefined) return { ok: false, error: "invalid_code" };
    codes.delete(code);
    const { workspace: w, scope } = granted;
    const issued = issue(w, "authorization_code");
    workspaces.set(issued.workspace, w);
    const reply: Record<string, unknown> = {
      access_token: issued.token,
      token_type: "bot",
      scope,
      bot_user_id: issued.botUserId,
      app_id: appId,
      team: w.orgWide === true ? null : { id: issued.teamId, name: w.teamName ?? `Team ${issued.workspace}` },
      enterprise:
        w.enterpriseId === undefined
          ? null
          : { id: w.enterpriseId, name: w.enterpriseName ?? `Org ${w.enterpriseId}` },
      is_enterprise_install: w.orgWide === true,
      authed_user: { id: w.userId ?? "U1" },
    };
    if (issued.refreshToken !== undefined) {
      reply.refresh_token = issued.refreshToken;
      reply.expires_in = w.expiresIn;
    }
    return reply;
  };

  const grant = (w: FakeWorkspace, scope = "commands,chat:write"): string => {
    const code = `${Date.now()}.${secret()}`;
    codes.set(code, { workspace: w, scope });
    return code;
  };

  /** The authorize page: the installer clicks Allow (or Cancel) and is sent back with a code and the state. */
  const handleAuthorize = (res: ServerResponse, query: URLSearchParams) => {
    authorizeRequests.push(query);
    const w = nextInstall ?? { teamId: "T1" };
    nextInstall = undefined;
    const redirect = query.get("redirect_uri") ?? oauth.redirectUri;
    if (query.get("client_id") !== clientId || redirect === undefined) {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end(redirect === undefined ? "redirect_uri missing" : "invalid_client_id");
      return;
    }
    const back = new URL(redirect);
    if (w.deny === true) back.searchParams.set("error", "access_denied");
    else back.searchParams.set("code", grant(w, query.get("scope") ?? undefined));
    const state = query.get("state");
    if (state !== null) back.searchParams.set("state", state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  };

  const oauth: FakeSlackOAuth = {
    clientId,
    clientSecret,
    get authorizeUrl() {
      return `${base}/oauth/v2/authorize`;
    },
    redirectUri: undefined,
    authorizeRequests,
    installNext(w) {
      nextInstall = w;
    },
    grant: (w) => grant(w),
    tokens,
    tokenOf: (workspace) => tokens.findLast((t) => t.workspace === workspace),
    revoke(token) {
      const t = tokenInfo(token);
      if (t !== undefined) t.revoked = true;
    },
  };

  const defaultReply = (call: SlackApiCall): Record<string, unknown> => {
    const a = call.args;
    const channel = str(a.channel) ?? "C0";
    const botMessage = (ts: string): Record<string, unknown> => {
      const msg: Record<string, unknown> = {
        type: "message",
        text: str(a.text) ?? "",
        user: botUserId,
        bot_id: botId,
        app_id: appId,
        team: teamId,
        ts,
      };
      for (const k of ["blocks", "attachments", "metadata", "thread_ts"])
        if (a[k] !== undefined) msg[k] = a[k];
      return msg;
    };
    const issued = tokenInfo(call.token);
    switch (call.method) {
      case "oauth.v2.access":
        return oauthAccess(a);
      case "auth.test":
        if (issued !== undefined) {
          const org = issued.teamId === undefined;
          return {
            url: org
              ? `https://${issued.workspace.toLowerCase()}.enterprise.slack.com/`
              : `https://${issued.workspace.toLowerCase()}.slack.com/`,
            team: org ? undefined : `Team ${issued.workspace}`,
            user: botName,
            team_id: issued.teamId ?? issued.enterpriseId,
            user_id: issued.botUserId,
            bot_id: issued.botId,
            ...(issued.enterpriseId === undefined ? {} : { enterprise_id: issued.enterpriseId }),
            is_enterprise_install: org,
          };
        }
        return {
          url: `https://${teamName.toLowerCase()}.slack.com/`,
          team: teamName,
          user: botName,
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
          is_enterprise_install: false,
        };
      case "apps.connections.open":
        ticketCounter += 1;
        return { url: `${base.replace(/^http/, "ws")}/link/?ticket=${ticketCounter}&app_id=${appId}` };
      case "chat.postMessage":
      case "chat.meMessage": {
        const ts = nextTs();
        return { channel, ts, message: botMessage(ts) };
      }
      case "chat.postEphemeral":
        return { message_ts: nextTs() };
      case "chat.update": {
        const ts = str(a.ts) ?? nextTs();
        return { channel, ts, text: str(a.text) ?? "", message: botMessage(ts) };
      }
      case "chat.delete":
        return { channel, ts: str(a.ts) ?? "" };
      case "chat.scheduleMessage":
        return { channel, scheduled_message_id: `Q${tsCounter + 1}`, post_at: a.post_at };
      case "chat.getPermalink": {
        const ts = str(a.message_ts) ?? "";
        return { channel, permalink: `https://test.slack.com/archives/${channel}/p${ts.replace(".", "")}` };
      }
      case "views.open":
      case "views.publish": {
        // https://docs.slack.dev/reference/methods/views.open and views.publish: a trigger is exchanged once.
        const view = isRecord(a.view) ? a.view : {};
        const problems = viewProblems(view, call.method === "views.open" ? "modal" : "home");
        if (call.method === "views.open") {
          const trigger = str(a.trigger_id);
          if (trigger === undefined) problems.push("a trigger_id is required");
          else if (exchangedTriggers.has(trigger)) return { ok: false, error: "exchanged_trigger_id" };
        } else if (str(a.user_id) === undefined) problems.push("a user_id is required");
        if (problems.length > 0) {
          return {
            ok: false,
            error: "invalid_arguments",
            response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
          };
        }
        viewCounter += 1;
        const id = `V${viewCounter}`;
        const held: FakeView = {
          ...view,
          id,
          team_id: teamId,
          type: String(view.type),
          private_metadata: str(view.private_metadata) ?? "",
          callback_id: str(view.callback_id) ?? "",
          state: { values: {} },
          hash: `${Math.floor(Date.now() / 1000)}.h${viewCounter}`,
          clear_on_close: false,
          notify_on_close: false,
          root_view_id: id,
          previous_view_id: null,
          app_id: appId,
          external_id: "",
          app_installed_team_id: teamId,
          bot_id: botId,
          ...(call.method === "views.open"
            ? { trigger_id: str(a.trigger_id) ?? "" }
            : { user_id: str(a.user_id) ?? "" }),
        };
        if (call.method === "views.open") exchangedTriggers.add(str(a.trigger_id) ?? "");
        views.set(id, held);
        const { trigger_id: _t, user_id: _u, ...shown } = held;
        return { view: shown };
      }
      case "views.push":
      case "views.update": {
        viewCounter += 1;
        const view = isRecord(a.view) ? a.view : {};
        return {
          view: { id: `V${viewCounter}`, team_id: teamId, app_id: appId, hash: `h${viewCounter}`, ...view },
        };
      }
      case "conversations.history":
      case "conversations.replies":
        return { messages: [], has_more: false, response_metadata: { next_cursor: "" } };
      case "conversations.info":
        return { channel: { id: channel, name: `channel-${channel}`, is_channel: true, is_member: true } };
      case "conversations.open":
        return { channel: { id: `D${str(a.users) ?? "0"}` } };
      case "users.info": {
        // https://docs.slack.dev/reference/methods/users.info: anyone with a user id is a member here.
        const id = str(a.user) ?? "";
        const known = id === botUserId ? { id, bot: true } : people.get(id);
        if (known === undefined && !/^[UW][A-Z0-9]+$/.test(id)) return { ok: false, error: "user_not_found" };
        return { user: userObject(known ?? { id }, teamId) };
      }
      case "users.list": {
        // https://docs.slack.dev/reference/methods/users.list: pages of `limit` people, an opaque cursor.
        const everyone = users.all();
        const limit = Math.max(1, Math.min(1000, Number(a.limit ?? 0) || 1000));
        const start = a.cursor === undefined ? 0 : Number(Buffer.from(String(a.cursor), "base64").toString());
        if (!Number.isInteger(start) || start < 0) return { ok: false, error: "invalid_cursor" };
        const page = everyone.slice(start, start + limit);
        const next =
          start + limit < everyone.length ? Buffer.from(String(start + limit)).toString("base64") : "";
        return {
          members: page.map((u) => userObject(u, teamId)),
          cache_ts: Math.floor(Date.now() / 1000),
          response_metadata: { next_cursor: next },
        };
      }
      default:
        return {};
    }
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    query: URLSearchParams,
  ) => {
    const raw = await readBody(req);
    const args = await parseBody(req.headers["content-type"], raw);
    for (const [k, v] of query) if (!(k in args)) args[k] = v;
    reviveJsonStrings(args);
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith("Bearer ") ? auth.slice("Bearer ".length) : undefined;
    const token = bearer ?? str(args.token);
    delete args.token;
    const call: SlackApiCall = { method, args, token };
    const failure = takeFailure(method);
    if (failure !== undefined) call.failure = failure;
    calls.push(call);
    if (failure !== undefined) {
      sendFailure(req, res, failure);
      return;
    }
    if (tokenInfo(token)?.revoked === true) {
      sendJson(res, 200, { ok: false, error: "token_revoked" });
      return;
    }
    const handler = handlers.get(method);
    const payload = handler !== undefined ? await handler(call) : defaultReply(call);
    if (payload.ok === false) call.refused = String(payload.error);
    sendJson(res, 200, { ok: true, ...payload });
  };

  const handleResponseUrl = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const body = reviveJsonStrings(await parseBody(req.headers["content-type"], raw));
    const post: SlackResponsePost = { url: `${base}${req.url ?? ""}`, body };
    const failure = takeFailure("response_url");
    if (failure !== undefined) post.failure = failure;
    responses.push(post);
    if (failure !== undefined) sendFailure(req, res, failure);
    else sendJson(res, 200, { ok: true });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const done = (p: Promise<void>) =>
      p.catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: `fake_error: ${String(err)}` });
        else res.destroy();
      });
    if (url.pathname.startsWith("/api/")) {
      done(handleApi(req, res, decodeURIComponent(url.pathname.slice("/api/".length)), url.searchParams));
    } else if (url.pathname === "/oauth/v2/authorize" && req.method === "GET") {
      handleAuthorize(res, url.searchParams);
    } else if (url.pathname.startsWith("/response/") && req.method === "POST") {
      done(handleResponseUrl(req, res));
    } else {
      sendJson(res, 404, { ok: false, error: "unknown_path" });
    }
  });

  server.on("upgrade", (req: IncomingMessage, sock: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (closed || url.pathname !== "/link/") {
      sock.destroy();
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => {
      acceptedConnections += 1;
      allSockets.add(ws);
      ws.on("error", () => {
        // a killed peer; "close" follows
      });
      ws.on("close", () => {
        allSockets.delete(ws);
        removeActive(ws);
        disconnectedCond.check();
      });
      ws.on("message", (data, isBinary) => {
        if (isBinary) return;
        let msg: unknown;
        try {
          msg = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (!isRecord(msg) || typeof msg.envelope_id !== "string") return;
        const ack: SocketAck = { envelope_id: msg.envelope_id };
        if ("payload" in msg) ack.payload = msg.payload;
        acks.push(ack);
        const pending = pendingAcks.get(ack.envelope_id);
        if (pending !== undefined) {
          pendingAcks.delete(ack.envelope_id);
          clearTimeout(pending.timer);
          pending.resolve(ack);
        }
      });
      const hello = {
        type: "hello",
        num_connections: allSockets.size,
        debug_info: { host: "fake-applink", approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      };
      ws.send(JSON.stringify(hello), (err) => {
        if (err !== undefined && err !== null) return;
        if (ws.readyState !== ws.OPEN) return;
        active.push(ws);
        connectedCond.check();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  const describeCalls = () => calls.items.map((c) => c.method).join(", ") || "none";

  const socket: FakeSlackSocket = {
    url: `ws://127.0.0.1:${port}/link/`,
    connected: (timeoutMs = waitTimeoutMs) =>
      connectedCond.wait(timeoutMs, "a Socket Mode client to connect"),
    disconnected: (timeoutMs = waitTimeoutMs) =>
      disconnectedCond.wait(timeoutMs, "every Socket Mode connection to close"),
    async send(type, payload, extra = {}) {
      const timeoutMs = extra.timeoutMs ?? 3000;
      await connectedCond.wait(timeoutMs, "a Socket Mode client to send to");
      const ws = active[active.length - 1];
      if (ws === undefined) throw new Error("fake Slack: no Socket Mode client connected");
      const envelope_id = randomUUID();
      const envelope: Record<string, unknown> = {
        envelope_id,
        type,
        payload,
        accepts_response_payload: type !== "events_api",
      };
      if (type === "events_api" || extra.retry_attempt !== undefined) {
        envelope.retry_attempt = extra.retry_attempt ?? 0;
        envelope.retry_reason = extra.retry_reason ?? "";
      }
      envelopes.push(envelope);
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelope_id);
          reject(new Error(`fake Slack: no ack for ${type} envelope ${envelope_id} within ${timeoutMs}ms`));
        }, timeoutMs);
        pendingAcks.set(envelope_id, { resolve, reject, timer });
        ws.send(JSON.stringify(envelope), (err) => {
          if (err === undefined || err === null) return;
          clearTimeout(timer);
          pendingAcks.delete(envelope_id);
          reject(err);
        });
      });
    },
    disconnectClient(o = {}) {
      for (const ws of [...active]) {
        removeActive(ws);
        if (o.hard === true) ws.terminate();
        else
          ws.send(
            JSON.stringify({
              type: "disconnect",
              reason: "refresh_requested",
              debug_info: { host: "fake-applink" },
            }),
          );
      }
    },
    get connections() {
      return acceptedConnections;
    },
    get openConnections() {
      return allSockets.size;
    },
    envelopes,
    acks: acks.items,
  };

  const fake: FakeSlack = {
    url: base,
    apiUrl: `${base}/api/`,
    botUserId,
    botId,
    teamId,
    appId,
    calls: calls.items,
    responses: responses.items,
    responseUrl() {
      responseCounter += 1;
      return `${base}/response/${teamId}/${responseCounter}/${randomUUID().slice(0, 8)}`;
    },
    waitForCall(method, predicate = () => true, timeoutMs = waitTimeoutMs) {
      return calls.wait(
        (c) => c.method === method && predicate(c),
        timeoutMs,
        () =>
          `fake Slack: timed out after ${timeoutMs}ms waiting for ${method}; calls so far: ${describeCalls()}`,
      );
    },
    async waitForCalls(method, count, timeoutMs = waitTimeoutMs) {
      await calls.wait(
        (c) => c.method === method && calls.items.filter((x) => x.method === method).length >= count,
        timeoutMs,
        () =>
          `fake Slack: timed out after ${timeoutMs}ms waiting for ${count} ${method} calls; calls so far: ${describeCalls()}`,
      );
      return fake.callsTo(method).slice(0, count);
    },
    waitForResponse(predicate = () => true, timeoutMs = waitTimeoutMs) {
      return responses.wait(
        predicate,
        timeoutMs,
        () =>
          `fake Slack: timed out after ${timeoutMs}ms waiting for a response_url POST (${responses.items.length} seen)`,
      );
    },
    callsTo: (method) => calls.items.filter((c) => c.method === method),
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    onCall(method, reply) {
      handlers.set(method, reply);
    },
    reset() {
      calls.clear();
      responses.clear();
      acks.clear();
      envelopes.length = 0;
      failures.clear();
      handlers.clear();
    },
    socket,
    oauth,
    users,
    views,
    async close() {
      if (closed) return;
      closed = true;
      const reason = "fake Slack closed";
      calls.abort(reason);
      responses.abort(reason);
      acks.abort(reason);
      connectedCond.abort(reason);
      disconnectedCond.abort(reason);
      for (const [id, p] of pendingAcks) {
        clearTimeout(p.timer);
        p.reject(new Error(`${reason} before envelope ${id} was acked`));
      }
      pendingAcks.clear();
      // A client that is stopping (app.stop() first) finishes its close handshake within milliseconds; give it
      // that chance, so it does not log a WebSocket error, then kill whatever is left.
      if (allSockets.size > 0) {
        const graceful = new Condition(() => allSockets.size === 0);
        const check = () => graceful.check();
        for (const ws of allSockets) ws.once("close", check);
        await graceful.wait(250, "").catch(() => undefined);
      }
      for (const ws of allSockets) ws.terminate();
      active.length = 0;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

// ---------------------------------------------------------------------------------------------------------
// Playing Slack towards an HTTP-mode app
// ---------------------------------------------------------------------------------------------------------

/** Slack's request signature: "v0=" + hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + rawBody). */
export function signSlackRequest(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

/** What the app answered. `json` is set when the body parses as JSON. */
export interface SlackHttpResult {
  status: number;
  body: string;
  json?: unknown;
  headers: Headers;
}

/** Per-request signing overrides (e.g. a stale `timestamp` or a wrong `signature`). */
export interface SlackSignOptions {
  /** Unix seconds for X-Slack-Request-Timestamp (default: now). */
  timestamp?: number;
  /** Send this X-Slack-Signature instead of the correct one. */
  signature?: string;
}

/** Options for `SlackHttpClient.event`. */
export interface SlackEventOptions extends SlackSignOptions {
  /** Sets X-Slack-Retry-Num (Slack's redelivery counter). */
  retryNum?: number;
  /** Sets X-Slack-Retry-Reason (default "http_timeout" when retryNum is set). */
  retryReason?: string;
  /** event_id of the envelope (default: a fresh one). */
  eventId?: string;
  /** The Enterprise Grid org the workspace belongs to. */
  enterpriseId?: string;
  /** Delivered to an org-wide install: the authorization names the org, not the team. */
  orgWide?: boolean;
}

/** Slash command form fields; the rest are filled with plausible defaults. */
export interface SlashCommandFields {
  text: string;
  command?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  team_domain?: string;
  trigger_id?: string;
  response_url?: string;
  api_app_id?: string;
  [field: string]: string | undefined;
}

/** Signs and POSTs Slack-shaped requests to an HTTP-mode app, with response_urls pointing at `fake`. */
export interface SlackHttpClient {
  /** A slash command, form-encoded without charset, `response_url` at the fake. */
  command(fields: SlashCommandFields, opts?: SlackSignOptions): Promise<SlackHttpResult>;
  /** An Events API `event_callback` wrapping `event`, as JSON. */
  event(event: Record<string, unknown>, opts?: SlackEventOptions): Promise<SlackHttpResult>;
  /** An interactivity payload as `payload=<json>`; fills response_url, team, user, api_app_id if missing. */
  interaction(payload: Record<string, unknown>, opts?: SlackSignOptions): Promise<SlackHttpResult>;
  /** The `url_verification` handshake. */
  urlVerification(challenge: string, opts?: SlackSignOptions): Promise<SlackHttpResult>;
  /** POSTs `body` with exactly `headers` (nothing added, nothing signed). */
  raw(body: string, headers: Record<string, string>): Promise<SlackHttpResult>;
}

let idCounter = 0;
const nextId = (prefix: string): string => {
  idCounter += 1;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${idCounter}`;
};
let eventTsCounter = 0;
/** A fresh message ts for fake user messages ("1710000000.000100", increasing). */
export function nextMessageTs(): string {
  eventTsCounter += 1;
  const micros = eventTsCounter * 100;
  return `${1_710_000_000 + Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
}

/** The parts of a fake the builders and the HTTP client need. */
export type FakeIdentity = Pick<FakeSlack, "teamId" | "appId" | "botUserId" | "responseUrl">;

/** The fields of a slash command (form fields over HTTP, the payload object over Socket Mode). */
export function slashCommandPayload(fields: SlashCommandFields, fake?: FakeIdentity): Record<string, string> {
  const out: Record<string, string> = {
    token: "verification-token",
    team_id: fake?.teamId ?? "T1",
    team_domain: "test",
    channel_id: "C1",
    channel_name: "general",
    user_id: "U1",
    user_name: "alice",
    command: "/mesh",
    api_app_id: fake?.appId ?? "A1",
    is_enterprise_install: "false",
    trigger_id: `${Date.now()}.1.${randomUUID().replaceAll("-", "")}`,
  };
  if (fake !== undefined) out.response_url = fake.responseUrl();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

/** An Events API `event_callback` body around `event` (the HTTP body, or the Socket Mode payload). */
export function eventCallbackBody(
  event: Record<string, unknown>,
  fake?: Pick<FakeSlack, "teamId" | "appId" | "botUserId">,
  opts: { eventId?: string; enterpriseId?: string; orgWide?: boolean } = {},
): Record<string, unknown> {
  const teamId = fake?.teamId ?? "T1";
  const orgWide = opts.orgWide === true;
  return {
    token: "verification-token",
    team_id: teamId,
    ...(opts.enterpriseId === undefined ? {} : { enterprise_id: opts.enterpriseId }),
    api_app_id: fake?.appId ?? "A1",
    event: { event_ts: event.ts ?? nextMessageTs(), ...event },
    type: "event_callback",
    event_id: opts.eventId ?? nextId("Ev"),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: opts.enterpriseId ?? null,
        // An org-wide install is authorized for the org: Slack leaves the team out.
        team_id: orgWide ? null : teamId,
        user_id: fake?.botUserId ?? "UBOT",
        is_bot: true,
        is_enterprise_install: orgWide,
      },
    ],
    is_ext_shared_channel: false,
    event_context: nextId("4-"),
  };
}

/** A `message` event from a user (not the bot, or Bolt's ignoreSelf drops it). */
export function messageEvent(m: {
  text: string;
  channel?: string;
  user?: string;
  ts?: string;
  thread_ts?: string;
  channel_type?: string;
}): Record<string, unknown> {
  const ev: Record<string, unknown> = {
    type: "message",
    channel: m.channel ?? "C1",
    user: m.user ?? "U1",
    text: m.text,
    ts: m.ts ?? nextMessageTs(),
    channel_type: m.channel_type ?? "channel",
  };
  if (m.thread_ts !== undefined) ev.thread_ts = m.thread_ts;
  return ev;
}

/** An `app_mention` event; `text` should contain `<@BOTUSERID>` as Slack's does. */
export function appMentionEvent(m: {
  text: string;
  channel?: string;
  user?: string;
  ts?: string;
  thread_ts?: string;
}): Record<string, unknown> {
  const ev: Record<string, unknown> = {
    type: "app_mention",
    channel: m.channel ?? "C1",
    user: m.user ?? "U1",
    text: m.text,
    ts: m.ts ?? nextMessageTs(),
  };
  if (m.thread_ts !== undefined) ev.thread_ts = m.thread_ts;
  return ev;
}

/** A `block_actions` payload for a button click (set `response_url` or let `interaction()` fill it). */
export function blockActionsPayload(a: {
  actionId: string;
  value?: string;
  blockId?: string;
  user?: string;
  channel?: string;
  messageTs?: string;
  teamId?: string;
  responseUrl?: string;
  /** The message the button is on, as Slack sends it back (its text and blocks); ephemeral ones have none. */
  message?: { text?: string; blocks?: unknown; thread_ts?: string };
}): Record<string, unknown> {
  const teamId = a.teamId ?? "T1";
  const user = a.user ?? "U1";
  const channel = a.channel ?? "C1";
  const messageTs = a.messageTs ?? nextMessageTs();
  const payload: Record<string, unknown> = {
    type: "block_actions",
    user: { id: user, username: `user-${user}`, name: `user-${user}`, team_id: teamId },
    api_app_id: "A1",
    token: "verification-token",
    container: { type: "message", message_ts: messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.1.${randomUUID().replaceAll("-", "")}`,
    team: { id: teamId, domain: "test" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: "general" },
    message: { type: "message", user: "UBOT", ts: messageTs, text: "", bot_id: "BBOT", ...a.message },
    state: { values: {} },
    actions: [
      {
        action_id: a.actionId,
        block_id: a.blockId ?? "b1",
        text: { type: "plain_text", text: "Button", emoji: true },
        value: a.value ?? "",
        type: "button",
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  if (a.responseUrl !== undefined) payload.response_url = a.responseUrl;
  return payload;
}

/**
 * A `block_actions` payload for a button on a Home tab the app published: the container is the view, and
 * there is no channel, message or response_url (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
 */
export function homeBlockActionsPayload(a: {
  actionId: string;
  value?: string;
  view: FakeView;
  user?: string;
  teamId?: string;
}): Record<string, unknown> {
  const teamId = a.teamId ?? "T1";
  const user = a.user ?? "U1";
  const { trigger_id: _t, user_id: _u, ...view } = a.view;
  return {
    type: "block_actions",
    user: { id: user, username: `user-${user}`, name: `user-${user}`, team_id: teamId },
    api_app_id: "A1",
    token: "verification-token",
    container: { type: "view", view_id: a.view.id },
    trigger_id: `${Date.now()}.1.${randomUUID().replaceAll("-", "")}`,
    team: { id: teamId, domain: "test" },
    enterprise: null,
    is_enterprise_install: false,
    view,
    state: { values: {} },
    actions: [
      {
        action_id: a.actionId,
        block_id: "b1",
        text: { type: "plain_text", text: "Button", emoji: true },
        value: a.value ?? "",
        type: "button",
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/**
 * A `view_submission` payload for a modal the app opened: `state.values` holds every plain_text_input by
 * block_id and action_id, as the person left it (what the modal was opened with, unless `values` changes it;
 * an empty input is `null`, as Slack sends it), and `private_metadata` comes back untouched
 * (https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload).
 */
export function viewSubmissionPayload(
  view: FakeView,
  values: Readonly<Record<string, string>> = {},
  opts: { user?: string; teamId?: string } = {},
): Record<string, unknown> {
  const teamId = opts.teamId ?? "T1";
  const user = opts.user ?? "U1";
  const state: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const block of (view.blocks ?? []) as Record<string, unknown>[]) {
    const element = block.element as Record<string, unknown> | undefined;
    if (block.type !== "input" || element?.type !== "plain_text_input") continue;
    const blockId = String(block.block_id);
    const typed = values[blockId] ?? (typeof element.initial_value === "string" ? element.initial_value : "");
    state[blockId] = {
      [String(element.action_id)]: { type: "plain_text_input", value: typed === "" ? null : typed },
    };
  }
  const { trigger_id: _t, user_id: _u, ...shown } = view;
  return {
    type: "view_submission",
    team: { id: teamId, domain: "test" },
    user: { id: user, username: `user-${user}`, name: `user-${user}`, team_id: teamId },
    api_app_id: "A1",
    token: "verification-token",
    trigger_id: `${Date.now()}.1.${randomUUID().replaceAll("-", "")}`,
    view: { ...shown, state: { values: state } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** An `app_home_opened` event: `user` opened the app's Home tab (or its Messages tab). */
export function appHomeOpenedEvent(e: {
  user?: string;
  tab?: "home" | "messages";
  channel?: string;
  view?: FakeView;
}): Record<string, unknown> {
  const user = e.user ?? "U1";
  const ev: Record<string, unknown> = {
    type: "app_home_opened",
    user,
    channel: e.channel ?? `D${user}`,
    tab: e.tab ?? "home",
    event_ts: nextMessageTs(),
  };
  if (e.view !== undefined) {
    const { trigger_id: _t, user_id: _u, ...view } = e.view;
    ev.view = view;
  }
  return ev;
}

/** A message shortcut (`message_action`) payload on `message`. */
export function messageShortcutPayload(s: {
  callbackId: string;
  message: { text: string; user?: string; ts?: string; thread_ts?: string };
  user?: string;
  channel?: string;
  teamId?: string;
  responseUrl?: string;
}): Record<string, unknown> {
  const teamId = s.teamId ?? "T1";
  const user = s.user ?? "U1";
  const ts = s.message.ts ?? nextMessageTs();
  const message: Record<string, unknown> = {
    type: "message",
    user: s.message.user ?? "U2",
    ts,
    text: s.message.text,
  };
  if (s.message.thread_ts !== undefined) message.thread_ts = s.message.thread_ts;
  const payload: Record<string, unknown> = {
    type: "message_action",
    token: "verification-token",
    action_ts: `${Date.now() / 1000}`,
    team: { id: teamId, domain: "test" },
    user: { id: user, username: `user-${user}`, team_id: teamId, name: `user-${user}` },
    channel: { id: s.channel ?? "C1", name: "general" },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: s.callbackId,
    trigger_id: `${Date.now()}.1.${randomUUID().replaceAll("-", "")}`,
    message_ts: ts,
    message,
  };
  if (s.responseUrl !== undefined) payload.response_url = s.responseUrl;
  return payload;
}

/** Payload types Slack sends without a response_url. */
const NO_RESPONSE_URL = new Set(["view_submission", "view_closed", "shortcut", "block_suggestion"]);

/** How a `slackHttpClient` sends. */
export interface SlackHttpClientOptions {
  /**
   * Send through this node:http agent (one with a bounded pool, say) rather than fetch, whose pool opens a
   * connection for every request in flight: under overload, thousands, which outlive the load that made them.
   */
  readonly agent?: Agent | undefined;
}

/**
 * A POST through a node:http agent: its status, body and headers, as fetch would give them. A connection the
 * server closed for idling just as it was reused is tried again once on a new one, as fetch does.
 */
function postThrough(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
  retried = false,
): Promise<{ status: number; text: string; headers: Headers }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: out });
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && error.code === "ECONNRESET") {
        postThrough(agent, url, headers, body, true).then(resolve, reject);
      } else reject(error);
    });
    req.end(body);
  });
}

/** A client that plays Slack towards the HTTP-mode app listening at `eventsUrl`. */
export function slackHttpClient(
  eventsUrl: string,
  signingSecret: string,
  fake: FakeIdentity,
  options: SlackHttpClientOptions = {},
): SlackHttpClient {
  const { agent } = options;
  const send = async (body: string, headers: Record<string, string>) => {
    if (agent !== undefined) return postThrough(agent, eventsUrl, headers, body);
    const res = await fetch(eventsUrl, { method: "POST", headers, body });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };
  const post = async (body: string, headers: Record<string, string>): Promise<SlackHttpResult> => {
    const { status, text, headers: resHeaders } = await send(body, headers);
    const result: SlackHttpResult = { status, body: text, headers: resHeaders };
    if (text.length > 0) {
      try {
        result.json = JSON.parse(text);
      } catch {
        // plain text ack
      }
    }
    return result;
  };
  const signed = (
    body: string,
    contentType: string,
    opts: SlackSignOptions,
    extra: Record<string, string> = {},
  ) => {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return post(body, {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": opts.signature ?? signSlackRequest(signingSecret, timestamp, body),
      ...extra,
    });
  };
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  return {
    command: (fields, opts = {}) =>
      signed(form(slashCommandPayload(fields, fake)), "application/x-www-form-urlencoded", opts),
    event(event, opts = {}) {
      const extra: Record<string, string> = {};
      if (opts.retryNum !== undefined) {
        extra["x-slack-retry-num"] = String(opts.retryNum);
        extra["x-slack-retry-reason"] = opts.retryReason ?? "http_timeout";
      } else if (opts.retryReason !== undefined) {
        extra["x-slack-retry-reason"] = opts.retryReason;
      }
      const { eventId, enterpriseId, orgWide } = opts;
      const body = JSON.stringify(
        eventCallbackBody(event, fake, {
          ...(eventId === undefined ? {} : { eventId }),
          ...(enterpriseId === undefined ? {} : { enterpriseId }),
          ...(orgWide === undefined ? {} : { orgWide }),
        }),
      );
      return signed(body, "application/json", opts, extra);
    },
    interaction(payload, opts = {}) {
      const p: Record<string, unknown> = { ...payload };
      const type = str(p.type) ?? "";
      // A click on a Home tab (a view, not a message) comes without a response_url too.
      const onView = isRecord(p.container) && p.container.type === "view";
      if (p.response_url === undefined && !NO_RESPONSE_URL.has(type) && !onView)
        p.response_url = fake.responseUrl();
      p.api_app_id ??= fake.appId;
      p.team ??= { id: fake.teamId, domain: "test" };
      p.user ??= { id: "U1", username: "alice", name: "alice", team_id: fake.teamId };
      return signed(form({ payload: JSON.stringify(p) }), "application/x-www-form-urlencoded", opts);
    },
    urlVerification: (challenge, opts = {}) =>
      signed(
        JSON.stringify({ token: "verification-token", challenge, type: "url_verification" }),
        "application/json",
        opts,
      ),
    raw: (body, headers) => post(body, headers),
  };
}
