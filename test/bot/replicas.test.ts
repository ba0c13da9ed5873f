// Two replicas of the bot on one PostgreSQL database (the server at DATABASE_URL when there is one, else
// in-process PGlite): a team term added through one is answered by the other, already running, within 2 s.
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { MeshBot } from "../../src/bot/mesh-bot.js";
import { silentLogger } from "../../src/logger.js";
import type { Store } from "../../src/store/store.js";
import { realGlossary } from "../helpers.js";
import { POSTGRES_TARGET, postgresDatabase, type TestDatabase, warmUpPostgres } from "../store/databases.js";
import { recorder } from "./recorder.js";

const ref = { platform: "discord", workspace: "G1", channel: "C1" };
const asker = { id: "U1", canManageChannel: true, canMaintain: async () => true };

beforeAll(warmUpPostgres, 120_000);

let database: TestDatabase;
const stores: Store[] = [];
const bots: MeshBot[] = [];

afterEach(async () => {
  for (const b of bots.splice(0)) await b.close();
  for (const s of stores.splice(0)) await s.close();
  await database.cleanup();
});

async function replica(): Promise<MeshBot> {
  const store = await database.open();
  stores.push(store);
  const bot = new MeshBot({
    glossary: realGlossary(),
    store,
    logger: silentLogger(),
    autoExplain: { cooldownMs: 0, maxTerms: 5 },
  });
  bots.push(bot);
  return bot;
}

const define = async (bot: MeshBot, query: string) =>
  (
    await bot.receive(
      { kind: "command", ref, asker, command: `define ${query}`, privately: true },
      recorder(),
    )
  )?.kind;

describe(`two replicas on ${POSTGRES_TARGET}`, () => {
  it("answers on one a term added on the other within 2 seconds, and forgets it when removed", async () => {
    database = postgresDatabase();
    const [a, b] = [await replica(), await replica()];
    // b has read the workspace already: it must hear the change, not read it fresh.
    expect(await define(b, "kraken")).toBe("notFound");
    const started = Date.now();
    await a.receive(
      { kind: "command", ref, asker, command: "add kraken = Our ingress cluster", privately: true },
      recorder(),
    );
    await expect.poll(() => define(b, "kraken"), { timeout: 2000, interval: 50 }).toBe("definition");
    expect(Date.now() - started).toBeLessThan(2000);
    await a.receive({ kind: "command", ref, asker, command: "remove kraken", privately: true }, recorder());
    await expect.poll(() => define(b, "kraken"), { timeout: 2000, interval: 50 }).toBe("notFound");
  });
});

const server =
  process.env.DATABASE_URL?.startsWith("postgres") === true ? process.env.DATABASE_URL : undefined;
if (server === undefined) {
  console.info("Not run here: losing the LISTEN connection needs a PostgreSQL server (set DATABASE_URL).");
}

describe.runIf(server !== undefined)("a replica that lost its LISTEN connection", () => {
  it("catches up on the changes it missed once it is back", async () => {
    database = postgresDatabase();
    const [a, b] = [await replica(), await replica()];
    expect(await define(b, "kraken")).toBe("notFound");
    // Cut every listening connection (b's, and a's own): notifications sent meanwhile are lost.
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN mesh_team_terms%' AND pid <> pg_backend_pid()",
      );
    } finally {
      await admin.end();
    }
    await a.receive(
      { kind: "command", ref, asker, command: "add kraken = Our ingress cluster", privately: true },
      recorder(),
    );
    // b reconnects within seconds and reloads every workspace it had read.
    await expect.poll(() => define(b, "kraken"), { timeout: 10_000, interval: 200 }).toBe("definition");
  });
});
