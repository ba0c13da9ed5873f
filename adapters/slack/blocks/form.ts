import type { types } from "@slack/bolt";
import type { TeamField } from "../../../src/core/team.js";
import type { FormContext, FormView } from "../../../src/present/view.js";
import { TERM_FORM } from "./actions.js";
import { clip } from "./limits.js";

type ModalView = types.ModalView;

/** What a term form carries through Slack, untouched: the bot's context and where it was opened. */
export interface FormMetadata {
  readonly context: FormContext;
  readonly channel: string | undefined;
  readonly thread: string | undefined;
}

/**
 * Modal limits (https://docs.slack.dev/reference/views/modal-views, plain-text input element): Slack refuses
 * a modal that breaks one (views.open: invalid_arguments). A text input holds at most 3,000 characters, so in
 * Slack a term's longer text does too.
 */
const MODAL = Object.freeze({
  title: 24,
  button: 24,
  label: 2000,
  hint: 2000,
  privateMetadata: 3000,
  input: 3000,
});

/** A term form as a Slack modal: one input block per field, its block id the field's name. */
export function formModal(form: FormView, metadata: FormMetadata): ModalView {
  return {
    type: "modal",
    callback_id: TERM_FORM,
    title: { type: "plain_text", text: clip(form.title, MODAL.title) },
    submit: { type: "plain_text", text: clip(form.submit, MODAL.button) },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: JSON.stringify(metadata).slice(0, MODAL.privateMetadata),
    blocks: form.fields.map((f) => {
      const max = Math.min(f.maxLength, MODAL.input);
      return {
        type: "input",
        block_id: f.name,
        optional: !f.required,
        label: { type: "plain_text", text: clip(f.label, MODAL.label) },
        hint: { type: "plain_text", text: clip(f.hint, MODAL.hint) },
        element: {
          type: "plain_text_input",
          action_id: "value",
          multiline: f.multiline,
          max_length: max,
          ...(f.value === "" ? {} : { initial_value: f.value.slice(0, max) }),
        },
      };
    }),
  };
}

/** A modal that only says something (what happened to a submitted form), with a Done button. */
export function resultModal(title: string, text: string): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: clip(title, MODAL.title) },
    close: { type: "plain_text", text: "Done" },
    blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text, 3000) } }],
  };
}

const FIELDS: readonly TeamField[] = ["term", "aliases", "summary", "body", "related", "sources"];

/** The values of a submitted term form, by field. */
export function formValues(view: {
  state: { values: Record<string, Record<string, { value?: string | null }>> };
}): Partial<Record<TeamField, string>> {
  const values: Partial<Record<TeamField, string>> = {};
  for (const field of FIELDS) {
    const value = view.state.values[field]?.value?.value;
    if (typeof value === "string") values[field] = value;
  }
  return values;
}

/** The metadata a term form was opened with; undefined when it is not one of ours. */
export function formMetadata(text: string | undefined): FormMetadata | undefined {
  try {
    const raw = JSON.parse(text ?? "") as Partial<FormMetadata>;
    const context = raw.context;
    if (context === undefined || (context.mode !== "add" && context.mode !== "edit")) return undefined;
    return {
      context: {
        mode: context.mode,
        termId: typeof context.termId === "string" ? context.termId : undefined,
        baseRevision: typeof context.baseRevision === "number" ? context.baseRevision : undefined,
      },
      channel: typeof raw.channel === "string" ? raw.channel : undefined,
      thread: typeof raw.thread === "string" ? raw.thread : undefined,
    };
  } catch {
    return undefined;
  }
}
