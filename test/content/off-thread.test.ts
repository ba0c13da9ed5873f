// The service reads its content in a worker thread. A worker runs JavaScript, so these tests load the built
// modules (dist/, which `npm test` builds first) and check them against the in-thread reader of src/.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadGlossary, readContent } from "../../src/content/load.js";
import { isMeshError } from "../../src/core/errors.js";
import { CONTENT_DIR } from "../helpers.js";

type OffThread = typeof import("../../src/content/off-thread.js");
type Watch = typeof import("../../src/content/watch.js");

const built = (module: string) =>
  pathToFileURL(join(CONTENT_DIR, "..", "dist", "src", "content", module)).href;
const { loadGlossaryOffThread, readTermsOffThread } = (await import(built("off-thread.js"))) as OffThread;
const { watchContent } = (await import(built("watch.js"))) as Watch;

const term = (id: string, related: string) => `---
id: ${id}
term: ${id[0]?.toUpperCase()}${id.slice(1)}
summary: Traffic that crosses the edge of the cluster (${id}).
topic: traffic
related: [${related}]
---
A word about ${id}.
`;

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

function contentDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "mesh-off-thread-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The error a promise rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; details?: string[] }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; details?: string[] };
  }
  throw new Error("expected a rejection");
}

/** The error the in-thread loader throws for `path`. */
function loadError(path: string) {
  try {
    loadGlossary(path);
  } catch (error) {
    if (isMeshError(error, "CONTENT_INVALID")) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

describe("reading content in a worker thread", () => {
  it("gives the same terms as reading it here, and a glossary that answers", async () => {
    const terms = await readTermsOffThread(CONTENT_DIR);
    expect(terms).toHaveLength(90);
    expect(terms).toEqual(readContent(CONTENT_DIR).content.terms);
    const glossary = await loadGlossaryOffThread(CONTENT_DIR);
    expect(glossary.terms.map((t) => t.id)).toEqual(
      loadGlossary(CONTENT_DIR).glossary.terms.map((t) => t.id),
    );
    expect(glossary.get("egress")?.term).toBe("Egress");
  });

  it("refuses broken content with the same sentence and file:line details as at start-up", async () => {
    const dir = contentDir({
      "egress.md": term("egress", "ingress"),
      "ingress.md": term("ingress", "nowhere"),
    });
    const error = await rejection(loadGlossaryOffThread(dir));
    const expected = loadError(dir);
    expect(error).toMatchObject({ name: "MeshError", code: "CONTENT_INVALID", message: expected.message });
    expect(error.details).toEqual(expected.details);
    expect(error.details?.[0]).toMatch(/ingress\.md:\d+: /);
  });

  it("says where it looked when the content is not there", async () => {
    const missing = join(tmpdir(), "mesh-no-such-content");
    const error = await rejection(readTermsOffThread(missing));
    expect(error).toMatchObject({ code: "CONTENT_INVALID" });
    expect(error.message).toContain(`Glossary content not found at ${missing}`);
  });
});

describe("watching content read in a worker", () => {
  it("a change during a read is read again after it, so the newest files win", async () => {
    const dir = contentDir({
      "egress.md": term("egress", "ingress"),
      "ingress.md": term("ingress", "egress"),
    });
    const seen: number[] = [];
    const problems: unknown[] = [];
    const watch = watchContent(
      dir,
      (_glossary, terms) => seen.push(terms),
      (error) => problems.push(error),
    );
    try {
      watch.reload();
      // The first read is on its way: a third term arrives, and a second reload is asked for meanwhile.
      writeFileSync(join(dir, "mesh.md"), term("mesh", "egress"));
      watch.reload();
      await expect.poll(() => seen.at(-1), { timeout: 10_000 }).toBe(3);
      expect(seen.length).toBeLessThanOrEqual(3);
      expect(problems).toEqual([]);
    } finally {
      watch.stop();
    }
  });

  it("reports nothing once stopped, even for a read that was on its way", async () => {
    const dir = contentDir({
      "egress.md": term("egress", "ingress"),
      "ingress.md": term("ingress", "egress"),
    });
    const calls: string[] = [];
    const watch = watchContent(
      dir,
      () => calls.push("glossary"),
      () => calls.push("problem"),
    );
    watch.reload();
    watch.stop();
    // A read takes well under a second; give it time to finish, then check it stayed silent.
    await readTermsOffThread(dir);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toEqual([]);
  });
});
