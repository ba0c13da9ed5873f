// Runs the real Slack adapter (real Bolt, HTTP mode with signed requests or Socket Mode over the fake's
// WebSocket) against the loopback fake Slack, with a MeshBot over an in-memory SQLite store and the real
// 90-term glossary. Tests drive it as Slack would and look at what reached the fake.
import { Writable } from "node:stream";
import { pino } from "pino";
import { createSlackAdapter, type SlackAdapter } from "../../../adapters/slack/index.js";
import { MeshBot } from "../../../src/bot/mesh-bot.js";
import type { SlackConfig } from "../../../src/config.js";
import type { Logger } from "../../../src/logger.js";
import { SqliteStore } from "../../../src/store/sqlite.js";
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  eventCallbackBody,
  type FakeSlack,
  type FakeUser,
  type FakeView,
  homeBlockActionsPayload,
  messageShortcutPayload,
  type SlackApiCall,
  type SlackHttpClient,
  type SlashCommandFields,
  slackHttpClient,
  slashCommandPayload,
  startFakeSlack,
  viewSubmissionPayload,
} from "../../fakes/slack.js";
import { realGlossary } from "../../helpers.js";

export type Mode = "http" | "socket";
export const MODES: readonly Mode[] = ["http", "socket"];

/** A hexadecimal signing secret, as config validation wants. */
export const SIGNING_SECRET = "8f742231b10e8888abcd99aaabbb85a5";

/** One day, the production default. */
export const COOLDOWN_MS = 86_400_000;

/** One structured log line the adapter wrote. */
export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export interface Harness {
  readonly mode: Mode;
  readonly fake: FakeSlack;
  readonly adapter: SlackAdapter;
  readonly bot: MeshBot;
  readonly store: SqliteStore;
  /** Every log line the adapter wrote (debug and up). */
  readonly logs: LogLine[];
  /** HTTP mode: the signing client (undefined in Socket Mode). */
  readonly http: SlackHttpClient | undefined;
  /** Base URL of the adapter's HTTP server (events in HTTP mode, /healthz in both). */
  readonly baseUrl: string;
  /** A slash command `/mesh <text>`; resolves with what the command was acked with. */
  command(text: string, fields?: Partial<SlashCommandFields>): Promise<Record<string, unknown>>;
  /** An Events API event; resolves once it is acked and fully handled. */
  event(event: Record<string, unknown>, opts?: { eventId?: string; retryNum?: number }): Promise<void>;
  /** A button click (block_actions); resolves once it is acked and fully handled. */
  click(a: Parameters<typeof blockActionsPayload>[0] & { ephemeral?: boolean }): Promise<void>;
  /** The "Explain this message" shortcut on `text`; resolves once handled. */
  shortcut(text: string, opts?: { ts?: string; threadTs?: string }): Promise<void>;
  /**
   * Submits a modal the app opened, as `user` typed `values` into it (by block id; the rest as the modal
   * opened); resolves with what the submission was acked with (`{}` for a bare ack, which closes the modal).
   */
  submit(view: FakeView, values?: Record<string, string>, user?: string): Promise<Record<string, unknown>>;
  /** `user` opens the app's Home tab; resolves once handled. */
  openHome(user: string): Promise<void>;
  /** `user` clicks a button of a Home tab the app published; resolves once handled. */
  clickHome(view: FakeView, actionId: string, value: string, user: string): Promise<void>;
  /** The newest modal the app opened (views.open), as the fake holds it. */
  lastModal(): FakeView;
  /** Every chat.postMessage the fake received. */
  posts(): SlackApiCall[];
  /** Every message the bot produced: command acks, posts, and response_url messages (deletions aside). */
  messages(): Record<string, unknown>[];
  /** Stops the adapter, the fake and the store. */
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly cooldownMs?: number;
  readonly maxTerms?: number;
  /** Web API retries for the adapter's client (default: 1 quick retry). */
  readonly retries?: number;
  /** The workspace's people as Slack tells them (admins, owners) besides regular members. */
  readonly users?: readonly FakeUser[];
  /** MESH_MAINTAINERS: user ids who maintain the glossary besides the workspace's admins. */
  readonly maintainers?: readonly string[];
}

