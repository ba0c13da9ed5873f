// The presentation layer: sentences written once, choices offered as buttons or named, and what the
// full text of a term says it was checked against.
import { describe, expect, it } from "vitest";
import { paletteFor, renderView, terminalSurface } from "../../adapters/terminal/render.js";
import { answerGlossaryCommand, isGlossaryCommand, parseCommand } from "../../src/core/command.js";
import { asOfText } from "../../src/present/messages.js";
import { announcementView, presentReply } from "../../src/present/present.js";
import type { Surface } from "../../src/present/view.js";
import { realGlossary } from "../helpers.js";

const glossary = realGlossary();
const p = paletteFor(false);
const terminal = terminalSurface(p, "/mesh ");
const withButtons: Surface = { ...terminal, buttons: true };
const answer = (text: string) => {
  const command = parseCommand(text);
  if (!isGlossaryCommand(command)) throw new Error("not a glossary command");
  return answerGlossaryCommand(glossary, command);
};

describe("presentReply", () => {
  it("offers near misses as buttons where there are buttons, and names them where there are none", () => {
    const reply = answer("define igress");
    const offered = presentReply(reply, withButtons, { visibility: "private", privately: true });
    expect(offered.blocks.map((b) => b.type)).toEqual(["text", "buttons"]);
    const named = presentReply(reply, terminal, { visibility: "private", privately: true });
    expect(named.blocks.map((b) => b.type)).toEqual(["text"]);
    expect(renderView(named, terminal, p)).toBe(
      '"igress" could mean more than one term. Did you mean: Ingress, Egress?',
    );
    // The notification line names the choices either way.
    expect(offered.fallback).toContain("Ingress, Egress?");
  });

  it("turns a miss with nothing close into a way to add the term, where the glossary can grow", () => {
    const reply = answer("define kraken");
    const chat = presentReply(reply, withButtons, { visibility: "private", privately: true });
    expect(chat.blocks.at(-1)).toEqual({
      type: "buttons",
      buttons: [{ label: 'Propose "kraken"', action: { kind: "propose", name: "kraken" } }],
    });
    const typed = renderView(
      presentReply(reply, terminal, { visibility: "private", privately: true }),
      terminal,
      p,
    );
    expect(typed).toContain("/mesh add kraken = <summary> adds it to this team's glossary.");
    // The mesh command line only reads the glossary: no hint at adding to it.
    const cli = terminalSurface(p, "mesh ");
    const read = renderView(presentReply(reply, cli, { visibility: "private", privately: true }), cli, p);
    expect(read).not.toContain("add");
  });

  it("buttons under a near miss answer as privately as the question was asked", () => {
    const reply = answer("define igress");
    for (const privately of [true, false]) {
      const view = presentReply(reply, withButtons, { visibility: "private", privately });
      const buttons = view.blocks.flatMap((b) => (b.type === "buttons" ? b.buttons : []));
      expect(buttons.map((b) => b.action)).toContainEqual({ kind: "define", termId: "ingress", privately });
    }
  });

  it("echoes a private command only when asked to", () => {
    const reply = answer("define egress");
    const echoed = presentReply(reply, withButtons, {
      visibility: "private",
      privately: true,
      echo: "/mesh egress",
    });
    expect(echoed.blocks[0]).toEqual({ type: "echo", text: "/mesh egress" });
    expect(
      presentReply(reply, withButtons, { visibility: "private", privately: true }).blocks[0]?.type,
    ).not.toBe("echo");
  });

  it("corrects a typo in a note above the card, never silently", () => {
    const view = presentReply(answer("define egres"), withButtons, { visibility: "public", privately: true });
    expect(view.blocks[0]).toEqual({ type: "note", text: 'Showing Egress for "egres".' });
    expect(view.blocks[1]).toMatchObject({
      type: "card",
      term: { id: "egress" },
      asOf: "As of Linkerd 2.20.",
    });
  });

  it("announces auto-explain with who changed it, for everyone", () => {
    const view = announcementView(true, "ana", terminal);
    expect(view.visibility).toBe("public");
    expect(renderView(view, terminal, p)).toMatch(/^Auto-explain turned on by ana: /);
  });
});

describe("asOfText", () => {
  it("names products and books as they are written", () => {
    expect(asOfText("linkerd 2.20")).toBe("As of Linkerd 2.20.");
    expect(asOfText("kubernetes 1.37, linkerd 2.20")).toBe("As of Kubernetes 1.37, Linkerd 2.20.");
    expect(asOfText("google sre book 2016, sre workbook 2018")).toBe(
      "As of Google SRE book 2016, SRE workbook 2018.",
    );
    expect(asOfText("envoy 1.36")).toBe("As of Envoy 1.36.");
  });
});
