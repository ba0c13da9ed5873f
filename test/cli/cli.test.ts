// The `mesh` command line through its real, built binary: arguments, standard streams and exit codes.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGlossary } from "../../src/content/load.js";
import { CONTENT_DIR, FIXTURE_IDS, FIXTURE_PAGE, HUGO_SITE, REPO_ROOT } from "../helpers.js";

const BIN = join(REPO_ROOT, "dist", "adapters", "terminal", "bin.js");
/** Spawning node is slow on a busy machine; a generous ceiling per test keeps the suite from flaking. */
const SLOW = 60_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let work: string;
/** Content and import folders, kept outside the working directory so messages show their full paths. */
let files: string;

beforeAll(() => {
  if (!existsSync(BIN)) execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
  // The CLI reads .env from its working directory; an empty temp folder keeps the repo's out of the tests.
  work = mkdtempSync(join(tmpdir(), "mesh-cli-"));
  files = mkdtempSync(join(tmpdir(), "mesh-cli-files-"));
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

/** Runs `mesh` with a clean environment (no CONTENT leaking in, no colour) and optional standard input. */
function mesh(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: work,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** This month, as a term's `reviewed` field writes it. */
const THIS_MONTH = new Date().toISOString().slice(0, 7);

/**
 * A temp folder of term files, both reviewed this month; egress's related list, its review and both terms'
 * sources can be changed on request.
 */
function smallContent(
  egressRelated = "[ingress]",
  options: { egressReview?: string; sources?: readonly string[] } = {},
): string {
  const dir = mkdtempSync(join(files, "content-"));
  const sources = options.sources === undefined ? "[]" : `[${options.sources.join(", ")}]`;
  const file = (id: string, term: string, summary: string, related: string, review: string) =>
    `---\nid: ${id}\nterm: ${term}\nsummary: ${summary}\ntopic: traffic\nrelated: ${related}\nsources: ${sources}\n${review}---\n${term} body.\n`;
  const thisMonth = `asOf: linkerd 2.20\nreviewed: ${THIS_MONTH}\n`;
  writeFileSync(
    join(dir, "egress.md"),
    file("egress", "Egress", "Traffic that leaves.", egressRelated, options.egressReview ?? thisMonth),
  );
  writeFileSync(
    join(dir, "ingress.md"),
    file("ingress", "Ingress", "Traffic that enters.", "[egress]", thisMonth),
  );
  return dir;
}

function json(text: string): unknown {
  const lines = text.trimEnd().split("\n");
  expect(lines, "one line of JSON").toHaveLength(1);
  return JSON.parse(lines[0] as string);
}

describe.concurrent("mesh define", () => {
  it("prints Egress for the typo egres", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["define", "egres"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")[0]).toBe("Egress (also: egress traffic)");
    expect(r.stdout).toContain("Traffic that leaves a Kubernetes cluster");
    expect(r.stdout).toContain("Related: Ingress");
  });

  it("says it does not know pizza, and exits 0", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["define", "pizza"]);
    expect(r.code).toBe(0);
    // The wording is the renderer's; what matters is that no definition is printed and the user is told so.
    expect(r.stdout).toMatch(/^I don't \w+ "pizza"/);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
  });

  it("offers a choice for igress", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["define", "igress"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^"igress" could mean more than one term\. Did you mean: .*Ingress, Egress/);
  });

  it("answers a question typed as words", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["what", "is", "a", "sidecar?"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^Sidecar proxy/);
  });

  it("prints one JSON object for a confident match", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["define", "egres", "--json"]);
    expect(r.code).toBe(0);
    const out = json(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ id: "egress", term: "Egress", match: "typo", suggestions: [] });
    expect(typeof out.summary).toBe("string");
    expect(out.summary).not.toBe("");
  });

  it("prints id null and no suggestions as JSON for pizza", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["define", "pizza", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ id: null, term: null, summary: null, suggestions: [] });
  });

  it("prints id null and the suggestions as {id, term} for igress", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["define", "igress", "--json"]);
    const out = json(r.stdout) as { id: unknown; suggestions: unknown[] };
    expect(out.id).toBeNull();
    expect(out.suggestions).toEqual([
      { id: "ingress", term: "Ingress" },
      { id: "egress", term: "Egress" },
    ]);
  });
});

