// Installing into many workspaces through Slack's OAuth flow, driven as Slack and a browser would: the real Bolt
// installer against the loopback fake Slack, installations in a SQLite file with their tokens sealed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BOT_SCOPES } from "../../../adapters/slack/oauth/index.js";
import { appMentionEvent, messageEvent } from "../../fakes/slack.js";
import { flatten } from "./harness.js";
import { inFiles, type OAuthHarness, startOAuthHarness } from "./oauth-harness.js";

const JARGON = "we should turn on mTLS for the sidecar proxy";
const DAY = 24 * 3600_000;

let h: OAuthHarness;

beforeEach(async () => {
  h = await startOAuthHarness();
});

afterEach(async () => {
  vi.useRealTimers();
  await h.close();
});

/** Turns auto-explain on in C1 of `teamId`, then sends a message with jargon there. */
async function optInAndTalk(teamId: string): Promise<void> {
  const slack = h.team(teamId);
  const on = await slack.command({ text: "autoexplain on", team_id: teamId, channel_id: "C1" });
  expect(on.status).toBe(200);
  await h.settled();
  await slack.event(messageEvent({ text: JARGON, channel: "C1" }));
  await h.settled();
}

/** The chat.postMessage calls the fake received for channel `channel`, with the token each used. */
function postsTo(channel: string): { token: string | undefined; text: string }[] {
  return h.fake
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === channel)
    .map((c) => ({ token: c.token, text: flatten(c.args) }));
}

describe("installing from /slack/install", () => {
  it("leads to Slack's authorize page with the client id, the manifest's scopes and a state", async () => {
    const start = await h.installPage();
    expect(start.status).toBe(200);
    expect(start.page).toContain("Add to Slack");
    const url = start.authorizeUrl;
    expect(`${url.origin}${url.pathname}`).toBe(h.fake.oauth.authorizeUrl);
    expect(url.pathname).toBe("/oauth/v2/authorize");
    expect(url.searchParams.get("client_id")).toBe(h.fake.oauth.clientId);
    const scopes = url.searchParams.get("scope")?.split(",") ?? [];
    expect(scopes).toContain("commands");
    expect(scopes).toEqual([...BOT_SCOPES]);
    const state = url.searchParams.get("state");
    expect(state).toBeTruthy();
    // The state is tied to this browser by an HttpOnly cookie.
    expect(start.cookie).toBe(state);
    expect(start.setCookie).toMatch(/HttpOnly/);
    // Nothing is installed yet, and nothing was asked of Slack; the probes still see a healthy app.
    expect(h.fake.calls).toEqual([]);
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(await health.json()).toEqual({ ok: true, mode: "http" });
  });

  it("exchanges the code through SLACK_API_URL, stores the installation and says it is installed", async () => {
    const done = await h.install({ teamId: "T2", teamName: "Platform" });
    expect(done.status).toBe(200);
    expect(done.page).toContain("mesh is installed");
    expect(done.page).toContain("Platform");
    const [exchange, ...more] = h.fake.callsTo("oauth.v2.access");
    expect(more).toEqual([]);
    expect(exchange?.args).toMatchObject({
      client_id: h.fake.oauth.clientId,
      client_secret: h.fake.oauth.clientSecret,
    });
    expect(exchange?.args.code).toEqual(expect.any(String));
    // Bolt learns the bot's id with the new token, through the same SLACK_API_URL.
    expect(h.fake.callsTo("auth.test").map((c) => c.token)).toEqual([h.fake.oauth.tokenOf("T2")?.token]);
    const stored = await h.store.installation("slack", "T2");
    expect(stored?.secrets.bot).toBe(h.fake.oauth.tokenOf("T2")?.token);
  });

  it("installs nothing for a forged state, or a state from another browser", async () => {
    const code = h.fake.oauth.grant({ teamId: "T2" });
    const forged = await h.redirect({ code, state: "forged" }, "forged");
    expect(forged.status).toBe(400);
    expect(forged.page).toContain("Nothing was installed");
    const start = await h.installPage();
    const state = start.authorizeUrl.searchParams.get("state") ?? "";
    const noCookie = await h.redirect({ code, state });
    expect(noCookie.status).toBe(400);
    expect(h.fake.callsTo("oauth.v2.access")).toEqual([]);
    expect(await h.store.installation("slack", "T2")).toBeUndefined();
    // Reported as the installer's problem, not the app's.
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(h.logs.filter((l) => l.msg === "Slack installation failed")).toHaveLength(2);
  });

  it("installs nothing when the state has expired (more than 10 minutes after the install page)", async () => {
    const start = await h.installPage();
    const state = start.authorizeUrl.searchParams.get("state") ?? "";
    const code = h.fake.oauth.grant({ teamId: "T2" });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const late = await h.redirect({ code, state }, start.cookie);
    expect(late.status).toBe(400);
    expect(late.page).toContain("expired");
    expect(h.fake.callsTo("oauth.v2.access")).toEqual([]);
    expect(await h.store.installation("slack", "T2")).toBeUndefined();
  });

  it("shows the failure page when Slack refuses the code, and stores nothing", async () => {
    const start = await h.installPage();
    const state = start.authorizeUrl.searchParams.get("state") ?? "";
    const failed = await h.redirect({ code: "not-a-code-slack-gave", state }, start.cookie);
    expect(failed.status).toBe(400);
    expect(failed.page).toContain("Nothing was installed");
    expect(failed.page).toContain("invalid_code");
    const [exchange] = h.fake.callsTo("oauth.v2.access");
    expect(exchange?.args.code).toBe("not-a-code-slack-gave");
    expect(await h.store.installation("slack", "T2")).toBeUndefined();
  });

  it("says so when the installer cancels in Slack", async () => {
    const cancelled = await h.install({ teamId: "T2", deny: true });
    expect(cancelled.status).toBe(400);
    expect(cancelled.page).toContain("cancelled");
    expect(h.fake.callsTo("oauth.v2.access")).toEqual([]);
  });
});

