import { existsSync, writeFileSync } from "node:fs";
import matter from "gray-matter";
import type { Term } from "../core/types.js";

/** The term as a content file: front matter in the documented field order, then the body. */
export function termFileText(term: Term): string {
  const data: Record<string, unknown> = { id: term.id, term: term.term, aliases: term.aliases };
  if (term.sharedAliases.length > 0) data.sharedAliases = term.sharedAliases;
  data.summary = term.summary;
  if (term.topic !== undefined) data.topic = term.topic;
  data.related = term.related;
  data.sources = term.sources;
  data.everyday = term.everyday;
  if (!term.autoExplain) data.autoExplain = false;
  if (term.asOf !== undefined) data.asOf = term.asOf;
  if (term.reviewed !== undefined) data.reviewed = term.reviewed;
  return matter.stringify(`${term.body.trim()}\n`, data);
}

/** Writes a term file; returns false, writing nothing, when it exists and `overwrite` is false. */
export function writeTermFile(path: string, term: Term, overwrite: boolean): boolean {
  if (!overwrite && existsSync(path)) return false;
  writeFileSync(path, termFileText(term));
  return true;
}
