import { ApplicationCommandOptionType, ApplicationCommandType } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { deployCommands, describeDeployment } from "../../../adapters/discord/deploy-commands.js";
import type { DiscordConfig } from "../../../src/config.js";
import { isMeshError } from "../../../src/core/errors.js";
import { TOPICS } from "../../../src/core/types.js";
import { type FakeDiscord, startFakeDiscord } from "../../fakes/discord.js";

let fake: FakeDiscord | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function configFor(f: FakeDiscord, guildId: string | undefined): DiscordConfig {
  return { token: "test-token", applicationId: f.applicationId, guildId, apiUrl: f.apiUrl };
}

interface Option {
  name: string;
  type: number;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string }[];
  options?: Option[];
}

describe("npm run discord:commands", () => {
  it("registers /mesh and 'Explain this message' to DISCORD_GUILD_ID when it is set", async () => {
    fake = await startFakeDiscord();
    const result = await deployCommands(configFor(fake, fake.guildId));
    expect(result.scope).toBe("guild");
    const put = await fake.waitForCall((c) => c.method === "PUT");
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(put.headers.authorization).toBe("Bot test-token");
    const registered = fake.commands.get(fake.guildId) ?? [];
    expect(registered.map((c) => [c.name, c.type])).toEqual([
      ["mesh", ApplicationCommandType.ChatInput],
      ["Explain this message", ApplicationCommandType.Message],
    ]);
    expect(fake.commands.get("global")).toBeUndefined();

    const mesh = registered[0] as { options: Option[] };
    const sub = (name: string) => mesh.options.find((o) => o.name === name);
    expect(mesh.options.map((o) => o.name)).toEqual([
      "define",
      "search",
      "list",
      "related",
      "autoexplain",
      "add",
      "edit",
      "remove",
      "history",
      "recent",
      "glossary",
      "stats",
      "help",
    ]);
    expect(mesh.options.every((o) => o.type === ApplicationCommandOptionType.Subcommand)).toBe(true);
    expect(sub("define")?.options).toMatchObject([
      { name: "term", type: ApplicationCommandOptionType.String, required: true, autocomplete: true },
      { name: "private", type: ApplicationCommandOptionType.Boolean },
    ]);
    expect(sub("search")?.options?.[0]).toMatchObject({ name: "words", required: true });
    expect(sub("list")?.options?.[0]?.choices?.map((c) => c.value)).toEqual([...TOPICS]);
    expect(sub("related")?.options?.[0]).toMatchObject({ name: "term", autocomplete: true });
    const autoexplain = sub("autoexplain")?.options ?? [];
    expect(autoexplain[0]?.choices?.map((c) => c.value)).toEqual([
      "on",
      "off",
      "status",
      "mute",
      "unmute",
      "silence",
      "unsilence",
    ]);
    expect(autoexplain[1]).toMatchObject({ name: "term", required: false, autocomplete: true });
    expect(describeDeployment(result)).toEqual([
      `Registered 2 commands to server ${fake.guildId} (available now):`,
      "  /mesh",
      "  Explain this message (message menu: Apps > Explain this message)",
    ]);
  });

  it("registers globally when no guild is set", async () => {
    fake = await startFakeDiscord();
    const result = await deployCommands(configFor(fake, undefined));
    expect(result.scope).toBe("global");
    const put = await fake.waitForCall((c) => c.method === "PUT");
    expect(put.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(fake.commands.get("global")?.map((c) => c.name)).toEqual(["mesh", "Explain this message"]);
    expect(result.commands.every((c) => /^\d+$/.test(c.id))).toBe(true);
    expect(describeDeployment(result)[0]).toMatch(/^Registered 2 commands globally/);
  });

  it("says what to check when Discord refuses the registration", async () => {
    fake = await startFakeDiscord();
    const f = fake;
    f.failNext((c) => c.method === "PUT", { status: 403, code: 50001, message: "Missing Access" });
    const error = await deployCommands(configFor(f, f.guildId)).catch((e: unknown) => e);
    expect(isMeshError(error, "PLATFORM_API")).toBe(true);
    expect((error as Error).message).toContain("check DISCORD_APPLICATION_ID");
  });

  it("names DISCORD_TOKEN when Discord refuses the token", async () => {
    fake = await startFakeDiscord();
    const f = fake;
    f.failNext((c) => c.method === "PUT", { status: 401 });
    await expect(deployCommands(configFor(f, undefined))).rejects.toMatchObject({
      code: "PLATFORM_API",
      message:
        "Discord refused the commands (401): DISCORD_TOKEN was refused: copy the token again from the Bot page.",
    });
  });
});
