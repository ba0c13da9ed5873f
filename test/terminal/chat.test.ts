// The terminal chat through the real entry point: `npm start`, stdin piped, as a newcomer would run it.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONTENT_DIR, REPO_ROOT } from "../helpers.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mesh-chat-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: "1",
    DATABASE_URL: `sqlite:${join(dir, "data", "mesh.db")}`,
    ...extra,
  };
}

function start(extra?: Record<string, string>, args: readonly string[] = []): ChildProcess {
  const npmArgs = ["start", "--silent", ...(args.length === 0 ? [] : ["--", ...args])];
  return spawn("npm", npmArgs, { cwd: REPO_ROOT, env: env(extra), stdio: "pipe" });
}

function collect(child: ChildProcess): Promise<Run> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ stdout, stderr, code })));
}

/** Runs `npm start` with `lines` piped to it, one message a line. */
async function chat(lines: readonly string[], extra?: Record<string, string>): Promise<Run> {
  const child = start(extra);
  const done = collect(child);
  child.stdin?.end(`${lines.join("\n")}\n`);
  return done;
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe("npm start without chat credentials", () => {
  it("explains egress and latency once each, and says auto-explain is on", async () => {
    const run = await chat([
      "/mesh autoexplain status",
      "our egress gateway adds latency",
      "the egress gateway again",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Auto-explain is on here");
    expect(run.stdout).toContain('Jargon in this message: "egress", "latency"');
    expect(count(run.stdout, "Egress: ")).toBe(1);
    expect(count(run.stdout, "Latency: ")).toBe(1);
    // The third line repeats egress: no second explanation, no other output for it.
    expect(count(run.stdout, "↳")).toBe(1);
  });

  it("answers /mesh define, typos included, and @mesh questions", async () => {
    const run = await chat(["/mesh define egres", "@mesh what is an init container?", "/mesh pizza"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Egress \(also: egress traffic\)$/m);
    expect(run.stdout).toMatch(/^Init container$/m);
    expect(run.stdout).toContain(`I don't have "pizza" in the glossary yet`);
  });

  it("keeps channel settings across a restart", async () => {
    const first = await chat(["/mesh autoexplain off", "/mesh autoexplain silence latency"]);
    expect(first.stdout).toContain("Auto-explain is off in this channel");
    const second = await chat(["our egress gateway adds latency", "/mesh autoexplain status"]);
    expect(second.stdout).toContain("Auto-explain is off here");
    expect(second.stdout).not.toContain("↳");
    expect(second.stdout).toContain("turned off by you");
    expect(second.stdout).toContain("Not jargon here: Latency.");
    const third = await chat(["/mesh autoexplain on", "our egress gateway adds latency"]);
    expect(third.stdout).toContain('Jargon in this message: "egress"\n');
    expect(third.stdout).not.toContain("Latency: ");
  });

  it("shows maintainers what people looked up and what they did not find, with mesh stats", async () => {
    await chat(["/mesh define egres", "@mesh what is egress?", "/mesh define kafka", "/mesh define Kafka!"]);
    const stats = spawn(process.execPath, ["dist/adapters/terminal/bin.js", "stats", "--json"], {
      cwd: REPO_ROOT,
      env: env(),
      stdio: "pipe",
    });
    const run = await collect(stats);
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout) as {
      top: { id: string; count: number }[];
      misses: { query: string }[];
    };
    expect(parsed.top).toEqual([expect.objectContaining({ id: "egress", count: 2 })]);
    expect(parsed.misses).toEqual([expect.objectContaining({ query: "kafka", count: 2 })]);
  });

  it("starts each run as a new conversation, so a term is explained again next time", async () => {
    for (let i = 0; i < 2; i++) {
      const run = await chat(["mTLS everywhere"]);
      expect(count(run.stdout, "mTLS: ")).toBe(1);
    }
  });

  it("answers hostile, empty and huge lines without crashing", async () => {
    const huge = `egress ${"word ".repeat(20_000)}`;
    const run = await chat([
      "",
      "   ",
      "/mesh define <!channel> @everyone",
      "\u001b[31mred\u0007",
      huge,
      "/mesh",
      "/mesh define egress",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`I don't have "channel everyone" in the glossary`);
    expect(run.stdout).not.toContain("\u001b[31m");
    expect(run.stdout).toContain('Jargon in this message: "egress"');
    expect(run.stdout).toContain("I explain service mesh jargon. Ask me with:");
    expect(run.stdout).toMatch(/^Egress \(also: egress traffic\)$/m);
    expect(run.stderr).toBe("");
  });

  it("exits cleanly on Ctrl-C", async () => {
    // npm itself dies of the SIGINT a terminal sends its whole process group; what must end cleanly is the
    // bot it started (the `start` script), so this signals that process directly.
    const child = spawn(process.execPath, ["dist/src/main.js"], {
      cwd: REPO_ROOT,
      env: env(),
      stdio: "pipe",
    });
    const done = collect(child);
    await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
    child.kill("SIGINT");
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("stops at start-up with file and line when the content is broken", async () => {
    const content = join(dir, "content");
    mkdirSync(content);
    writeFileSync(
      join(content, "egress.md"),
      "---\nid: egress\nterm: Egress\nsummary: Traffic: out: of the cluster\n---\nBody.\n",
    );
    const run = await chat([], { CONTENT: content });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("mesh-glossary-bot could not start");
    expect(run.stderr).toMatch(/egress\.md:4: the front matter is not valid YAML/);
  });

  it("prints its usage for npm start -- --help, and refuses an argument it does not take", async () => {
    const help = start({}, ["--help"]);
    help.stdin?.end();
    const shown = await collect(help);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("npm start -- --help    this text");
    expect(shown.stdout).toContain("npm start -- serve     the configured chat platforms as a service");
    expect(shown.stdout).not.toContain("Auto-explain");
    const wrong = start({}, ["--frobnicate"]);
    wrong.stdin?.end();
    const refused = await collect(wrong);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'mesh-glossary-bot takes "serve" or no argument, not "--frobnicate"; npm start -- --help says more.\n',
    );
  });

  it("stops at start-up with a sentence naming a malformed setting", async () => {
    const run = await chat([], { SLACK_BOT_TOKEN: "not-a-token" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SLACK_BOT_TOKEN must start with "xoxb-"');
  });

  it("stops at start-up saying what to do when the state cannot be stored", async () => {
    const run = await chat([], { DATABASE_URL: "sqlite:/proc/mesh.db" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Cannot write the state database /proc/mesh.db");
  });
});

/** `mesh <args>` (the built CLI) on the same database as the chat. */
function mesh(args: readonly string[]): Promise<Run> {
  const child = spawn(process.execPath, ["dist/adapters/terminal/bin.js", ...args], {
    cwd: REPO_ROOT,
    env: env(),
    stdio: "pipe",
  });
  child.stdin?.end();
  return collect(child);
}

describe("the team's glossary from the terminal chat", () => {
  it("adds kraken, answers it, explains it, and still knows it after a restart", async () => {
    const first = await chat([
      "/mesh add kraken = Our internal ingress cluster in eu-west",
      "/mesh define kraken",
      "the kraken cluster is paging again",
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Added kraken to this team's glossary.");
    expect(first.stdout).toMatch(/^kraken\n {2}Our internal ingress cluster in eu-west$/m);
    expect(first.stdout).toContain('Jargon in this message: "kraken", "cluster"');
    expect(first.stdout).toContain("    kraken: Our internal ingress cluster in eu-west");
    const second = await chat(["/mesh define kraken"]);
    expect(second.stdout).toContain("Our internal ingress cluster in eu-west");
    expect(second.stdout).toContain("Added to this team's glossary by you");
  });

  it("edits, shows the history of, and removes a term; refuses a 5,000-character summary", async () => {
    const run = await chat([
      "/mesh add kraken = Our internal ingress cluster in eu-west",
      "/mesh edit kraken = Our ingress cluster, moved to eu-central",
      "/mesh define kraken",
      "/mesh history kraken",
      `/mesh add squid = ${"s".repeat(5000)}`,
      "/mesh define squid",
      "/mesh remove kraken",
      "/mesh define kraken",
      "/mesh recent",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Changed kraken.");
    expect(run.stdout).toContain("  Our ingress cluster, moved to eu-central");
    expect(run.stdout).toMatch(
      /Changes to kraken, oldest first:\n {2}added by you, .*: Our internal ingress cluster in eu-west\n {2}changed by you, .*: Our ingress cluster, moved to eu-central/,
    );
    expect(run.stdout).toContain(
      "Nothing was saved. Please fix:\n  Summary: Keep the summary to 300 characters, one line (it has 5000)",
    );
    expect(run.stdout).toContain(`I don't have "squid" in the glossary yet.`);
    expect(run.stdout).toContain(
      "Removed kraken from this team's glossary; /mesh history kraken still shows it.",
    );
    expect(run.stdout).toContain(`I don't have "kraken" in the glossary yet.`);
    expect(run.stdout).toMatch(/Lately in this team's glossary:\n {2}kraken removed by you/);
    expect(run.stderr).toBe("");
  });

  it("takes the team's terms from chat to a pull request: export, term files that pass mesh check", async () => {
    await chat([
      "/mesh add kraken = Our internal ingress cluster in eu-west",
      "/mesh add krill = The small staging cluster behind the ingress gateway",
    ]);
    const json = await mesh(["export", "--format", "json"]);
    expect(json.code).toBe(0);
    const exported = JSON.parse(json.stdout) as {
      id: string;
      team?: { workspace: string; addedBy: string };
    }[];
    expect(exported.find((t) => t.id === "team-kraken")?.team).toMatchObject({
      workspace: "terminal/local",
      addedBy: "you",
    });
    expect(exported.find((t) => t.id === "egress")?.team).toBeUndefined();
    const teamOnly = JSON.parse((await mesh(["export", "--format", "json", "--team"])).stdout) as {
      id: string;
    }[];
    expect(teamOnly.map((t) => t.id)).toEqual(["team-kraken", "team-krill"]);
    // As term files, copied into a copy of content/, they pass the content checks.
    const out = join(dir, "team-terms");
    const files = await mesh(["export", "--team", "--format", "md", "--out", out]);
    expect(files.code).toBe(0);
    expect(files.stderr).toBe(`Wrote 2 team terms as term files to ${out}.\n`);
    const content = join(dir, "content");
    cpSync(CONTENT_DIR, content, { recursive: true });
    cpSync(out, content, { recursive: true });
    const check = await mesh(["check", "--content", content]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^92 terms, no problems/);
    const team = await mesh(["check", "--team"]);
    expect(team.code).toBe(0);
    expect(team.stdout).toContain("Team terms: no problems.");
  });

  it("says, on export, every change a term file needs before it can join content/, a clash included", async () => {
    const long = "A scheduler nobody outside the platform team has heard of ".repeat(4).trim();
    await chat([`/mesh add zorblat = ${long.slice(0, 240).trim()}`, "/mesh add sidecar = Our log shipper"]);
    const out = join(dir, "team-terms");
    const files = await mesh(["export", "--team", "--format", "md", "--out", out]);
    expect(files.code).toBe(0);
    expect(files.stderr).toContain(`Wrote 2 team terms as term files to ${out}.\n`);
    expect(files.stderr).toContain(
      `${join(out, "sidecar.md")}: "sidecar" is also a name of "sidecar-proxy" in the content; rename one, or list it under sharedAliases on both.`,
    );
    expect(files.stderr).toMatch(/zorblat\.md: the summary is 2\d\d characters; keep it under 200\./);
    expect(files.stderr).toContain(`${join(out, "zorblat.md")}: the term is related to no other term`);
    expect(files.stderr).toMatch(/Fix these before copying the files into content\/\.\n$/);
  });
});

describe("content served again without a restart", () => {
  /** The bot (what `npm start` runs) with stdin kept open, and a way to wait for what it prints. */
  function running(content: string) {
    const child = spawn(process.execPath, ["dist/src/main.js"], {
      cwd: REPO_ROOT,
      env: env({ CONTENT: content }),
      stdio: "pipe",
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const ask = async (line: string, expected: string) => {
      const before = stdout.length;
      child.stdin?.write(`${line}\n`);
      await expect.poll(() => stdout.slice(before), { timeout: 5000 }).toContain(expected);
    };
    return { child, ask, stderr: () => stderr, stdout: () => stdout };
  }

  const zebra = [
    "---",
    "id: zebra-mesh",
    "term: Zebra mesh",
    "aliases: []",
    "summary: A made-up mesh, to see content reload.",
    "related: [egress]",
    "sources: []",
    "---",
    "Body.",
    "",
  ].join("\n");

  it("reloads when a term file appears, keeps serving when a file breaks, and reloads on SIGHUP", async () => {
    const content = join(dir, "content");
    cpSync(CONTENT_DIR, content, { recursive: true });
    const bot = running(content);
    await expect.poll(bot.stdout, { timeout: 5000 }).toContain("Auto-explain is on here");
    await bot.ask("/mesh define zebra mesh", `I don't have "zebra mesh"`);
    writeFileSync(join(content, "zebra-mesh.md"), zebra);
    await expect
      .poll(
        async () => {
          await bot.ask("/mesh define zebra mesh", "\n");
          return bot.stdout();
        },
        { timeout: 10_000, interval: 500 },
      )
      .toContain("A made-up mesh, to see content reload.");
    // A broken file: the running glossary stays, and the log says where.
    writeFileSync(join(content, "zebra-mesh.md"), zebra.replace("summary:", "summary: [broken"));
    await expect.poll(bot.stderr, { timeout: 10_000 }).toContain("zebra-mesh.md:");
    expect(bot.stderr()).toContain("content not reloaded; still serving the previous glossary");
    await bot.ask("/mesh define zebra mesh", "A made-up mesh");
    // Fixed, and told to reload at once.
    writeFileSync(join(content, "zebra-mesh.md"), zebra.replace("A made-up mesh", "A reloaded mesh"));
    bot.child.kill("SIGHUP");
    await expect
      .poll(
        async () => {
          await bot.ask("/mesh define zebra mesh", "\n");
          return bot.stdout();
        },
        { timeout: 10_000, interval: 500 },
      )
      .toContain("A reloaded mesh");
    bot.child.stdin?.end();
    const code = await new Promise((resolve) => bot.child.on("close", resolve));
    expect(code).toBe(0);
  });
});
