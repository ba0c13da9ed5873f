import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MeshError } from "../../src/core/errors.js";
import { SCHEMA } from "../../src/store/schema.js";
import { SqliteStore, sqlitePath } from "../../src/store/sqlite.js";
import { REPO_ROOT } from "../helpers.js";

/** Root writes files whatever their mode: an unprivileged user, for tests about what the bot may not write. */
const NOBODY = 65534;

/** The message SqliteStore.open fails with, opened by an unprivileged user when the tests run as root. */
function openErrorAsUser(url: string): string {
  if (process.getuid?.() !== 0) return openError(url).message;
  chmodSync(dir, 0o777);
  const script = `import("./dist/src/store/sqlite.js").then((m) => { try { m.SqliteStore.open(${JSON.stringify(url)}); console.log("opened"); } catch (e) { console.log(e.code + ": " + e.message); } })`;
  const run = spawnSync(process.execPath, ["-e", script], {
    cwd: REPO_ROOT,
    uid: NOBODY,
    gid: NOBODY,
    encoding: "utf8",
  });
  return `${run.stdout}${run.stderr}`;
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mesh-sqlite-"));
});

afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

function openError(url: string): MeshError {
  try {
    SqliteStore.open(url).close();
  } catch (error) {
    if (error instanceof MeshError) return error;
    throw error;
  }
  throw new Error(`expected ${url} not to open`);
}

describe("claims on the SQLite store", () => {
  it("claims a message and its thread's terms together: when the terms cannot be written, its redelivery is answered", async () => {
    const file = join(dir, "mesh.db");
    const store = SqliteStore.open(`sqlite:${file}`);
    const ref = { platform: "discord", workspace: "G1", channel: "C1" };
    const claim = { platform: "discord", eventId: "M1", at: Date.now(), leaseMs: 30_000 };
    // Another connection makes writing a thread's terms fail, as a full disk would.
    const other = new Database(file);
    other.exec(
      "CREATE TRIGGER full BEFORE INSERT ON thread_terms BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    );
    await expect(store.claimEventAndTerms(claim, ref, "M1", ["egress", "mtls"])).rejects.toThrow(
      /disk is full/,
    );
    other.exec("DROP TRIGGER full");
    other.close();
    // Nothing of the failed claim stayed: the platform's redelivery wins, with the terms, instead of waiting
    // out a lease that nobody answered under.
    expect(await store.claimEventAndTerms(claim, ref, "M1", ["egress", "mtls"])).toEqual({
      won: true,
      terms: ["egress", "mtls"],
    });
    await store.close();
  });
});

describe("the SQLite store file", () => {
  it("is created with its folder on first start, in WAL mode", async () => {
    const file = join(dir, "data", "mesh.db");
    const store = SqliteStore.open(`sqlite:${file}`);
    await store.setAutoExplain({ platform: "slack", workspace: "T", channel: "C" }, true, "U", 1);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.prepare("SELECT version FROM schema_migrations ORDER BY version").all()).toEqual(
      SCHEMA.map((m) => ({ version: m.version })),
    );
    db.close();
  });

  it("runs each migration once, however often it restarts", async () => {
    const url = `sqlite:${join(dir, "mesh.db")}`;
    for (let i = 0; i < 3; i++) await SqliteStore.open(url).close();
    const db = new Database(join(dir, "mesh.db"), { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({ n: SCHEMA.length });
    db.close();
  });

  it("refuses a damaged file and says how to recover", () => {
    const file = join(dir, "mesh.db");
    writeFileSync(file, "this is not a database, just some text that got here somehow\n".repeat(200));
    const error = openError(`sqlite:${file}`);
    expect(error.code).toBe("STORE_UNAVAILABLE");
    expect(error.message).toContain("is damaged or is not a SQLite file");
    expect(error.message).toContain(`mv ${file} ${file}.bad`);
    // The damaged file is left as it was, for whoever wants to look at it.
    expect(readFileSync(file, "utf8")).toContain("this is not a database");
  });

  it("says what to do when its folder cannot be written", () => {
    // Root ignores permission bits, so /proc (where nobody may create files) stands in for a read-only folder.
    let readOnly = "/proc";
    if (process.getuid?.() !== 0) {
      readOnly = join(dir, "locked");
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o555);
    }
    const error = openError(`sqlite:${join(readOnly, "mesh.db")}`);
    expect(error.code).toBe("STORE_UNAVAILABLE");
    expect(error.message).toContain("Cannot write the state database");
    expect(error.message).toContain(`Give the bot write access to ${readOnly}`);
    expect(error.message).toContain("DATABASE_URL=sqlite:");
  });

  it("refuses at start a state file it may read but not write, saying what to do", async () => {
    const file = join(dir, "mesh.db");
    await SqliteStore.open(`sqlite:${file}`).close();
    chmodSync(file, 0o444);
    const message = openErrorAsUser(`sqlite:${file}`);
    expect(message).toContain("STORE_UNAVAILABLE");
    expect(message).toContain(`Cannot write the state database ${file}: the file is read-only to the bot`);
    expect(message).toContain("DATABASE_URL=sqlite:");
    expect(message).not.toContain("    at ");
  });

  it("notices its file deleted or replaced while running: settings are refused, the health check fails", async () => {
    const ref = { platform: "slack", workspace: "T", channel: "C" };
    for (const replace of [false, true]) {
      const file = join(dir, `mesh-${replace}.db`);
      const store = SqliteStore.open(`sqlite:${file}`);
      await store.setAutoExplain(ref, true, "U", 1);
      await expect(store.check()).resolves.toBeUndefined();
      if (replace) {
        await SqliteStore.open(`sqlite:${file}.new`).close();
        renameSync(`${file}.new`, file);
      } else {
        unlinkSync(file);
      }
      await expect(store.setAutoExplain(ref, false, "U", 2)).rejects.toThrow(
        /was deleted or replaced while the bot was running.*Restart the bot/,
      );
      await expect(store.check()).rejects.toThrow(/deleted or replaced/);
      // What needs no lasting state still works.
      expect((await store.channel(ref)).autoExplain).toBe(true);
      await store.close();
    }
  });

  it("says what to do when a file stands where its folder should be", () => {
    writeFileSync(join(dir, "data"), "not a folder");
    const error = openError(`sqlite:${join(dir, "data", "mesh.db")}`);
    expect(error.message).toContain(`under ${join(dir, "data")}: it is a file, not a folder`);
  });

  it("names the folder to open up when the state file's folders cannot be made, and never hangs making them", () => {
    // A recursive mkdir under /proc never returns on some Node versions: the folders are made one at a time.
    const started = Date.now();
    const error = openError("sqlite:/proc/no-such-folder/deeper/mesh.db");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.message).toBe(
      "Cannot create the folder /proc/no-such-folder for the state database (ENOENT). Give the bot write access to /proc, or set DATABASE_URL=sqlite:/a/writable/folder/mesh.db.",
    );
  });

  it("reads sqlite: URLs the way people write them", () => {
    expect(sqlitePath("sqlite:./data/mesh.db")).toBe("./data/mesh.db");
    expect(sqlitePath("sqlite:///var/lib/mesh/mesh.db")).toBe("/var/lib/mesh/mesh.db");
    expect(sqlitePath("sqlite::memory:")).toBe(":memory:");
  });
});
