import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig, readEnvironment } from "../../src/config.js";
import { checkSources, type SourceCheck } from "../../src/content/links.js";
import {
  checkContentAt,
  formatProblems,
  importGlossary,
  loadGlossary,
  locate,
} from "../../src/content/load.js";
import { parseTermFile } from "../../src/content/term-file.js";
import { writeTermFile } from "../../src/content/write.js";
import { answerGlossaryCommand, defineReply, type Reply } from "../../src/core/command.js";
import { detectJargon } from "../../src/core/detect.js";
import { isMeshError } from "../../src/core/errors.js";
import { EXPORT_FORMATS, type ExportFormat, exportGlossary } from "../../src/core/export.js";
import { createGlossary, type Glossary } from "../../src/core/glossary.js";
import { DEFAULT_STALE_AFTER_MONTHS, reviewWarnings } from "../../src/core/review.js";
import { type Term, TOPICS, type Topic } from "../../src/core/types.js";
import { checkContent } from "../../src/core/validate.js";
import { presentReply } from "../../src/present/present.js";
import { nearest, oneOf, parseCommandLine, UsageError } from "./args.js";
import { paletteFor, renderView, terminalSurface } from "./render.js";
import {
  readTeamTerms,
  type TeamTerms,
  teamProblems,
  teamTermFiles,
  withTeamTerms,
  workspaceName,
  writeTermFiles,
} from "./team.js";

const USAGE = `mesh: service mesh jargon, explained

Usage:
  mesh define <term...> [--json]     what a term means (typos and questions welcome)
  mesh search <words...> [--json]    terms whose definitions mention the words
  mesh list [topic] [--json]         every term, by topic
  mesh related <term...> [--json]    terms that go with a term
  mesh detect [--json | --jsonl]     find jargon in a message read from standard input
  mesh import <page.md|site> --out <dir>
                                     turn a glossary page, GLOSSARY.md or Hugo site folder into term files
                                     [--base-url URL] [--force]
  mesh export --format md|csv|json   the whole glossary as one file, team terms included [--out <file>]
                                     [--team: team terms only; with md and --out <dir>, as term files]
                                     [--workspace <platform/id>: one workspace's team terms]
  mesh check                         check the content (names, links, summaries, review dates)
                                     [--stale-after <months>] [--links: fetch every source]
                                     [--team: also the team terms kept in DATABASE_URL]
  mesh stats [--json]                most looked-up terms, and lookups that found nothing
  mesh serve                         run the bot on the chat platforms configured (Slack, Discord)
  mesh help                          this text

Options:
  --content <dir|page.md>            glossary to use: term files, a glossary page or a Hugo site folder
                                     (default: CONTENT, else the bundled glossary)
  --json                             machine-readable output
`;

/** Where the CLI reads and writes, and whether it may colour its output. */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly color: boolean;
}

