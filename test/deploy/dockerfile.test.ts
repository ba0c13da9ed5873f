// The image as the Dockerfile builds it (no Docker engine needed): which Node.js it runs, what each stage
// installs and compiles, and what reaches the runtime stage.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers.js";

/** The Node.js release line the image ships: the newest Active LTS line. */
const LTS_LINE = 26;

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** The Dockerfile's stages, with line continuations joined and comments dropped. */
function stages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const out: Stage[] = [];
  for (const line of lines) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const [from = "", as, name] = rest;
      out.push({ from, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else {
      out.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return out;
}

const dockerfile = stages(readFileSync(`${REPO_ROOT}Dockerfile`, "utf8"));
const stage = (name: string): Stage => {
  const found = dockerfile.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage named ${name}`);
  return found;
};
const runs = (s: Stage) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
const copies = (s: Stage) => s.instructions.filter((i) => i.keyword === "COPY").map((i) => i.args);
const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, "utf8")) as { engines: { node: string } };

describe("the Dockerfile", () => {
  it("builds every stage on one Node.js image, pinned to a release of the LTS line that engines admits", () => {
    const base = dockerfile[0];
    const pinned = /^node:(\d+)\.\d+\.\d+-[a-z]+-slim$/.exec(base?.from ?? "");
    expect(pinned, base?.from).not.toBeNull();
    expect(Number(pinned?.[1])).toBe(LTS_LINE);
    for (const s of dockerfile.slice(1)) expect(s.from).toBe(base?.name);
    // engines admits 20.12 up to the line the image ships, and no further.
    const lines = pkg.engines.node.split("||").map((range) => Number(/\^(\d+)/.exec(range)?.[1]));
    expect(Math.max(...lines)).toBe(LTS_LINE);
    expect(pkg.engines.node).toMatch(/^\^20\.12\.0 \|\|/);
  });

  it("compiles the TypeScript without install scripts, so the build stage needs no compiler", () => {
    const build = runs(stage("build"));
    expect(build).toContain("npm ci --ignore-scripts");
    expect(build).toContain("npx tsc -p tsconfig.build.json");
    expect(build.join(" ")).not.toMatch(/apt-get|g\+\+/);
  });

  it("installs the production dependencies where python3, make and g++ can compile better-sqlite3", () => {
    const deps = runs(stage("deps")).join(" ");
    expect(deps).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    expect(deps).toContain("npm ci --omit=dev");
    expect(copies(stage("runtime"))).toContain("--from=deps /app/node_modules ./node_modules");
  });

  it("puts nothing from bench/ or test/ in the image, though tsconfig.build.json compiles bench/ into dist", () => {
    const build = JSON.parse(readFileSync(`${REPO_ROOT}tsconfig.build.json`, "utf8")) as {
      include: string[];
    };
    expect(build.include).toContain("bench");
    for (const s of dockerfile) {
      for (const copy of copies(s)) expect(copy).not.toMatch(/(^|[\s/])(bench|test)(\/|\s|$)|^\.\s/);
    }
    // Only the bot's own code leaves the build stage: not dist/ as a whole, which holds dist/bench locally.
    const fromBuild = copies(stage("runtime")).filter((c) => c.startsWith("--from=build"));
    expect(fromBuild).toEqual([
      "--from=build /app/dist/src ./dist/src",
      "--from=build /app/dist/adapters ./dist/adapters",
    ]);
    const ignored = readFileSync(`${REPO_ROOT}.dockerignore`, "utf8").split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["bench", "test"]));
  });

  it("runs `serve` as a non-root user id, so Kubernetes can check runAsNonRoot", () => {
    const runtime = dockerfile.at(-1);
    expect(runtime?.name).toBe("runtime");
    const user = runtime?.instructions.filter((i) => i.keyword === "USER").at(-1)?.args;
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    const cmd = runtime?.instructions.find((i) => i.keyword === "CMD")?.args;
    expect(JSON.parse(cmd ?? "null")).toEqual(["node", "dist/src/main.js", "serve"]);
  });
});
