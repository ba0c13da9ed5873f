// The terminal chat through the real entry point: `npm start`, stdin piped, as a newcomer would run it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers.js";

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
    expect(shown.stdout).not.toContain("Auto-explain");
    const wrong = start({}, ["--frobnicate"]);
    wrong.stdin?.end();
    const refused = await collect(wrong);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'mesh-glossary-bot takes no argument "--frobnicate"; npm start -- --help says what it takes.\n',
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
