/**
 * The service reads its content in a short-lived worker thread: the worker parses the markdown and runs the
 * serving checks, and hands back plain terms, from which the glossary is built here. So the process that
 * answers never loads the markdown and YAML parsers nor keeps what parsing left behind (about a quarter of an
 * idle replica's heap), and reading a large glossary again on a change does not hold up answers meanwhile.
 * The command line reads content in its own thread (load.ts): it runs once and exits.
 */
import { Worker } from "node:worker_threads";
import { MeshError, type MeshErrorCode } from "../core/errors.js";
import { createGlossary, type Glossary } from "../core/glossary.js";
import type { Term } from "../core/types.js";

/** What the worker posts: the terms, or the content error to raise here. */
export type ContentReply =
  | { readonly ok: true; readonly terms: readonly Term[] }
  | {
      readonly ok: false;
      readonly code: MeshErrorCode;
      readonly message: string;
      readonly details: readonly string[];
    };

/** Reads and checks the content at `path` in a worker (see load.ts readValidContent). */
export function readTermsOffThread(path: string): Promise<readonly Term[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./load-worker.js", import.meta.url), { workerData: { path } });
    let answered = false;
    worker.once("message", (reply: ContentReply) => {
      answered = true;
      if (reply.ok) resolve(reply.terms);
      else reject(new MeshError(reply.code, reply.message, reply.details));
    });
    worker.once("error", (error) => {
      answered = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`The content reader stopped (exit code ${code}) before it answered.`));
    });
  });
}

/** Loads the glossary at `path` for serving, reading it in a worker; fails as loadGlossary does. */
export async function loadGlossaryOffThread(path: string): Promise<Glossary> {
  return createGlossary(await readTermsOffThread(path));
}
