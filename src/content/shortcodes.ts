// Hugo shortcodes ({{< name args >}} and {{% name args %}}) are template calls, not markdown. Before a Hugo page
// is parsed they become what a reader of the rendered page sees: links stay links, wrappers leave their text,
// embeds (videos, figures, sign-offs) go.

const SHORTCODE = /\{\{([<%])\s*(\/?)\s*([\w./-]+)((?:[^}"]|"[^"]*")*?)\s*\/?\s*[>%]\}\}/g;
const ESCAPED = /\{\{([<%])\/\*\s*([\s\S]*?)\s*\*\/([>%])\}\}/g;
const PLACEHOLDER = "\u0000shortcode\u0000";

/** Named or positional arguments of a shortcode call: `text="pods" term_id="pod"` or `"service.md"`. */
function shortcodeArgs(raw: string): { named: Map<string, string>; positional: string[] } {
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const m of raw.matchAll(/(?:([\w-]+)\s*=\s*)?(?:"([^"]*)"|`([^`]*)`|([^\s"`]+))/g)) {
    const value = m[2] ?? m[3] ?? m[4] ?? "";
    if (m[1] !== undefined) named.set(m[1], value);
    else positional.push(value);
  }
  return { named, positional };
}

/** Keeps a removed call's line breaks, so line numbers after it still point at the right lines. */
function blank(call: string): string {
  return call.replace(/[^\n]/g, "");
}

/**
 * Replaces Hugo shortcodes with the markdown a reader would see:
 * `{{< ref "service.md" >}}` and `relref` become the path (they sit inside a link's parentheses),
 * `{{< glossary_tooltip text="pods" term_id="pod" >}}` becomes the link `[pods](/pod/)`, any other call is
 * dropped while the text between an opening and a closing call stays, and a call escaped with Hugo's
 * comment marks (`{{<` slash-star ... star-slash `>}}`) is kept as the literal call.
 */
export function expandShortcodes(markdown: string): string {
  const escaped: string[] = [];
  const hidden = markdown.replace(ESCAPED, (_, open: string, inner: string, close: string) => {
    escaped.push(`{{${open} ${inner} ${close}}}`);
    return PLACEHOLDER;
  });
  const expanded = hidden.replace(
    SHORTCODE,
    (call: string, _delim: string, closing: string, name: string, rawArgs: string) => {
      if (closing === "/") return blank(call);
      const args = shortcodeArgs(rawArgs);
      const lower = name.toLowerCase();
      if (lower === "ref" || lower === "relref") return args.named.get("path") ?? args.positional[0] ?? "";
      if (lower === "glossary_tooltip") {
        const id = args.named.get("term_id");
        const text = args.named.get("text") ?? id ?? "";
        return id === undefined ? text : `[${text}](/${id}/)`;
      }
      return blank(call);
    },
  );
  let i = 0;
  return expanded.replaceAll(PLACEHOLDER, () => escaped[i++] ?? "");
}
