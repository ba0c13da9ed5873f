import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import {
  type App,
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

type Parsed =
  | { readonly kind: "object"; readonly event: boolean }
  | { readonly kind: "unparsable" | "not-object" };

/**
 * What a request body is: an object (the only shape Slack sends), and if so whether it is an Events API
 * delivery, or something Bolt answers itself (a body it cannot parse gets 400 from Bolt).
 */
function parse(req: IncomingMessage & { rawBody: Buffer }): Parsed {
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(req);
  } catch {
    return { kind: "unparsable" };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { kind: "not-object" };
  return { kind: "object", event: (body as { type?: unknown }).type === "event_callback" };
}

/**
 * Bolt's HTTP receiver with the checks it leaves out, in front of it: a timestamp more than five minutes in
 * the future is refused like a stale one (401), and a body that is not an object (a signed `null`, a number,
 * a list) gets 400 at once instead of an unhandled rejection and a socket left open. Bodies over Bolt's
 * limit still get 413.
 *
 * Events API deliveries are answered only once the listeners finished (`processBeforeResponse`), so an event
 * acknowledged to Slack has been answered, and one that failed gets a 500 that Slack redelivers. Commands,
 * buttons and forms are acknowledged the moment their listener calls `ack()`: Slack never redelivers them,
 * and the person waiting sees the answer sooner, well inside Slack's three seconds. The second receiver
 * needs the app too: call `attach(app)` once the app exists (the app's own receiver is attached by Bolt).
 */
export function createSlackReceiver(
  options: Omit<HTTPReceiverOptions, "processBeforeResponse"> & { readonly logger: BoltLogger },
): {
  readonly receiver: HTTPReceiver;
  readonly listener: RequestListener;
  readonly attach: (app: App) => void;
} {
  const { logger } = options;
  // Bolt's defaults, logged through our logger; a failure in them never becomes an unhandled rejection.
  const dispatchErrorHandler: HTTPReceiverOptions["dispatchErrorHandler"] = async ({
    error,
    request,
    response,
  }) => {
    logger.warn(`Slack request to ${request.url} not handled: ${error.message}`);
    refuse(response, 404);
  };
  const receiver = new HTTPReceiver({ ...options, processBeforeResponse: true, dispatchErrorHandler });
  // Only the signature settings: installing and authorizing stay with the app and its own receiver.
  const interactive = new HTTPReceiver({
    signingSecret: options.signingSecret,
    logger,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.signatureVerification === undefined
      ? {}
      : { signatureVerification: options.signatureVerification }),
    processBeforeResponse: false,
    dispatchErrorHandler,
  });
  const bolt = receiver.requestListener;
  const boltInteractive = interactive.requestListener;
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
    const parsed = parse(buffered);
    if (parsed.kind === "not-object") {
      logger.warn("Refused a Slack request whose body is not an object");
      refuse(res, 400);
      return;
    }
    if (parsed.kind === "object" && !parsed.event) boltInteractive(buffered, res);
    else bolt(buffered, res);
  };

  const listener: RequestListener = (req, res) => {
    guarded(req, res).catch((error: unknown) => {
      logger.error(`Slack request failed: ${error instanceof Error ? error.message : String(error)}`);
      refuse(res, 500);
    });
  };
  // Bolt's own server (when Bolt starts one) goes through the same checks.
  receiver.requestListener = listener;
  return { receiver, listener, attach: (app) => interactive.init(app) };
}
