import type { PostFailure } from "../../../src/present/messages.js";

/** What went wrong in a Slack call, reduced to what logs and users need. */
export interface SlackFailureInfo {
  /** web-api's error code ("slack_webapi_platform_error"...) or the error's name. */
  readonly kind: string;
  /** Slack's `error` string for platform errors ("not_in_channel"), or the HTTP status for HTTP errors. */
  readonly detail: string | undefined;
  /** Something the asker can act on, when there is one. */
  readonly failure: PostFailure | undefined;
}

/** Slack `error` strings that the person who asked can do something about. */
const USER_FIXABLE: Readonly<Record<string, PostFailure>> = {
  not_in_channel: "not-in-channel",
  channel_not_found: "channel-not-found",
  is_archived: "archived",
  restricted_action: "restricted",
  restricted_action_read_only_channel: "restricted",
  restricted_action_thread_only_channel: "restricted",
  restricted_action_non_threadable_channel: "restricted",
  cannot_reply_to_message: "restricted",
  ekm_access_denied: "restricted",
  team_access_not_granted: "channel-not-found",
  ratelimited: "rate-limited",
};

function field(error: unknown, key: string): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

/** Classifies an error thrown by the WebClient or respond(). Never throws. */
export function describeSlackError(error: unknown): SlackFailureInfo {
  const code = field(error, "code");
  const kind =
    typeof code === "string"
      ? code
      : error instanceof Error
        ? error.name
        : typeof error === "string"
          ? error
          : "unknown";
  if (code === "slack_webapi_platform_error") {
    const detail = field(field(error, "data"), "error");
    const text = typeof detail === "string" ? detail : undefined;
    return { kind, detail: text, failure: text === undefined ? undefined : USER_FIXABLE[text] };
  }
  if (code === "slack_webapi_rate_limited_error")
    return { kind, detail: "ratelimited", failure: "rate-limited" };
  const status = field(error, "statusCode");
  if (typeof status === "number") {
    return { kind, detail: String(status), failure: status === 429 ? "rate-limited" : undefined };
  }
  const message = error instanceof Error ? error.message : undefined;
  return { kind, detail: message?.slice(0, 200), failure: undefined };
}
