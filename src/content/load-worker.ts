/**
 * The worker behind loadGlossaryOffThread: reads and checks the content at `workerData.path`, then posts the
 * terms as plain data, or the content error. Anything else it throws reaches the caller as the worker's error.
 */
import { parentPort, workerData } from "node:worker_threads";
import { isMeshError } from "../core/errors.js";
import { readValidContent } from "./load.js";
import type { ContentReply } from "./off-thread.js";

const { path } = workerData as { path: string };
let reply: ContentReply;
try {
  reply = { ok: true, terms: readValidContent(path).terms };
} catch (error) {
  if (!isMeshError(error)) throw error;
  reply = { ok: false, code: error.code, message: error.message, details: error.details };
}
parentPort?.postMessage(reply);
