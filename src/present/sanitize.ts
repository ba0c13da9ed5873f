// Control characters other than newline and tab: they render as boxes at best, and escape sequences can
// rewrite a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text someone typed, without the control characters that no platform should echo. */
export function dropControls(text: string): string {
  return text.replace(CONTROL, "");
}
