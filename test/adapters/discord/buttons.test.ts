import { afterEach, describe, expect, it, vi } from "vitest";
import {
  buttonsOf,
  callbackData,
  EPHEMERAL,
  expectNoPings,
  type Harness,
  MANAGER,
  startHarness,
} from "./harness.js";

let h: Harness | undefined;

afterEach(async () => {
  if (h !== undefined) {
    expectNoPings(h.fake);
    await h.stop();
  }
  h = undefined;
});

async function click(customId: string, permissions?: string) {
  h ??= await startHarness();
  const { callback } = await h.interact({
    kind: "button",
    customId,
    messageContent: "an earlier answer",
    ...(permissions === undefined ? {} : { permissions }),
  });
  return callbackData(callback);
}

describe("buttons", () => {
  it("More shows the whole body of Egress privately, sources included", async () => {
    h = await startHarness();
    // the button comes from a real answer
    const answer = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "define", options: { term: "egress" } })).callback,
    ).data;
    const more = buttonsOf(answer).find((b) => b.label === "More");
    expect(more?.custom_id).toBe("mesh:more:egress");
    const { data } = await click(more?.custom_id ?? "");
    expect(data.flags).toBe(EPHEMERAL);
    const egress = h.glossary.get("egress");
    const text = (data.embeds ?? []).map((e) => e.description).join("\n\n");
    const lastParagraph = egress?.body.split("\n\n").at(-1)?.slice(0, 60) ?? "";
    expect(lastParagraph.length).toBeGreaterThan(0);
    expect(text).toContain(lastParagraph.replace(/\[([^\]]+)\]\(#[^)]*\)/g, "**$1**").slice(0, 40));
    expect(answer.embeds?.[0]?.description).not.toContain(lastParagraph.slice(0, 40));
    expect(data.embeds?.at(-1)?.fields?.find((f) => f.name === "Sources")?.value).toContain(
      egress?.sources[0],
    );
    expect((data.embeds?.at(-1) as { footer?: { text: string } } | undefined)?.footer?.text).toBe(
      "As of Linkerd 2.20.",
    );
  });

  it("a related-term button defines that term for whoever clicked, privately", async () => {
    const { data } = await click("mesh:def:e:ingress");
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.embeds?.[0]?.title).toBe("Ingress");
  });

  it("a Did-you-mean button answers the original public question in public and counts the lookup", async () => {
    h = await startHarness();
    const miss = callbackData(
      (await h.interact({ kind: "chatInput", subcommand: "define", options: { term: "proxy" } })).callback,
    ).data;
    const suggestion = buttonsOf(miss).find((b) => b.label === "Sidecar proxy");
    expect(suggestion?.custom_id).toBe("mesh:def:p:sidecar-proxy");
    const { data } = await click(suggestion?.custom_id ?? "");
    expect((data.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(data.embeds?.[0]?.title).toBe("Sidecar proxy");
    // Counted once the answer has gone.
    await vi.waitFor(async () => {
      const stats = await h?.bot.stats(10);
      expect(stats?.top.find((t) => t.key === "sidecar-proxy")?.count).toBe(1);
    });
  });

  it("Not jargon here silences the term in this channel for a channel manager", async () => {
    h = await startHarness();
    await h.autoExplainOn();
    const { data } = await click("mesh:nj:latency", MANAGER);
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("I won't explain **Latency** in this channel unprompted");
    expect((await h.store.channel(h.ref())).silenced).toEqual(["latency"]);
  });

  it("Not jargon here is refused, privately, without Manage Channels", async () => {
    h = await startHarness();
    const { data } = await click("mesh:nj:latency");
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("Only people who can manage this channel");
    expect((await h.store.channel(h.ref())).silenced).toEqual([]);
  });

  it("a button for a term that is gone says so kindly instead of failing", async () => {
    const { data } = await click("mesh:more:a-term-that-was-removed");
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain("That button no longer works");
    const garbled = await click("mesh:def:x:egress");
    expect(garbled.data.content).toContain("That button no longer works");
  });
});
