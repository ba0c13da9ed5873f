import { createInterface } from "node:readline";
import type { MeshBot } from "../../src/bot/mesh-bot.js";
import type { Reply } from "../../src/core/command.js";
import { SORRY } from "../../src/core/messages.js";
import type { ChannelRef } from "../../src/core/place.js";
import type { Logger } from "../../src/logger.js";
import { type Palette, paletteFor, renderReply } from "./render.js";

/** The terminal is one channel; each run of the chat is one thread in it. */
export const TERMINAL_CHANNEL: ChannelRef = Object.freeze({
  platform: "terminal",
  workspace: "local",
  channel: "terminal",
});

export interface TerminalChatOptions {
  readonly bot: MeshBot;
  readonly logger: Logger;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** A person at a keyboard: banner, prompt, Ctrl-C. Piped input gets none of these. */
  readonly interactive: boolean;
  readonly color: boolean;
  /** Thread id of this session, so each term is explained once per run. */
  readonly session: string;
  readonly user?: string;
  /** Aborting it ends the chat as EOF would (main.ts wires it to SIGINT and SIGTERM). */
  readonly signal?: AbortSignal;
}

const QUIT = new Set(["/quit", "/exit", "/q", ":q"]);

function banner(p: Palette): string {
  return [
    `${p.bold("mesh")}: service mesh jargon, explained.`,
    `  ${p.code("/mesh define egress")}   look a term up (typos and questions welcome)`,
    `  ${p.code("@mesh what is mTLS?")}   ask the way you would in a channel`,
    `  ${p.code("/mesh help")}            everything else`,
    "  Or just chat: jargon in your lines is explained below them, each term once.",
    `  ${p.dim("Ctrl-D or /quit to leave.")}`,
  ].join("\n");
}

/**
 * The bot as a chat in the terminal: `/mesh ...` lines are commands, `@mesh ...` lines are questions, and
 * other lines are messages that auto-explain answers as it would in a thread. Resolves at EOF or Ctrl-C.
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { bot, output, interactive } = options;
  const p = paletteFor(options.color);
  const user = options.user ?? "you";
  const asker = { id: user, canManageChannel: true };
  const write = (text: string) => output.write(`${text}\n`);
  const show = (reply: Reply | undefined) => {
    if (reply !== undefined) write(renderReply(reply, p, "/mesh "));
  };

  if (interactive) write(banner(p));
  const status = await bot.command(TERMINAL_CHANNEL, asker, "autoexplain status");
  if (status.kind === "autoExplainSettings") {
    write(
      status.enabled
        ? `Auto-explain is ${p.bold("on")} here: jargon in your lines is explained, each term once per session.`
        : `Auto-explain is ${p.bold("off")} here; ${p.code("/mesh autoexplain on")} turns it on.`,
    );
  }
  // The interface starts reading at once, and a line read before the loop below asks for it is lost:
  // nothing may be awaited between creating it and the loop.
  const rl = createInterface({
    input: options.input,
    output: interactive ? output : undefined,
    terminal: interactive,
    crlfDelay: Number.POSITIVE_INFINITY,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  rl.on("SIGINT", () => rl.close());
  if (interactive) {
    rl.setPrompt(p.dim("you> "));
    rl.prompt();
  }
  for await (const raw of rl) {
    const line = raw.trim();
    if (QUIT.has(line.toLowerCase())) break;
    if (line !== "") {
      try {
        if (/^\/mesh\b/i.test(line) || line === "/help") {
          show(
            await bot.command(
              TERMINAL_CHANNEL,
              asker,
              line.replace(/^\/mesh\b/i, "").replace(/^\/help$/, "help"),
            ),
          );
        } else if (/^@mesh\b/i.test(line)) {
          show(await bot.command(TERMINAL_CHANNEL, asker, line.replace(/^@mesh\b[:,]?/i, "")));
        } else {
          show(
            await bot.message({
              ref: TERMINAL_CHANNEL,
              thread: options.session,
              user,
              fromBot: false,
              text: line,
            }),
          );
        }
      } catch (error) {
        options.logger.error({ err: error }, "terminal chat could not answer a line");
        write(SORRY);
      }
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  if (interactive) write("");
}
