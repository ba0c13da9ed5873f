import matter from "gray-matter";
import { type Term, type TermOrigin, TOPICS, type Topic } from "../core/types.js";

/** A problem found while reading content, located in a file. */
export interface LocatedProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KNOWN_FIELDS = new Set([
  "id",
  "term",
  "aliases",
  "sharedAliases",
  "summary",
  "topic",
  "related",
  "sources",
  "everyday",
  "autoExplain",
  "asOf",
  "reviewed",
]);
/** A calendar month, the grain of a review: "2026-11". */
const MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/;

/** Finds lines of text in a file's source, for messages that point at the right place. */
export function lineFinder(source: string, from = 1): (text: string) => number | undefined {
  const lines = source.split("\n");
  return (text: string) => {
    for (let i = from - 1; i < lines.length; i++) if ((lines[i] as string).includes(text)) return i + 1;
    return undefined;
  };
}

/**
 * The line span of each top-level field of a front matter: from its key to the line before the next key, so a
 * value is looked for in the field that holds it ("cluster" in `related`, not in the summary above it).
 */
function fieldSpans(lines: readonly string[]): Map<string, { from: number; to: number }> {
  const spans = new Map<string, { from: number; to: number }>();
  const close = lines.findIndex((l, i) => i > 0 && /^---\s*$/.test(l));
  const end = close === -1 ? lines.length : close;
  let current: { key: string; from: number } | undefined;
  for (let i = 1; i <= end; i++) {
    const key = i < end ? (lines[i] as string).match(/^([A-Za-z_][\w-]*)\s*:/)?.[1] : undefined;
    if (key === undefined && i < end) continue;
    if (current !== undefined) spans.set(current.key, { from: current.from, to: i + 1 });
    if (key !== undefined) current = { key, from: i + 1 };
  }
  return spans;
}

/** Finds a field's line, or a value's line within the field; bodies are searched from their first line. */
function fieldLineFinder(
  lines: readonly string[],
  bodyStart: number,
): (field: string, value?: string) => number | undefined {
  const spans = fieldSpans(lines);
  return (field, value) => {
    if (field === "body") {
      if (value === undefined) return bodyStart;
      for (let i = bodyStart - 1; i < lines.length; i++)
        if ((lines[i] as string).includes(value)) return i + 1;
      return undefined;
    }
    const at = spans.get(field);
    if (at === undefined) return undefined;
    if (value === undefined) return at.from;
    for (let line = at.from; line < at.to; line++)
      if ((lines[line - 1] as string).includes(value)) return line;
    return undefined;
  };
}

interface YamlErrorLike {
  mark?: { line?: number };
  reason?: string;
  message?: string;
}

/**
 * Reads one term file: YAML front matter and a markdown body. Returns the term, or the problems that stop it
 * from being one, each with its line.
 */
