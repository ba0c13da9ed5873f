// mrkdwn: what users typed is shown, never obeyed; term bodies become Slack formatting.
import { describe, expect, it } from "vitest";
import {
  escapeMrkdwn,
  markdownToMrkdwn,
  SLACK_MARKUP,
  slackUser,
} from "../../../adapters/slack/format/mrkdwn.js";
import { realGlossary } from "../../helpers.js";

describe("escaping echoed text", () => {
  it("turns &, < and > into entities so mentions, broadcasts and links are shown as typed", () => {
    expect(
      escapeMrkdwn("<!channel> <!here|here> <@U123> <#C1|general> <https://evil.example|click> a&b"),
    ).toBe(
      "&lt;!channel&gt; &lt;!here|here&gt; &lt;@U123&gt; &lt;#C1|general&gt; &lt;https://evil.example|click&gt; a&amp;b",
    );
  });

  it("escapes an already escaped entity again, so it is shown literally", () => {
    expect(escapeMrkdwn("&lt;!channel&gt;")).toBe("&amp;lt;!channel&amp;gt;");
  });

  it("drops control characters but keeps newlines and tabs", () => {
    expect(escapeMrkdwn("a\u0007b\u001b[31mc\n\td")).toBe("ab[31mc\n\td");
  });

  it("marks up code with escaping too, since Slack parses <...> inside code spans", () => {
    expect(SLACK_MARKUP.code("/mesh define <term>")).toBe("`/mesh define &lt;term&gt;`");
    expect(SLACK_MARKUP.code("a`b")).not.toContain("a`b");
  });

  it("mentions only well-formed user ids; anything else is shown as text", () => {
    expect(slackUser("U0123ABC")).toBe("<@U0123ABC>");
    expect(slackUser("W0123ABC")).toBe("<@W0123ABC>");
    expect(slackUser("<!channel>")).toBe("&lt;!channel&gt;");
  });
});

describe("markdownToMrkdwn", () => {
  it("renders links to other terms in bold and web links as Slack links", () => {
    expect(
      markdownToMrkdwn("See [service mesh](#service-mesh) and [the docs](https://linkerd.io/2/?a=1&b=2)."),
    ).toBe("See *service mesh* and <https://linkerd.io/2/?a=1&amp;b=2|the docs>.");
  });

  it("turns **bold** into *bold*, *italic* into _italic_ and list dashes into bullets", () => {
    expect(markdownToMrkdwn("- **Proxy certificates** last *24 hours*.\n- done")).toBe(
      "• *Proxy certificates* last _24 hours_.\n• done",
    );
  });

  it("keeps links inside bold text readable: the link's words join the bold span", () => {
    expect(markdownToMrkdwn("**The [identity issuer](#identity-issuer)** is not renewed.")).toBe(
      "*The identity issuer* is not renewed.",
    );
  });

  it("keeps code as code, escaped, and leaves markdown inside it alone", () => {
    expect(markdownToMrkdwn("Run `linkerd check --pre <ns>` or ```\n**x** [a](#b)\n```")).toBe(
      "Run `linkerd check --pre &lt;ns&gt;` or ```\n**x** [a](#b)\n```",
    );
  });

  it("escapes everything else, so a body can never ping or smuggle a link", () => {
    expect(
      markdownToMrkdwn("p99 < 10ms & <!channel> [x](javascript:alert(1)) [y](https://a.example/|b>c)"),
    ).toBe("p99 &lt; 10ms &amp; &lt;!channel&gt; *x*) <https://a.example/%7Cb&gt;c|y>");
  });

  it("converts every real term body with no markdown link or bold syntax left", () => {
    for (const term of realGlossary().terms) {
      const out = markdownToMrkdwn(term.body);
      expect(out, term.id).not.toMatch(/\]\(|\*\*/);
      expect(out, term.id).not.toMatch(/<(?!https?:\/\/)/);
    }
  });
});
