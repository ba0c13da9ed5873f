// The fake Slack's OAuth side, through the real web-api client: oauth.v2.access answers in the shapes of Slack's
// documentation, refuses what Slack refuses, and auth.test knows each token it handed out.
import { webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./slack.js";

let fake: FakeSlack;
let client: webApi.WebClient;

beforeEach(async () => {
  fake = await startFakeSlack();
  client = new webApi.WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await fake.close();
});

const exchange = (code: string, secret = fake.oauth.clientSecret) =>
  client.oauth.v2.access({ client_id: fake.oauth.clientId, client_secret: secret, code });

describe("the fake's oauth.v2.access", () => {
  it("exchanges a code for a workspace's bot token, once", async () => {
    const code = fake.oauth.grant({ teamId: "T2", teamName: "Platform", userId: "U7" });
    const reply = await exchange(code);
    expect(reply).toMatchObject({
      ok: true,
      token_type: "bot",
      scope: "commands,chat:write",
      bot_user_id: "UT2BOT",
      app_id: fake.appId,
      team: { id: "T2", name: "Platform" },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: "U7" },
    });
    expect(String(reply.access_token)).toMatch(/^xoxb-T2-/);
    expect(reply.refresh_token).toBeUndefined();
    await expect(exchange(code)).rejects.toMatchObject({ data: { error: "invalid_code" } });
    const me = await client.auth.test({ token: String(reply.access_token) });
    expect(me).toMatchObject({ team_id: "T2", user_id: "UT2BOT", bot_id: "BT2" });
  });

  it("refuses an unknown code and a wrong client secret", async () => {
    await expect(exchange("made-up")).rejects.toMatchObject({ data: { error: "invalid_code" } });
    const code = fake.oauth.grant({ teamId: "T2" });
    await expect(exchange(code, "ffffffffffffffffffffffffffffffff")).rejects.toMatchObject({
      data: { error: "bad_client_secret" },
    });
  });

  it("answers an org-wide install with the org and no team", async () => {
    const reply = await exchange(
      fake.oauth.grant({ enterpriseId: "E1", enterpriseName: "Acme", orgWide: true }),
    );
    expect(reply).toMatchObject({
      team: null,
      enterprise: { id: "E1", name: "Acme" },
      is_enterprise_install: true,
    });
    const me = await client.auth.test({ token: String(reply.access_token) });
    expect(me).toMatchObject({
      enterprise_id: "E1",
      is_enterprise_install: true,
      url: "https://e1.enterprise.slack.com/",
    });
  });

  it("with rotation on, hands out expiring tokens and refreshes them with the refresh token", async () => {
    const first = await exchange(fake.oauth.grant({ teamId: "T2", expiresIn: 43_200 }));
    expect(String(first.access_token)).toMatch(/^xoxe\.xoxb-1-/);
    expect(first).toMatchObject({ expires_in: 43_200, refresh_token: expect.stringMatching(/^xoxe-1-/) });
    const renewed = await client.oauth.v2.access({
      client_id: fake.oauth.clientId,
      client_secret: fake.oauth.clientSecret,
      grant_type: "refresh_token",
      refresh_token: String(first.refresh_token),
    });
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed).toMatchObject({ token_type: "bot", expires_in: 43_200, team: { id: "T2" } });
    expect(fake.oauth.tokenOf("T2")?.token).toBe(renewed.access_token);
  });

  it("fails calls made with a revoked token", async () => {
    const reply = await exchange(fake.oauth.grant({ teamId: "T2" }));
    fake.oauth.revoke(String(reply.access_token));
    await expect(client.auth.test({ token: String(reply.access_token) })).rejects.toMatchObject({
      data: { error: "token_revoked" },
    });
  });
});
