// The house's rules, read from the imports of the source files: the engine stays pure, the bot owns the
// conversation, and platform adapters reach the rest only through the bot's contract and the presentation.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers.js";

/** Every TypeScript file under `dir`, relative to the repository root. */
function sources(dir: string): string[] {
  const root = join(REPO_ROOT, dir);
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    if (statSync(path).isDirectory()) return sources(relative(REPO_ROOT, path));
    return name.endsWith(".ts") ? [relative(REPO_ROOT, path)] : [];
  });
}

/** What a file imports, resolved to repository paths for relative imports ("src/store/store.ts"). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)].map(
    (m) => m[1] ?? "",
  );
  const dynamic = [...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? "");
  return [...specs, ...dynamic].map((spec) =>
    spec.startsWith(".")
      ? relative(REPO_ROOT, join(REPO_ROOT, file, "..", spec)).replace(/\.js$/, ".ts")
      : spec,
  );
}

/** The imports of the files under `dir` that break `allowed`, as "file -> import" lines. */
function violations(dir: string, allowed: (target: string, file: string) => boolean): string[] {
  return sources(dir).flatMap((file) =>
    importsOf(file)
      .filter((target) => !allowed(target, file))
      .map((target) => `${file} -> ${target}`),
  );
}

/**
 * The import cycles among the files under `dirs`, each as "a -> b -> a". Only imports that run when a module
 * loads count: `import type` is erased, and a dynamic import() runs later.
 */
function cycles(...dirs: string[]): string[] {
  const files = dirs.flatMap((d) => sources(d));
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    const specs = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)(?!\s+type\b)[^"']*?from\s+["'](\.[^"']+)["']/g),
    ];
    edges.set(
      file,
      specs.map((m) => relative(REPO_ROOT, join(REPO_ROOT, file, "..", m[1] ?? "")).replace(/\.js$/, ".ts")),
    );
  }
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...path.slice(path.indexOf(next)), next].join(" -> "));
      else if (!state.has(next) && edges.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

const within = (target: string, ...dirs: string[]) => dirs.some((d) => target.startsWith(d));

describe("the house's boundaries", () => {
  it("keeps the engine pure: src/core imports only itself and its two libraries", () => {
    expect(violations("src/core", (t) => within(t, "src/core/") || t === "fuse.js")).toEqual([]);
  });

  it("keeps the presentation between the engine and the adapters", () => {
    expect(violations("src/present", (t) => within(t, "src/present/", "src/core/"))).toEqual([]);
  });

  it("lets the bot use the engine, the presentation, the store's contracts and the logger only", () => {
    const allowed = (t: string) =>
      within(t, "src/bot/", "src/core/", "src/present/") ||
      ["src/store/store.ts", "src/store/team.ts", "src/store/claims.ts", "src/logger.ts"].includes(t);
    expect(violations("src/bot", allowed)).toEqual([]);
  });

  it("keeps chat adapters off the store, the content files and the bot's insides", () => {
    for (const platform of ["adapters/slack", "adapters/discord"]) {
      const allowed = (t: string) =>
        !t.startsWith("src/") ||
        t === "src/bot/conversation.ts" ||
        within(t, "src/present/", "src/core/") ||
        ["src/config.ts", "src/logger.ts", "src/health.ts"].includes(t);
      expect(violations(platform, allowed), platform).toEqual([]);
    }
  });

  it("keeps each platform to itself", () => {
    const others = {
      slack: ["adapters/discord/", "adapters/terminal/"],
      discord: ["adapters/slack/", "adapters/terminal/"],
    };
    for (const [platform, forbidden] of Object.entries(others)) {
      expect(
        violations(`adapters/${platform}`, (t) => !within(t, ...forbidden)),
        platform,
      ).toEqual([]);
    }
  });

  it("has no import cycles, so every module loads whole before it is used", () => {
    expect(cycles("src", "adapters")).toEqual([]);
  });

  it("lets only the composition root import adapters from src", () => {
    expect(violations("src", (t, file) => !t.startsWith("adapters/") || file === "src/main.ts")).toEqual([]);
  });
});
