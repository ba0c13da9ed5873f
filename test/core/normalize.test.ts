import { describe, expect, it } from "vitest";
import {
  boundedEditDistance,
  canonicalKey,
  capText,
  joinedKey,
  normalizeName,
  singularize,
  stem,
  stemmedKey,
  stripQualifier,
  stripQuestion,
} from "../../src/core/normalize.js";

describe("normalizeName", () => {
  it.each([
    ["Control-Plane", "control plane"],
    ["  control   plane  ", "control plane"],
    ["control_plane", "control plane"],
    ["HTTP/2", "http 2"],
    ["mTLS?", "mtls"],
    ["Ｅｇｒｅｓｓ", "egress"],
    ["What’s mTLS?", "what s mtls"],
    ["naïve", "naïve"],
    ["🚀 egress 🚀", "egress"],
    ["", ""],
  ])("folds %j to %j", (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});

describe("singular, stem and keys", () => {
  it.each([
    ["sidecars", "sidecar"],
    ["latencies", "latency"],
    ["proxies", "proxy"],
    ["meshes", "mesh"],
    ["boxes", "box"],
    ["classes", "class"],
    ["ingress", "ingress"],
    ["status", "status"],
    ["analysis", "analysis"],
    ["pods", "pod"],
    ["sli", "sli"],
    ["ies", "ies"],
  ])("reads %s as %s", (word, single) => {
    expect(singularize(word)).toBe(single);
  });

  it("stems balancer, balancing and balanced alike", () => {
    expect(new Set(["balancer", "balancing", "balanced", "balancers"].map(stem))).toEqual(
      new Set(["balanc"]),
    );
  });

  it("leaves short words alone when stemming", () => {
    expect(stem("tape")).toBe("tape");
  });

  it("builds canonical, joined and stemmed keys", () => {
    expect(canonicalKey("Sidecar Proxies")).toBe("sidecar proxy");
    expect(joinedKey(canonicalKey("control planes"))).toBe("controlplane");
    expect(stemmedKey(canonicalKey("load balancers"))).toBe("load balanc");
    expect(canonicalKey("?!")).toBe("");
    expect(stemmedKey("")).toBe("");
  });
});

describe("capText", () => {
  it("keeps short text whole", () => {
    expect(capText("egress", 10)).toBe("egress");
  });

  it("cuts long text at the last space before the limit", () => {
    expect(capText("what is the egress gateway", 20)).toBe("what is the egress");
  });

  it("cuts a text without spaces at the limit", () => {
    expect(capText("x".repeat(50), 20)).toBe("x".repeat(20));
  });
});

describe("stripQuestion", () => {
  it.each([
    ["what does esb mean", "esb"],
    ["explain the control plane", "control plane"],
    ["what is an ingress", "ingress"],
    ["can you please explain to me what mtls is", "mtls"],
    ["hey so what are sidecars", "sidecars"],
    ["what s a sidecar", "sidecar"],
    ["whats egress", "egress"],
    ["who s linkerd", "linkerd"],
    ["i don t know what mtls is", "mtls"],
    ["i dont know what mtls is", "mtls"],
    ["what is a sidecar proxy in a service mesh", "sidecar proxy"],
    ["meaning of egress please", "egress"],
    ["egress", "egress"],
  ])("reads %j as %j", (question, term) => {
    expect(stripQuestion(question)).toBe(term);
  });

  it("keeps a word that a frame would swallow whole", () => {
    expect(stripQuestion("what is")).toBe("is");
    expect(stripQuestion("what services")).toBe("services");
  });
});

describe("stripQualifier", () => {
  it.each([
    ["service mesh control plane", "control plane"],
    ["linkerd control plane", "control plane"],
    ["linkerd s control plane", "control plane"],
    ["k8s service", "service"],
    ["service mesh", "service mesh"],
    ["linkerd", "linkerd"],
  ])("reads %j as %j", (input, output) => {
    expect(stripQualifier(input)).toBe(output);
  });
});

describe("boundedEditDistance", () => {
  it.each([
    ["egress", "egress", 0],
    ["egres", "egress", 1],
    ["mtsl", "mtls", 1],
    ["budgte", "budget", 1],
    ["igress", "egress", 1],
    ["igress", "ingress", 1],
    ["", "abc", 3],
    ["abc", "", 3],
  ])("counts %j to %j as %i edits", (a, b, d) => {
    expect(boundedEditDistance(a, b, 3)).toBe(d);
  });

  it("gives up past the bound", () => {
    expect(boundedEditDistance("egress", "latency", 2)).toBe(3);
    expect(boundedEditDistance("a", "abcdef", 2)).toBe(3);
  });

  it("handles names longer than its first buffer", () => {
    const a = "x".repeat(300);
    expect(boundedEditDistance(a, `${a}y`, 2)).toBe(1);
    expect(boundedEditDistance("short", "shrot", 1)).toBe(1);
  });
});
