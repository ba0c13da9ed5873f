// Settings for installing into many Slack workspaces: which ones select OAuth mode, and the sentence each
// mistake gets.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { MeshError } from "../../src/core/errors.js";

const KEY = randomBytes(32).toString("base64");
const OAUTH = {
  SLACK_CLIENT_ID: "1234567890.9876543210",
  SLACK_CLIENT_SECRET: "0123456789abcdef0123456789abcdef",
  SLACK_STATE_SECRET: "a-state-secret-of-at-least-thirty-two-characters",
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99aaabbb85a5",
  MESH_ENCRYPTION_KEY: KEY,
};

/** The message loadConfig refuses `env` with. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof MeshError) return error.message;
    throw error;
  }
  throw new Error("expected the settings to be refused");
}

describe("Slack settings for many workspaces", () => {
  it("selects OAuth mode with the client id, client secret, state secret and signing secret, and no bot token", () => {
    const config = loadConfig({ ...OAUTH, SLACK_API_URL: "http://127.0.0.1:9/api" });
    expect(config.slack?.botToken).toBeUndefined();
    expect(config.slack?.oauth).toEqual({
      clientId: OAUTH.SLACK_CLIENT_ID,
      clientSecret: OAUTH.SLACK_CLIENT_SECRET,
      stateSecret: OAUTH.SLACK_STATE_SECRET,
      redirectUri: undefined,
    });
    expect(config.slack?.apiUrl).toBe("http://127.0.0.1:9/api/");
    expect(config.encryption?.key).toEqual(Buffer.from(KEY, "base64"));
    expect(config.encryption?.previousKey).toBeUndefined();
  });

  it("keeps one workspace with a bot token: no OAuth, and no key needed", () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: OAUTH.SLACK_SIGNING_SECRET,
    });
    expect(config.slack?.oauth).toBeUndefined();
    expect(config.slack?.botToken).toBe("xoxb-1");
    expect(config.encryption).toBeUndefined();
  });

  it("refuses to start without MESH_ENCRYPTION_KEY, naming it", () => {
    const { MESH_ENCRYPTION_KEY: _, ...withoutKey } = OAUTH;
    expect(refusal(withoutKey)).toMatch(/^MESH_ENCRYPTION_KEY is missing: .*openssl rand -base64 32/);
  });

  it("refuses a key that is not 32 bytes of base64, without echoing it", () => {
    const short = randomBytes(16).toString("base64");
    expect(refusal({ ...OAUTH, MESH_ENCRYPTION_KEY: short })).toBe(
      "MESH_ENCRYPTION_KEY must be 32 bytes written in base64 (44 characters; make one with openssl rand -base64 32), not 16 bytes.",
    );
    const text = refusal({ ...OAUTH, MESH_ENCRYPTION_KEY: "correct horse battery staple" });
    expect(text).toContain("not text that is not base64");
    expect(text).not.toContain("horse");
    expect(refusal({ ...OAUTH, MESH_ENCRYPTION_KEY_PREVIOUS: "abc" })).toMatch(
      /^MESH_ENCRYPTION_KEY_PREVIOUS must be 32 bytes/,
    );
  });

  it("accepts a previous key for reading during a rotation, but not alone", () => {
    const previous = randomBytes(32).toString("base64");
    const config = loadConfig({ ...OAUTH, MESH_ENCRYPTION_KEY_PREVIOUS: previous });
    expect(config.encryption?.previousKey).toEqual(Buffer.from(previous, "base64"));
    const { MESH_ENCRYPTION_KEY: _, ...withoutKey } = OAUTH;
    expect(refusal({ ...withoutKey, MESH_ENCRYPTION_KEY_PREVIOUS: previous })).toMatch(
      /^MESH_ENCRYPTION_KEY is missing while MESH_ENCRYPTION_KEY_PREVIOUS is set/,
    );
  });

  it("refuses Socket Mode with OAuth: Slack allows it only for apps that are not distributed", () => {
    expect(refusal({ ...OAUTH, SLACK_APP_TOKEN: "xapp-1" })).toMatch(
      /^SLACK_APP_TOKEN cannot be used when installing into many workspaces: Slack allows Socket Mode only for apps that are not distributed/,
    );
  });

  it("refuses a bot token together with the OAuth settings", () => {
    expect(refusal({ ...OAUTH, SLACK_BOT_TOKEN: "xoxb-1" })).toMatch(
      /^SLACK_CLIENT_ID is set together with SLACK_BOT_TOKEN/,
    );
  });

  it("names each missing or malformed OAuth setting", () => {
    const { SLACK_CLIENT_SECRET: _s, ...noSecret } = OAUTH;
    expect(refusal(noSecret)).toMatch(/^SLACK_CLIENT_SECRET is missing/);
    const { SLACK_STATE_SECRET: _t, ...noState } = OAUTH;
    expect(refusal(noState)).toMatch(/^SLACK_STATE_SECRET is missing/);
    expect(refusal({ ...OAUTH, SLACK_STATE_SECRET: "short" })).toMatch(/^SLACK_STATE_SECRET is too short/);
    const { SLACK_SIGNING_SECRET: _g, ...noSigning } = OAUTH;
    expect(refusal(noSigning)).toMatch(/^SLACK_SIGNING_SECRET is missing: installing into many workspaces/);
    const { SLACK_CLIENT_ID: _i, ...noId } = OAUTH;
    expect(refusal(noId)).toMatch(/^SLACK_CLIENT_ID is missing/);
    expect(refusal({ ...OAUTH, SLACK_CLIENT_ID: "A0123" })).toMatch(/^SLACK_CLIENT_ID must be the Client ID/);
  });

  it("takes a redirect URL ending in /slack/oauth_redirect", () => {
    const url = "https://mesh.example.com/slack/oauth_redirect";
    expect(loadConfig({ ...OAUTH, SLACK_REDIRECT_URI: url }).slack?.oauth?.redirectUri).toBe(url);
    expect(refusal({ ...OAUTH, SLACK_REDIRECT_URI: "https://mesh.example.com/callback" })).toMatch(
      /^SLACK_REDIRECT_URI must end in \/slack\/oauth_redirect/,
    );
  });
});
