// The source link checker against a real HTTP server on 127.0.0.1: live, moved, gone, HEAD-refusing and
// silent pages, and a network that is not there.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLinks, checkSources, type Fetch } from "../../src/content/links.js";
import { readContent } from "../../src/content/load.js";

let server: Server;
let base: string;
/** "METHOD /path" for every request the server saw, in order. */
const seen: string[] = [];
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    seen.push(`${req.method} ${path}`);
    if (path === "/ok") res.writeHead(200, { "content-type": "text/plain" }).end("fine");
    else if (path === "/moved") res.writeHead(301, { location: "/ok" }).end();
    else if (path === "/gone") res.writeHead(404).end("not here");
    else if (path === "/no-head") res.writeHead(req.method === "HEAD" ? 405 : 200).end();
    else if (path === "/loop") res.writeHead(302, { location: "/loop" }).end();
    else if (path === "/slow") {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200).end();
      }, 60);
    } else if (path === "/hang") {
      // Never answers; the server closes the socket when the test file ends.
    } else res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A port on 127.0.0.1 with nothing listening: connections to it are refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("checkLinks", () => {
  it("tells live pages from dead ones, following redirects and retrying refused HEADs with GET", async () => {
    seen.length = 0;
    const report = await checkLinks([`${base}/ok`, `${base}/moved`, `${base}/gone`, `${base}/no-head`]);
    expect(report.offline).toBe(false);
    expect(report.results).toEqual([
      { url: `${base}/ok`, kind: "ok", status: 200 },
      { url: `${base}/moved`, kind: "ok", status: 200 },
      { url: `${base}/gone`, kind: "dead", status: 404, reason: "404 Not Found" },
      { url: `${base}/no-head`, kind: "ok", status: 200 },
    ]);
    expect(seen).toContain("HEAD /moved");
    expect(seen.filter((r) => r.endsWith("/no-head"))).toEqual(["HEAD /no-head", "GET /no-head"]);
    // A page that fails HEAD gets a GET before it is called dead; a page that passes HEAD gets no GET.
    expect(seen.filter((r) => r.endsWith("/gone"))).toEqual(["HEAD /gone", "GET /gone"]);
    expect(seen).not.toContain("GET /ok");
  });

  it("checks each address once, however often it is listed", async () => {
    seen.length = 0;
    const report = await checkLinks([`${base}/ok`, `${base}/ok`, `${base}/ok`]);
    expect(report.results).toHaveLength(1);
    expect(seen).toEqual(["HEAD /ok"]);
  });

  it("gives up on a page that never answers, without holding up the others", async () => {
    const started = Date.now();
    const report = await checkLinks([`${base}/ok`, `${base}/hang`, `${base}/gone`], { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report.results.map((r) => r.kind)).toEqual(["ok", "unreachable", "dead"]);
    expect(report.results[1]).toMatchObject({ reason: "no answer within 300 ms", timedOut: true });
    expect(report.offline).toBe(false);
  });

  it("calls a redirect loop dead", async () => {
    const report = await checkLinks([`${base}/ok`, `${base}/loop`]);
    expect(report.results[1]).toMatchObject({ kind: "dead", reason: "it redirects in a loop" });
  });

  it("keeps no more requests in flight than it is allowed", async () => {
    maxInFlight = 0;
    const urls = Array.from({ length: 12 }, (_, i) => `${base}/slow?page=${i}`);
    const report = await checkLinks(urls, { concurrency: 3 });
    expect(report.results.every((r) => r.kind === "ok")).toBe(true);
    expect(maxInFlight).toBe(3);
  });

  it("reports no network when no address gets an answer", async () => {
    const urls = [`http://127.0.0.1:${await closedPort()}/a`, `http://127.0.0.1:${await closedPort()}/b`];
    const report = await checkLinks(urls, { timeoutMs: 2_000 });
    expect(report.offline).toBe(true);
    expect(report.results.map((r) => (r.kind === "unreachable" ? r.reason : r.kind))).toEqual([
      "the connection was refused",
      "the connection was refused",
    ]);
  });

  it("asks each host once when names do not resolve, and reports no network", async () => {
    // What fetch does on a machine without DNS: it rejects with "fetch failed" and the resolver's code.
    const asked: string[] = [];
    const noDns: Fetch = async (url) => {
      asked.push(url);
      const host = new URL(url).host;
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }),
      });
    };
    const urls = [
      "https://linkerd.io/2/reference/retries/",
      "https://linkerd.io/2/reference/httproute/",
      "https://kubernetes.io/docs/concepts/workloads/pods/",
      "https://linkerd.io/2/features/cni/",
    ];
    const report = await checkLinks(urls, { fetch: noDns });
    expect(report.offline).toBe(true);
    expect(asked).toEqual([urls[0], urls[2]]);
    expect(
      report.results.every((r) => r.kind === "unreachable" && r.reason.includes("does not resolve")),
    ).toBe(true);
  });
});

describe("checkSources", () => {
  const dir = mkdtempSync(join(tmpdir(), "mesh-links-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Two terms citing the given addresses; egress cites both, ingress only the second. */
  function terms(first: string, second: string): string {
    const folder = mkdtempSync(join(dir, "content-"));
    const file = (id: string, other: string, sources: string[]) =>
      `---\nid: ${id}\nterm: ${id}\nsummary: About ${id}.\ntopic: traffic\nrelated: [${other}]\nsources:\n${sources.map((s) => `  - ${s}\n`).join("")}---\nBody.\n`;
    writeFileSync(join(folder, "egress.md"), file("egress", "ingress", [first, second]));
    writeFileSync(join(folder, "ingress.md"), file("ingress", "egress", [second]));
    return folder;
  }

  it("names the file and line of every term that cites a dead source", async () => {
    const folder = terms(`${base}/ok`, `${base}/gone`);
    const result = await checkSources(readContent(folder).content);
    expect(result.checked).toBe(2);
    expect(result.skipped).toBeUndefined();
    const message = `the source ${base}/gone is dead: 404 Not Found.`;
    expect(result.dead).toEqual([
      {
        file: join(folder, "egress.md"),
        line: 9,
        message,
        url: `${base}/gone`,
        termId: "egress",
        status: 404,
      },
      {
        file: join(folder, "ingress.md"),
        line: 8,
        message,
        url: `${base}/gone`,
        termId: "ingress",
        status: 404,
      },
    ]);
  });

  it("skips with one sentence, and no failures, when nothing can be reached", async () => {
    const folder = terms(
      `http://127.0.0.1:${await closedPort()}/a`,
      `http://127.0.0.1:${await closedPort()}/b`,
    );
    const result = await checkSources(readContent(folder).content);
    expect(result).toEqual({
      checked: 2,
      dead: [],
      skipped:
        "Skipped the link check: none of the 2 source links could be reached, so the network seems to be unavailable.",
    });
  });
});
