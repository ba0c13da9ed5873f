// A responder that keeps what the bot delivers, rendered as plain terminal text, for tests of the bot itself.
import { paletteFor, renderView, terminalSurface } from "../../adapters/terminal/render.js";
import type { Audience, Delivery, Responder } from "../../src/bot/conversation.js";

export interface Recorded {
  readonly to: Audience;
  readonly visibility: "private" | "public";
  readonly text: string;
  readonly delivery: Delivery;
}

/** A responder that records every delivery (and whether the source was dismissed). */
export function recorder(): Responder & { readonly sent: Recorded[]; dismissed: number } {
  const p = paletteFor(false);
  const surface = { ...terminalSurface(p, "/mesh "), buttons: true };
  const sent: Recorded[] = [];
  const r = {
    surface,
    sent,
    dismissed: 0,
    async deliver(delivery: Delivery) {
      sent.push({
        to: delivery.to,
        visibility: delivery.view.visibility,
        text: renderView(delivery.view, surface, p),
        delivery,
      });
    },
    async dismiss() {
      r.dismissed += 1;
    },
  };
  return r;
}
