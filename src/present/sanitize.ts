// Control characters other than newline and tab: they render as boxes at best, and escape sequences can
// rewrite a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Characters that change how text around them is shown without showing themselves: bidirectional
 * embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and marks (U+200E, U+200F, U+061C), which can
 * make an echo read backwards or move words across a sentence of ours; zero-width spaces, joiners and
 * no-break spaces (U+200B-200D, U+2060-2064, U+FEFF, U+180E), which hide text or break words that look whole
 * (a joiner inside an emoji sequence stays: it is part of the picture).
 */
const INVISIBLE = /[\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A zero-width joiner anywhere but inside an emoji sequence (woman, joiner, laptop is one picture). */
const STRAY_JOINER =
  /(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\ufe0f)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Longest piece of someone's text echoed back, in characters, unless a caller asks for less. */
export const MAX_ECHO = 120;

/** Text someone typed, without the control characters that no platform should echo. */
export function dropControls(text: string): string {
  return text.replace(CONTROL, "");
}

/**
 * The one sanitiser for text someone typed that a reply echoes back ("I don't have X", "Jargon in this
 * message: X", the command above a private answer), on every platform: control, bidi and zero-width
 * characters dropped, every run of whitespace (newlines included) made one space, and the length capped at
 * `max` with an ellipsis. An echo can then neither fake a line of ours nor hide or reorder what it shows.
 * Escaping for a platform's markup comes after this.
 */
export function sanitizeEcho(text: string, max = MAX_ECHO): string {
  // Printable ASCII has none of the characters dropped below: only its runs of spaces are made one.
  const oneLine = PRINTABLE_ASCII.test(text)
    ? text.replace(/ {2,}/g, " ").trim()
    : text.replace(INVISIBLE, "").replace(STRAY_JOINER, "").replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  if (oneLine.length <= max) return oneLine;
  // Never cut a surrogate pair in half.
  const cut = Array.from(oneLine.slice(0, max)).slice(0, -1).join("").replace(STRAY_JOINER, "");
  return `${cut.trimEnd()}…`;
}
