// `mesh serve`, as an operator runs it: loud failures, probes that tell the truth, and Prometheus metrics,
// through the real entry point against the loopback fakes.

import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { misspelledVariables } from "../../src/config.js";
import { slackHttpClient, startFakeSlack } from "../fakes/slack.js";
import { REPO_ROOT } from "../helpers.js";
import { freePort, killBots, probe, type RunningBot, spawnBot } from "./service.js";

const SECRET = "8f742231b10e8888abcd99aaabbb85a5";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await killBots();
  for (const c of cleanups.splice(0)) await c();
});

/** Polls `path` until it answers `status`; how long that took. */
async function until(port: number, path: string, status: number, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const res = await probe(port, path).catch(() => undefined);
    if (res?.status === status) return Date.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms`);
}

describe("mesh serve with nothing configured", () => {
  it("exits 1 within seconds, naming both tokens", async () => {
    const bot = spawnBot(["serve"], {});
    expect(await bot.exit).toBe(1);
    expect(await bot.exitedAfter()).toBeLessThan(5000);
    const stderr = bot.logs();
    expect(stderr).toContain("No chat platform is configured");
    expect(stderr).toContain("SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET");
    expect(stderr).toContain("SLACK_APP_TOKEN");
    expect(stderr).toContain("DISCORD_TOKEN");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("names the variable a misspelt one resembles", async () => {
    const bot = spawnBot(["serve"], { SLACK_BOT_TOKN: "xoxb-x", DISCORD_TOKNE: "y" });
    expect(await bot.exit).toBe(1);
    expect(bot.logs()).toContain("SLACK_BOT_TOKN (did you mean SLACK_BOT_TOKEN?)");
    expect(bot.logs()).toContain("DISCORD_TOKNE (did you mean DISCORD_TOKEN?)");
  });

  it("is what `mesh serve` runs too", async () => {
    const proc = spawn(process.execPath, ["dist/adapters/terminal/bin.js", "serve"], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", SLACK_BOT_TOKN: "x" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise((resolve) => proc.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("No chat platform is configured");
    expect(stderr).toContain("did you mean SLACK_BOT_TOKEN?");
  });
});

describe("misspelt settings", () => {
  it("are found among our prefixes and near our names, and nothing else is", () => {
    expect(
      misspelledVariables({
        SLACK_BOT_TOKN: "x",
        SLACK_SIGNIN_SECRET: "x",
        DISCORD_APPLICATIONID: "x",
        DATABSE_URL: "x",
        MESH_SHUTDOWN_TIMEOUT_SECONDS: "x",
        SLACK_BOT_TOKEN: "x",
        SLACK_CLIENT_ID: "x",
        PATH: "/bin",
        HOME: "/root",
        PWD: "/",
        NODE_ENV: "production",
        EMPTY_SLACK_APP_TOKN: "",
      }),
    ).toEqual([
      "SLACK_BOT_TOKN (did you mean SLACK_BOT_TOKEN?)",
      "SLACK_SIGNIN_SECRET (did you mean SLACK_SIGNING_SECRET?)",
      "DISCORD_APPLICATIONID (did you mean DISCORD_APPLICATION_ID?)",
      "DATABSE_URL (did you mean DATABASE_URL?)",
      "MESH_SHUTDOWN_TIMEOUT_SECONDS (did you mean SHUTDOWN_TIMEOUT_SECONDS?)",
    ]);
  });
});

describe("start-up against a platform that is down", () => {
  for (const platform of ["Slack", "Discord"] as const) {
    it(`${platform} at a closed port: alive, not ready, retrying; then one sentence and exit 1`, async () => {
      const port = await freePort();
      const closed = await freePort();
      const env: Record<string, string> =
        platform === "Slack"
          ? {
              SLACK_BOT_TOKEN: "xoxb-test",
              SLACK_SIGNING_SECRET: SECRET,
              SLACK_API_URL: `http://127.0.0.1:${closed}/api/`,
            }
          : {
              DISCORD_TOKEN: "test-token",
              DISCORD_APPLICATION_ID: "123456789012345678",
              DISCORD_API_URL: `http://127.0.0.1:${closed}/api`,
            };
      const bot: RunningBot = spawnBot(["serve"], {
        ...env,
        PORT: String(port),
        DATABASE_URL: "sqlite::memory:",
        STARTUP_TIMEOUT_SECONDS: "6",
      });
      // Liveness answers from the first second; readiness says not yet.
      expect(await until(port, "/healthz", 200, 3000)).toBeLessThan(2000);
      expect((await probe(port, "/healthz", "HEAD")).status).toBe(200);
      const ready = await probe(port, "/readyz");
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body).checks[platform.toLowerCase()]).toBe("not connected");
      expect(await bot.exit).toBe(1);
      expect(await bot.exitedAfter()).toBeLessThan(15_000);
      const stderr = bot.logs();
      expect(stderr).toMatch(/"msg":"could not connect; trying again"/);
      expect(stderr).toContain(
        `mesh-glossary-bot could not start: Could not reach ${platform} at http://127.0.0.1:${closed}`,
      );
      // The reason is what the platform's address answered, not that the deadline came.
      expect(stderr).toMatch(/tries; last error: (?!no answer before)[^)]+\)/);
      expect(stderr).not.toMatch(/\n\s+at /);
    }, 30_000);
  }

  it("fails at once, saying what to do, when Slack refuses the token", async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    fake.onCall("auth.test", () => ({ ok: false, error: "invalid_auth" }));
    const bot = spawnBot(["serve"], {
      SLACK_BOT_TOKEN: "xoxb-wrong",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(await freePort()),
      DATABASE_URL: "sqlite::memory:",
    });
    expect(await bot.exit).toBe(1);
    expect(await bot.exitedAfter()).toBeLessThan(5000);
    expect(bot.logs()).toContain("Slack did not accept SLACK_BOT_TOKEN (auth.test: invalid_auth)");
    expect(fake.callsTo("auth.test")).toHaveLength(1);
  });
});

