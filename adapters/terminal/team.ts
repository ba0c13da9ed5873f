// The team's terms on the command line: read from the store (never creating one), exported with the
// glossary or as term files for a pull request, and checked against the glossary they are layered over.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { termFileText } from "../../src/content/write.js";
import { detectJargon } from "../../src/core/detect.js";
import type { Glossary } from "../../src/core/glossary.js";
import { layerGlossary } from "../../src/core/layers.js";
import { checkTeamTerm, type TeamTermRecord, teamSlug, teamTerm } from "../../src/core/team.js";
import type { Term } from "../../src/core/types.js";
import type { WorkspaceRef } from "../../src/store/team.js";

/** One workspace's team terms. */
export interface TeamTerms {
  readonly ws: WorkspaceRef;
  readonly records: readonly TeamTermRecord[];
}

/** "slack/T0123" for a workspace. */
export const workspaceName = (ws: WorkspaceRef) => `${ws.platform}/${ws.workspace}`;

/**
 * The team terms of every workspace in the store DATABASE_URL names (or of `only`, "platform/workspace").
 * A SQLite file that does not exist yet holds none, and is not created.
 */
export async function readTeamTerms(databaseUrl: string, only?: string): Promise<TeamTerms[]> {
  if (databaseUrl.startsWith("sqlite:")) {
    const { sqlitePath } = await import("../../src/store/sqlite.js");
    const path = sqlitePath(databaseUrl);
    if (path === ":memory:" || !existsSync(path)) return [];
  }
  const { openStore } = await import("../../src/store/open.js");
  const store = await openStore(databaseUrl);
  try {
    const all = await store.team.workspaces();
    const chosen = only === undefined ? all : all.filter((ws) => workspaceName(ws) === only);
    return await Promise.all(chosen.map(async (ws) => ({ ws, records: await store.team.terms(ws) })));
  } finally {
    await store.close();
  }
}

/** The bundled glossary with every workspace's team terms beside it, and which workspace each came from. */
export function withTeamTerms(
  bundled: Glossary,
  teams: readonly TeamTerms[],
): { terms: Term[]; workspaceOf: (t: Term) => string | undefined } {
  const from = new Map<Term, string>();
  const terms = [...bundled.terms];
  for (const { ws, records } of teams) {
    for (const r of records) {
      const t = teamTerm(r);
      from.set(t, workspaceName(ws));
      terms.push(t);
    }
  }
  return { terms, workspaceOf: (t) => from.get(t) };
}

/**
 * A workspace's team terms as term files for content/: ids without the team prefix, related terms as
 * content ids (or, when a term relates to none, the glossary terms its text names), nobody's keeper.
 */
export function teamTermFiles(
  bundled: Glossary,
  records: readonly TeamTermRecord[],
): { file: string; text: string }[] {
  return records.map((r) => {
    const term = teamTerm(r);
    const related = term.related.map((id) => teamSlug(id) ?? id);
    const named = detectJargon(bundled, `${term.summary}\n${term.body}`)
      .map((d) => d.term.id)
      .slice(0, 3);
    const { keeper: _, ...plain } = term;
    const file: Term = { ...plain, id: r.id, related: related.length > 0 ? related : named };
    return { file: `${r.id}.md`, text: termFileText(file) };
  });
}

/** Writes term files into `dir` (made if needed); returns the paths written. */
export async function writeTermFiles(
  dir: string,
  files: readonly { file: string; text: string }[],
): Promise<string[]> {
  const { writeFileSync } = await import("node:fs");
  mkdirSync(dir, { recursive: true });
  return files.map(({ file, text }) => {
    const path = join(dir, file);
    writeFileSync(path, text);
    return path;
  });
}

/** What is wrong with the team terms of each workspace, layered over `bundled`: one line each. */
export function teamProblems(bundled: Glossary, teams: readonly TeamTerms[]): string[] {
  const lines: string[] = [];
  for (const { ws, records } of teams) {
    const layers = layerGlossary(bundled, records.map(teamTerm));
    for (const r of records) {
      const { problems } = checkTeamTerm(r.fields, { team: records, glossary: layers.all, editing: r.id });
      const missing = r.relatedIds.filter((id) => layers.all.get(id) === undefined);
      for (const p of problems)
        lines.push(`${workspaceName(ws)}: team term "${r.fields.term}": ${p.message}`);
      for (const id of missing) {
        lines.push(
          `${workspaceName(ws)}: team term "${r.fields.term}": its related term "${id}" is no longer in the glossary.`,
        );
      }
    }
  }
  return lines;
}