export function parseTermFile(
  file: string,
  source: string,
  expectedId: string | undefined,
): { term: Term; origin: TermOrigin } | { problems: LocatedProblem[] } {
  const text = source.replace(/^\uFEFF/, "");
  if (!text.startsWith("---")) {
    return {
      problems: [{ file, line: 1, message: "the file has no front matter; it must start with a --- line." }],
    };
  }
  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object keeps gray-matter from caching by content across files.
    parsed = matter(text, {});
  } catch (error) {
    const e = error as YamlErrorLike;
    // gray-matter hands js-yaml the text right after the opening "---", newline included, so the YAML's
    // 0-based line 0 is the rest of the file's line 1.
    const line = (e.mark?.line ?? 0) + 1;
    const reason = e.reason ?? e.message ?? "it cannot be read";
    return { problems: [{ file, line, message: `the front matter is not valid YAML: ${reason}.` }] };
  }
  const lineOf = lineFinder(text);
  const fieldLine = (field: string) => lineOf(`${field}:`) ?? 1;
  const problems: LocatedProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ file, line: fieldLine(field), message });
  const data: Record<string, unknown> =
    parsed.data !== null && typeof parsed.data === "object" ? (parsed.data as Record<string, unknown>) : {};

  for (const key of Object.keys(data)) {
    if (!KNOWN_FIELDS.has(key)) {
      const hint = [...KNOWN_FIELDS].find((k) => k.toLowerCase().startsWith(key.toLowerCase().slice(0, 4)));
      fail(key, `unknown field "${key}"${hint === undefined ? "" : `; did you mean "${hint}"`}.`);
    }
  }
  const text1 = (field: string, required: boolean): string => {
    const v = data[field];
    if (v === undefined || v === null || v === "") {
      if (required) problems.push({ file, line: 1, message: `the required field "${field}" is missing.` });
      return "";
    }
    if (typeof v !== "string" && typeof v !== "number") {
      fail(field, `"${field}" must be text.`);
      return "";
    }
    return String(v).trim();
  };
  const list = (field: string): string[] => {
    const v = data[field];
    if (v === undefined || v === null) return [];
    const items = typeof v === "string" ? [v] : v;
    if (!Array.isArray(items) || items.some((x) => typeof x !== "string" && typeof x !== "number")) {
      fail(field, `"${field}" must be a list of text, like [a, b].`);
      return [];
    }
    return items.map((x) => String(x).trim()).filter((x) => x !== "");
  };
  const flag = (field: string, fallback: boolean): boolean => {
    const v = data[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") {
      fail(field, `"${field}" must be true or false.`);
      return fallback;
    }
    return v;
  };

  const id = text1("id", true);
  if (id !== "" && !ID.test(id)) fail("id", `the id "${id}" must be lower-case words joined by hyphens.`);
  if (id !== "" && expectedId !== undefined && id !== expectedId) {
    fail("id", `the id "${id}" does not match the file name; rename the file to ${id}.md or fix the id.`);
  }
  const term = text1("term", true);
  const summary = text1("summary", true).replace(/\s+/g, " ");
  const topicText = text1("topic", false);
  let topic: Topic | undefined;
  if (topicText !== "") {
    if ((TOPICS as readonly string[]).includes(topicText)) topic = topicText as Topic;
    else fail("topic", `the topic "${topicText}" is not one of ${TOPICS.join(", ")}.`);
  }
  const aliases = list("aliases");
  const sharedAliases = list("sharedAliases");
  const related = list("related");
  const sources = list("sources");
  for (const s of sources) {
    if (!/^https?:\/\/\S+$/.test(s))
      fail("sources", `the source "${s}" is not a web address (http or https).`);
  }
  const everyday = flag("everyday", false);
  const autoExplain = flag("autoExplain", true);
  const asOf = text1("asOf", false).replace(/\s+/g, " ");
  if (asOf !== "" && !(/\p{L}/u.test(asOf) && /\d/.test(asOf))) {
    fail("asOf", `"asOf" must name a product and its version, like "linkerd 2.20", not "${asOf}".`);
  }
  const reviewed = month(data.reviewed, fail);
  if (problems.length > 0) return { problems };

  const bodyStart = text.split("\n").length - parsed.content.split("\n").length + 1;
  return {
    term: {
      id,
      term,
      aliases,
      sharedAliases,
      summary,
      body: parsed.content.trim(),
      related,
      sources,
      topic,
      everyday,
      autoExplain,
      ...(asOf === "" ? {} : { asOf }),
      ...(reviewed === undefined ? {} : { reviewed }),
    },
    origin: {
      file,
      line: 1,
      lineOf: (t: string) => lineOf(t) ?? (t.startsWith("(#") ? bodyStart : undefined),
      fieldLine: fieldLineFinder(text.split("\n"), bodyStart),
    },
  };
}

/** Reads `reviewed`: a month written YYYY-MM. YAML turns a full date into a Date, so that gets its own hint. */
function month(value: unknown, fail: (field: string, message: string) => void): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (value instanceof Date) {
    fail("reviewed", `"reviewed" is a month, not a day: write ${value.toISOString().slice(0, 7)}.`);
    return undefined;
  }
  const text = String(value).trim();
  if (typeof value !== "string" || !MONTH.test(text)) {
    fail("reviewed", `"reviewed" must be a month written YYYY-MM, like 2026-11, not "${text}".`);
    return undefined;
  }
  return text;
}
