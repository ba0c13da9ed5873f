// Several processes share one bot by each running one gateway shard: the settings reach discord.js, which
// tells Discord which shard this session is, so Discord sends it only that shard's servers.
import { afterEach, describe, expect, it } from "vitest";
import { createDiscordAdapter, type DiscordAdapter } from "../../../adapters/discord/index.js";
import { MeshBot } from "../../../src/bot/mesh-bot.js";
import { loadConfig } from "../../../src/config.js";
import { silentLogger } from "../../../src/logger.js";
import { SqliteStore } from "../../../src/store/sqlite.js";
import { type FakeDiscord, startFakeDiscord } from "../../fakes/discord.js";
import { realGlossary } from "../../helpers.js";

let fake: FakeDiscord | undefined;
let adapter: DiscordAdapter | undefined;
let store: SqliteStore | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  await store?.close();
  adapter = undefined;
  fake = undefined;
  store = undefined;
});

/** Starts the adapter with the Discord settings `env` gives, and returns the shard its IDENTIFY named. */
async function identifiedShard(env: Record<string, string>): Promise<unknown> {
  fake = await startFakeDiscord();
  const config = loadConfig({
    DISCORD_TOKEN: "test-token",
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    ...env,
  });
  if (config.discord === undefined) throw new Error("no Discord settings");
  store = SqliteStore.open("sqlite::memory:");
  const logger = silentLogger();
  const bot = new MeshBot({
    glossary: realGlossary(),
    store,
    logger,
    autoExplain: { cooldownMs: 0, maxTerms: 5 },
  });
  adapter = createDiscordAdapter({ config: config.discord, bot, logger, rest: { retries: 0 } });
  await adapter.start();
  const identify = fake.received.filter((frame) => frame.op === 2);
  expect(identify).toHaveLength(1);
  return (identify[0]?.d as { shard?: unknown } | undefined)?.shard;
}

describe("Discord sharding", () => {
  it("identifies as shard DISCORD_SHARD_ID of DISCORD_SHARD_COUNT, one gateway session", async () => {
    expect(await identifiedShard({ DISCORD_SHARD_ID: "1", DISCORD_SHARD_COUNT: "3" })).toEqual([1, 3]);
    expect(fake?.identifies).toBe(1);
  });

  it("identifies as the only shard without the settings", async () => {
    expect(await identifiedShard({})).toEqual([0, 1]);
  });
});
