/** Discord's message limits (https://discord.com/developers/docs/resources/message), frozen in one place. */
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of every embed's title, description, field names and values, footer and author in one message. */
  embedTotal: 6000,
  embedsPerMessage: 10,
  buttonsPerRow: 5,
  rows: 5,
  customId: 100,
  buttonLabel: 80,
  threadName: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
});

/** Cuts `text` to at most `max` characters, at a word boundary when one is near, ending with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  const cut = text.slice(0, max - 1);
  const space = cut.search(/\s\S*$/);
  const base = space > max * 0.6 ? cut.slice(0, space) : cut;
  // Never leave half a surrogate pair or an unclosed bold marker behind.
  let out = base.replace(/[\uD800-\uDBFF]$/, "").trimEnd();
  if ((out.match(/\*\*/g)?.length ?? 0) % 2 === 1) out = out.slice(0, out.lastIndexOf("**")).trimEnd();
  return `${out}…`;
}