/** A logger that keeps every line in memory. */
export function memoryLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}

/** Starts a fake Slack and the adapter in `mode` against it. */
export async function startHarness(mode: Mode, options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack({ users: options.users ?? [] });
  const store = SqliteStore.open("sqlite::memory:");
  const { logger, lines } = memoryLogger();
  const bot = new MeshBot({
    glossary: realGlossary(),
    store,
    logger,
    autoExplain: { cooldownMs: options.cooldownMs ?? COOLDOWN_MS, maxTerms: options.maxTerms ?? 5 },
    maintainers: new Set(options.maintainers ?? []),
  });
  const config: SlackConfig = {
    botToken: "xoxb-test",
    signingSecret: mode === "http" ? SIGNING_SECRET : undefined,
    appToken: mode === "socket" ? "xapp-test" : undefined,
    apiUrl: fake.apiUrl,
    port: 0,
  };
  const adapter = createSlackAdapter({
    config,
    bot,
    logger,
    clientOptions: {
      retryConfig: { retries: options.retries ?? 1, factor: 1, minTimeout: 10, maxTimeout: 10 },
    },
    listen: { port: 0, host: "127.0.0.1" },
    drainTimeoutMs: 2000,
  });
  await adapter.start();
  const port = adapter.address()?.port;
  if (port === undefined) throw new Error("the adapter did not report a port");
  const baseUrl = `http://127.0.0.1:${port}`;
  const http = mode === "http" ? slackHttpClient(`${baseUrl}/slack/events`, SIGNING_SECRET, fake) : undefined;

  const acks: Record<string, unknown>[] = [];
  const expectOk = (status: number, what: string) => {
    if (status !== 200) throw new Error(`${what} answered HTTP ${status}`);
  };
  /** Sends an interaction payload; resolves with what it was acked with, once it is fully handled. */
  const interactive = async (payload: Record<string, unknown>): Promise<Record<string, unknown>> => {
    let body: unknown;
    if (http !== undefined) {
      const res = await http.interaction(payload);
      expectOk(res.status, "an interaction");
      body = res.json ?? (res.body === "" ? {} : { text: res.body });
    } else {
      // Modals and Home tabs are views, not messages: their payloads come without a response_url.
      const container = payload.container as { type?: string } | undefined;
      const withUrl = payload.type !== "view_submission" && container?.type !== "view";
      body = (
        await fake.socket.send("interactive", {
          ...(withUrl ? { response_url: fake.responseUrl() } : {}),
          api_app_id: fake.appId,
          ...payload,
        })
      ).payload;
    }
    await adapter.settled();
    return (body ?? {}) as Record<string, unknown>;
  };

  return {
    mode,
    fake,
    adapter,
    bot,
    store,
    logs: lines,
    http,
    baseUrl,
    async command(text, fields = {}) {
      const all: SlashCommandFields = { text, ...fields };
      let body: unknown;
      if (http !== undefined) {
        const res = await http.command(all);
        expectOk(res.status, "a slash command");
        body = res.json ?? { text: res.body };
      } else {
        body = (await fake.socket.send("slash_commands", slashCommandPayload(all, fake))).payload;
      }
      await adapter.settled();
      const ack = (body ?? {}) as Record<string, unknown>;
      // A bare ack (the command opened a modal instead) is no message.
      if (ack.blocks !== undefined || (typeof ack.text === "string" && ack.text !== "")) acks.push(ack);
      return ack;
    },
    async event(event, opts = {}) {
      if (http !== undefined) {
        const res = await http.event(event, {
          ...(opts.eventId === undefined ? {} : { eventId: opts.eventId }),
          ...(opts.retryNum === undefined ? {} : { retryNum: opts.retryNum }),
        });
        expectOk(res.status, "an event");
      } else {
        const body = eventCallbackBody(
          event,
          fake,
          opts.eventId === undefined ? {} : { eventId: opts.eventId },
        );
        await fake.socket.send(
          "events_api",
          body,
          opts.retryNum === undefined ? {} : { retry_attempt: opts.retryNum, retry_reason: "timeout" },
        );
      }
      await adapter.settled();
    },
    async click(a) {
      const payload = blockActionsPayload({ teamId: fake.teamId, ...a });
      if (a.ephemeral === true) {
        // Clicks on ephemeral messages carry no `message`, only the container.
        delete payload.message;
        (payload.container as Record<string, unknown>).is_ephemeral = true;
      }
      await interactive(payload);
    },
    async shortcut(text, opts = {}) {
      const message: { text: string; ts?: string; thread_ts?: string } = { text };
      if (opts.ts !== undefined) message.ts = opts.ts;
      if (opts.threadTs !== undefined) message.thread_ts = opts.threadTs;
      await interactive(
        messageShortcutPayload({ callbackId: "explain_message", message, teamId: fake.teamId }),
      );
    },
    submit: (view, values = {}, user = "U1") =>
      interactive(viewSubmissionPayload(view, values, { user, teamId: fake.teamId })),
    async openHome(user) {
      const body = eventCallbackBody(appHomeOpenedEvent({ user }), fake);
      if (http !== undefined)
        expectOk((await http.event(body.event as Record<string, unknown>)).status, "an event");
      else await fake.socket.send("events_api", body);
      await adapter.settled();
    },
    async clickHome(view, actionId, value, user) {
      await interactive(homeBlockActionsPayload({ actionId, value, view, user, teamId: fake.teamId }));
    },
    lastModal() {
      const call = fake
        .callsTo("views.open")
        .findLast((c) => c.refused === undefined && c.failure === undefined);
      const modal = [...fake.views.values()].findLast((v) => v.trigger_id === call?.args.trigger_id);
      if (call === undefined || modal === undefined) throw new Error("no modal was opened");
      return modal;
    },
    posts: () => fake.callsTo("chat.postMessage"),
    messages: () => [
      ...acks,
      ...fake.callsTo("chat.postMessage").map((c) => c.args),
      ...fake.responses.map((r) => r.body).filter((b) => b.delete_original !== true),
    ],
    async close() {
      await adapter.stop();
      await fake.close();
      await store.close();
    },
  };
}

