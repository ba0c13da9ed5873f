/**
 * The fleet bench's baseline, run as its own process: a bare Bolt app in HTTP mode that answers every
 * channel message with a constant thread reply, and acknowledges each event once it replied (as the bot
 * does). Settings from the environment: PORT, SLACK_API_URL, SLACK_SIGNING_SECRET.
 */
import { App, LogLevel } from "@slack/bolt";

const app = new App({
  token: "xoxb-bench",
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "",
  logLevel: LogLevel.ERROR,
  processBeforeResponse: true,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? "" },
});
app.command("/mesh", async ({ ack }) => {
  await ack({ response_type: "ephemeral", text: "constant" });
});
app.event("message", async ({ event, client }) => {
  if (event.subtype !== undefined) return;
  await client.chat.postMessage({
    channel: event.channel,
    thread_ts: event.thread_ts ?? event.ts,
    text: "constant",
  });
});
await app.start({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.stderr.write("bare app is running\n");
process.once("SIGTERM", () => {
  app.stop().finally(() => process.exit(0));
});
