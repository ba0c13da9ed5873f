// The examples in README.md and docs/*.md, checked so the docs cannot drift from the product: term files are
// parsed and checked, settings are loaded, commands are run (or, where they need a chat platform, checked
// against package.json and the settings), and the output they show is compared with what they print.
//
// Every fenced block says what it is with its info string: `markdown` (a term file when it starts with ---),
// `yaml` (front matter fields), `sh` (commands), `dotenv` (settings) or `text` (prose, URLs, chat). An HTML comment right above a block
// marks the few that need more: `<!-- doc-test: output of the command above -->` and
// `<!-- doc-test: interactive transcript -->`.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dotenv from "dotenv";
import type { Code } from "mdast";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { checkContentAt } from "../../src/content/load.js";
import { parseMarkdown, walk } from "../../src/content/markdown.js";
import { parseTermFile } from "../../src/content/term-file.js";
import { CONTENT_DIR, FIXTURE_PAGE, HUGO_SITE, REPO_ROOT } from "../helpers.js";

const SLOW = 120_000;
const BIN = join(REPO_ROOT, "dist", "adapters", "terminal", "bin.js");
const MAIN = join(REPO_ROOT, "dist", "src", "main.js");
const DOCS = ["README.md", ...readdirSync(join(REPO_ROOT, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);
const KINDS = ["markdown", "yaml", "sh", "dotenv", "text"];

interface Block {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  /** The doc-test comment right above the block, if any. */
  readonly mark: string | undefined;
}

function blocksOf(file: string): Block[] {
  const source = readFileSync(join(REPO_ROOT, file), "utf8");
  const tree = parseMarkdown(source);
  const marks = new Map<number, string>();
  for (const node of walk(tree)) {
    const m = node.type === "html" ? node.value.match(/^<!--\s*doc-test:\s*(.+?)\s*-->$/) : null;
    if (m !== null && node.position !== undefined) marks.set(node.position.end.line, m[1] as string);
  }
  const out: Block[] = [];
  for (const node of walk(tree)) {
    if (node.type !== "code") continue;
    const code = node as Code;
    const line = code.position?.start.line ?? 0;
    out.push({ file, line, lang: code.lang ?? "", text: code.value, mark: marks.get(line - 1) });
  }
  return out;
}

const blocks = DOCS.flatMap(blocksOf);
const where = (b: Block) => `${b.file}:${b.line}`;

/** Every setting the bot reads, as .env.example lists them. */
const SETTINGS = new Set(
  [...readFileSync(join(REPO_ROOT, ".env.example"), "utf8").matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map(
    (m) => m[1] as string,
  ),
);
const SCRIPTS = Object.keys(
  (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts,
);

/** A command of an `sh` block, with what the docs say it prints. */
interface Command {
  readonly line: string;
  /** A `# {...}` comment beside or under it: JSON it prints, "..." standing for what is left out. */
  readonly json: string[];
  /** A `# mesh: ...` comment beside it: the one line it prints on stderr, exiting 2. */
  readonly error: string | undefined;
}

function commandsOf(text: string): Command[] {
  const out: { line: string; json: string[]; error: string | undefined }[] = [];
  for (const raw of text.replace(/\\\n\s*/g, "").split("\n")) {
    const trimmed = raw.trim();
    if (trimmed === "") continue;
    if (trimmed.startsWith("#")) {
      const last = out.at(-1);
      if (last !== undefined && /^#\s*[[{]/.test(trimmed)) last.json.push(trimmed.replace(/^#\s*/, ""));
      continue;
    }
    const comment = raw.match(/\s{2,}#\s*(.*)$/);
    const line = (comment === null ? raw : raw.slice(0, comment.index)).trim();
    const note = comment?.[1] ?? "";
    out.push({
      line,
      json: /^[[{]/.test(note) ? [note] : [],
      error: note.startsWith("mesh: ") ? note : undefined,
    });
  }
  return out;
}

/** The words of a command line, quotes removed, with pipes and && as their own words. */
function words(line: string): string[] {
  return [...line.matchAll(/'[^']*'|"[^"]*"|\|\||&&|[|<>]|[^\s|<>]+/g)].map((m) =>
    m[0].replace(/^(['"])([\s\S]*)\1$/, "$2"),
  );
}

/** Problems with a command as the docs write it: unknown settings, scripts or programs. */
function commandProblems(line: string): string[] {
  const problems: string[] = [];
  const segments: string[][] = [[]];
  for (const w of words(line)) {
    if (["|", "&&", "||"].includes(w)) segments.push([]);
    else segments.at(-1)?.push(w);
  }
  for (const segment of segments) {
    const [first, ...rest] = segment;
    let i = 0;
    while (/^[A-Z][A-Z0-9_]*=/.test(segment[i] ?? "")) {
      const name = (segment[i] as string).split("=")[0] as string;
      if (!SETTINGS.has(name)) problems.push(`${name} is not a setting`);
      i++;
    }
    const [program, sub, arg] = segment.slice(i);
    if (first === undefined || program === undefined) continue;
    if (program === "npm") {
      if (sub === "run" && !SCRIPTS.includes(arg ?? "")) problems.push(`npm run ${arg}: no such script`);
      else if (sub !== "run" && sub !== "ci" && !SCRIPTS.includes(sub ?? "")) problems.push(`npm ${sub}?`);
    } else if (program === "npx") {
      if (sub !== "mesh") problems.push(`npx ${sub}: not this package's command`);
    } else if (!["printf", "echo", "docker", "node", "sqlite3", "psql"].includes(program)) {
      problems.push(`${program}: a program these docs should not need`);
    }
    void rest;
  }
  return problems;
}

/** A command the tests can run here: mesh, or the bot reading piped lines. No chat platform, no install. */
function runnable(line: string): boolean {
  if (/SLACK_|DISCORD_/.test(line)) return false;
  return /(?:^|\|\s*)npx mesh\b/.test(line) || /\|\s*npm start --silent$/.test(line);
}

let work: string | undefined;
const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

/** A folder holding what the examples name: a glossary page, a GLOSSARY.md, a Hugo site, messages. */
function workFolder(): string {
  if (work !== undefined) return work;
  work = mkdtempSync(join(tmpdir(), "mesh-docs-"));
  cleanup.push(work);
  cpSync(FIXTURE_PAGE, join(work, "page.md"));
  cpSync(HUGO_SITE, join(work, "site"), { recursive: true });
  writeFileSync(join(work, "GLOSSARY.md"), "# Glossary\n\n## Egress\n\nTraffic that leaves the cluster.\n");
  writeFileSync(join(work, "messages.jsonl"), '"our egress gateway adds latency"\n"lunch at noon?"\n');
  return work;
}

function run(line: string): { code: number | null; stdout: string; stderr: string } {
  const shell = line
    .replace(/\bnpx mesh\b/g, 'node "$MESH_BIN"')
    .replace(/\bnpm start --silent$/, 'node "$MESH_MAIN"');
  const r = spawnSync("sh", ["-c", shell], {
    cwd: workFolder(),
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NO_COLOR: "1",
      MESH_BIN: BIN,
      MESH_MAIN: MAIN,
    },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** JSON as the docs show it: `...` stands for fields or text left out. */
function matchesShownJson(actual: unknown, shown: string): boolean {
  const pattern = JSON.parse(
    shown.replace(/,\s*\.\.\.(?=\s*[,}\]])/g, "").replace(/\.\.\.\s*,/g, ""),
  ) as unknown;
  const match = (a: unknown, p: unknown): boolean => {
    if (p === "...") return true;
    if (Array.isArray(p)) return Array.isArray(a) && p.every((x, i) => match(a[i], x));
    if (p !== null && typeof p === "object") {
      if (a === null || typeof a !== "object") return false;
      return Object.entries(p).every(([k, v]) => match((a as Record<string, unknown>)[k], v));
    }
    return a === p;
  };
  return match(actual, pattern);
}

describe("the fenced blocks of README.md and docs/", () => {
  it("each say what they are", () => {
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks) expect(KINDS, `${where(b)}: \`\`\`${b.lang}`).toContain(b.lang);
  });

  it("show term files that parse, and pass mesh check in a copy of content/", () => {
    const termFiles = blocks.filter((b) => b.lang === "markdown" && b.text.startsWith("---\n"));
    expect(termFiles.map(where)).toContain("docs/content.md:6");
    for (const b of termFiles) {
      const parsed = parseTermFile(where(b), `${b.text}\n`, undefined);
      if ("problems" in parsed)
        throw new Error(parsed.problems.map((p) => `${p.line}: ${p.message}`).join("\n"));
      const copy = mkdtempSync(join(tmpdir(), "mesh-docs-content-"));
      cleanup.push(copy);
      cpSync(CONTENT_DIR, copy, { recursive: true });
      writeFileSync(join(copy, `${parsed.term.id}.md`), `${b.text}\n`);
      expect(checkContentAt(copy).problems, where(b)).toEqual([]);
    }
  });

  it("show front matter fields that a term file accepts", () => {
    const egress = readFileSync(join(CONTENT_DIR, "egress.md"), "utf8");
    for (const b of blocks.filter((x) => x.lang === "yaml")) {
      // The fields shown take the place of the same fields of a real term file.
      const keys = new Set(b.text.split("\n").map((l) => l.split(":")[0]?.trim()));
      const withFields = egress.replace(/^---\n([\s\S]*?)\n---/, (_, front: string) => {
        const kept = front.split("\n").filter((l) => !keys.has(l.split(":")[0]?.trim()));
        return `---\n${[...kept, b.text.trim()].join("\n")}\n---`;
      });
      const parsed = parseTermFile(where(b), withFields, "egress");
      if ("problems" in parsed)
        throw new Error(parsed.problems.map((p) => `${where(b)}: ${p.message}`).join("\n"));
    }
  });

  it("show settings files that the bot loads", () => {
    const envs = blocks.filter((b) => b.lang === "dotenv");
    expect(envs.length).toBeGreaterThan(0);
    for (const b of envs) {
      const env = dotenv.parse(b.text);
      for (const name of Object.keys(env)) expect(SETTINGS, where(b)).toContain(name);
      expect(() => loadConfig(env), where(b)).not.toThrow();
    }
  });

  it("show commands that exist: npm scripts, mesh, and settings the bot reads", () => {
    for (const b of blocks.filter((x) => x.lang === "sh")) {
      for (const c of commandsOf(b.text))
        expect(commandProblems(c.line), `${where(b)}: ${c.line}`).toEqual([]);
    }
  });
});

describe("the commands the docs show, run", () => {
  const shBlocks = blocks.filter((b) => b.lang === "sh" && commandsOf(b.text).some((c) => runnable(c.line)));

  it.each(shBlocks.map((b) => [where(b), b] as const))("%s runs as shown", { timeout: SLOW }, (_, b) => {
    for (const c of commandsOf(b.text).filter((x) => runnable(x.line))) {
      const r = run(c.line);
      const what = `${where(b)}: ${c.line}\n${r.stderr}`;
      if (c.error !== undefined) {
        expect(r.code, what).toBe(2);
        expect(r.stderr, what).toBe(`${c.error}\n`);
        continue;
      }
      expect(r.code, what).toBe(0);
      const lines = r.stdout.trimEnd().split("\n");
      c.json.forEach((shown, i) => {
        const actual = JSON.parse(lines[i] ?? "null") as unknown;
        expect(matchesShownJson(actual, shown), `${what}\nshown:  ${shown}\nprints: ${lines[i]}`).toBe(true);
      });
    }
  });

  it("print exactly the output the docs show for them", { timeout: SLOW }, () => {
    const outputs = blocks.filter((b) => b.mark === "output of the command above");
    expect(outputs.length).toBeGreaterThan(0);
    for (const out of outputs) {
      const before = blocks.filter((b) => b.file === out.file && b.line < out.line && b.lang === "sh").at(-1);
      const command = commandsOf(before?.text ?? "").at(-1);
      if (command === undefined) throw new Error(`${where(out)}: no command above`);
      const r = run(command.line);
      expect(r.code).toBe(0);
      expect(r.stdout.trimEnd(), where(out)).toBe(out.text.trimEnd());
    }
  });

  it("answer the lines of an interactive transcript as it shows", { timeout: SLOW }, () => {
    for (const t of blocks.filter((b) => b.mark === "interactive transcript")) {
      const lines = t.text.split("\n");
      const typed = lines.filter((l) => l.startsWith("you> ")).map((l) => l.slice(5));
      const shown = lines
        .slice(lines.findIndex((l) => l.startsWith("you> ")))
        .filter((l) => !l.startsWith("you> ") && l.trim() !== "...");
      const printf = `printf '%s\\n' ${typed.map((l) => `'${l.replaceAll("'", "'\\''")}'`).join(" ")}`;
      const r = run(`${printf} | npm start --silent`);
      expect(r.code).toBe(0);
      // Each line shown appears in the output in the same order; "..." ends a line cut short.
      const printed = r.stdout.split("\n");
      let at = 0;
      for (const line of shown) {
        const prefix = line.replace(/,? \.\.\.$/, "");
        const found = printed.findIndex(
          (p, i) => i >= at && (p === line || (prefix !== line && p.startsWith(prefix))),
        );
        expect(
          found,
          `${where(t)}: "${line}" is not printed (in order) by:\n${r.stdout}`,
        ).toBeGreaterThanOrEqual(0);
        at = found + 1;
      }
    }
  });
});

describe("the settings table of README.md", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)`[^|]*\| ([^|]*) \|/gm)];

  it("names only settings the bot reads", () => {
    expect(rows.length).toBeGreaterThan(4);
    const named = rows.flatMap((r) =>
      [...(r[0] as string).matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]),
    );
    for (const name of named) expect(SETTINGS).toContain(name);
  });

  it("gives the defaults the bot uses", () => {
    const config = loadConfig({});
    const defaults = new Map(rows.map((r) => [r[1] as string, (r[2] as string).trim().replaceAll("`", "")]));
    expect(defaults.get("DATABASE_URL")).toBe(config.databaseUrl);
    expect(defaults.get("AUTOEXPLAIN_COOLDOWN_SECONDS")).toBe(String(config.autoExplain.cooldownSeconds));
    expect(defaults.get("AUTOEXPLAIN_MAX_TERMS")).toBe(String(config.autoExplain.maxTermsPerReply));
    expect(defaults.get("LOG_LEVEL")).toBe(config.logLevel);
    expect(defaults.get("CONTENT")).toBe("bundled content/");
    expect(config.contentPath).toMatch(/[/\\]content$/);
  });

  it("lists in .env.example only settings the configuration reads", () => {
    const config = readFileSync(join(REPO_ROOT, "src", "config.ts"), "utf8");
    for (const name of SETTINGS) expect(config, name).toContain(`"${name}"`);
  });
});
