import { describe, expect, it } from "vitest";
import {
  answerGlossaryCommand,
  COMMAND_HELP,
  type Command,
  commandFromOptions,
  defineReply,
  isGlossaryCommand,
  MAX_COMMAND_CHARS,
  parseCommand,
  type Reply,
} from "../../src/core/command.js";
import { TOPICS } from "../../src/core/types.js";
import { realGlossary } from "../helpers.js";

const glossary = realGlossary();

/** Answers a command that needs only the glossary; fails the test for any other kind. */
function answer(input: string): Reply {
  const command = parseCommand(input);
  if (!isGlossaryCommand(command)) {
    throw new Error(`"${input}" parsed as ${command.kind}, not a glossary command`);
  }
  return answerGlossaryCommand(glossary, command);
}

function only<K extends Reply["kind"]>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  expect(reply.kind).toBe(kind);
  return reply as Extract<Reply, { kind: K }>;
}

describe("parsing define", () => {
  it.each<[string, Command]>([
    ["define egress", { kind: "define", query: "egress" }],
    ["DEFINE Egress", { kind: "define", query: "Egress" }],
    ["def mtls", { kind: "define", query: "mtls" }],
    ["explain the control plane", { kind: "define", query: "the control plane" }],
    ["define   sidecar proxy  ", { kind: "define", query: "sidecar proxy" }],
    ["egress", { kind: "define", query: "egress" }],
    ["sidecar proxy", { kind: "define", query: "sidecar proxy" }],
    ["what is mtls?", { kind: "define", query: "what is mtls?" }],
  ])("reads %j as a definition request", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it("asks for a term when define has none", () => {
    expect(parseCommand("define")).toMatchObject({
      kind: "help",
      reason: "usage",
      usage: expect.stringContaining("define <term>"),
    });
  });
});

describe("parsing search, list and related", () => {
  it.each<[string, Command]>([
    ["search retries timeouts", { kind: "search", query: "retries timeouts" }],
    ["find certificate", { kind: "search", query: "certificate" }],
    ["list", { kind: "list", topic: undefined }],
    ["list security", { kind: "list", topic: "security" }],
    ["list Security", { kind: "list", topic: "security" }],
    ["ls traffic", { kind: "list", topic: "traffic" }],
    ["related mtls", { kind: "related", query: "mtls" }],
    ["related sidecar proxy", { kind: "related", query: "sidecar proxy" }],
  ])("reads %j", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it.each(TOPICS.map((t) => [t]))("accepts the topic %s", (topic) => {
    expect(parseCommand(`list ${topic}`)).toEqual({ kind: "list", topic });
  });

  it.each([
    ["search", "search <words>"],
    ["related", "related <term>"],
    ["list pizza", "list [topic]"],
  ])("answers %j with its usage", (input, usage) => {
    const c = parseCommand(input);
    expect(c).toMatchObject({ kind: "help", reason: "usage", usage: expect.stringContaining(usage) });
  });

  it("names every topic in the usage of a bad list topic", () => {
    const c = parseCommand("list pizza");
    for (const topic of TOPICS) expect(c.kind === "help" && c.usage).toContain(topic);
  });
});

describe("parsing autoexplain", () => {
  it.each<[string, Command]>([
    ["autoexplain on", { kind: "autoexplain", action: "on" }],
    ["autoexplain off", { kind: "autoexplain", action: "off" }],
    ["autoexplain status", { kind: "autoexplain", action: "status" }],
    ["autoexplain", { kind: "autoexplain", action: "status" }],
    ["autoexplain mute", { kind: "autoexplain", action: "mute" }],
    ["autoexplain unmute", { kind: "autoexplain", action: "unmute" }],
    ["AutoExplain ON", { kind: "autoexplain", action: "on" }],
    ["autoexplain enable", { kind: "autoexplain", action: "on" }],
    ["autoexplain disable", { kind: "autoexplain", action: "off" }],
    ["mute", { kind: "autoexplain", action: "mute" }],
    ["unmute", { kind: "autoexplain", action: "unmute" }],
    ["autoexplain silence latency", { kind: "silence", query: "latency", silenced: true }],
    ["autoexplain silence load balancing", { kind: "silence", query: "load balancing", silenced: true }],
    ["autoexplain unsilence latency", { kind: "silence", query: "latency", silenced: false }],
  ])("reads %j", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it.each(["autoexplain banana", "autoexplain on now", "autoexplain silence", "autoexplain unsilence"])(
    "answers %j with the autoexplain usage",
    (input) => {
      expect(parseCommand(input)).toMatchObject({
        kind: "help",
        reason: "usage",
        usage: expect.stringContaining("autoexplain"),
      });
    },
  );
});

describe("help, empty input and the /mesh prefix", () => {
  it.each(["help", "HELP", "?", "--help", "-h", "commands"])("answers %j with help", (input) => {
    expect(parseCommand(input)).toEqual({ kind: "help", reason: "asked" });
  });

  it.each(["", "   ", "\n\t", "/mesh", "/mesh   "])("answers the empty command %j with help", (input) => {
    expect(parseCommand(input)).toEqual({ kind: "help", reason: "empty" });
  });

  it.each<[string, Command]>([
    ["/mesh define egress", { kind: "define", query: "egress" }],
    ["/MESH list", { kind: "list", topic: undefined }],
    ["mesh help", { kind: "help", reason: "asked" }],
    ["/mesh: egress", { kind: "define", query: "egress" }],
    ["  /mesh autoexplain on", { kind: "autoexplain", action: "on" }],
  ])("tolerates a leading /mesh in %j", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it("reads a bare mesh before a term as part of the term", () => {
    expect(parseCommand("mesh identity")).toEqual({ kind: "define", query: "mesh identity" });
    expect(parseCommand("mesh")).toEqual({ kind: "define", query: "mesh" });
  });

  it("does not take a word that merely starts with mesh for the prefix", () => {
    expect(parseCommand("meshy")).toEqual({ kind: "define", query: "meshy" });
  });

  it("looks at no more than the maximum command length", () => {
    const c = parseCommand(`define ${"x".repeat(MAX_COMMAND_CHARS * 5)}`);
    expect(c.kind).toBe("define");
    expect(c.kind === "define" && c.query.length).toBeLessThanOrEqual(MAX_COMMAND_CHARS);
  });

  it("keeps a term's whole summary, so its limit can name how long it really is", () => {
    const summary = "s".repeat(MAX_COMMAND_CHARS * 2);
    expect(parseCommand(`/mesh add squid = ${summary}`)).toEqual({ kind: "add", name: "squid", summary });
    expect(parseCommand(`mesh edit squid = ${summary}`)).toEqual({ kind: "edit", query: "squid", summary });
  });

  it("lists every command in the help table", () => {
    const usages = COMMAND_HELP.map((c) => c.usage.split(" ")[0]);
    expect(usages).toEqual([
      "define",
      "search",
      "list",
      "related",
      "autoexplain",
      "autoexplain",
      "autoexplain",
      "add",
      "edit",
      "remove",
      "history",
      "recent",
      "glossary",
      "glossary",
      "stats",
      "help",
    ]);
  });

  it("reads the team glossary's commands", () => {
    expect(parseCommand("add kraken = Our ingress cluster in eu-west")).toEqual({
      kind: "add",
      name: "kraken",
      summary: "Our ingress cluster in eu-west",
    });
    expect(parseCommand("add")).toEqual({ kind: "add", name: undefined, summary: undefined });
    expect(parseCommand("add Kraken")).toEqual({ kind: "add", name: "Kraken", summary: undefined });
    // "=" inside the summary belongs to it
    expect(parseCommand("add k8s = a=b")).toMatchObject({ name: "k8s", summary: "a=b" });
    expect(parseCommand("edit kraken = Now in eu-central")).toEqual({
      kind: "edit",
      query: "kraken",
      summary: "Now in eu-central",
    });
    expect(parseCommand("edit")).toMatchObject({ kind: "help", reason: "usage" });
    expect(parseCommand("remove kraken")).toEqual({ kind: "remove", query: "kraken" });
    expect(parseCommand("delete kraken")).toEqual({ kind: "remove", query: "kraken" });
    expect(parseCommand("history kraken")).toEqual({ kind: "history", query: "kraken" });
    expect(parseCommand("recent")).toEqual({ kind: "recent" });
    expect(parseCommand("stats")).toEqual({ kind: "stats" });
    expect(parseCommand("glossary")).toEqual({ kind: "glossary", action: "status" });
    expect(parseCommand("glossary open")).toEqual({ kind: "glossary", action: "open" });
    expect(parseCommand("glossary review-channel")).toEqual({ kind: "glossary", action: "review-channel" });
    expect(parseCommand("glossary review-channel off")).toEqual({
      kind: "glossary",
      action: "review-channel-off",
    });
    expect(parseCommand("glossary frobnicate")).toMatchObject({ kind: "help", reason: "usage" });
    // a term that merely starts like a command word is still looked up
    expect(parseCommand("recent changes")).toEqual({ kind: "define", query: "recent changes" });
    expect(parseCommand("mesh add")).toMatchObject({ kind: "add" });
  });

  it("reads Discord's options for the team glossary's commands", () => {
    expect(commandFromOptions("add", { term: "kraken", summary: "Our cluster" })).toEqual({
      kind: "add",
      name: "kraken",
      summary: "Our cluster",
    });
    expect(commandFromOptions("add", {})).toEqual({ kind: "add", name: undefined, summary: undefined });
    expect(commandFromOptions("edit", { term: "team-kraken" })).toEqual({
      kind: "edit",
      query: "team-kraken",
      summary: undefined,
    });
    expect(commandFromOptions("glossary", { action: "review-channel off" })).toEqual({
      kind: "glossary",
      action: "review-channel-off",
    });
  });
});

describe("answering glossary commands", () => {
  it("defines egress for a typo, with its related terms", () => {
    const reply = only(answer("define egres"), "definition");
    expect(reply.term.id).toBe("egress");
    expect(reply.match).toBe("typo");
    expect(reply.related.map((t) => t.id)).toContain("ingress");
  });

  it("defines a bare term", () => {
    expect(only(answer("sidecars"), "definition").term.id).toBe("sidecar-proxy");
  });

  it("says it does not know pizza, suggesting nothing", () => {
    const reply = only(answer("define pizza"), "notFound");
    expect(reply).toMatchObject({ reason: "unknown", suggestions: [] });
  });

  it("offers a choice for an ambiguous query", () => {
    const reply = only(defineReply(glossary, "igress"), "notFound");
    expect(reply.reason).toBe("ambiguous");
    expect(reply.suggestions.map((t) => t.id).sort()).toEqual(["egress", "ingress"]);
  });

  it("finds terms whose text mentions the search words", () => {
    const reply = only(answer("search certificate rotation"), "searchResults");
    expect(reply.results[0]?.id).toBe("certificate-rotation");
    expect(only(answer("search traffic leaves cluster"), "searchResults").results.map((t) => t.id)).toContain(
      "egress",
    );
  });

  it("finds nothing for words no term mentions", () => {
    expect(only(answer("search zzzqqq"), "searchResults").results).toEqual([]);
  });

  it("lists every term, grouped by topic", () => {
    const reply = only(answer("list"), "list");
    expect(reply.total).toBe(glossary.terms.length);
    expect(reply.groups.flatMap((g) => g.terms)).toHaveLength(glossary.terms.length);
  });

  it("lists only the terms of one topic", () => {
    const reply = only(answer("list security"), "list");
    expect(reply.groups.map((g) => g.topic)).toEqual(["security"]);
    expect(reply.total).toBe(glossary.terms.filter((t) => t.topic === "security").length);
    expect(reply.groups[0]?.terms.map((t) => t.id)).toContain("mtls");
  });

  it("names the terms related to mTLS", () => {
    const reply = only(answer("related mtls"), "related");
    expect(reply.term.id).toBe("mtls");
    expect(reply.related.map((t) => t.id)).toContain("mesh-identity");
    expect(reply.related.map((t) => t.id)).not.toContain("mtls");
  });

  it("says it does not know the term whose related terms were asked for", () => {
    expect(only(answer("related pizza"), "notFound").reason).toBe("unknown");
  });

  it("answers help and usage with help replies", () => {
    expect(answer("help")).toEqual({ kind: "help", reason: "asked" });
    expect(answer("")).toEqual({ kind: "help", reason: "empty" });
    expect(only(answer("related"), "help").usage).toContain("related <term>");
  });
});

describe("commands given as a subcommand and options (Discord)", () => {
  it("reads the options with the same grammar as typed text", () => {
    expect(commandFromOptions("define", { term: "mtls" })).toEqual({ kind: "define", query: "mtls" });
    expect(commandFromOptions("search", { words: " retry budget " })).toEqual({
      kind: "search",
      query: "retry budget",
    });
    expect(commandFromOptions("list", { topic: "security" })).toEqual({ kind: "list", topic: "security" });
    expect(commandFromOptions("autoexplain", { action: "on" })).toEqual({
      kind: "autoexplain",
      action: "on",
    });
    expect(commandFromOptions("autoexplain", { action: "silence", term: "latency" })).toEqual({
      kind: "silence",
      query: "latency",
      silenced: true,
    });
    expect(commandFromOptions("help", {})).toEqual({ kind: "help", reason: "asked" });
  });

  it("keeps a term that looks like a command word a term", () => {
    expect(commandFromOptions("define", { term: "autoexplain on" })).toEqual({
      kind: "define",
      query: "autoexplain on",
    });
    expect(commandFromOptions("search", { words: "help" })).toEqual({ kind: "search", query: "help" });
  });

  it("names the missing option in the usage hint, as it is typed there", () => {
    const hint = commandFromOptions("autoexplain", { action: "silence" });
    expect(hint).toEqual({ kind: "help", reason: "usage", usage: "autoexplain action:silence term:<term>" });
  });

  it("answers an unknown subcommand with help", () => {
    expect(commandFromOptions("frobnicate", { term: "x" })).toEqual({ kind: "help", reason: "asked" });
  });
});
