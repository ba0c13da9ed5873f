import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, ErrorCode, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { BotHandle, ChatAdapter } from "../../src/bot/conversation.js";
import type { SlackConfig } from "../../src/config.js";
import { MeshError } from "../../src/core/errors.js";
import { answerHealth, HEALTH_PATH, startHealthServer } from "../../src/health.js";
import type { Logger } from "../../src/logger.js";
import { SlackDirectory } from "./api/directory.js";
import { describeSlackError } from "./api/errors.js";
import { boltLogger } from "./bolt-logger.js";
import { registerListeners } from "./listeners/index.js";
import { type SlackInstallations, type SlackOAuth, slackOAuth } from "./oauth/index.js";

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
}

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
    throw new MeshError(
      "PLATFORM_API",
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
  let healthServer: Server | undefined;
  if (appToken === undefined) {
    if (config.signingSecret === undefined) {
      throw new MeshError(
        "CONFIG_INVALID",
        "SLACK_SIGNING_SECRET is missing: HTTP mode needs the signing secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode).",
      );
    }
    app = new App({
      ...(oauth === undefined ? { token: config.botToken } : oauth.appOptions),
      signingSecret: config.signingSecret,
      logger: boltLog,
      clientOptions: clientOptions(),
      deferInitialization: true,
      // Bolt's conversation store keeps per-channel state the bot never reads.
      convoStore: false,
      customRoutes: [
        { path: HEALTH_PATH, method: ["GET"], handler: (_req, res) => answerHealth(res, status()) },
      ],
    });
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
    for (const state of ["disconnected", "reconnecting"]) {
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
    const info = describeSlackError(error.original ?? error);
    logger.error(
      { err: error, errorKind: info.kind, slackError: info.detail },
      "unhandled error in a Slack listener",
    );
  });
  registerListeners(app, { bot, logger, directory: new SlackDirectory(logger) });
  oauth?.register(app);

  let server: Server | undefined;
  let running = false;
  const settled = async () => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };
  const adapter: SlackAdapter = {
    name: "slack",
    mode,
    app,
    address: () => {
      const a = (server ?? healthServer)?.address();
      return a !== null && typeof a === "object" ? a : undefined;
    },
    settled,
    async start() {
      if (running) return;
      await initialize(app, oauth !== undefined);
      if (mode === "http") {
        server = (await app.start(host === undefined ? port : { port, host })) as Server;
        running = true;
        logger.info(
          { port: (server.address() as AddressInfo | null)?.port, distributed: oauth !== undefined },
          oauth === undefined
            ? "Slack adapter listening (HTTP mode)"
            : "Slack adapter listening (HTTP mode; workspaces install the app from /slack/install)",
        );
      } else {
        await app.start();
        running = true;
        healthServer = await startHealthServer(port, status, host);
        logger.info({ port: adapter.address()?.port }, "Slack adapter connected (Socket Mode)");
      }
    },
    async stop() {
      if (!running) return;
      running = false;
      await app.stop();
      if (healthServer?.listening === true) {
        const s = healthServer;
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
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
    },
  };
  return adapter;
}