describe("a running service", () => {
  it("is ready with Slack reachable, counts a signed /mesh define in /metrics, and exits 0 on SIGTERM", async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    const port = await freePort();
    const bot = spawnBot(["serve"], {
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      DATABASE_URL: "sqlite::memory:",
    });
    await bot.waitForLog(/mesh-glossary-bot is running/);
    const ready = await probe(port, "/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ready: true, checks: { slack: "connected", store: "ok" } });
    const slack = slackHttpClient(`http://127.0.0.1:${port}/slack/events`, SECRET, fake);
    expect((await slack.command({ text: "define egress" })).status).toBe(200);
    expect((await slack.command({ text: "define pizzaqq" })).status).toBe(200);
    const metrics = await probe(port, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^mesh_requests_total\{platform="slack",kind="command",outcome="ok"\} 1$/m);
    expect(metrics.body).toMatch(
      /^mesh_requests_total\{platform="slack",kind="command",outcome="not_found"\} 1$/m,
    );
    expect(metrics.body).toMatch(
      /^mesh_request_duration_seconds_bucket\{le="\+Inf",platform="slack",kind="command"\} 2$/m,
    );
    expect(metrics.body).toMatch(/^mesh_lookups_total\{result="found"\} 1$/m);
    expect(metrics.body).toMatch(/^mesh_store_operation_duration_seconds_count\{operation="expire"\} 1$/m);
    expect(metrics.body).toMatch(/^process_resident_memory_bytes \d+/m);
    bot.proc.kill("SIGTERM");
    expect(await bot.exit).toBe(0);
  });

  it("in Socket Mode: not ready while the socket is down, ready again once it is back", async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    const port = await freePort();
    spawnBot(["serve"], {
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_APP_TOKEN: "xapp-test",
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      DATABASE_URL: "sqlite::memory:",
    });
    await until(port, "/readyz", 200, 15_000);
    // Slack drops the socket and, for a while, hands out no new one.
    fake.onCall("apps.connections.open", () => ({ ok: false, error: "internal_error" }));
    fake.socket.disconnectClient({ hard: true });
    await until(port, "/readyz", 503, 5000);
    fake.reset();
    await until(port, "/readyz", 200, 20_000);
    expect((await probe(port, "/metrics")).body).toContain("mesh_requests_total");
  }, 40_000);
});
