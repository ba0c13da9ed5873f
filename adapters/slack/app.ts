import type { RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { App, ErrorCode, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { BotHandle, ChatAdapter } from "../../src/bot/conversation.js";
import type { SlackConfig } from "../../src/config.js";
import { MeshError } from "../../src/core/errors.js";
import { createServiceServer, type ServiceServer } from "../../src/health.js";
import type { Logger } from "../../src/logger.js";
import { SlackDirectory } from "./api/directory.js";
import { describeSlackError } from "./api/errors.js";
import { useBuiltInPercentEncoding } from "./api/form-encoding.js";
import { boltLogger } from "./bolt-logger.js";
import { isRedelivery } from "./listeners/failures.js";
import { registerListeners } from "./listeners/index.js";
import { OAUTH_PATHS, type SlackInstallations, type SlackOAuth, slackOAuth } from "./oauth/index.js";
import { createSlackReceiver, EVENTS_PATH } from "./receiver.js";

/**
 * Web API client settings a caller may override. Production leaves them at web-api's defaults (retry for
 * up to about 30 minutes, honour Retry-After); tests pass a short retry policy so a failing fake fails fast.
 */
export type SlackClientOverrides = Pick<
  webApi.WebClientOptions,
  "retryConfig" | "timeout" | "rejectRateLimitedCalls"
>;

export interface SlackAdapterOptions {
  readonly config: SlackConfig;
  readonly bot: BotHandle;
  readonly logger: Logger;
  readonly clientOptions?: SlackClientOverrides;
  /**
   * Where the HTTP server listens (events in HTTP mode, /healthz in both modes). Defaults to `config.port`
   * on every interface; tests pass `{ port: 0, host: "127.0.0.1" }`.
   */
  readonly listen?: { readonly port?: number; readonly host?: string };
  /** Socket Mode: ms without a pong before reconnecting (library default 5000). */
  readonly socketPingTimeoutMs?: number;
  /** How long stop() waits for answers already being written (default 5000 ms). */
  readonly drainTimeoutMs?: number;
  /** Where installations live when `config.oauth` is set (the bot's store). */
  readonly installations?: SlackInstallations;
  /**
   * The service's HTTP server (main.ts): HTTP mode mounts /slack/events on it, beside the probes. Without
   * one, the adapter listens on its own server, with /healthz (tests, benchmarks).
   */
  readonly http?: { mount(path: string, handler: RequestListener): void };
}

/** The Slack adapter: a ChatAdapter with what operators and tests need to see. */
export interface SlackAdapter extends ChatAdapter {
  readonly mode: "http" | "socket";
  /** The Bolt app, for inspection. */
  readonly app: App;
  /** Where the HTTP server listens once started (events and /healthz, or /healthz alone in Socket Mode). */
  address(): AddressInfo | undefined;
  /** Resolves when every event, command and click received so far has been fully handled. */
  settled(): Promise<void>;
  /** HTTP mode: started; Socket Mode: the WebSocket to Slack is open. */
  connected(): boolean;
}

/** web-api's codes for a request that never got Slack's answer, or got an HTTP error instead of one. */
const UNREACHABLE = new Set(["slack_webapi_request_error", "slack_webapi_http_error", "AbortError"]);

/**
 * Checks the bot token with auth.test (which also tells Bolt the bot's own user id). Done in start(), not in
 * Bolt's constructor, so that a rejected token fails start-up with a sentence instead of surfacing later as
 * an unhandled rejection.
 */
async function initialize(app: App, distributed: boolean): Promise<void> {
  try {
    await app.init();
  } catch (error) {
    if (distributed) throw error;
    const info = describeSlackError(error);
    // Slack unreachable (or failing) is worth trying again; a token Slack refused is not.
    if (UNREACHABLE.has(info.kind)) {
      throw new MeshError(
        "PLATFORM_API",
        `Slack could not be reached (auth.test: ${info.detail ?? info.kind}).`,
        [],
        {
          cause: error,
        },
      );
    }
    throw new MeshError(
      "CONFIG_INVALID",
      `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${info.detail ?? info.kind}). Copy the Bot User OAuth ` +
        "Token (xoxb-...) from OAuth & Permissions, and check SLACK_API_URL if you set it.",
      [],
      { cause: error },
    );
  }
}

/** OAuth mode's wiring, when the settings ask for it; the store must then be given. */
function oauthOf(options: SlackAdapterOptions, logger: Logger): SlackOAuth | undefined {
  const { oauth, apiUrl } = options.config;
  if (oauth === undefined) return undefined;
  if (options.installations === undefined) {
    throw new MeshError("CONFIG_INVALID", "Installing into many workspaces needs a store for installations.");
  }
  return slackOAuth({ oauth, apiUrl, installations: options.installations, logger });
}

/**
 * Creates the Slack adapter. HTTP mode (Events API, slash commands and interactivity on POST /slack/events,
 * signed with the signing secret) unless `config.appToken` is set, which selects Socket Mode. With
 * `config.oauth`, HTTP mode also serves /slack/install and /slack/oauth_redirect, and each workspace is
 * answered with its own installation's token. `config.apiUrl` (GovSlack) is used by every Web API call
 * (oauth.v2.access included) and by the Socket Mode connection alike.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, bot } = options;
  const logger = options.logger.child({ adapter: "slack" });
  const appToken = config.appToken;
  const mode = appToken === undefined ? "http" : "socket";
  const port = options.listen?.port ?? config.port;
  const host = options.listen?.host;
  useBuiltInPercentEncoding();
  // Bolt and the Socket Mode client each write into the options object they get: give each its own copy.
  const clientOptions = (): webApi.WebClientOptions => ({
    ...(config.apiUrl === undefined ? {} : { slackApiUrl: config.apiUrl }),
    ...options.clientOptions,
  });
  let socketConnected = false;
  const status = () => (mode === "http" ? { mode } : { mode, connected: socketConnected });
  const oauth = oauthOf(options, logger);
  const boltLog = oauth === undefined ? boltLogger(logger) : oauth.quiet(boltLogger(logger));

  let app: App;
  let listener: RequestListener | undefined;
  if (appToken === undefined) {
    if (config.signingSecret === undefined) {
      throw new MeshError(
        "CONFIG_INVALID",
        "SLACK_SIGNING_SECRET is missing: HTTP mode needs the signing secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode).",
      );
    }
    const http = createSlackReceiver({
      signingSecret: config.signingSecret,
      logger: boltLog,
      // OAuth mode: the receiver serves the install page and Slack's redirect, and authorizes each workspace;
      // oauth.v2.access goes through SLACK_API_URL like every Web API call.
      ...(oauth === undefined
        ? {}
        : {
            ...oauth.appOptions,
            installerOptions: { ...oauth.appOptions.installerOptions, clientOptions: clientOptions() },
          }),
    });
    listener = http.listener;
    app = new App({
      ...(oauth === undefined ? { token: config.botToken } : {}),
      receiver: http.receiver,
      logger: boltLog,
      clientOptions: clientOptions(),
      deferInitialization: true,
      // Bolt's conversation store keeps per-channel state the bot never reads.
      convoStore: false,
    });
    http.attach(app);
  } else {
    if (oauth !== undefined) {
      throw new MeshError(
        "CONFIG_INVALID",
        "SLACK_APP_TOKEN cannot be used when installing into many workspaces: Slack allows Socket Mode only for apps that are not distributed.",
      );
    }
    const receiver = new SocketModeReceiver({
      appToken,
      logger: boltLogger(logger),
      installerOptions: { clientOptions: clientOptions() },
      ...(options.socketPingTimeoutMs === undefined
        ? {}
        : { clientPingTimeout: options.socketPingTimeoutMs }),
    });
    receiver.client.on("connected", () => {
      socketConnected = true;
    });
    // "close" comes first: the client waits a while before it says it is reconnecting.
    for (const state of ["close", "disconnected", "reconnecting"]) {
      receiver.client.on(state, () => {
        socketConnected = false;
      });
    }
    app = new App({
      token: config.botToken,
      receiver,
      logger: boltLogger(logger),
      clientOptions: clientOptions(),
      deferInitialization: true,
      convoStore: false,
    });
  }

  // Every request is tracked until its listeners finish, so stop() can drain and tests can wait.
  const inflight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const work = next();
    inflight.add(work);
    try {
      await work;
    } finally {
      inflight.delete(work);
    }
  });
  app.error(async (error) => {
    // A workspace without an installation: the installation store has already said so, once.
    if (error.code === ErrorCode.AuthorizationError) return;
    // An event that could not be answered: a 500 tells Slack to deliver it again.
    if (isRedelivery(error.original ?? error)) throw error;
    const info = describeSlackError(error.original ?? error);
    logger.error(
      { err: error, errorKind: info.kind, slackError: info.detail },
      "unhandled error in a Slack listener",
    );
  });
  registerListeners(app, { bot, logger, directory: new SlackDirectory(logger) }, oauth?.events);

  let server: ServiceServer | undefined;
  let running = false;
  const settled = async () => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };
  const adapter: SlackAdapter = {
    name: "slack",
    mode,
    app,
    address: () => server?.address(),
    settled,
    connected: () => running && (mode === "http" || socketConnected),
    async start() {
      if (running) return;
      await initialize(app, oauth !== undefined);
      if (options.http === undefined) server = createServiceServer({ status });
      if (mode === "socket") await app.start();
      if (listener !== undefined) {
        const mountOn = options.http ?? server;
        mountOn?.mount(EVENTS_PATH, listener);
        // Installing into a workspace: the "Add to Slack" page and Slack's redirect back.
        if (oauth !== undefined) for (const path of OAUTH_PATHS) mountOn?.mount(path, listener);
      }
      await server?.listen(port, host);
      running = true;
      logger.info(
        { port: adapter.address()?.port ?? port, distributed: oauth !== undefined },
        mode === "socket"
          ? "Slack adapter connected (Socket Mode)"
          : oauth === undefined
            ? "Slack adapter listening (HTTP mode)"
            : "Slack adapter listening (HTTP mode; workspaces install the app from /slack/install)",
      );
    },
    async stop() {
      if (!running) return;
      running = false;
      // New requests are refused with 503 while those in flight are answered; only then does the listener go.
      server?.drain();
      if (mode === "socket") await app.stop();
      const timeout = options.drainTimeoutMs ?? 5000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        settled(),
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn({ pending: inflight.size }, "stopped with Slack answers still in progress");
            resolve();
          }, timeout);
        }),
      ]);
      clearTimeout(timer);
      await server?.settled(timeout);
      await server?.close();
    },
  };
  return adapter;
}
