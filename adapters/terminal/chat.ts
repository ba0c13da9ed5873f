import { createInterface, type Interface } from "node:readline";
import type { BotHandle, ChannelRef, ChatAdapter, Inbound, Responder } from "../../src/bot/conversation.js";
import type { Logger } from "../../src/logger.js";
import { SORRY } from "../../src/present/messages.js";
import { type Palette, paletteFor, renderView, terminalSurface } from "./render.js";

/** The terminal is one channel; each run of the chat is one thread in it. */
export const TERMINAL_CHANNEL: ChannelRef = Object.freeze({
  platform: "terminal",
  workspace: "local",
  channel: "terminal",
});

export interface TerminalAdapterOptions {
  readonly bot: BotHandle;
  readonly logger: Logger;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** A person at a keyboard: banner, prompt, Ctrl-C. Piped input gets none of these. */
  readonly interactive: boolean;
  readonly color: boolean;
  /** Thread id of this session, so each term is explained once per run. */
  readonly session: string;
  readonly user?: string;
}

/** The terminal chat: a ChatAdapter whose `ended` resolves at end of input, /quit or Ctrl-C. */
export interface TerminalAdapter extends ChatAdapter {
  readonly ended: Promise<void>;
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
 * The bot as a chat in the terminal, an adapter like Slack's and Discord's: `/mesh ...` lines are commands,
 * `@mesh ...` lines are questions, and other lines are messages that auto-explain answers as it would in a
 * thread. Everything the bot says is printed: in a terminal the asker and the channel are one person.
 */
export function createTerminalAdapter(options: TerminalAdapterOptions): TerminalAdapter {
  const { bot, output, interactive } = options;
  const p = paletteFor(options.color);
  const surface = terminalSurface(p, "/mesh ");
  // The person at the keyboard manages this channel and maintains its glossary.
  const asker = { id: options.user ?? "you", canManageChannel: true, canMaintain: async () => true };
  const write = (text: string) => output.write(`${text}\n`);
  const responder: Responder = {
    surface,
    deliver: async ({ view }) => {
      write(renderView(view, surface, p));
    },
    dismiss: async () => {},
  };
  const inbound = (line: string): Inbound => {
    const base = { ref: TERMINAL_CHANNEL, asker, thread: options.session };
    if (/^\/mesh\b/i.test(line) || line === "/help") {
      const command = line.replace(/^\/mesh\b/i, "").replace(/^\/help$/, "help");
      return { ...base, kind: "command", command, privately: true };
    }
    const addressed = /^@mesh\b/i.test(line);
    const text = addressed ? line.replace(/^@mesh\b[:,]?/i, "") : line;
    return { ...base, kind: "message", text, addressed, fromBot: false };
  };

  let rl: Interface | undefined;
  let finish: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    finish = resolve;
  });

  async function converse(lines: Interface): Promise<void> {
    // Input can end (Ctrl-D) or be interrupted (Ctrl-C) while an answer is on its way; Node.js 24 and newer
    // throw when a closed interface is asked to prompt.
    let closed = false;
    lines.once("close", () => {
      closed = true;
    });
    for await (const raw of lines) {
      const line = raw.trim();
      if (QUIT.has(line.toLowerCase())) break;
      if (line !== "") {
        try {
          await bot.receive(inbound(line), responder);
        } catch (error) {
          options.logger.error({ err: error }, "terminal chat could not answer a line");
          write(SORRY);
        }
      }
      if (interactive && !closed) lines.prompt();
    }
    lines.close();
    if (interactive) write("");
  }

  return {
    name: "terminal",
    ended,
    async start() {
      if (interactive) write(banner(p));
      await bot.receive({ kind: "open", ref: TERMINAL_CHANNEL, asker }, responder);
      // The interface starts reading at once, and a line read before the loop asks for it is lost:
      // nothing may be awaited between creating it and the loop.
      const lines = createInterface({
        input: options.input,
        output: interactive ? output : undefined,
        terminal: interactive,
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      rl = lines;
      lines.on("SIGINT", () => lines.close());
      if (interactive) {
        lines.setPrompt(p.dim("you> "));
        lines.prompt();
      }
      converse(lines).then(finish, (error: unknown) => {
        options.logger.error({ err: error }, "terminal chat stopped");
        finish();
      });
    },
    async stop() {
      if (rl === undefined) finish();
      rl?.close();
      await ended;
    },
  };
}
