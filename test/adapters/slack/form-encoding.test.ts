import querystring from "node:querystring";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { useBuiltInPercentEncoding } from "../../../adapters/slack/api/form-encoding.js";

const nodeEscape = querystring.escape;
afterEach(() => {
  querystring.escape = nodeEscape;
});

/** A Web API form as web-api builds it, with Node's encoder and then with the built-in one. */
function bothWays(form: Record<string, string>): { node: string; builtIn: string } {
  querystring.escape = nodeEscape;
  const node = querystring.stringify(form);
  useBuiltInPercentEncoding();
  return { node, builtIn: querystring.stringify(form) };
}

describe("the Slack Web API form encoding", () => {
  it("sends every text exactly as Node's own encoder would", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string({ unit: "grapheme" })), (form) => {
        const { node, builtIn } = bothWays(form);
        expect(builtIn).toBe(node);
      }),
      { numRuns: 500 },
    );
  });

  it("sends an explanation's blocks, mrkdwn and user text included, exactly as before", () => {
    const blocks = JSON.stringify([
      {
        type: "section",
        text: { type: "mrkdwn", text: '*mTLS*: both ends prove who they are — "<!channel>" & 100% ~ç' },
      },
      {
        type: "actions",
        elements: [{ type: "button", action_id: "mesh_silence_0", value: "mtls 1710000000.000100" }],
      },
    ]);
    const { node, builtIn } = bothWays({
      channel: "C1",
      blocks,
      text: "Jargon: *mTLS* 🚀",
      thread_ts: "1.2",
    });
    expect(builtIn).toBe(node);
    expect(querystring.parse(builtIn).blocks).toBe(blocks);
  });

  it("sends half an emoji as a replacement character, and the text after it intact", () => {
    useBuiltInPercentEncoding();
    const form = querystring.stringify({ text: "cut \uD83D here" });
    expect(querystring.parse(form).text).toBe("cut \uFFFD here");
  });
});
