import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import {
  type Logger as BoltLogger,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
  isRawBodyError,
} from "@slack/bolt";

/** Slack's window for a signed request's timestamp, in seconds, either side of now. */
const TIMESTAMP_WINDOW_S = 300;

/** The path Slack posts events, commands and interactivity to. */
export const EVENTS_PATH = "/slack/events";

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

/** True for a JSON body or form `payload` that is an object, the only shape Slack sends. */
function isObjectBody(req: IncomingMessage & { rawBody: Buffer }): boolean {
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(req);
  } catch {
    // Bolt answers a body it cannot parse with 400 itself.
    return true;
  }
  return typeof body === "object" && body !== null && !Array.isArray(body);
}

/**
 * Bolt's HTTP receiver with the checks it leaves out, in front of it: a timestamp more than five minutes in
 * the future is refused like a stale one (401), and a body that is not an object (a signed `null`, a number,
 * a list) gets 400 at once instead of an unhandled rejection and a socket left open. Bodies over Bolt's
 * limit still get 413. Answers are sent only once the listeners finished (`processBeforeResponse`), so an
 * event acknowledged to Slack has been answered, and one that failed gets a 500 that Slack redelivers.
 */
export function createSlackReceiver(
  options: Omit<HTTPReceiverOptions, "processBeforeResponse"> & { readonly logger: BoltLogger },
): { readonly receiver: HTTPReceiver; readonly listener: RequestListener } {
  const { logger } = options;
  const receiver = new HTTPReceiver({
    ...options,
    processBeforeResponse: true,
    // Bolt's defaults, logged through our logger; a failure in them never becomes an unhandled rejection.
    dispatchErrorHandler: async ({ error, request, response }) => {
      logger.warn(`Slack request to ${request.url} not handled: ${error.message}`);
      refuse(response, 404);
    },
  });
  const bolt = receiver.requestListener;
  const limit = options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit;

  const guarded = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST") {
      bolt(req, res);
      return;
    }
    const stamp = Number(HTTPModuleFunctions.getHeader(req, "x-slack-request-timestamp"));
    if (Number.isFinite(stamp) && stamp > Date.now() / 1000 + TIMESTAMP_WINDOW_S) {
      logger.warn("Refused a Slack request dated more than five minutes in the future");
      refuse(res, 401);
      return;
    }
    let buffered: IncomingMessage & { rawBody: Buffer };
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, limit);
    } catch (error) {
      const tooLarge = isRawBodyError(error) && (error as { statusCode?: number }).statusCode === 413;
      if (tooLarge) logger.warn(`Request body exceeded the maximum allowed size (limit: ${limit} bytes)`);
      refuse(res, tooLarge ? 413 : 400);
      return;
    }
    if (!isObjectBody(buffered)) {
      logger.warn("Refused a Slack request whose body is not an object");
      refuse(res, 400);
      return;
    }
    bolt(buffered, res);
  };

  const listener: RequestListener = (req, res) => {
    guarded(req, res).catch((error: unknown) => {
      logger.error(`Slack request failed: ${error instanceof Error ? error.message : String(error)}`);
      refuse(res, 500);
    });
  };
  // Bolt's own server (when Bolt starts one) goes through the same checks.
  receiver.requestListener = listener;
  return { receiver, listener };
}
