// The chat as a person at a keyboard sees it: banner, prompt, colours, and Ctrl-C. Driven in-process through
// streams (the piped mode is tested through `npm start` in chat.test.ts).
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTerminalAdapter } from "../../adapters/terminal/chat.js";
import { MeshBot } from "../../src/bot/mesh-bot.js";
import { silentLogger } from "../../src/logger.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { realGlossary } from "../helpers.js";

let store: SqliteStore;
let bot: MeshBot;

beforeEach(() => {
  store = SqliteStore.open("sqlite::memory:");
  bot = new MeshBot({
    glossary: realGlossary(),
    store,
    logger: silentLogger(),
    autoExplain: { cooldownMs: 0, maxTerms: 5 },
    enabledByDefault: (ref) => ref.platform === "terminal",
  });
});

afterEach(() => store.close());

/** The terminal adapter on a keyboard-like stream; `done` resolves when the chat has ended and stopped. */
function session() {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (d: Buffer) => {
    text += d.toString();
  });
  const adapter = createTerminalAdapter({
    bot,
    logger: silentLogger(),
    input,
    output,
    interactive: true,
    color: true,
    session: "s1",
  });
  const done = adapter.start().then(() => adapter.ended);
  return { input, done, adapter, text: () => text };
}

const ESC = String.fromCharCode(27);
/** The text without colours and cursor moves. */
const plain = (s: string) => s.replace(new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, "g"), "");

describe("the interactive terminal chat", () => {
  it("greets with a banner of examples, prompts, and answers in colour", async () => {
    const chat = session();
    chat.input.write("/mesh define egres\r");
    chat.input.end();
    await chat.done;
    const out = chat.text();
    expect(plain(out)).toContain("mesh: service mesh jargon, explained.");
    expect(plain(out)).toContain("/mesh define egress   look a term up");
    expect(plain(out)).toContain("you> ");
    expect(out).toContain(`${ESC}[36mEgress`);
  });

  it("ends on /quit", async () => {
    const chat = session();
    chat.input.write("/quit\r");
    await chat.done;
    expect(plain(chat.text())).toContain("Auto-explain is on here");
  });

  it("ends on Ctrl-C without waiting for more input", async () => {
    const chat = session();
    chat.input.write("our egress needs mTLS\r");
    await new Promise((resolve) => setTimeout(resolve, 50));
    // main.ts stops the adapter on SIGINT.
    await chat.adapter.stop();
    await chat.done;
    expect(plain(chat.text())).toContain('Jargon in this message: "egress", "mTLS"');
  });
});
