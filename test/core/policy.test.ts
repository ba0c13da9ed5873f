import { describe, expect, it } from "vitest";
import { detectJargon } from "../../src/core/detect.js";
import { type AutoExplainState, decideAutoExplain } from "../../src/core/policy.js";
import { glossaryOf, realGlossary } from "../helpers.js";

const glossary = glossaryOf({
  egress: { term: "Egress" },
  mtls: { term: "mTLS" },
  ewma: { term: "EWMA" },
  "retry-budget": { term: "Retry budget" },
  "trust-anchor": { term: "Trust anchor" },
  "service-profile": { term: "ServiceProfile" },
  latency: { term: "Latency", everyday: true },
  pod: { term: "Pod", everyday: true },
  "linkerd-check": { term: "linkerd check", autoExplain: false },
});

const HOUR = 3600_000;
const NOW = 1_800_000_000_000;
const settings = { cooldownMs: 24 * HOUR, maxTerms: 5 };

function state(overrides: Partial<AutoExplainState> = {}): AutoExplainState {
  return {
    channelEnabled: true,
    silenced: new Set(),
    authorMuted: false,
    explainedInThread: new Set(),
    lastExplainedInChannel: new Map(),
    ...overrides,
  };
}

function decide(text: string, s: AutoExplainState = state(), fromBot = false, opts = settings) {
  return decideAutoExplain({ detected: detectJargon(glossary, text), fromBot }, s, opts, NOW);
}

function explained(text: string, s?: AutoExplainState, fromBot?: boolean, opts?: typeof settings): string[] {
  const d = decide(text, s, fromBot, opts);
  return d.explain ? d.terms.map((t) => t.term.id) : [];
}

describe("auto-explain policy", () => {
  it("explains every new term of a message in one reply, in order of appearance", () => {
    expect(explained("our egress needs mTLS")).toEqual(["egress", "mtls"]);
  });

  it("stays quiet in channels that did not opt in", () => {
    expect(decide("our egress needs mTLS", state({ channelEnabled: false }))).toEqual({
      explain: false,
      reason: "channel-off",
    });
  });

  it("never explains a bot's message", () => {
    expect(decide("our egress needs mTLS", state(), true)).toEqual({ explain: false, reason: "from-bot" });
  });

  it("leaves alone people who muted their own messages", () => {
    expect(decide("our egress needs mTLS", state({ authorMuted: true }))).toEqual({
      explain: false,
      reason: "author-muted",
    });
  });

  it("explains each term once per thread", () => {
    expect(explained("egress and mTLS again", state({ explainedInThread: new Set(["egress"]) }))).toEqual([
      "mtls",
    ]);
    expect(decide("egress again", state({ explainedInThread: new Set(["egress"]) }))).toEqual({
      explain: false,
      reason: "already-explained",
    });
  });

  it("does not repeat a term in the same channel within the cooldown", () => {
    const recent = state({ lastExplainedInChannel: new Map([["egress", NOW - HOUR]]) });
    expect(explained("egress and mTLS", recent)).toEqual(["mtls"]);
  });

  it("explains a term again once the channel cooldown has passed", () => {
    const old = state({ lastExplainedInChannel: new Map([["egress", NOW - 25 * HOUR]]) });
    expect(explained("egress", old)).toEqual(["egress"]);
  });

  it("has no cooldown when it is set to zero", () => {
    const recent = state({ lastExplainedInChannel: new Map([["egress", NOW - 1000]]) });
    expect(explained("egress", recent, false, { ...settings, cooldownMs: 0 })).toEqual(["egress"]);
  });

  it("never explains an everyday word on its own", () => {
    expect(decide("the pod has high latency")).toEqual({ explain: false, reason: "everyday-only" });
  });

  it("explains everyday words next to a real jargon term", () => {
    expect(explained("mTLS adds latency to the pod")).toEqual(["mtls", "latency", "pod"]);
  });

  it("keeps quiet about everyday words when the jargon beside them was already explained", () => {
    const seen = state({ explainedInThread: new Set(["mtls"]) });
    expect(decide("mTLS adds latency", seen)).toEqual({ explain: false, reason: "everyday-only" });
  });

  it("skips terms a channel marked as not jargon here", () => {
    expect(explained("egress and mTLS", state({ silenced: new Set(["egress"]) }))).toEqual(["mtls"]);
  });

  it("skips terms the content keeps out of auto-explain", () => {
    expect(decide("run linkerd check")).toEqual({ explain: false, reason: "no-terms" });
  });

  it("defines at most a handful of terms and names the rest", () => {
    const d = decide("egress, mTLS, EWMA, retry budget, trust anchor and ServiceProfile", state(), false, {
      ...settings,
      maxTerms: 3,
    });
    expect(d.explain && d.terms.map((t) => t.term.id)).toEqual(["egress", "mtls", "ewma"]);
    expect(d.explain && d.named.map((t) => t.term.id)).toEqual([
      "retry-budget",
      "trust-anchor",
      "service-profile",
    ]);
  });

  it("gives real jargon the defined places before everyday words", () => {
    const d = decide("latency, pod, egress and mTLS", state(), false, { ...settings, maxTerms: 2 });
    expect(d.explain && d.terms.map((t) => t.term.id)).toEqual(["egress", "mtls"]);
    expect(d.explain && d.named.map((t) => t.term.id)).toEqual(["latency", "pod"]);
  });

  it("says nothing about a message without jargon", () => {
    expect(decide("lunch at noon?")).toEqual({ explain: false, reason: "no-terms" });
  });
});

describe("auto-explain on the real glossary", () => {
  const real = realGlossary();
  const decideReal = (text: string) =>
    decideAutoExplain({ detected: detectJargon(real, text), fromBot: false }, state(), settings, NOW);

  it("flags the everyday words of mesh talk in the content", () => {
    for (const id of [
      "endpoint",
      "pod",
      "span",
      "namespace",
      "latency",
      "container",
      "cluster",
      "retries",
      "timeouts",
    ]) {
      expect(real.get(id)?.everyday, id).toBe(true);
    }
  });

  it.each([
    "the pod restarted and its endpoint is slow again",
    "can you check the span for that request?",
    "latency looks fine in this namespace, the cluster is healthy",
    "we bumped the timeouts and the retries on that container",
    "the proxy is up and the policy applied",
  ])("stays quiet about everyday words alone: %j", (text) => {
    expect(decideReal(text).explain).toBe(false);
  });

  it.each([
    ["the pod's mTLS identity comes from its ServiceAccount", ["pod", "mtls"]],
    ["EWMA picks the fastest endpoint", ["ewma", "endpoint"]],
    ["set a retry budget before adding retries", ["retry-budget", "retries"]],
  ])("explains everyday words next to real jargon: %j", (text, expected) => {
    const d = decideReal(text);
    expect(d.explain && d.terms.map((t) => t.term.id)).toEqual(expected);
  });
});
