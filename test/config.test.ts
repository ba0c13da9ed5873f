// The settings a person writes in the environment, read and checked: a wrong one stops start-up with one
// sentence naming the variable.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { isMeshError } from "../src/core/errors.js";

const DISCORD = { DISCORD_TOKEN: "token", DISCORD_APPLICATION_ID: "123456789012345678" };

/** The sentence loadConfig stops with, or undefined when it accepts the settings. */
function refusal(env: Record<string, string>): string | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    if (!isMeshError(error, "CONFIG_INVALID")) throw error;
    return error.message;
  }
}

describe("DISCORD_SHARD_ID and DISCORD_SHARD_COUNT", () => {
  it("run one shard of several when both are set", () => {
    const config = loadConfig({ ...DISCORD, DISCORD_SHARD_ID: "2", DISCORD_SHARD_COUNT: "3" });
    expect(config.discord?.shard).toEqual({ id: 2, count: 3 });
  });

  it("leave sharding to the default (one shard, every server) when neither is set", () => {
    expect(loadConfig(DISCORD).discord?.shard).toBeUndefined();
  });

  it("are both or neither", () => {
    expect(refusal({ ...DISCORD, DISCORD_SHARD_ID: "0" })).toBe(
      "DISCORD_SHARD_COUNT is missing: DISCORD_SHARD_ID needs it, set to how many shards run in all (one process each).",
    );
    expect(refusal({ ...DISCORD, DISCORD_SHARD_COUNT: "2" })).toBe(
      "DISCORD_SHARD_ID is missing: DISCORD_SHARD_COUNT needs it, set to this process's shard, from 0 to the count less one.",
    );
  });

  it("number shards from 0 to the count less one", () => {
    expect(refusal({ ...DISCORD, DISCORD_SHARD_ID: "2", DISCORD_SHARD_COUNT: "2" })).toBe(
      'DISCORD_SHARD_ID must be a whole number from 0 to 1 (DISCORD_SHARD_COUNT is 2), not "2".',
    );
    expect(refusal({ ...DISCORD, DISCORD_SHARD_ID: "1", DISCORD_SHARD_COUNT: "2" })).toBeUndefined();
  });

  it("are whole numbers, naming the variable that is not", () => {
    expect(refusal({ ...DISCORD, DISCORD_SHARD_ID: "-1", DISCORD_SHARD_COUNT: "2" })).toBe(
      'DISCORD_SHARD_ID must be a whole number from 0 to 1 (DISCORD_SHARD_COUNT is 2), not "-1".',
    );
    expect(refusal({ ...DISCORD, DISCORD_SHARD_ID: "mesh-discord-1", DISCORD_SHARD_COUNT: "2" })).toContain(
      "DISCORD_SHARD_ID must be a whole number",
    );
    expect(refusal({ ...DISCORD, DISCORD_SHARD_ID: "0", DISCORD_SHARD_COUNT: "0" })).toBe(
      'DISCORD_SHARD_COUNT must be a whole number from 1 to 65536, not "0".',
    );
    expect(refusal({ ...DISCORD, DISCORD_SHARD_ID: "0", DISCORD_SHARD_COUNT: "2.5" })).toContain(
      "DISCORD_SHARD_COUNT must be a whole number",
    );
  });

  it("need the Discord token they shard", () => {
    expect(refusal({ DISCORD_SHARD_ID: "0", DISCORD_SHARD_COUNT: "2" })).toBe(
      "DISCORD_TOKEN is missing: DISCORD_SHARD_ID and DISCORD_SHARD_COUNT are Discord settings.",
    );
  });
});
