import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import { MeshError } from "../core/errors.js";
import { createGlossary, type Glossary } from "../core/glossary.js";
import type { Term, TermOrigin } from "../core/types.js";
import { type ContentProblem, checkContent, validateGlossary } from "../core/validate.js";
import { type ImportOptions, type ImportResult, importGlossaryPage, looksLikeGlossaryPage } from "./hugo.js";
import { importHugoSite } from "./hugo-site.js";
import { type LocatedProblem, parseTermFile } from "./term-file.js";

/** Terms read from disk, with where each came from. */
export interface LoadedContent {
  readonly terms: readonly Term[];
  readonly origins: ReadonlyMap<string, TermOrigin>;
  /** The directory or page the terms were read from. */
  readonly source: string;
  /** What CONTENT named: see contentKind. */
  readonly kind: ContentKind;
  /** What reading skipped or changed, and why (a Hugo site's `_index.md`, a link to no page...). */
  readonly notes: readonly LocatedProblem[];
}

/** What a content path names; contentKind decides. */
export type ContentKind = "terms" | "hugo-site" | "term-file" | "page";

/** The front matter of a markdown text, as raw YAML lines ("" when it has none). */
function frontMatterOf(text: string): string {
  const m = text.replace(/^\uFEFF/, "").match(/^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/);
  return m?.[1] ?? "";
}

/**
 * Decides what a content path (CONTENT, --content, `mesh import`) names, by these rules in order:
 * 1. a file whose front matter has an `id` or `term` field and no `title`: one term file;
 * 2. any other file: a glossary page (a Hugo/Docsy page, or a GLOSSARY.md without front matter);
 * 3. a folder whose markdown files have no `term` field, and that holds an `_index.md` or pages with a
 *    `title`: a Hugo site, one page a term;
 * 4. any other folder: a folder of term files.
 */
export function contentKind(path: string): ContentKind {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new MeshError(
      "CONTENT_INVALID",
      `Glossary content not found at ${path}. Point CONTENT (or --content) at a folder of term files, a glossary page or a Hugo site's content folder.`,
    );
  }
  if (!isDirectory) return looksLikeGlossaryPage(readFileSync(path, "utf8")) ? "page" : "term-file";
  const names = readdirSync(path);
  let titled = names.some((n) => n.toLowerCase() === "_index.md");
  for (const name of names) {
    if (extname(name) !== ".md" || name.startsWith("_") || name.toLowerCase() === "readme.md") continue;
    let fields: string;
    try {
      fields = frontMatterOf(readFileSync(join(path, name), "utf8"));
    } catch {
      continue;
    }
    // One term file settles it; a Hugo page needs every page checked.
    if (/^term\s*:/m.test(fields)) return "terms";
    if (/^title\s*:/m.test(fields)) titled = true;
  }
  return titled ? "hugo-site" : "terms";
}

/**
 * Reads what a content path names (see contentKind): a folder of term files, one term file, a glossary page
 * or a Hugo site, without cross-term checks.
 */
export function readContent(path: string): { content: LoadedContent; problems: LocatedProblem[] } {
  const kind = contentKind(path);
  if (kind === "page" || kind === "term-file") return readPage(path, kind);
  if (kind === "hugo-site") {
    const site = importHugoSite(path, {}, displayPath);
    return {
      content: { terms: site.terms, origins: site.origins, source: path, kind, notes: site.notes },
      problems: site.problems,
    };
  }
  const terms: Term[] = [];
  const origins = new Map<string, TermOrigin>();
  const problems: LocatedProblem[] = [];
  const files = readdirSync(path)
    .filter((f) => extname(f) === ".md" && !f.startsWith("_") && f.toLowerCase() !== "readme.md")
    .sort();
  for (const name of files) {
    const file = join(path, name);
    const result = parseTermFile(displayPath(file), readFileSync(file, "utf8"), basename(name, ".md"));
    if ("problems" in result) {
      problems.push(...result.problems);
    } else {
      terms.push(result.term);
      if (!origins.has(result.term.id)) origins.set(result.term.id, result.origin);
    }
  }
  if (files.length === 0) {
    problems.push({ file: displayPath(path), line: 1, message: "the folder has no term files (*.md)." });
  }
  return { content: { terms, origins, source: path, kind: "terms", notes: [] }, problems };
}