describe("answering each workspace with its own installation", () => {
  it("answers T2's jargon with T2's token, and T3's with T3's", async () => {
    await h.install({ teamId: "T2" });
    await h.install({ teamId: "T3" });
    const t2 = h.fake.oauth.tokenOf("T2")?.token;
    const t3 = h.fake.oauth.tokenOf("T3")?.token;
    expect(t2).not.toBe(t3);
    await optInAndTalk("T2");
    // Settings are per workspace: T2 turning auto-explain on in its C1 left T3's C1 alone.
    const c1 = (workspace: string) => ({ platform: "slack", workspace, channel: "C1" });
    expect((await h.store.channel(c1("T2"))).autoExplain).toBe(true);
    expect((await h.store.channel(c1("T3"))).autoExplain).toBe(false);
    await optInAndTalk("T3");
    const posts = postsTo("C1");
    // Each team: the auto-explain announcement, then the threaded explanation, each with the team's token.
    expect(posts.map((p) => p.token)).toEqual([t2, t2, t3, t3]);
    expect(posts[1]?.text).toContain("mTLS");
    expect(posts[3]?.text).toContain("mTLS");
  });

  it("gives a workspace that never installed nothing, logs it once, and keeps serving the others", async () => {
    await h.install({ teamId: "T2" });
    const before = h.logs.length;
    const stranger = h.team("T9");
    const ack = await stranger.command({ text: "define mtls", team_id: "T9" });
    expect(ack.status).toBe(200);
    expect(ack.body).toBe("");
    for (let i = 0; i < 3; i++) {
      const res = await stranger.event(
        appMentionEvent({ text: `<@UT9BOT> what is mTLS? ${i}`, channel: "C9" }),
      );
      expect(res.status).toBe(200);
    }
    await h.settled();
    expect(h.fake.callsTo("chat.postMessage")).toEqual([]);
    expect(h.fake.responses).toEqual([]);
    const loud = h.logs.slice(before).filter((l) => l.level >= 40);
    expect(loud).toHaveLength(1);
    expect(loud[0]).toMatchObject({ team: "T9", msg: expect.stringContaining("has no installation") });
    const answered = await h.team("T2").command({ text: "define mtls", team_id: "T2" });
    expect(JSON.stringify(answered.json)).toContain("mTLS");
  });

  it("keeps serving an installed workspace after a restart", async () => {
    await h.install({ teamId: "T2" });
    const token = h.fake.oauth.tokenOf("T2")?.token;
    h = await h.restart();
    h.fake.reset();
    await optInAndTalk("T2");
    expect(postsTo("C1").map((p) => p.token)).toEqual([token, token]);
    expect(h.fake.callsTo("oauth.v2.access")).toEqual([]);
  });

  it("answers every team of an org-wide install with the org's token, settings kept for the org", async () => {
    const done = await h.install({ enterpriseId: "E1", enterpriseName: "Acme", orgWide: true });
    expect(done.status).toBe(200);
    const orgToken = h.fake.oauth.tokenOf("E1")?.token;
    const slack = h.team("T5", "UE1BOT");
    const fields = { team_id: "T5", enterprise_id: "E1", is_enterprise_install: "true", channel_id: "C1" };
    const on = await slack.command({ text: "autoexplain on", ...fields });
    expect(on.status).toBe(200);
    await slack.event(messageEvent({ text: JARGON, channel: "C1" }), { enterpriseId: "E1", orgWide: true });
    await h.settled();
    expect(postsTo("C1").map((p) => p.token)).toEqual([orgToken, orgToken]);
    expect((await h.store.channel({ platform: "slack", workspace: "E1", channel: "C1" })).autoExplain).toBe(
      true,
    );
  });
});