const OPTIONS = {
  json: { type: "boolean" },
  jsonl: { type: "boolean" },
  content: { type: "string" },
  out: { type: "string" },
  "base-url": { type: "string" },
  force: { type: "boolean" },
  format: { type: "string" },
  links: { type: "boolean" },
  "stale-after": { type: "string" },
  team: { type: "boolean" },
  workspace: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

type Values = {
  json?: boolean;
  jsonl?: boolean;
  content?: string;
  out?: string;
  "base-url"?: string;
  force?: boolean;
  format?: string;
  links?: boolean;
  "stale-after"?: string;
  team?: boolean;
  workspace?: string;
  help?: boolean;
  version?: boolean;
};

function termRef(t: Term): { id: string; term: string } {
  return { id: t.id, term: t.term };
}

function definitionJson(reply: Reply): Record<string, unknown> {
  if (reply.kind === "definition") {
    const t = reply.term;
    return {
      id: t.id,
      term: t.term,
      summary: t.summary,
      body: t.body,
      aliases: t.aliases,
      topic: t.topic ?? null,
      related: reply.related.map(termRef),
      sources: t.sources,
      match: reply.match,
      confidence: reply.confidence,
      query: reply.query,
      suggestions: reply.seeAlso.map(termRef),
    };
  }
  if (reply.kind === "notFound") {
    return {
      id: null,
      term: null,
      summary: null,
      reason: reply.reason,
      query: reply.query,
      suggestions: reply.suggestions.map(termRef),
    };
  }
  throw new Error(`not a definition reply: ${reply.kind}`);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

function detectionJson(glossary: Glossary, text: string): string {
  const terms = detectJargon(glossary, text).map((d) => ({
    id: d.term.id,
    term: d.term.term,
    start: d.start,
    end: d.end,
  }));
  return JSON.stringify({ terms });
}

async function detect(glossary: Glossary, values: Values, positionals: string[], io: Io): Promise<number> {
  if (values.jsonl) {
    const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let n = 0;
    let bad = 0;
    for await (const line of lines) {
      n++;
      if (line.trim() === "") continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        message = undefined;
      }
      if (typeof message !== "string") {
        bad++;
        io.stdout.write(`${JSON.stringify({ terms: [], error: `line ${n} is not a JSON string` })}\n`);
        continue;
      }
      io.stdout.write(`${detectionJson(glossary, message)}\n`);
    }
    if (bad > 0)
      io.stderr.write(`mesh detect: ${bad} of ${n} lines were not JSON strings and were skipped.\n`);
    return 0;
  }
  const text = positionals.length > 0 ? positionals.join(" ") : await readAll(io.stdin);
  if (values.json) {
    io.stdout.write(`${detectionJson(glossary, text)}\n`);
    return 0;
  }
  const found = detectJargon(glossary, text);
  const p = paletteFor(io.color);
  if (found.length === 0) {
    io.stdout.write("No jargon found.\n");
    return 0;
  }
  for (const d of found) {
    io.stdout.write(
      `${p.term(d.term.term)} ${p.dim(`("${d.text}" at ${d.start}-${d.end})`)}  ${d.term.summary}\n`,
    );
  }
  return 0;
}

function importPage(values: Values, positionals: string[], io: Io): number {
  const [page] = positionals;
  if (page === undefined || positionals.length > 1)
    throw new UsageError("import takes one page or folder: mesh import <page.md|site> --out <dir>");
  if (values.out === undefined)
    throw new UsageError("import needs --out <dir>, the folder to write term files to");
  if (!existsSync(page)) throw new UsageError(`cannot read ${page}`);
  const baseUrl = values["base-url"];
  let result: ReturnType<typeof importGlossary>;
  try {
    result = importGlossary(page, baseUrl === undefined ? {} : { baseUrl });
  } catch (error) {
    // A file system refusal (permissions, a special file) is the caller's to fix; anything else is a bug.
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new UsageError(`cannot read ${page}`);
  }
  if (result === undefined)
    throw new UsageError(`${page} holds term files already; serve it with --content ${page}`);
  for (const line of formatProblems([...result.problems, ...result.notes])) io.stderr.write(`${line}\n`);
  mkdirSync(values.out, { recursive: true });
  let written = 0;
  for (const term of result.terms) {
    if (writeTermFile(join(values.out, `${term.id}.md`), term, values.force === true)) written++;
    else io.stderr.write(`skipped ${term.id}.md: it exists (use --force to overwrite)\n`);
  }
  io.stdout.write(
    `Imported ${result.terms.length} terms from ${page}; wrote ${written} files to ${values.out}.\n`,
  );
  // Nothing to import is a problem with the input, as a broken glossary is.
  return result.terms.length === 0 ? 1 : 0;
}

/**
 * The content checks. Problems fail (exit 1); terms due for review are warnings that leave the exit code
 * alone. With --links, every source is fetched too: dead ones fail, no network at all skips with a sentence.
 */
async function check(contentPath: string, databaseUrl: string, values: Values, io: Io): Promise<number> {
  const raw = values["stale-after"] ?? String(DEFAULT_STALE_AFTER_MONTHS);
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new UsageError(`--stale-after takes a whole number of months, like 12, not "${raw}"`);
  const { content, problems } = checkContentAt(contentPath);
  if (!values.json) for (const line of formatProblems(content.notes)) io.stderr.write(`${line}\n`);
  const review = { now: new Date(), staleAfterMonths: Number(raw) };
  // Review dates are for term files a team keeps; a page or site served as it is has none to add.
  const owned = content.kind === "terms" || content.kind === "term-file";
  const warnings = owned ? reviewWarnings(content.terms, review).map((w) => locate(w, content.origins)) : [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (values.links === true && !values.json) {
    const count = new Set(content.terms.flatMap((t) => t.sources)).size;
    io.stderr.write(`Checking ${plural(count, "source link")}...\n`);
  }
  const links: SourceCheck | undefined = values.links === true ? await checkSources(content) : undefined;
  const team =
    values.team === true
      ? teamProblems(createGlossary(content.terms), await readTeamTerms(databaseUrl, values.workspace))
      : [];
  const failed = problems.length + (links?.dead.length ?? 0) + team.length;
  if (values.json) {
    const linkJson = links && { checked: links.checked, dead: links.dead, skipped: links.skipped ?? null };
    io.stdout.write(
      `${JSON.stringify({
        terms: content.terms.length,
        problems,
        warnings,
        ...(links && { links: linkJson }),
        ...(values.team === true ? { team } : {}),
      })}\n`,
    );
    return failed === 0 ? 0 : 1;
  }
  for (const line of formatProblems(problems)) io.stderr.write(`${line}\n`);
  for (const w of warnings) io.stderr.write(`${w.file}:${w.line}: warning: ${w.message}\n`);
  const warned = warnings.length === 0 ? "" : `, ${plural(warnings.length, "warning")}`;
  if (problems.length === 0) io.stdout.write(`${content.terms.length} terms, no problems${warned}.\n`);
  else io.stderr.write(`${plural(problems.length, "problem")}${warned} in ${content.source}.\n`);
  if (links !== undefined) {
    for (const line of formatProblems(links.dead)) io.stderr.write(`${line}\n`);
    const checked = `Checked ${plural(links.checked, "source link")}`;
    const failedLinks = new Set(links.dead.map((d) => d.url)).size;
    if (links.skipped !== undefined) io.stdout.write(`${links.skipped}\n`);
    else if (failedLinks === 0) io.stdout.write(`${checked}: all answer.\n`);
    else io.stderr.write(`${checked}: ${failedLinks} failed.\n`);
  }
  if (values.team === true) {
    for (const line of team) io.stderr.write(`${line}\n`);
    io.stdout.write(team.length === 0 ? "Team terms: no problems.\n" : "");
  }
  return failed === 0 ? 0 : 1;
}

/**
 * A workspace's team terms as term files, ready to copy into content/ in a pull request; says what would
 * still fail `mesh check` there.
 */
async function exportTermFiles(
  glossary: Glossary,
  teams: readonly TeamTerms[],
  out: string,
  io: Io,
): Promise<number> {
  if (teams.length > 1) {
    throw new UsageError(
      `several workspaces keep team terms (${teams.map((t) => workspaceName(t.ws)).join(", ")}); choose one with --workspace`,
    );
  }
  const records = teams[0]?.records ?? [];
  const files = teamTermFiles(glossary, records);
  const written = await writeTermFiles(out, files);
  io.stderr.write(
    `Wrote ${written.length} team ${written.length === 1 ? "term" : "terms"} as term files to ${out}.\n`,
  );
  // What `mesh check` would say once they sit beside the content's own files.
  const parsed = files.map((f) => parseTermFile(join(out, f.file), f.text, undefined));
  const terms = parsed.flatMap((p) => ("term" in p ? [p.term] : []));
  const teamIds = new Set(terms.map((t) => t.id));
  const lines = checkContent([...glossary.terms, ...terms]).flatMap((p) => {
    if (teamIds.has(p.termId)) return [`${join(out, `${p.termId}.md`)}: ${p.message}`];
    // A name of a content term that a team term also claims: said at the team term's file.
    if (p.otherTermId !== undefined && teamIds.has(p.otherTermId))
      return [
        `${join(out, `${p.otherTermId}.md`)}: "${p.value}" is also a name of "${p.termId}" in the content; rename one, or list it under sharedAliases on both.`,
      ];
    return [];
  });
  for (const line of lines) io.stderr.write(`${line}\n`);
  if (lines.length > 0) io.stderr.write("Fix these before copying the files into content/.\n");
  return 0;
}

async function stats(databaseUrl: string, values: Values, io: Io): Promise<number> {
  const { openStore } = await import("../../src/store/open.js");
  const store = await openStore(databaseUrl);
  try {
    const { top, misses } = await store.lookupStats(20);
    if (values.json) {
      const row = (c: { key: string; count: number; lastAt: number }) => ({
        count: c.count,
        last: new Date(c.lastAt).toISOString(),
      });
      io.stdout.write(
        `${JSON.stringify({
          top: top.map((c) => ({ id: c.key, ...row(c) })),
          misses: misses.map((c) => ({ query: c.key, ...row(c) })),
        })}\n`,
      );
      return 0;
    }
    const p = paletteFor(io.color);
    const lines = [p.bold("Most looked-up terms")];
    lines.push(
      ...(top.length === 0 ? ["  (none yet)"] : top.map((c) => `  ${String(c.count).padStart(5)}  ${c.key}`)),
    );
    lines.push("", p.bold("Looked for, not found"));
    lines.push(
      ...(misses.length === 0
        ? ["  (none yet)"]
        : misses.map((c) => `  ${String(c.count).padStart(5)}  ${c.key}`)),
    );
    io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Runs the `mesh` command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseCommandLine(argv, OPTIONS);
    if (typeof parsed.values.format === "string") oneOf("format", parsed.values.format, EXPORT_FORMATS);
  } catch (error) {
    return usageError(error, io);
  }
  const values = parsed.values as Values;
  const [command = "help", ...rest] = parsed.positionals;
  try {
    if (values.version) {
      const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
        version: string;
      };
      io.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    if (values.help || command === "help") {
      io.stdout.write(USAGE);
      return 0;
    }
    if (command === "import") return importPage(values, rest, io);
    if (command === "serve") return (await import("../../src/main.js")).runMain(["serve"]);
    const config = loadConfig(await readEnvironment());
    const contentPath = values.content ?? config.contentPath;
    if (command === "check") return await check(contentPath, config.databaseUrl, values, io);
    if (command === "stats") return await stats(config.databaseUrl, values, io);
    const { glossary } = loadGlossary(contentPath);
    const p = paletteFor(io.color);
    const surface = terminalSurface(p, "mesh ");
    const show = (reply: Reply) => {
      const text = values.json
        ? JSON.stringify(replyJson(reply))
        : renderView(presentReply(reply, surface, { visibility: "private", privately: true }), surface, p);
      io.stdout.write(`${text}\n`);
      return 0;
    };
    switch (command) {
      case "define":
      case "what":
      case "explain": {
        if (rest.length === 0) throw new UsageError("define needs a term: mesh define egress");
        const query = command === "define" ? rest.join(" ") : [command, ...rest].join(" ");
        const reply = defineReply(glossary, query);
        if (values.json) {
          io.stdout.write(`${JSON.stringify(definitionJson(reply))}\n`);
          return 0;
        }
        return show(reply);
      }
      case "search":
        if (rest.length === 0) throw new UsageError("search needs words: mesh search retries");
        return show(answerGlossaryCommand(glossary, { kind: "search", query: rest.join(" ") }));
      case "list": {
        const topic = rest[0]?.toLowerCase();
        if (topic !== undefined && !(TOPICS as readonly string[]).includes(topic)) {
          throw new UsageError(`unknown topic "${topic}"; topics: ${TOPICS.join(", ")}`);
        }
        if (values.json) {
          const terms = glossary.terms
            .filter((t) => topic === undefined || t.topic === topic)
            .map((t) => ({
              id: t.id,
              term: t.term,
              aliases: t.aliases,
              summary: t.summary,
              topic: t.topic ?? null,
            }));
          io.stdout.write(`${JSON.stringify(terms)}\n`);
          return 0;
        }
        return show(answerGlossaryCommand(glossary, { kind: "list", topic: topic as Topic | undefined }));
      }
      case "related":
        if (rest.length === 0) throw new UsageError("related needs a term: mesh related mtls");
        return show(answerGlossaryCommand(glossary, { kind: "related", query: rest.join(" ") }));
      case "detect":
        return await detect(glossary, values, rest, io);
      case "export": {
        const format = values.format ?? (values.json ? "json" : undefined);
        if (format === undefined) {
          throw new UsageError(`export needs --format ${EXPORT_FORMATS.join("|")}`);
        }
        const teams = await readTeamTerms(config.databaseUrl, values.workspace);
        if (values.team === true && format === "md" && values.out !== undefined) {
          return await exportTermFiles(glossary, teams, values.out, io);
        }
        const all = withTeamTerms(glossary, teams);
        const terms = values.team === true ? all.terms.filter((t) => t.keeper !== undefined) : all.terms;
        const text = exportGlossary(terms, format as ExportFormat, all.workspaceOf);
        if (values.out === undefined) {
          io.stdout.write(text);
        } else {
          writeFileSync(values.out, text);
          io.stderr.write(
            `Wrote ${terms.length} ${terms.length === 1 ? "term" : "terms"} to ${values.out}.\n`,
          );
        }
        return 0;
      }
      default: {
        const guess = nearest(command, COMMANDS);
        throw new UsageError(
          guess === undefined
            ? `unknown command "${command}"; the commands are ${COMMANDS.join(", ")}`
            : `unknown command "${command}"; did you mean "${guess}"?`,
        );
      }
    }
  } catch (error) {
    if (error instanceof UsageError) return usageError(error, io);
    if (isMeshError(error)) {
      io.stderr.write(`${[error.message, ...error.details.map((d) => `  ${d}`)].join("\n")}\n`);
      return 1;
    }
    throw error;
  }
}

/** The commands runCli knows, for "did you mean" on an unknown one. */
const COMMANDS = [
  "define",
  "search",
  "list",
  "related",
  "detect",
  "import",
  "export",
  "check",
  "stats",
  "help",
];

/** A mistake in how mesh was called: one line on stderr, exit 2. */
function usageError(error: unknown, io: Io): number {
  if (!(error instanceof UsageError)) throw error;
  const text = error.message;
  io.stderr.write(`mesh: ${/[.?!]$/.test(text) ? text : `${text}.`}\n`);
  return 2;
}

function replyJson(reply: Reply): unknown {
  switch (reply.kind) {
    case "definition":
    case "notFound":
      return definitionJson(reply);
    case "searchResults":
      return {
        query: reply.query,
        results: reply.results.map((t) => ({ ...termRef(t), summary: t.summary })),
      };
    case "related":
      return { ...termRef(reply.term), related: reply.related.map(termRef) };
    default:
      return reply;
  }
}