/** Every block and the fallback text of a message, as one string, for "contains" checks. */
export function flatten(message: unknown): string {
  return JSON.stringify(message);
}

interface ButtonLike {
  type: string;
  action_id?: string;
  value?: string;
  url?: string;
  text?: { text: string };
}

/** Every button in a message's blocks (actions blocks and section accessories). */
export function buttonsOf(message: { blocks?: unknown } | Record<string, unknown>): ButtonLike[] {
  const blocks = (message as { blocks?: unknown }).blocks;
  if (!Array.isArray(blocks)) return [];
  const out: ButtonLike[] = [];
  for (const block of blocks as Record<string, unknown>[]) {
    if (Array.isArray(block.elements)) {
      for (const e of block.elements as ButtonLike[]) if (e.type === "button") out.push(e);
    }
    const accessory = block.accessory as ButtonLike | undefined;
    if (accessory?.type === "button") out.push(accessory);
  }
  return out;
}

/** The button labelled `label` (exactly, or starting with it). */
export function button(message: Record<string, unknown>, label: string): ButtonLike {
  const found = buttonsOf(message).find((b) => b.text?.text === label || b.text?.text.startsWith(label));
  if (found === undefined) {
    throw new Error(
      `no "${label}" button among ${buttonsOf(message)
        .map((b) => b.text?.text)
        .join(", ")}`,
    );
  }
  return found;
}
