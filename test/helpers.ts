// Shared by the engine, content and CLI tests: where the real content and the seed page live, and a way to
// build terms by hand for precise edge cases.
import { fileURLToPath } from "node:url";
import { loadGlossary } from "../src/content/load.js";
import { createGlossary, type Glossary, termWithDefaults } from "../src/core/glossary.js";
import type { Term } from "../src/core/types.js";

/** The glossary shipped with the bot. */
export const CONTENT_DIR = fileURLToPath(new URL("../content", import.meta.url));

/** The repository root, where `npm run build` runs. */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The seed Hugo glossary page the product grew from, kept verbatim as importer input (test/fixtures/README.md).
 */
export const FIXTURE_PAGE = fileURLToPath(new URL("fixtures/service-mesh-glossary.md", import.meta.url));

/** A Hugo content folder of one page a term, messy on purpose (its README says how). */
export const HUGO_SITE = fileURLToPath(new URL("fixtures/hugo-site", import.meta.url));

/** The 21 section anchors of the seed page, in page order. */
export const FIXTURE_IDS = [
  "api-gateway",
  "cluster",
  "container",
  "control-plane",
  "data-plane",
  "distributed-tracing",
  "egress",
  "enterprise-service-bus-esb",
  "golden-metrics",
  "ingress",
  "init-container",
  "latency",
  "linkerd",
  "load-balancing",
  "mtls",
  "multi-cluster",
  "observability",
  "reliability",
  "service-mesh",
  "sidecar-proxy",
  "success-rate",
] as const;

let real: Glossary | undefined;

/** The real content, loaded once per test file. */
export function realGlossary(): Glossary {
  real ??= loadGlossary(CONTENT_DIR).glossary;
  return real;
}

/** A term with sensible defaults; `term` defaults to the id read as words. */
export function makeTerm(id: string, fields: Partial<Term> = {}): Term {
  return termWithDefaults({ id, term: id.replaceAll("-", " "), summary: `What ${id} means.`, ...fields });
}

/** A hand-built glossary from terms given as id → fields. */
export function glossaryOf(terms: Record<string, Partial<Term>>): Glossary {
  return createGlossary(Object.entries(terms).map(([id, fields]) => makeTerm(id, fields)));
}

/** Milliseconds a call takes, the best of a few runs, so a busy machine does not decide a timing test. */
export function bestTime(run: () => unknown, times = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
