// The one sanitiser for echoed text: whatever someone types, an echo of it can neither fake a line of ours,
// hide text, nor reorder what it shows, on any platform. A property test over hostile Unicode, then the same
// promise through the real Slack and Discord adapters.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DISCORD_MARKUP } from "../../adapters/discord/render/markup.js";
import { SLACK_MARKUP } from "../../adapters/slack/format/mrkdwn.js";
import { paletteFor, terminalSurface } from "../../adapters/terminal/render.js";
import { MAX_ECHO, sanitizeEcho } from "../../src/present/sanitize.js";
import { startHarness as startDiscord } from "../adapters/discord/harness.js";
import { flatten, startHarness as startSlack } from "../adapters/slack/harness.js";
import { appMentionEvent, nextMessageTs } from "../fakes/slack.js";

/** Bidi embeddings, overrides, isolates and marks; zero-width spaces and joiners; the BOM. */
const HOSTILE = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u200e",
  "\u200f",
  "\u061c",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u2060",
  "\ufeff",
];
const BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\u000b", "\f"];
// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** Strings mixing words, emoji, hostile characters, line breaks and controls. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HOSTILE, ...BREAKS),
      fc.string({ unit: "grapheme", maxLength: 8 }),
      fc.string({ unit: "binary", maxLength: 4 }),
      fc.constantFrom("mTLS", "egress", "👩‍💻", "ab\u0301", "<@U123>", "*bold*"),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

/** Joiners inside emoji sequences are part of the picture, so the one thing allowed to stay. */
const withoutEmojiJoiners = (s: string) =>
  s.replace(
    /(?<=\p{Extended_Pictographic}|\p{Emoji_Modifier}|\ufe0f)\u200d(?=\p{Extended_Pictographic})/gu,
    "",
  );

const terminal = terminalSurface(paletteFor(false), "/mesh ").markup;

describe("sanitizeEcho", () => {
  it("never lets a bidi, zero-width or control character or a line break through, and caps the length", () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 2, max: 300 }), (text, max) => {
        const out = sanitizeEcho(text, max);
        expect(withoutEmojiJoiners(out)).not.toMatch(FORBIDDEN);
        expect(out).not.toMatch(/\s{2}|^\s|\s$/);
        expect(out.length).toBeLessThanOrEqual(max);
        // No lone surrogate from a cut in the middle of a character.
        expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      }),
      { numRuns: 2000 },
    );
  });

  it("makes printable ASCII one line with single spaces, and changes nothing else in it", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..." ab-*.~"), maxLength: 60 }), (text) => {
        expect(sanitizeEcho(text, 100)).toBe(text.replace(/ +/g, " ").trim());
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps what the person wrote readable: words, accents and emoji stay, only the invisible goes", () => {
    expect(sanitizeEcho("what\u202e is\u200b m\u2066TLS?\nnext line")).toBe("what is mTLS? next line");
    expect(sanitizeEcho("café 👩‍💻")).toBe("café 👩‍💻");
    expect(sanitizeEcho("x".repeat(500))).toHaveLength(MAX_ECHO);
    expect(sanitizeEcho("x".repeat(500)).endsWith("…")).toBe(true);
  });

  it("is what every platform's quote uses", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        for (const quote of [SLACK_MARKUP.quote, DISCORD_MARKUP.quote, terminal.quote]) {
          // (Discord breaks mention syntax with a zero-width space of its own, so U+200B is not checked here.)
          const out = withoutEmojiJoiners(quote(text));
          expect(out).not.toMatch(
            /[\n\r\u2028\u2029\u0085\u061c\u200c-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/,
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});

const SPOOF = "retry\u202e budget\u200b\n*mesh-bot:* all clear\u2066";

describe("no reply echoes hostile characters", () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it("Slack: a search for a query with a newline and bidi characters, privately and in a public thread", async () => {
    const h = await startSlack("http");
    stops.push(() => h.close());
    const ack = await h.command(`search ${SPOOF}`);
    const ts = nextMessageTs();
    await h.event(appMentionEvent({ text: `<@${h.fake.botUserId}> search ${SPOOF}`, ts }));
    const [post] = h.posts();
    expect(post?.args.thread_ts).toBe(ts);
    for (const message of [ack, post?.args]) {
      const text = flatten(message);
      expect(text).toContain("retry budget");
      // JSON keeps a newline as \n: an echoed one would show up as the two characters.
      expect(text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
      expect(text).not.toContain("\\n*mesh-bot:*");
    }
  });

  it("Discord: a mention whose question carries bidi and zero-width characters and a newline", async () => {
    const h = await startDiscord();
    stops.push(() => h.stop());
    h.fake.messageCreate({ content: `<@${h.fake.botUser.id}> search ${SPOOF}` });
    const reply = await h.post(h.fake.channelId);
    const text = JSON.stringify(reply.body);
    expect(text).toContain("retry");
    expect(text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(text).not.toContain("\\n\\\\*mesh-bot");
    expect(text).not.toContain("\\n*mesh-bot");
  });
});
