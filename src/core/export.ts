import type { Glossary } from "./glossary.js";
import { type Term, TOPICS } from "./types.js";

export const EXPORT_FORMATS = ["md", "csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The whole glossary as one document, so it never lives only inside the bot. `workspaceOf` names the
 * workspace of a team's term, for exports that hold several teams' terms.
 */
export function exportGlossary(
  glossary: Glossary | readonly Term[],
  format: ExportFormat,
  workspaceOf: (t: Term) => string | undefined = () => undefined,
): string {
  const terms = "terms" in glossary ? glossary.terms : glossary;
  switch (format) {
    case "json":
      return `${JSON.stringify(
        terms.map((t) => termRecord(t, workspaceOf(t))),
        null,
        2,
      )}\n`;
    case "csv":
      return exportCsv(terms, workspaceOf);
    case "md":
      return exportMarkdown(terms);
  }
}

function termRecord(t: Term, workspace: string | undefined) {
  const team =
    t.keeper === undefined
      ? {}
      : {
          team: {
            workspace: workspace ?? null,
            addedBy: t.keeper.addedBy,
            addedAt: new Date(t.keeper.addedAt).toISOString(),
            changedBy: t.keeper.changedBy,
            changedAt: new Date(t.keeper.changedAt).toISOString(),
            revision: t.keeper.revision,
          },
        };
  return {
    id: t.id,
    term: t.term,
    aliases: t.aliases,
    sharedAliases: t.sharedAliases,
    summary: t.summary,
    topic: t.topic ?? null,
    related: t.related,
    sources: t.sources,
    everyday: t.everyday,
    autoExplain: t.autoExplain,
    asOf: t.asOf ?? null,
    reviewed: t.reviewed ?? null,
    body: t.body,
    ...team,
  };
}

const CSV_COLUMNS = [
  "id",
  "term",
  "aliases",
  "summary",
  "topic",
  "related",
  "sources",
  "everyday",
  "body",
  // Added after body, so readers that go by column position keep working.
  "asOf",
  "reviewed",
  // The workspace of a team's term; empty for the glossary's own.
  "workspace",
] as const;

/** RFC 4180: quote every field, double the quotes inside; lists joined with "; ". */
function exportCsv(terms: readonly Term[], workspaceOf: (t: Term) => string | undefined): string {
  const cell = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const rows = terms.map((t) =>
    [
      t.id,
      t.term,
      t.aliases.join("; "),
      t.summary,
      t.topic ?? "",
      t.related.join("; "),
      t.sources.join("; "),
      String(t.everyday),
      t.body,
      t.asOf ?? "",
      t.reviewed ?? "",
      workspaceOf(t) ?? "",
    ]
      .map(cell)
      .join(","),
  );
  return `${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}

/** "*Checked against:* linkerd 2.20 (reviewed 2026-11)", for readers of the page; undefined when unknown. */
function reviewLine(t: Term): string | undefined {
  if (t.asOf === undefined && t.reviewed === undefined) return undefined;
  const when = t.reviewed === undefined ? "" : `reviewed ${t.reviewed}`;
  if (t.asOf === undefined) return `*Checked:* ${when}`;
  return `*Checked against:* ${t.asOf}${when === "" ? "" : ` (${when})`}`;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/**
 * A Hugo/Docsy glossary page (one `##` section a term, answers in `faqSchema`), which `mesh import` and the
 * CONTENT setting read back: an export is also a backup.
 */
function exportMarkdown(terms: readonly Term[]): string {
  const order = new Map<string, number>(TOPICS.map((t, i) => [t, i]));
  const sorted = [...terms].sort(
    (a, b) =>
      (order.get(a.topic ?? "") ?? TOPICS.length) - (order.get(b.topic ?? "") ?? TOPICS.length) ||
      a.term.localeCompare(b.term, "en", { sensitivity: "base" }),
  );
  const faq = sorted.flatMap((t) => [
    `    - question: ${yamlString(`What is ${t.term}?`)}`,
    `      answer: ${yamlString(t.summary)}`,
  ]);
  const sections = sorted.map((t) => {
    const lines = [`## ${t.term} {#${t.id}}`, ""];
    if (t.aliases.length > 0) lines.push(`*Also:* ${t.aliases.join(", ")}`, "");
    lines.push(`**${t.summary}**`, "");
    if (t.body !== "") lines.push(t.body, "");
    if (t.related.length > 0) {
      const byId = new Map(terms.map((x) => [x.id, x]));
      const links = t.related.flatMap((id) => {
        const r = byId.get(id);
        return r === undefined ? [] : [`[${r.term}](#${r.id})`];
      });
      lines.push(`Related: ${links.join(", ")}`, "");
    }
    for (const s of t.sources) lines.push(`Source: [${s}](${s})`, "");
    const checked = reviewLine(t);
    if (checked !== undefined) lines.push(checked, "");
    return lines.join("\n");
  });
  return [
    "---",
    "title: Service mesh glossary",
    `description: ${terms.length} terms, exported by mesh-glossary-bot.`,
    "params:",
    "  faqSchema:",
    ...faq,
    "---",
    "",
    sections.join("\n").trimEnd(),
    "",
  ].join("\n");
}
