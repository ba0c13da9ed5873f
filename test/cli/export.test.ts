import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadGlossary } from "../../src/content/load.js";
import { exportGlossary } from "../../src/core/export.js";
import { CONTENT_DIR, glossaryOf, REPO_ROOT, realGlossary } from "../helpers.js";

const BIN = join(REPO_ROOT, "dist/adapters/terminal/bin.js");
const dir = mkdtempSync(join(tmpdir(), "mesh-export-"));
const env = { PATH: process.env.PATH, NO_COLOR: "1" };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mesh(...args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args, "--content", CONTENT_DIR], { env, encoding: "utf8" });
}

/** A minimal RFC 4180 reader, enough to check the export quotes what it must. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  return rows;
}

describe("mesh export", () => {
  const terms = realGlossary().terms;

  it("writes every term as JSON, with every field", () => {
    const exported = JSON.parse(mesh("export", "--format", "json")) as {
      id: string;
      summary: string;
      body: string;
    }[];
    expect(exported.map((t) => t.id)).toEqual(terms.map((t) => t.id));
    const mtls = exported.find((t) => t.id === "mtls");
    expect(mtls).toMatchObject({
      term: "mTLS",
      aliases: ["mutual TLS", "mutual transport layer security"],
      asOf: "linkerd 2.20",
      reviewed: "2026-11",
    });
    expect(mtls?.body.length).toBeGreaterThan(100);
  });

  it("writes a CSV that spreadsheet tools read back intact, commas and quotes included", () => {
    const rows = parseCsv(mesh("export", "--format", "csv"));
    expect(rows[0]).toEqual([
      "id",
      "term",
      "aliases",
      "summary",
      "topic",
      "related",
      "sources",
      "everyday",
      "body",
      "asOf",
      "reviewed",
      "workspace",
    ]);
    expect(rows).toHaveLength(terms.length + 1);
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    for (const t of terms) {
      const row = byId.get(t.id);
      expect(row?.[3]).toBe(t.summary);
      expect(row?.[8]).toBe(t.body);
      // The glossary's own terms belong to no workspace.
      expect(row?.slice(9)).toEqual([t.asOf, t.reviewed, ""]);
    }
  });

  it("writes Markdown that the bot can serve again as a glossary page", () => {
    const file = join(dir, "glossary.md");
    const result = spawnSync(
      process.execPath,
      [BIN, "export", "--format", "md", "--out", file, "--content", CONTENT_DIR],
      { env, encoding: "utf8" },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`Wrote ${terms.length} terms`);
    const page = readFileSync(file, "utf8");
    expect(page).toMatch(/^## mTLS \{#mtls\}$/m);
    expect(page).toContain("*Checked against:* kubernetes 1.37 (reviewed 2026-11)");
    const restored = loadGlossary(file).glossary;
    expect(restored.terms.map((t) => t.id).sort()).toEqual(terms.map((t) => t.id).sort());
    for (const t of terms) expect(restored.get(t.id)?.summary).toBe(t.summary);
    // Related terms come back from the page's links: the listed ones, plus any linked in the body.
    for (const t of terms)
      expect(restored.get(t.id)?.related).toEqual(expect.arrayContaining([...t.related]));
  });

  it("leaves the review fields empty for a term that never had them, as from an imported page", () => {
    const glossary = glossaryOf({ imported: {}, checked: { asOf: "istio 1.31", reviewed: "2026-10" } });
    const json = JSON.parse(exportGlossary(glossary, "json")) as Record<string, unknown>[];
    expect(json.map((t) => [t.id, t.asOf, t.reviewed])).toEqual([
      ["checked", "istio 1.31", "2026-10"],
      ["imported", null, null],
    ]);
    const page = exportGlossary(glossary, "md");
    expect(page.match(/\*Checked against:\*.*/g)).toEqual([
      "*Checked against:* istio 1.31 (reviewed 2026-10)",
    ]);
  });

  it("asks for a format instead of guessing", () => {
    const result = spawnSync(process.execPath, [BIN, "export"], { env, encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("mesh: export needs --format md|csv|json.\n");
  });

  it("names a format it does not write, and the ones it does", () => {
    const result = spawnSync(process.execPath, [BIN, "export", "--format", "xml"], { env, encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("mesh: --format xml is not one of md, csv, json.\n");
  });

  it("stops quietly when the reader closes the pipe early", () => {
    const result = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" export --format csv | head -n 1`], {
      env,
      encoding: "utf8",
    });
    expect(result.stdout.trim()).toBe(
      "id,term,aliases,summary,topic,related,sources,everyday,body,asOf,reviewed,workspace",
    );
    expect(result.stderr).toBe("");
  });
});
