#!/usr/bin/env node
import { wantsColor } from "../../src/config.js";
import { runCli } from "./cli.js";

// `mesh export --format csv | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  color: wantsColor(process.stdout.isTTY),
};
runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mesh: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
