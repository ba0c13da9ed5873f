// The app manifest people paste into Slack must match what the adapter listens for.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import { EXPLAIN_SHORTCUT, SLASH_COMMAND } from "../../../adapters/slack/blocks/actions.js";
import { REPO_ROOT } from "../../helpers.js";

interface Manifest {
  display_information: { name: string; description: string; long_description?: string };
  features: {
    app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: { command: string; url: string; description: string }[];
    shortcuts: { name: string; type: string; callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

// gray-matter parses YAML front matter with js-yaml: the manifest, wrapped as front matter, is that YAML.
const source = readFileSync(`${REPO_ROOT}adapters/slack/manifest.yaml`, "utf8");
const manifest = matter(`---\n${source}\n---\n`).data as Manifest;

/** The scope each event the bot subscribes to needs (none for the App Home tab). */
const EVENT_SCOPES: Record<string, string | undefined> = {
  app_home_opened: undefined,
  app_mention: "app_mentions:read",
  "message.channels": "channels:history",
  "message.groups": "groups:history",
  "message.im": "im:history",
  "message.mpim": "mpim:history",
};

/** The TypeScript files under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
}

describe("adapters/slack/manifest.yaml", () => {
  it("declares the /mesh command and the Explain this message shortcut the adapter listens for", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({
        name: "Explain this message",
        type: "message",
        callback_id: EXPLAIN_SHORTCUT,
      }),
    ]);
    expect(manifest.features.bot_user.display_name).toBe("mesh");
    expect(manifest.features.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it("sends commands, events and clicks to Bolt's one endpoint, in HTTP mode by default", () => {
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe("/slack/events");
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it("subscribes to mentions, messages everywhere and the home tab, with the scope each event needs", () => {
    const events = manifest.settings.event_subscriptions.bot_events;
    expect([...events].sort()).toEqual([
      "app_home_opened",
      "app_mention",
      "message.channels",
      "message.groups",
      "message.im",
      "message.mpim",
    ]);
    const scopes = manifest.oauth_config.scopes.bot;
    for (const event of events) {
      const scope = EVENT_SCOPES[event];
      if (scope !== undefined) expect(scopes, event).toContain(scope);
    }
    expect(scopes).toContain("commands");
  });

  it("asks for exactly the scopes of the events it hears and the Web API methods the code calls", () => {
    // Every Web API method the Slack adapter calls, e.g. `client.chat.postMessage(`.
    const called = new Set<string>();
    for (const file of sourceFiles(`${REPO_ROOT}adapters/slack`)) {
      const code = readFileSync(file, "utf8");
      for (const m of code.matchAll(/\bclient\.([a-z]+)\.([a-zA-Z]+)\(/g)) called.add(`${m[1]}.${m[2]}`);
      for (const m of code.matchAll(/\bapiCall\(\s*"([a-zA-Z.]+)"/g)) if (m[1]) called.add(m[1]);
    }
    // The scope each method needs (https://docs.slack.dev/reference/methods). A method missing here fails
    // the test: add it with its scope, and the scope to the manifest.
    const methodScope: Record<string, string | undefined> = {
      "chat.postMessage": "chat:write",
      // Who the workspace's admins and owners are: they maintain the team's glossary.
      "users.info": "users:read",
      "users.list": "users:read",
      // Modals and the home tab take no scope of their own.
      "views.open": undefined,
      "views.publish": undefined,
    };
    for (const method of called) expect(Object.keys(methodScope), `scope of ${method}`).toContain(method);
    expect(called.size).toBeGreaterThan(0);
    const eventScopes = manifest.settings.event_subscriptions.bot_events.map((e) => EVENT_SCOPES[e]);
    // Bolt's own auth.test needs no scope; `commands` covers the slash command and the message shortcut.
    const expected = new Set(
      [...eventScopes, ...[...called].map((m) => methodScope[m]), "commands"].filter((x) => x !== undefined),
    );
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...expected].sort());
    expect(manifest.oauth_config.scopes.bot).not.toContain("im:write");
  });

  it("fits Slack's manifest limits for the texts people see", () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    const long = manifest.display_information.long_description ?? "";
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
    for (const c of manifest.features.slash_commands) expect(c.description.length).toBeLessThanOrEqual(2000);
  });
});
