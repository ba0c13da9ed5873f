import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from "discord.js";
import { cleanList, type TeamField } from "../../../src/core/team.js";
import type { FormField, FormView } from "../../../src/present/view.js";
import { encodeForm } from "../interactions/custom-id.js";
import { truncate } from "./limits.js";

/** Modal limits: five inputs, labels of 45 characters, values of 4000. */
const MODAL = Object.freeze({ inputs: 5, title: 45, label: 45, placeholder: 100, value: 4000 });

/** Discord's five inputs: related terms and sources share one ("Related terms and links"). */
const LINKS_INPUT = "links";

/** A term form as a Discord modal. Related terms and sources share one input, split again on submit. */
export function formModal(form: FormView): APIModalInteractionResponseCallbackData {
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  const input = (f: FormField, customId: string = f.name, label = f.label, value = f.value) => ({
    type: ComponentType.ActionRow as const,
    components: [
      {
        type: ComponentType.TextInput as const,
        custom_id: customId,
        label: truncate(label, MODAL.label),
        style: f.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: f.required,
        max_length: Math.min(f.maxLength, MODAL.value),
        placeholder: truncate(f.hint, MODAL.placeholder),
        ...(value === "" ? {} : { value: value.slice(0, MODAL.value) }),
      },
    ],
  });
  const rows = (["term", "summary", "aliases", "body"] as const).flatMap((name) => {
    const f = byName.get(name);
    return f === undefined ? [] : [input(f)];
  });
  const related = byName.get("related");
  const sources = byName.get("sources");
  if (related !== undefined && sources !== undefined) {
    const joined = [related.value, sources.value].filter((v) => v.trim() !== "").join("\n");
    rows.push(
      input(
        { ...related, multiline: true, maxLength: 3000, hint: "Term names and links, one a line" },
        LINKS_INPUT,
        "Related terms and links",
        joined,
      ),
    );
  }
  return {
    custom_id: encodeForm(form.context),
    title: truncate(form.title, MODAL.title),
    components: rows.slice(0, MODAL.inputs),
  };
}

/** The values of a submitted term modal, by field: the shared input split into related terms and sources. */
export function modalValues(
  read: (customId: string) => string | undefined,
): Partial<Record<TeamField, string>> {
  const values: Partial<Record<TeamField, string>> = {};
  for (const name of ["term", "summary", "aliases", "body"] as const) {
    const v = read(name);
    if (v !== undefined) values[name] = v;
  }
  const links = read(LINKS_INPUT);
  if (links !== undefined) {
    const items = cleanList(links);
    values.sources = items.filter((i) => /^https?:\/\//i.test(i)).join("\n");
    values.related = items.filter((i) => !/^https?:\/\//i.test(i)).join(", ");
  }
  return values;
}
