// `npm start` with Slack or Discord settings: the real entry point (dist/src/main.js) against the loopback fakes,
// proving the settings a newcomer sets are the ones that reach the adapters.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord.js";
import { type FakeSlack, messageEvent, slackHttpClient, startFakeSlack } from "../fakes/slack.js";
import { REPO_ROOT } from "../helpers.js";

const SIGNING_SECRET = "8f742231b10e8888abcd99aaabbb85a5";
let child: ChildProcess | undefined;
let dir: string | undefined;
const fakes: { close(): Promise<void> }[] = [];

afterEach(async () => {
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  child = undefined;
  for (const f of fakes.splice(0)) await f.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

interface Started {
  readonly logs: () => string;
  readonly exit: Promise<number | null>;
}

/** Spawns `node dist/src/main.js` (what `npm start` runs) with `env`, on the test's database (fresh at first). */
function spawnBot(env: Record<string, string>): Started {
  dir ??= mkdtempSync(join(tmpdir(), "mesh-entry-"));
  const proc = spawn(process.execPath, ["dist/src/main.js"], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: `sqlite:${join(dir, "mesh.db")}`,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return { logs: () => stderr, exit };
}

/** Starts the bot and waits for its "running" log line. */
async function startBot(env: Record<string, string>): Promise<Started> {
  const bot = spawnBot(env);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${bot.logs()}`)), 15_000);
    const check = () => {
      if (bot.logs().includes("mesh-glossary-bot is running")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child?.stderr?.on("data", check);
    bot.exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`bot exited:\n${bot.logs()}`));
    });
  });
  return bot;
}

describe("npm start with chat settings", () => {
  it("runs the Slack app in HTTP mode on PORT, answering /mesh through SLACK_API_URL", async () => {
    const fake: FakeSlack = await startFakeSlack();
    fakes.push(fake);
    const port = await freePort();
    await startBot({
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const slack = slackHttpClient(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, fake);
    const reply = await slack.command({ text: "define egres" });
    expect(reply.status).toBe(200);
    expect(JSON.stringify(reply.json)).toContain("Egress");
    expect(fake.callsTo("auth.test").length).toBeGreaterThan(0);
  });

  it("runs the Discord bot through DISCORD_API_URL and answers a mention", async () => {
    const fake: FakeDiscord = await startFakeDiscord();
    fakes.push(fake);
    const port = await freePort();
    await startBot({
      DISCORD_TOKEN: "test-token",
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      PORT: String(port),
    });
    await fake.ready();
    fake.messageCreate({ content: `<@${fake.botUser.id}> what is an init container?` });
    const reply = await fake.waitForCall((c) => c.method === "POST" && c.path.endsWith("/messages"), 10_000);
    expect(JSON.stringify(reply.body)).toContain("Init container");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ ok: true, adapters: ["discord"] });
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const fake = await startFakeSlack();
    fakes.push(fake);
    const port = await freePort();
    const bot = await startBot({
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
    });
    child?.kill("SIGTERM");
    expect(await bot.exit).toBe(0);
    expect(bot.logs()).toContain("shutting down");
  });

  it("stops with a sentence when Slack refuses the token", async () => {
    const fake = await startFakeSlack();
    fakes.push(fake);
    fake.onCall("auth.test", () => ({ ok: false, error: "invalid_auth" }));
    const bot = spawnBot({
      SLACK_BOT_TOKEN: "xoxb-wrong",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(await freePort()),
      LOG_LEVEL: "silent",
    });
    const code = await bot.exit;
    const stderr = bot.logs();
    expect(code).toBe(1);
    expect(stderr).toContain("mesh-glossary-bot could not start");
    expect(stderr).toContain("SLACK_BOT_TOKEN");
  });
});

describe("npm start installing into many Slack workspaces", () => {
  /** Plays the installer's browser: the install page, Slack's authorize page (approved as `teamId`), the way back. */
  async function install(base: string, fake: FakeSlack, teamId: string): Promise<Response> {
    const start = await fetch(`${base}/slack/install`);
    const href = /href="([^"]+)"/.exec(await start.text())?.[1]?.replaceAll("&#38;", "&") ?? "";
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    fake.oauth.installNext({ teamId });
    const authorize = await fetch(href, { redirect: "manual" });
    return fetch(authorize.headers.get("location") ?? "", { headers: { cookie }, redirect: "manual" });
  }

  it("installs through /slack/install, answers each team with its token, survives a restart, forgets on uninstall", async () => {
    const fake = await startFakeSlack();
    fakes.push(fake);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    fake.oauth.redirectUri = `${base}/slack/oauth_redirect`;
    const env = {
      SLACK_CLIENT_ID: fake.oauth.clientId,
      SLACK_CLIENT_SECRET: fake.oauth.clientSecret,
      SLACK_STATE_SECRET: "state-secret-for-the-entry-test-0123456789",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      MESH_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
    };
    let bot = await startBot(env);
    const installed = await install(base, fake, "T2");
    expect(installed.status).toBe(200);
    expect(await installed.text()).toContain("mesh is installed");
    expect(fake.callsTo("oauth.v2.access")).toHaveLength(1);
    const token = fake.oauth.tokenOf("T2")?.token;

    const t2 = slackHttpClient(`${base}/slack/events`, SIGNING_SECRET, {
      ...fake,
      teamId: "T2",
      botUserId: "UT2BOT",
    });
    await t2.command({ text: "autoexplain on", team_id: "T2", channel_id: "C1" });
    await t2.event(messageEvent({ text: "our egress gateway adds latency", channel: "C1" }));
    const answers = await fake.waitForCalls("chat.postMessage", 2, 10_000);
    expect(answers.map((c) => c.token)).toEqual([token, token]);
    expect(JSON.stringify(answers[1]?.args)).toContain("Egress");
    // A team that never installed gets nothing.
    const t9 = slackHttpClient(`${base}/slack/events`, SIGNING_SECRET, { ...fake, teamId: "T9" });
    expect((await t9.command({ text: "define egress", team_id: "T9" })).body).toBe("");

    child?.kill("SIGTERM");
    expect(await bot.exit).toBe(0);
    const files = readdirSync(dir ?? "").map((name) => readFileSync(join(dir ?? "", name)));
    expect(files.some((bytes) => bytes.includes("T2"))).toBe(true);
    expect(files.some((bytes) => bytes.includes(token ?? "no token"))).toBe(false);

    bot = await startBot(env);
    const again = await t2.command({ text: "define egress", team_id: "T2" });
    expect(JSON.stringify(again.json)).toContain("Egress");
    expect(fake.callsTo("oauth.v2.access")).toHaveLength(1);

    await t2.event({ type: "app_uninstalled" });
    // Slack's event is acked first and handled next: wait for the bot to say it is done.
    for (
      let waited = 0;
      !bot.logs().includes("installation and tokens deleted") && waited < 5000;
      waited += 20
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(bot.logs()).toContain("installation and tokens deleted");
    expect((await t2.command({ text: "define egress", team_id: "T2" })).body).toBe("");
  });

  it("stops with a sentence naming MESH_ENCRYPTION_KEY when it is not set", async () => {
    const bot = spawnBot({
      SLACK_CLIENT_ID: "1111111111.2222222222",
      SLACK_CLIENT_SECRET: "0123456789abcdef0123456789abcdef",
      SLACK_STATE_SECRET: "state-secret-for-the-entry-test-0123456789",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PORT: String(await freePort()),
    });
    expect(await bot.exit).toBe(1);
    expect(bot.logs()).toContain("mesh-glossary-bot could not start: MESH_ENCRYPTION_KEY is missing");
    expect(bot.logs()).not.toContain("    at ");
  });
});
