// Runs the real entry point (dist/src/main.js, what `npm start` and the image run) as a child process, for
// tests that look at the bot from outside: its probes, its exit code, what it says on stderr.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { REPO_ROOT } from "../helpers.js";

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

export interface RunningBot {
  readonly proc: ChildProcess;
  /** Everything written to stderr so far. */
  logs(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exit: Promise<number | null>;
  /** Milliseconds from `since` (default: spawn) to the exit. */
  exitedAfter(since?: number): Promise<number>;
  /** Resolves once stderr matches `pattern`; rejects after `timeoutMs` or when the bot exits first. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Spawns `node dist/src/main.js ...args` with exactly `env` (and PATH). */
export function spawnBot(
  args: readonly string[],
  env: Record<string, string>,
  options: { uid?: number; gid?: number } = {},
): RunningBot {
  const started = Date.now();
  const proc = spawn(process.execPath, ["dist/src/main.js", ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...options,
  });
  running.add(proc);
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  proc.stdout?.resume();
  let exitedAt = 0;
  const exit = new Promise<number | null>((resolve) =>
    proc.once("exit", (code) => {
      exitedAt = Date.now();
      running.delete(proc);
      resolve(code);
    }),
  );
  return {
    proc,
    logs: () => stderr,
    exit,
    exitedAfter: async (since = started) => {
      await exit;
      return exitedAt - since;
    },
    waitForLog(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no log line matching ${pattern} in ${timeoutMs} ms:\n${stderr}`));
        }, timeoutMs);
        const check = () => {
          if (pattern.test(stderr)) {
            cleanup();
            resolve();
          }
        };
        const exited = () => {
          cleanup();
          reject(new Error(`the bot exited before logging ${pattern}:\n${stderr}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          proc.stderr?.off("data", check);
          proc.off("exit", exited);
        };
        proc.stderr?.on("data", check);
        proc.once("exit", exited);
        check();
      });
    },
  };
}

/** Kills (SIGKILL) every bot still running, for afterEach. */
export async function killBots(): Promise<void> {
  await Promise.all(
    [...running].map(
      (proc) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          proc.once("exit", () => resolve());
          proc.kill("SIGKILL");
        }),
    ),
  );
}

/** GET (or HEAD) a path of the bot's HTTP server; the status and the body. */
export async function probe(
  port: number,
  path: string,
  method = "GET",
): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, body: await res.text() };
}
