#!/usr/bin/env node
import { wantsColor } from "../../src/config.js";
import { runCli } from "./cli.js";

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
