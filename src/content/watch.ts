import { type FSWatcher, statSync, watch } from "node:fs";
import type { Glossary } from "../core/glossary.js";
import { loadGlossaryOffThread } from "./off-thread.js";

/** How long the files must stay still before they are read: an editor saves in several writes. */
const SETTLE_MS = 300;

export interface ContentWatch {
  /** Reads the content again now (SIGHUP). */
  reload(): void;
  stop(): void;
}

/**
 * Serves CONTENT again whenever its files change, and on `reload()`: the new glossary (read off the main
 * thread, see off-thread.ts) replaces the running one only if it passes the same checks as at start-up;
 * otherwise the running one stays and `onProblem` gets the error, whose details name each file and line.
 */
export function watchContent(
  path: string,
  onGlossary: (glossary: Glossary, terms: number) => void,
  onProblem: (error: unknown) => void,
): ContentWatch {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let stopped = false;
  /** A read on its way, and whether the files changed again meanwhile (then one more read follows it). */
  let reading = false;
  let again = false;
  const reload = () => {
    clearTimeout(timer);
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    loadGlossaryOffThread(path)
      .then(
        (glossary) => {
          if (!stopped) onGlossary(glossary, glossary.terms.length);
        },
        (error: unknown) => {
          if (!stopped) onProblem(error);
        },
      )
      .finally(() => {
        reading = false;
        if (again && !stopped) {
          again = false;
          reload();
        }
      });
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, SETTLE_MS);
    timer.unref();
  };
  try {
    watcher = watch(path, { recursive: statSync(path).isDirectory(), persistent: false }, soon);
    watcher.on("error", onProblem);
  } catch (error) {
    // A file system without change notifications: SIGHUP still reloads.
    onProblem(error);
  }
  return {
    reload,
    stop() {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
