import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from "discord.js";
import { cleanList, type TeamField } from "../../../src/core/team.js";
import type { FormField, FormView } from "../../../src/present/view.js";
import { encodeForm } from "../interactions/custom-id.js";
import { truncate } from "./limits.js";

/** Modal limits: five components, a title and labels of 45 characters, descriptions of 100, values of 4000. */
const MODAL = Object.freeze({ components: 5, title: 45, label: 45, description: 100, value: 4000 });

/** Discord's five inputs: related terms and sources share one, named and explained by these labels. */
const LINKS_INPUT = "links";
const LINKS_LABEL = "Related terms and sources";
const LINKS_HINT = "Optional: glossary terms and https:// links, one per line";

/**
 * A term form as a Discord modal: each input in a Label (its name, the hint under it), as Discord asks of
 * modals now. Related terms and sources share one input, split again on submit.
 */
export function formModal(form: FormView): APIModalInteractionResponseCallbackData {
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  const labelled = (f: FormField, customId: string = f.name, label = f.label, value = f.value) => {
    // Room for what the term holds already (ten long other names run past the field's usual length).
    const max = Math.min(Math.max(f.maxLength, value.length), MODAL.value);
    return {
      type: ComponentType.Label as const,
      label: truncate(label, MODAL.label),
      description: truncate(f.hint, MODAL.description),
      component: {
        type: ComponentType.TextInput as const,
        custom_id: customId,
        style: f.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: f.required,
        max_length: max,
        ...(value === "" ? {} : { value: value.slice(0, max) }),
      },
    };
  };
  const components = (["term", "summary", "aliases", "body"] as const).flatMap((name) => {
    const f = byName.get(name);
    return f === undefined ? [] : [labelled(f)];
  });
  const related = byName.get("related");
  const sources = byName.get("sources");
  if (related !== undefined && sources !== undefined) {
    const joined = [related.value, sources.value].filter((v) => v.trim() !== "").join("\n");
    components.push(
      labelled(
        { ...related, multiline: true, maxLength: 3000, hint: LINKS_HINT },
        LINKS_INPUT,
        LINKS_LABEL,
        joined,
      ),
    );
  }
  return {
    custom_id: encodeForm(form.context),
    title: truncate(form.title, MODAL.title),
    components: components.slice(0, MODAL.components),
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