function readPage(
  path: string,
  kind: "page" | "term-file",
): { content: LoadedContent; problems: LocatedProblem[] } {
  const source = readFileSync(path, "utf8");
  const file = displayPath(path);
  if (kind === "term-file") {
    const single = parseTermFile(file, source, undefined);
    const none = { terms: [], origins: new Map(), source: path, kind, notes: [] };
    if ("problems" in single) return { content: none, problems: single.problems };
    return {
      content: { ...none, terms: [single.term], origins: new Map([[single.term.id, single.origin]]) },
      problems: [],
    };
  }
  const page = importGlossaryPage(source, file);
  return {
    content: { terms: page.terms, origins: page.origins, source: path, kind, notes: page.notes },
    problems: page.problems,
  };
}

/**
 * Imports what `mesh import` is given: a Hugo site folder, or a glossary page (a term file is read as a page of
 * one section). Undefined for a folder of term files, which needs no import.
 */
export function importGlossary(path: string, options: ImportOptions = {}): ImportResult | undefined {
  if (statSync(path).isDirectory()) {
    const hasTermFiles = readdirSync(path).some((f) => extname(f) === ".md");
    if (contentKind(path) === "terms" && hasTermFiles) return undefined;
    return importHugoSite(path, options);
  }
  return importGlossaryPage(readFileSync(path, "utf8"), path, options);
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") || rel === "" ? file : rel;
}

/** Places a cross-term problem in the file and line that show it. */
export function locate(problem: ContentProblem, origins: ReadonlyMap<string, TermOrigin>): LocatedProblem {
  const origin = origins.get(problem.termId);
  if (origin === undefined) return { file: problem.termId, line: 1, message: problem.message };
  const needle = problem.value ?? `${problem.field}:`;
  const line =
    origin.fieldLine?.(problem.field, problem.value) ??
    origin.lineOf?.(needle) ??
    origin.lineOf?.(`${problem.field}:`) ??
    origin.line;
  return { file: origin.file, line, message: problem.message };
}

/** Formats problems as "file:line: message" lines, the way compilers do, so editors can jump to them. */
export function formatProblems(problems: readonly LocatedProblem[]): string[] {
  return problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
}

/**
 * Loads and validates the glossary for serving. Any problem stops start-up with every problem listed,
 * because a half-loaded glossary would answer wrongly without saying so.
 */
export function loadGlossary(path: string): { glossary: Glossary; content: LoadedContent } {
  const content = readValidContent(path);
  return { glossary: createGlossary(content.terms), content };
}

/** Reads content and runs the serving checks (see loadGlossary); throws CONTENT_INVALID with every problem. */
export function readValidContent(path: string): LoadedContent {
  const { content, problems } = readContent(path);
  const all = [...problems, ...validateGlossary(content.terms).map((p) => locate(p, content.origins))];
  if (all.length > 0) throw contentError(path, all);
  return content;
}

/** Runs the editorial checks too (names resolve to their own terms, related, summaries). For `mesh check`. */
export function checkContentAt(path: string): { content: LoadedContent; problems: LocatedProblem[] } {
  const { content, problems } = readContent(path);
  if (problems.length > 0) return { content, problems };
  // A page or site is served as its authors wrote it: a term they relate to nothing is a note of the import.
  const requireRelated = content.kind === "terms" || content.kind === "term-file";
  return {
    content,
    problems: checkContent(content.terms, { requireRelated }).map((p) => locate(p, content.origins)),
  };
}

function contentError(path: string, problems: readonly LocatedProblem[]): MeshError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new MeshError("CONTENT_INVALID", `The glossary at ${path} has ${count}:`, formatProblems(problems));
}
