import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import { MeshError } from "../core/errors.js";
import { createGlossary, type Glossary } from "../core/glossary.js";
import type { Term, TermOrigin } from "../core/types.js";
import { type ContentProblem, checkContent, validateGlossary } from "../core/validate.js";
import { importGlossaryPage, looksLikeGlossaryPage } from "./hugo.js";
import { type LocatedProblem, parseTermFile } from "./term-file.js";

/** Terms read from disk, with where each came from. */
export interface LoadedContent {
  readonly terms: readonly Term[];
  readonly origins: ReadonlyMap<string, TermOrigin>;
  /** The directory or page the terms were read from. */
  readonly source: string;
}

/** Reads a content directory (one file a term) or a Hugo/Docsy glossary page, without cross-term checks. */
export function readContent(path: string): { content: LoadedContent; problems: LocatedProblem[] } {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new MeshError(
      "CONTENT_INVALID",
      `Glossary content not found at ${path}. Point CONTENT (or --content) at a folder of term files or a glossary page.`,
    );
  }
  if (!isDirectory) return readPage(path);
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
  return { content: { terms, origins, source: path }, problems };
}

function readPage(path: string): { content: LoadedContent; problems: LocatedProblem[] } {
  const source = readFileSync(path, "utf8");
  const file = displayPath(path);
  if (!looksLikeGlossaryPage(source)) {
    const single = parseTermFile(file, source, undefined);
    if ("problems" in single)
      return { content: { terms: [], origins: new Map(), source: path }, problems: single.problems };
    return {
      content: { terms: [single.term], origins: new Map([[single.term.id, single.origin]]), source: path },
      problems: [],
    };
  }
  const page = importGlossaryPage(source, file);
  return { content: { terms: page.terms, origins: page.origins, source: path }, problems: page.problems };
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
  const { content, problems } = readContent(path);
  const all = [...problems, ...validateGlossary(content.terms).map((p) => locate(p, content.origins))];
  if (all.length > 0) throw contentError(path, all);
  return { glossary: createGlossary(content.terms), content };
}

/** Runs the editorial checks too (names resolve to their own terms, related, summaries). For `mesh check`. */
export function checkContentAt(path: string): { content: LoadedContent; problems: LocatedProblem[] } {
  const { content, problems } = readContent(path);
  if (problems.length > 0) return { content, problems };
  return { content, problems: checkContent(content.terms).map((p) => locate(p, content.origins)) };
}

function contentError(path: string, problems: readonly LocatedProblem[]): MeshError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new MeshError("CONTENT_INVALID", `The glossary at ${path} has ${count}:`, formatProblems(problems));
}