describe("leaving", () => {
  it("deletes the installation on app_uninstalled: T2 then gets nothing; its settings expire 30 days later", async () => {
    await h.install({ teamId: "T2" });
    await optInAndTalk("T2");
    const slack = h.team("T2");
    const res = await slack.event({ type: "app_uninstalled" });
    expect(res.status).toBe(200);
    await h.settled();
    expect(await h.store.installation("slack", "T2")).toBeUndefined();
    h.fake.reset();
    await slack.event(messageEvent({ text: "what about the egress gateway and ztunnel", channel: "C1" }));
    const ack = await slack.command({ text: "define mtls", team_id: "T2" });
    await h.settled();
    expect(ack.body).toBe("");
    expect(h.fake.callsTo("chat.postMessage")).toEqual([]);
    const ref = { platform: "slack", workspace: "T2", channel: "C1" };
    await h.store.expire(Date.now() + 29 * DAY);
    expect((await h.store.channel(ref)).autoExplain).toBe(true);
    await h.store.expire(Date.now() + 31 * DAY);
    expect((await h.store.channel(ref)).autoExplain).toBe(false);
  });

  it("deletes the installation when the bot token is revoked, but not for a user token", async () => {
    await h.install({ teamId: "T2" });
    const slack = h.team("T2");
    await slack.event({ type: "tokens_revoked", tokens: { oauth: ["U1"] } });
    await h.settled();
    expect(await h.store.installation("slack", "T2")).toBeDefined();
    await slack.event({ type: "tokens_revoked", tokens: { bot: ["UT2BOT"] } });
    await h.settled();
    expect(await h.store.installation("slack", "T2")).toBeUndefined();
    const ack = await slack.command({ text: "define mtls", team_id: "T2" });
    expect(ack.body).toBe("");
  });
});

describe("tokens at rest", () => {
  it("never writes a token in clear in the database files", async () => {
    await h.install({ teamId: "T2" });
    await h.install({ teamId: "T3", expiresIn: 43_200 });
    const issued = h.fake.oauth.tokens;
    expect(issued).toHaveLength(2);
    await h.stop();
    const files = h.databaseFiles();
    expect(inFiles(files, "T3")).toBe(true);
    for (const t of issued) {
      expect(inFiles(files, t.token), t.token).toBe(false);
      if (t.refreshToken !== undefined) expect(inFiles(files, t.refreshToken), t.refreshToken).toBe(false);
    }
  });

  it("refreshes a rotating token through SLACK_API_URL before it expires, and keeps the new one", async () => {
    // Slack's rotating tokens live 12 hours; Bolt refreshes one within two hours of its expiry.
    await h.install({ teamId: "T2", expiresIn: 43_200 });
    const first = h.fake.oauth.tokenOf("T2");
    await h.team("T2").command({ text: "define mtls", team_id: "T2" });
    expect(h.fake.callsTo("oauth.v2.access")).toHaveLength(1);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 11 * 3600_000);
    await optInAndTalk("T2");
    const refresh = h.fake.callsTo("oauth.v2.access").filter((c) => c.args.grant_type === "refresh_token");
    expect(refresh).toHaveLength(1);
    expect(refresh[0]?.args.refresh_token).toBe(first?.refreshToken);
    const renewed = h.fake.oauth.tokenOf("T2");
    expect(renewed?.grantType).toBe("refresh_token");
    expect(postsTo("C1").map((p) => p.token)).toEqual([renewed?.token, renewed?.token]);
    const stored = await h.store.installation("slack", "T2");
    expect(stored?.secrets.bot).toBe(renewed?.token);
    await h.stop();
    expect(inFiles(h.databaseFiles(), renewed?.token ?? "")).toBe(false);
  });
});
