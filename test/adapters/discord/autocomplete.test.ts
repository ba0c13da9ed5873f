import { afterEach, describe, expect, it } from "vitest";
import { termChoices } from "../../../adapters/discord/interactions/autocomplete.js";
import { MeshBot } from "../../../src/bot/mesh-bot.js";
import type { Glossary } from "../../../src/core/glossary.js";
import { silentLogger } from "../../../src/logger.js";
import { SqliteStore } from "../../../src/store/sqlite.js";
import { recorder } from "../../bot/recorder.js";
import { glossaryOf, realGlossary } from "../../helpers.js";
import { callbackData, expectNoPings, type Harness, startHarness } from "./harness.js";

let h: Harness | undefined;

afterEach(async () => {
  if (h !== undefined) {
    expectNoPings(h.fake);
    await h.stop();
  }
  h = undefined;
});

/** The bot over a glossary, as autocomplete asks it. */
function botOver(glossary: Glossary): MeshBot {
  return new MeshBot({
    glossary,
    store: SqliteStore.open("sqlite::memory:"),
    logger: silentLogger(),
    autoExplain: { cooldownMs: 0, maxTerms: 5 },
  });
}
const real = botOver(realGlossary());
const names = async (input: string) => (await termChoices(real, input)).map((c) => c.name);
const values = async (input: string) => (await termChoices(real, input)).map((c) => c.value);

describe("term autocomplete, ranked", () => {
  it("puts the exact name first: mtls → mTLS before terms that merely contain it", async () => {
    expect((await values("mtls"))[0]).toBe("mtls");
    expect((await values("egress"))[0]).toBe("egress");
  });

  it("ranks name prefixes before alias prefixes and words inside names", async () => {
    const v = await values("ingr");
    expect(v[0]).toBe("ingress");
    // "proxy" is a word inside "Sidecar proxy": offered, after any name that starts with "proxy"
    const proxy = await values("proxy");
    expect(proxy[0]).toBe("proxy-injector");
    expect(proxy).toContain("sidecar-proxy");
    expect(proxy.indexOf("sidecar-proxy")).toBeGreaterThan(proxy.indexOf("proxy-injector"));
  });

  it("finds terms by alias and shows the alias that matched", async () => {
    const choices = await termChoices(real, "circuit breaker");
    expect(choices[0]).toEqual({ name: "Circuit breaking (circuit breaker)", value: "circuit-breaking" });
    expect((await names("container network"))[0]).toBe("CNI (Container Network Interface)");
  });

  it("falls back on the typo-tolerant lookup: sidecr → Sidecar proxy, latncy → Latency", async () => {
    expect(await values("sidecr")).toContain("sidecar-proxy");
    expect((await values("latncy"))[0]).toBe("latency");
  });

  it("offers the first 25 terms alphabetically for empty input", async () => {
    const g = realGlossary();
    const choices = await termChoices(botOver(g), "");
    expect(choices).toHaveLength(25);
    expect(choices.map((c) => c.value)).toEqual(g.terms.slice(0, 25).map((t) => t.id));
  });

  it("never offers more than 25 choices, even when many terms match", async () => {
    const g = glossaryOf(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`mesh-thing-${i}`, {}])));
    const choices = await termChoices(botOver(g), "mesh");
    expect(choices).toHaveLength(25);
  });

  it("cuts names to 100 characters and keeps the term id as the value", async () => {
    const long = "Extremely long service mesh term ".repeat(6).trim();
    const g = glossaryOf({ "long-term": { term: long, aliases: ["x".repeat(150)] } });
    for (const input of ["", "extremely", "xxxx"]) {
      const [choice] = await termChoices(botOver(g), input);
      expect(choice?.value).toBe("long-term");
      expect(choice?.name.length).toBeLessThanOrEqual(100);
      expect(choice?.name.endsWith("…")).toBe(true);
    }
  });

  it("gives values that /mesh define resolves to the very same term, for every term", async () => {
    const g = realGlossary();
    const store = SqliteStore.open("sqlite::memory:");
    const bot = new MeshBot({
      glossary: g,
      store,
      logger: silentLogger(),
      autoExplain: { cooldownMs: 0, maxTerms: 5 },
    });
    const ref = { platform: "discord", workspace: "g", channel: "c" };
    for (const t of g.terms) {
      const [choice] = await termChoices(bot, t.term);
      expect(choice?.value).toBe(t.id);
      const reply = await bot.receive(
        {
          kind: "command",
          ref,
          asker: { id: "u", canManageChannel: false },
          command: { kind: "define", query: choice?.value ?? "" },
          privately: false,
        },
        recorder(),
      );
      expect(reply?.kind === "definition" && reply.term.id).toBe(t.id);
    }
    await store.close();
  });
});

describe("autocomplete through discord.js", () => {
  it("answers the focused term option of /mesh define with ranked choices", async () => {
    h = await startHarness();
    const { callback } = await h.interact({
      kind: "autocomplete",
      subcommand: "define",
      focused: { name: "term", value: "mtl" },
    });
    const { type, data } = callbackData(callback);
    expect(type).toBe(8);
    expect(data.choices?.[0]).toEqual({ name: "mTLS", value: "mtls" });
    expect(data.choices?.length).toBeLessThanOrEqual(25);
  });

  it("answers autocomplete for the term of /mesh autoexplain action:silence", async () => {
    h = await startHarness();
    const { callback } = await h.interact({
      kind: "autocomplete",
      subcommand: "autoexplain",
      options: { action: "silence" },
      focused: { name: "term", value: "" },
    });
    const { data } = callbackData(callback);
    expect(data.choices).toHaveLength(25);
    for (const c of data.choices ?? []) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(h.glossary.get(c.value)).toBeDefined();
    }
  });
});
