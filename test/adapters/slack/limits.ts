// Slack's Block Kit limits, checked independently of the adapter's own constants: a message that breaks one
// is rejected by Slack as a whole (invalid_blocks), so every message the tests see is run through this.

interface Element {
  type?: string;
  action_id?: string;
  value?: string;
  url?: string;
  text?: { type?: string; text?: string } | string;
}

/** Every way `message` breaks Slack's documented limits; empty when it fits. */
export function limitViolations(message: unknown): string[] {
  const problems: string[] = [];
  const m = (message ?? {}) as { text?: unknown; blocks?: unknown };
  if (typeof m.text !== "string" || m.text.trim() === "") problems.push("no plain-text fallback `text`");
  else if (m.text.length > 40_000) problems.push(`text is ${m.text.length} chars`);
  if (m.blocks === undefined) return problems;
  if (!Array.isArray(m.blocks)) return [...problems, "blocks is not an array"];
  const blocks = m.blocks as Record<string, unknown>[];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks (max 50)`);
  const actionIds = new Set<string>();
  const checkElement = (e: Element, where: string) => {
    if (e.type === "button") {
      const label = typeof e.text === "object" ? (e.text.text ?? "") : "";
      if (label.length === 0 || label.length > 75)
        problems.push(`${where}: button text ${label.length} chars`);
      if ((e.value ?? "").length > 2000) problems.push(`${where}: value ${e.value?.length} chars`);
      if ((e.url ?? "").length > 3000) problems.push(`${where}: url ${e.url?.length} chars`);
      if (e.url !== undefined && !/^https?:\/\//.test(e.url)) problems.push(`${where}: url ${e.url}`);
    }
    if (e.action_id !== undefined) {
      if (e.action_id.length > 255) problems.push(`${where}: action_id ${e.action_id.length} chars`);
      if (actionIds.has(e.action_id)) problems.push(`${where}: duplicate action_id ${e.action_id}`);
      actionIds.add(e.action_id);
    }
  };
  blocks.forEach((b, i) => {
    const where = `block ${i} (${String(b.type)})`;
    if (b.type === "section") {
      const text = (b.text as { text?: string } | undefined)?.text ?? "";
      if (text.length === 0 || text.length > 3000) problems.push(`${where}: text ${text.length} chars`);
      if (b.accessory !== undefined) checkElement(b.accessory as Element, where);
    } else if (b.type === "actions") {
      const elements = (b.elements ?? []) as Element[];
      if (elements.length === 0 || elements.length > 25)
        problems.push(`${where}: ${elements.length} elements`);
      for (const e of elements) checkElement(e, where);
    } else if (b.type === "context") {
      const elements = (b.elements ?? []) as Element[];
      if (elements.length === 0 || elements.length > 10)
        problems.push(`${where}: ${elements.length} elements`);
      for (const e of elements) {
        const text = typeof e.text === "string" ? e.text : "";
        if (text.length === 0 || text.length > 3000)
          problems.push(`${where}: context text ${text.length} chars`);
      }
    } else {
      problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}
