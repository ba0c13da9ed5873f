// The manifest of the distributed app (many workspaces through "Add to Slack") must match what OAuth mode serves,
// and stay the single-workspace manifest plus what distribution needs.
import { readFileSync } from "node:fs";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import { BOT_SCOPES, INSTALL_PATH } from "../../../adapters/slack/oauth/index.js";
import { SLACK_REDIRECT_PATH } from "../../../src/config.js";
import { REPO_ROOT } from "../../helpers.js";

interface Manifest {
  display_information: Record<string, unknown>;
  features: Record<string, unknown>;
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

// gray-matter parses YAML front matter with js-yaml: a manifest, wrapped as front matter, is that YAML.
const read = (file: string) =>
  matter(`---\n${readFileSync(`${REPO_ROOT}adapters/slack/${file}`, "utf8")}\n---\n`).data as Manifest;
const single = read("manifest.yaml");
const distributed = read("manifest.distributed.yaml");

describe("adapters/slack/manifest.distributed.yaml", () => {
  it("asks every workspace for the scopes OAuth mode requests, the same as the single-workspace manifest", () => {
    expect(distributed.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(single.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(distributed.oauth_config.scopes.user).toBeUndefined();
  });

  it("sends installers back to the path the bot answers, on the host the other URLs name", () => {
    const [redirect, ...others] = distributed.oauth_config.redirect_urls ?? [];
    expect(others).toEqual([]);
    const url = new URL(redirect ?? "");
    expect(url.protocol).toBe("https:");
    expect(url.pathname).toBe(SLACK_REDIRECT_PATH);
    expect(new URL(distributed.settings.event_subscriptions.request_url).host).toBe(url.host);
    expect(INSTALL_PATH).toBe("/slack/install");
  });

  it("runs over HTTP, never Socket Mode, and may be installed org-wide", () => {
    expect(distributed.settings.socket_mode_enabled).toBe(false);
    expect(distributed.settings.org_deploy_enabled).toBe(true);
    expect(new URL(distributed.settings.event_subscriptions.request_url).pathname).toBe("/slack/events");
    expect(new URL(distributed.settings.interactivity.request_url).pathname).toBe("/slack/events");
  });

  it("subscribes to what the single-workspace app does, plus removal of the app and its tokens", () => {
    expect(distributed.settings.event_subscriptions.bot_events).toEqual([
      ...single.settings.event_subscriptions.bot_events,
      "app_uninstalled",
      "tokens_revoked",
    ]);
    expect(distributed.features).toEqual(single.features);
    expect(distributed.display_information).toEqual(single.display_information);
    expect(distributed.settings.interactivity.is_enabled).toBe(true);
  });
});
