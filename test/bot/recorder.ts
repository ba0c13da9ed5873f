// A responder that keeps what the bot delivers, rendered as plain terminal text, for tests of the bot itself.
import { paletteFor, renderView, terminalSurface } from "../../adapters/terminal/render.js";
import type { Audience, Delivery, Responder } from "../../src/bot/conversation.js";
import type { FieldProblem } from "../../src/core/team.js";
import type { FormView } from "../../src/present/view.js";

export interface Recorded {
  readonly to: Audience;
  readonly visibility: "private" | "public";
  readonly text: string;
  readonly delivery: Delivery;
}

export interface RecorderOptions {
  /** Forms open (as modals do): each one opened is kept in `forms`. */
  readonly forms?: boolean;
  /** Problems with a submitted form are shown beside its fields (Slack), kept in `problems`. */
  readonly fieldErrors?: boolean;
  /** Who the platform says maintains the glossary. */
  readonly maintainers?: readonly string[];
}

/** A responder that records every delivery (and whether the source was dismissed, forms opened...). */
export function recorder(options: RecorderOptions = {}): Responder & {
  readonly sent: Recorded[];
  readonly forms: FormView[];
  readonly problems: FieldProblem[][];
  dismissed: number;
} {
  const p = paletteFor(false);
  const surface = { ...terminalSurface(p, "/mesh "), buttons: true };
  const sent: Recorded[] = [];
  const forms: FormView[] = [];
  const problems: FieldProblem[][] = [];
  const r = {
    surface,
    sent,
    forms,
    problems,
    dismissed: 0,
    ...(options.forms === true ? { openForm: async (form: FormView) => void forms.push(form) } : {}),
    ...(options.fieldErrors === true
      ? { formProblems: async (found: readonly FieldProblem[]) => void problems.push([...found]) }
      : {}),
    ...(options.maintainers === undefined
      ? {}
      : { maintainers: async () => [...(options.maintainers ?? [])] }),
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