describe.concurrent("mesh detect", () => {
  it("reads a message on standard input and prints the terms as JSON", { timeout: SLOW }, async ({
    expect,
  }) => {
    const r = await mesh(["detect", "--json"], { input: "our egress gateway adds latency\n" });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({
      terms: [
        { id: "egress", term: "Egress", start: 4, end: 10 },
        { id: "latency", term: "Latency", start: 24, end: 31 },
      ],
    });
  });

  it("prints no terms for a message without jargon", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["detect", "--json"], { input: "lunch at noon?" });
    expect(json(r.stdout)).toEqual({ terms: [] });
  });

  it("prints the terms it finds for people", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["detect"], { input: "is mTLS on?" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mTLS \("mTLS" at 3-7\) /);
  });

  it("answers each JSON line with one object, and an error object for a bad line", { timeout: SLOW }, async ({
    expect,
  }) => {
    const input = ['"egress here"', "not json", "", '"mtls and sidecars"', "42", '"lunch"'].join("\n");
    const r = await mesh(["detect", "--jsonl"], { input });
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { terms: [{ id: "egress", term: "Egress", start: 0, end: 6 }] },
      { terms: [], error: "line 2 is not a JSON string" },
      {
        terms: [
          { id: "mtls", term: "mTLS", start: 0, end: 4 },
          { id: "sidecar-proxy", term: "Sidecar proxy", start: 9, end: 17 },
        ],
      },
      { terms: [], error: "line 5 is not a JSON string" },
      { terms: [] },
    ]);
    expect(r.stderr).toBe("mesh detect: 2 of 6 lines were not JSON strings and were skipped.\n");
  });
});

describe.concurrent("mesh list, search and related", () => {
  it("lists every term as JSON with id, term, aliases and summary", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["list", "--json"]);
    expect(r.code).toBe(0);
    const terms = json(r.stdout) as { id: string; term: string; aliases: string[]; summary: string }[];
    const { glossary } = loadGlossary(CONTENT_DIR);
    expect(terms.map((t) => t.id)).toEqual(glossary.terms.map((t) => t.id));
    for (const t of terms) {
      expect(typeof t.term).toBe("string");
      expect(Array.isArray(t.aliases)).toBe(true);
      expect(t.summary.length).toBeGreaterThan(0);
    }
    expect(terms.find((t) => t.id === "mtls")).toMatchObject({
      term: "mTLS",
      aliases: ["mutual TLS", "mutual transport layer security"],
    });
  });

  it("lists one topic", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["list", "security", "--json"]);
    const terms = json(r.stdout) as { topic: string }[];
    expect(terms.length).toBeGreaterThan(0);
    expect(new Set(terms.map((t) => t.topic))).toEqual(new Set(["security"]));
  });

  it("finds terms by the words of their definitions", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["search", "certificate", "rotation", "--json"]);
    expect(r.code).toBe(0);
    const out = json(r.stdout) as { results: { id: string }[] };
    expect(out.results[0]?.id).toBe("certificate-rotation");
  });

  it("names the terms related to mTLS", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["related", "mtls", "--json"]);
    const out = json(r.stdout) as { id: string; related: { id: string }[] };
    expect(out.id).toBe("mtls");
    expect(out.related.map((t) => t.id)).toContain("mesh-identity");
  });
});

