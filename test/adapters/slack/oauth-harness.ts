// Runs the Slack adapter in OAuth mode (real Bolt and its installer) against the loopback fake Slack, over a
// SQLite file with tokens sealed under a test key, and plays the installer's browser: the install page, Slack's
// authorize page, and the redirect back with a code and the state cookie.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSlackAdapter, type SlackAdapter } from "../../../adapters/slack/index.js";
import { MeshBot } from "../../../src/bot/mesh-bot.js";
import type { SlackConfig } from "../../../src/config.js";
import { SqliteStore } from "../../../src/store/sqlite.js";
import {
  type FakeIdentity,
  type FakeSlack,
  type FakeWorkspace,
  type SlackHttpClient,
  slackHttpClient,
  startFakeSlack,
} from "../../fakes/slack.js";
import { realGlossary } from "../../helpers.js";
import { COOLDOWN_MS, type LogLine, memoryLogger, SIGNING_SECRET } from "./harness.js";

export const STATE_SECRET = "state-secret-for-tests-0123456789abcdef";
export const STATE_COOKIE = "slack-app-oauth-state";

/** What the installer's browser saw at the end of the flow. */
export interface InstallResult {
  readonly status: number;
  readonly page: string;
  /** The link of the "Add to Slack" button. */
  readonly authorizeUrl: URL;
}

/** The install page, and the state cookie the app set with it. */
export interface InstallPage {
  readonly status: number;
  readonly page: string;
  readonly authorizeUrl: URL;
  readonly cookie: string | undefined;
  readonly setCookie: string;
}

export interface OAuthHarness {
  readonly fake: FakeSlack;
  readonly adapter: SlackAdapter;
  readonly store: SqliteStore;
  readonly logs: LogLine[];
  readonly baseUrl: string;
  /** The SQLite file (and its -wal/-shm companions) the store writes. */
  databaseFiles(): string[];
  /** GET /slack/install, as a browser. */
  installPage(): Promise<InstallPage>;
  /** GET /slack/oauth_redirect with `query`, sending `cookie` as the state cookie when given. */
  redirect(query: Record<string, string>, cookie?: string): Promise<{ status: number; page: string }>;
  /** The whole flow: install page, Slack's authorize page (approved as `workspace`), the redirect back. */
  install(workspace: FakeWorkspace): Promise<InstallResult>;
  /** A signing client that plays Slack for events, commands and clicks from `teamId`. */
  team(teamId: string, botUserId?: string): SlackHttpClient;
  /** Resolves once every request received so far has been handled. */
  settled(): Promise<void>;
  /** A new adapter and store over the same database file and fake, as after a restart. */
  restart(): Promise<OAuthHarness>;
  /** Stops the adapter and the store (the fake and the folder stay for `restart`). */
  stop(): Promise<void>;
  /** Stops everything and deletes the database folder. */
  close(): Promise<void>;
}

interface Shared {
  readonly fake: FakeSlack;
  readonly dir: string;
  readonly key: Buffer;
}

/** Starts a fake Slack and the adapter in OAuth mode against it. */
export async function startOAuthHarness(): Promise<OAuthHarness> {
  const fake = await startFakeSlack();
  const dir = mkdtempSync(join(tmpdir(), "mesh-oauth-"));
  return start({ fake, dir, key: randomBytes(32) });
}

async function start(shared: Shared): Promise<OAuthHarness> {
  const { fake, dir, key } = shared;
  const store = SqliteStore.open(`sqlite:${join(dir, "mesh.db")}`, { encryption: { key } });
  const { logger, lines } = memoryLogger();
  const bot = new MeshBot({
    glossary: realGlossary(),
    store,
    logger,
    autoExplain: { cooldownMs: COOLDOWN_MS, maxTerms: 5 },
  });
  const config: SlackConfig = {
    botToken: undefined,
    signingSecret: SIGNING_SECRET,
    appToken: undefined,
    apiUrl: fake.apiUrl,
    port: 0,
    oauth: {
      clientId: fake.oauth.clientId,
      clientSecret: fake.oauth.clientSecret,
      stateSecret: STATE_SECRET,
      redirectUri: undefined,
    },
  };
  const adapter = createSlackAdapter({
    config,
    bot,
    logger,
    installations: store,
    clientOptions: { retryConfig: { retries: 0 } },
    listen: { port: 0, host: "127.0.0.1" },
    drainTimeoutMs: 2000,
  });
  await adapter.start();
  const baseUrl = `http://127.0.0.1:${adapter.address()?.port}`;
  // The Redirect URL registered in the app's OAuth & Permissions page.
  fake.oauth.redirectUri = `${baseUrl}/slack/oauth_redirect`;

  const installPage = async (): Promise<InstallPage> => {
    const res = await fetch(`${baseUrl}/slack/install`);
    const page = await res.text();
    const href = /href="([^"]*oauth\/v2\/authorize[^"]*)"/.exec(page)?.[1];
    if (href === undefined) throw new Error(`no "Add to Slack" link on the install page:\n${page}`);
    const setCookie = res.headers.get("set-cookie") ?? "";
    const cookie = new RegExp(`${STATE_COOKIE}=([^;]+)`).exec(setCookie)?.[1];
    return {
      status: res.status,
      page,
      authorizeUrl: new URL(href.replaceAll("&#38;", "&").replaceAll("&amp;", "&")),
      cookie,
      setCookie,
    };
  };
  const redirect = async (query: Record<string, string>, cookie?: string) => {
    const url = new URL(`${baseUrl}/slack/oauth_redirect`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers: Record<string, string> =
      cookie === undefined ? {} : { cookie: `${STATE_COOKIE}=${cookie}` };
    const res = await fetch(url, { headers, redirect: "manual" });
    return { status: res.status, page: await res.text() };
  };

  const harness: OAuthHarness = {
    fake,
    adapter,
    store,
    logs: lines,
    baseUrl,
    databaseFiles: () =>
      readdirSync(dir)
        .filter((name) => name.startsWith("mesh.db"))
        .map((name) => join(dir, name)),
    installPage,
    redirect,
    async install(workspace) {
      const start = await installPage();
      fake.oauth.installNext(workspace);
      // Slack's authorize page: the installer clicks Allow and Slack sends the browser back.
      const authorize = await fetch(start.authorizeUrl, { redirect: "manual" });
      const location = authorize.headers.get("location");
      if (authorize.status !== 302 || location === null) {
        throw new Error(`Slack's authorize page answered ${authorize.status}: ${await authorize.text()}`);
      }
      const back = new URL(location);
      const res = await redirect(Object.fromEntries(back.searchParams), start.cookie);
      return { ...res, authorizeUrl: start.authorizeUrl };
    },
    team(teamId, botUserId = `U${teamId}BOT`) {
      const identity: FakeIdentity = {
        teamId,
        appId: fake.appId,
        botUserId,
        responseUrl: () => fake.responseUrl(),
      };
      return slackHttpClient(`${baseUrl}/slack/events`, SIGNING_SECRET, identity);
    },
    settled: () => adapter.settled(),
    async restart() {
      await harness.stop();
      return start(shared);
    },
    async stop() {
      await adapter.stop();
      await store.close();
    },
    async close() {
      await harness.stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** True when `secret` appears anywhere in the bytes of `files`. */
export function inFiles(files: readonly string[], secret: string): boolean {
  return files.some((file) => readFileSync(file).includes(secret));
}
