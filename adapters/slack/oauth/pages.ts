// The plain web pages of the install flow, seen by whoever installs the app in a browser (not chat messages,
// which live in src/present/messages.ts).
import type { ServerResponse } from "node:http";
import type { Installation } from "@slack/bolt";
import { describeSlackError } from "../api/errors.js";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
a.button{display:inline-block;padding:.6rem 1.2rem;border-radius:6px;background:#4a154b;color:#fff;text-decoration:none}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

/** GET /slack/install: what the app does and an "Add to Slack" link to Slack's authorize page. */
export function installPage(authorizeUrl: string): string {
  return page(
    "Add mesh to Slack",
    `<p>mesh explains service mesh jargon where your team talks about it: <code>/mesh define mtls</code>, a
question to @mesh, or <em>Explain this message</em> on any message.</p>
<p><a class="button" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>`,
  );
}

/** After Slack's redirect, once the installation is stored. */
export function sendInstalled(installation: Installation, res: ServerResponse): void {
  const where = installation.isEnterpriseInstall
    ? (installation.enterprise?.name ?? "your organisation")
    : (installation.team?.name ?? "your workspace");
  const open =
    installation.team === undefined
      ? "slack://open"
      : `https://app.slack.com/client/${encodeURIComponent(installation.team.id)}`;
  send(
    res,
    200,
    page(
      "mesh is installed",
      `<p>mesh is now in ${escapeHtml(where)}. Invite it to a channel with <code>/invite @mesh</code>, then try
<code>/mesh help</code>.</p>
<p><a href="${escapeHtml(open)}">Open Slack</a></p>`,
    ),
  );
}

/** Error codes of @slack/oauth that mean the link, not the app, was at fault. */
const STALE_LINK = new Set([
  "slack_oauth_invalid_state",
  "slack_oauth_missing_state",
  "slack_oauth_missing_code",
]);

/** After Slack's redirect, when nothing was installed: why, and what to do. */
export function sendInstallFailed(error: Error & { code?: string }, res: ServerResponse): void {
  if (STALE_LINK.has(error.code ?? "")) {
    send(
      res,
      400,
      page(
        "Nothing was installed",
        `<p>This install link has expired, or it was not started from this browser. Start again from
<a href="/slack/install">Add to Slack</a>.</p>`,
      ),
    );
    return;
  }
  if (/cancelled/i.test(error.message)) {
    send(res, 400, page("Nothing was installed", "<p>The installation was cancelled in Slack.</p>"));
    return;
  }
  const info = describeSlackError(error);
  const what =
    info.kind === "slack_webapi_platform_error"
      ? `Slack refused to complete the installation (${escapeHtml(info.detail ?? "no reason given")})`
      : "The installation could not be completed";
  // Slack refusing the code (used already, expired) is the link's fault, like a stale state; anything else ours.
  send(
    res,
    info.kind === "slack_webapi_platform_error" ? 400 : 500,
    page(
      "Nothing was installed",
      `<p>${what}. Start again from <a href="/slack/install">Add to Slack</a>; if it keeps failing, ask whoever
runs mesh to look at its logs.</p>`,
    ),
  );
}