describe.concurrent("choosing the content", () => {
  it("serves a content folder given with --content", { timeout: SLOW }, async ({ expect }) => {
    const dir = smallContent();
    const list = await mesh(["list", "--json", "--content", dir]);
    expect((json(list.stdout) as { id: string }[]).map((t) => t.id)).toEqual(["egress", "ingress"]);
    const define = await mesh(["define", "egres", "--content", dir]);
    expect(define.stdout).toContain("Traffic that leaves.");
  });

  it("serves the seed glossary page given with --content", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["list", "--json", "--content", FIXTURE_PAGE]);
    expect(r.code).toBe(0);
    expect((json(r.stdout) as { id: string }[]).map((t) => t.id).sort()).toEqual([...FIXTURE_IDS].sort());
    const esb = await mesh(["define", "ESB", "--json", "--content", FIXTURE_PAGE]);
    expect(json(esb.stdout)).toMatchObject({
      id: "enterprise-service-bus-esb",
      term: "Enterprise Service Bus",
    });
  });

  it("reads CONTENT from the environment, and --content wins over it", { timeout: SLOW }, async ({
    expect,
  }) => {
    const dir = smallContent();
    const fromEnv = await mesh(["list", "--json"], { env: { CONTENT: dir } });
    expect(json(fromEnv.stdout)).toHaveLength(2);
    const overridden = await mesh(["list", "--json", "--content", CONTENT_DIR], { env: { CONTENT: dir } });
    expect(json(overridden.stdout)).toHaveLength(90);
  });

  it("refuses broken content with exit 1 and file:line on stderr", { timeout: SLOW }, async ({ expect }) => {
    const dir = smallContent("[ingress, nope]");
    const r = await mesh(["define", "egress", "--content", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `The glossary at ${dir} has 1 problem:\n  ${join(dir, "egress.md")}:6: related term "nope" does not exist.\n`,
    );
  });

  it("says where it looked when the content is missing, with exit 1", { timeout: SLOW }, async ({
    expect,
  }) => {
    const missing = join(files, "no-such-content");
    const r = await mesh(["define", "egress", "--content", missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Glossary content not found at ${missing}.`);
  });
});

describe.concurrent("mesh check", () => {
  it("passes the real content with exit 0", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("90 terms, no problems.\n");
  });

  it("lists problems as file:line with exit 1", { timeout: SLOW }, async ({ expect }) => {
    const dir = smallContent("[ingress, nope]");
    const r = await mesh(["check", "--content", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${join(dir, "egress.md")}:6: related term "nope" does not exist.\n1 problem in ${dir}.\n`,
    );
  });

  it("reports problems as JSON", { timeout: SLOW }, async ({ expect }) => {
    const dir = smallContent("[ingress, nope]");
    const r = await mesh(["check", "--json", "--content", dir]);
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toEqual({
      terms: 2,
      problems: [{ file: join(dir, "egress.md"), line: 6, message: 'related term "nope" does not exist.' }],
      warnings: [],
    });
  });

  it("warns about a term not reviewed for a year, with exit 0", { timeout: SLOW }, async ({ expect }) => {
    const dir = smallContent("[ingress]", { egressReview: "asOf: linkerd 2.16\nreviewed: 2019-01\n" });
    const r = await mesh(["check", "--content", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("2 terms, no problems, 1 warning.\n");
    const [year, month] = THIS_MONTH.split("-").map(Number) as [number, number];
    const age = (year - 2019) * 12 + (month - 1);
    expect(r.stderr).toBe(
      `${join(dir, "egress.md")}:9: warning: "Egress" was last reviewed against linkerd 2.16 in 2019-01, ${age} months ago; check it against its sources and update asOf and reviewed.\n`,
    );
    const json1 = json((await mesh(["check", "--json", "--content", dir])).stdout) as { warnings: unknown[] };
    expect(json1.warnings).toEqual([
      { file: join(dir, "egress.md"), line: 9, message: expect.stringContaining("in 2019-01") },
    ]);
  });

  it("takes the review window from --stale-after", { timeout: SLOW }, async ({ expect }) => {
    const monthsAgo = (n: number) => {
      const d = new Date();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() - n);
      return d.toISOString().slice(0, 7);
    };
    const dir = smallContent("[ingress]", {
      egressReview: `asOf: linkerd 2.20\nreviewed: ${monthsAgo(4)}\n`,
    });
    const quiet = await mesh(["check", "--content", dir]);
    expect(quiet.stdout).toBe("2 terms, no problems.\n");
    expect(quiet.stderr).toBe("");
    const strict = await mesh(["check", "--content", dir, "--stale-after", "3"]);
    expect(strict.code).toBe(0);
    expect(strict.stdout).toBe("2 terms, no problems, 1 warning.\n");
    expect(strict.stderr).toContain(
      `"Egress" was last reviewed against linkerd 2.20 in ${monthsAgo(4)}, 4 months ago`,
    );
  });

  it("says a term without asOf and reviewed was never reviewed", { timeout: SLOW }, async ({ expect }) => {
    const dir = smallContent("[ingress]", { egressReview: "" });
    const r = await mesh(["check", "--content", dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `${join(dir, "egress.md")}:2: warning: "Egress" has never been reviewed; check it against its sources, then add asOf (what it was checked against, like "linkerd 2.20") and reviewed (the month, like ${THIS_MONTH}).\n`,
    );
  });
});

describe.concurrent("mesh check --links", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === "/ok" ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("lists a dead source with its file and line, with exit 1", { timeout: SLOW }, async ({ expect }) => {
    const dir = smallContent("[ingress]", { sources: [`${base}/ok`, `${base}/gone`] });
    const r = await mesh(["check", "--links", "--content", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("2 terms, no problems.\n");
    expect(r.stderr).toBe(
      [
        "Checking 2 source links...",
        `${join(dir, "egress.md")}:7: the source ${base}/gone is dead: 404 Not Found.`,
        `${join(dir, "ingress.md")}:7: the source ${base}/gone is dead: 404 Not Found.`,
        "Checked 2 source links: 1 failed.",
        "",
      ].join("\n"),
    );
  });

  it("says all is well when every source answers", { timeout: SLOW }, async ({ expect }) => {
    const dir = smallContent("[ingress]", { sources: [`${base}/ok`] });
    const r = await mesh(["check", "--links", "--content", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("2 terms, no problems.\nChecked 1 source link: all answer.\n");
  });

  it("skips with one sentence and exit 0 when no source can be reached", { timeout: SLOW }, async ({
    expect,
  }) => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const dir = smallContent("[ingress]", {
      sources: [`http://127.0.0.1:${closed}/a`, `http://127.0.0.1:${closed}/b`],
    });
    const r = await mesh(["check", "--links", "--content", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "2 terms, no problems.\nSkipped the link check: none of the 2 source links could be reached, so the network seems to be unavailable.\n",
    );
    expect(r.stderr).toBe("Checking 2 source links...\n");
    const asJson = await mesh(["check", "--links", "--json", "--content", dir]);
    expect(json(asJson.stdout)).toMatchObject({
      links: { checked: 2, dead: [], skipped: expect.stringMatching(/^Skipped/) },
    });
  });
});

describe.concurrent("mesh import", () => {
  it("writes the seed page's 21 terms as files that then load cleanly", { timeout: SLOW }, async ({
    expect,
  }) => {
    const out = mkdtempSync(join(files, "import-"));
    const r = await mesh(["import", FIXTURE_PAGE, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`Imported 21 terms from ${FIXTURE_PAGE}; wrote 21 files to ${out}.\n`);
    expect(readdirSync(out).sort()).toEqual(FIXTURE_IDS.map((id) => `${id}.md`).sort());
    const { glossary } = loadGlossary(out);
    expect(glossary.terms).toHaveLength(21);
    expect(glossary.get("enterprise-service-bus-esb")?.aliases).toEqual(["ESB"]);
    expect(glossary.get("reliability")?.body).toContain("applying [techniques");
    const list = await mesh(["list", "--json", "--content", out]);
    expect(list.code).toBe(0);
    expect(json(list.stdout)).toHaveLength(21);
  });

  it("keeps existing files unless --force is given", { timeout: SLOW }, async ({ expect }) => {
    const out = mkdtempSync(join(files, "import-"));
    writeFileSync(join(out, "egress.md"), "mine");
    const kept = await mesh(["import", FIXTURE_PAGE, "--out", out]);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toBe("skipped egress.md: it exists (use --force to overwrite)\n");
    expect(kept.stdout).toContain("wrote 20 files");
    expect(readFileSync(join(out, "egress.md"), "utf8")).toBe("mine");
    const forced = await mesh(["import", FIXTURE_PAGE, "--out", out, "--force"]);
    expect(forced.stdout).toContain("wrote 21 files");
    expect(readFileSync(join(out, "egress.md"), "utf8")).toMatch(/^---\nid: egress\n/);
  });

  it("makes root-relative links absolute with --base-url", { timeout: SLOW }, async ({ expect }) => {
    const out = mkdtempSync(join(files, "import-"));
    const r = await mesh(["import", FIXTURE_PAGE, "--out", out, "--base-url", "https://linkerd.io"]);
    expect(r.code).toBe(0);
    const sidecar = loadGlossary(out).glossary.get("sidecar-proxy");
    expect(sidecar?.sources).toEqual(["https://linkerd.io/2020/12/03/why-linkerd-doesnt-use-envoy/"]);
  });
});

describe.concurrent("a Hugo site of one page a term", () => {
  it("imports the folder as term files, saying what it skipped", { timeout: SLOW }, async ({ expect }) => {
    const out = mkdtempSync(join(files, "import-site-"));
    const r = await mesh(["import", HUGO_SITE, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Imported 8 terms from ${HUGO_SITE}; wrote 8 files to ${out}.\n`);
    expect(r.stderr).toContain(
      `${join(HUGO_SITE, "_index.md")}:1: skipped: the folder's list page, not a term.`,
    );
    expect(r.stderr).toContain("the link to /ingress/ points at no page here; kept its text.");
    // As term files they follow the term-file rules: the page the site relates to nothing needs a related term.
    // Imported files are the team's now: they are also due for a first review (asOf and reviewed).
    const check = await mesh(["check", "--content", out]);
    expect(check.stderr).toContain(
      `${join(out, "latency.md")}:6: the term is related to no other term; add one.\n`,
    );
    expect(check.stderr).toContain(
      `${join(out, "latency.md")}:2: warning: "Latency" has never been reviewed`,
    );
    expect(check.stderr).toContain(`1 problem, 8 warnings in ${out}.\n`);
  });

  it("serves every term by its title with --content", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["define", "Sidecar Proxy", "--json", "--content", HUGO_SITE]);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ id: "sidecar-proxy", term: "Sidecar Proxy" });
    const check = await mesh(["check", "--content", HUGO_SITE]);
    expect(check.code).toBe(0);
    expect(check.stdout).toBe("8 terms, no problems.\n");
  });

  it("exits 1 when there is nothing to import, saying why", { timeout: SLOW }, async ({ expect }) => {
    const out = mkdtempSync(join(files, "import-none-"));
    const page = join(out, "notes.md");
    writeFileSync(page, "# Notes\n\nJust prose.\n");
    const r = await mesh(["import", page, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${page}:1: the page has no ## sections, so there are no terms to import.\n`);
  });

  it("refuses to import a folder of term files", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["import", CONTENT_DIR, "--out", join(files, "again")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `mesh: ${CONTENT_DIR} holds term files already; serve it with --content ${CONTENT_DIR}.\n`,
    );
  });
});

describe.concurrent("mistakes in how mesh is called", () => {
  it.for<[string, string[], string]>([
    ["an unknown command", ["frobnicate"], 'mesh: unknown command "frobnicate"'],
    [
      "an unknown option",
      ["define", "egress", "--bogus"],
      "mesh: unknown option --bogus; the options are --json,",
    ],
    [
      "a mistyped option",
      ["define", "egress", "--jsno"],
      "mesh: unknown option --jsno; did you mean --json?",
    ],
    ["a mistyped short option", ["define", "egress", "-x"], "mesh: unknown option -x; the options are"],
    ["a mistyped command", ["defnie", "egress"], 'mesh: unknown command "defnie"; did you mean "define"?'],
    [
      "an unknown export format",
      ["export", "--format", "xml"],
      "mesh: --format xml is not one of md, csv, json.",
    ],
    [
      "flags that exclude each other",
      ["detect", "--json", "--jsonl"],
      "mesh: --json and --jsonl cannot be used",
    ],
    ["a value given to a flag", ["define", "egress", "--json=yes"], "mesh: --json takes no value."],
    ["define without a term", ["define"], "mesh: define needs a term: mesh define egress"],
    ["search without words", ["search"], "mesh: search needs words"],
    ["related without a term", ["related"], "mesh: related needs a term"],
    [
      "--content without a value",
      ["list", "--content"],
      "mesh: --content needs a value: --content <dir|page.md>.",
    ],
    ["an unknown topic", ["list", "pizza"], 'mesh: unknown topic "pizza"'],
    [
      "a review window that is not a number",
      ["check", "--stale-after", "a year"],
      'mesh: --stale-after takes a whole number of months, like 12, not "a year"',
    ],
    ["import without a page", ["import"], "mesh: import takes one page"],
    ["import without --out", ["import", FIXTURE_PAGE], "mesh: import needs --out <dir>"],
    [
      "import of a missing page",
      ["import", "/no/such/page.md", "--out", "/tmp/x"],
      "mesh: cannot read /no/such/page.md",
    ],
  ])("exits 2 with one line on stderr for %s", { timeout: SLOW }, async ([, args, message], { expect }) => {
    const r = await mesh(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(message), r.stderr).toBe(true);
    // One line: no parser internals, no usage dump.
    expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  });

  it("prints usage for help and for no command at all", { timeout: SLOW }, async ({ expect }) => {
    for (const args of [["help"], [], ["--help"]]) {
      const r = await mesh(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^mesh: service mesh jargon, explained\n\nUsage:/);
    }
  });

  it("prints its version", { timeout: SLOW }, async ({ expect }) => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const r = await mesh(["--version"]);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it("writes no colour codes when NO_COLOR is set", { timeout: SLOW }, async ({ expect }) => {
    const r = await mesh(["define", "egress"]);
    expect(r.stdout).not.toContain("\u001b[");
  });
});
