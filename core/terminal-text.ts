/**
 * Text that came from an input (a file name, a dump's description, an adapter's stderr, a quoted
 * line of a results file) may hold terminal control sequences: an ESC can move the cursor, rewrite
 * earlier lines of a CI log, set the window title or, on some terminals, answer back. Everything a
 * command prints that it did not write itself goes through one of these functions first.
 */

/**
 * Characters a terminal may act on: C0 controls (tab and newline are handled by the callers' options),
 * DEL, C1 controls (U+0080–U+009F, which 8-bit terminals read as ESC sequences, e.g. U+009B is CSI),
 * and the Unicode bidirectional overrides and isolates that reorder what a reader sees.
 */
const controlCharacters = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const controlOrLineBreak = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Options of {@link terminalSafe}. */
export interface TerminalSafeOptions {
  /** Keep `\n` (and tab): for multi-line text such as a stderr tail. Default false: one line. */
  multiline?: boolean;
  /** What replaces each control character. Default `?`, so that the reader sees something was there. */
  replacement?: string;
}

/**
 * Returns `text` with every terminal control character replaced (ESC, CSI, BEL, backspace, carriage
 * return, bidi overrides...). Printable text, including non-ASCII letters, is unchanged.
 */
export function terminalSafe(text: string, options: TerminalSafeOptions = {}): string {
  const replacement = options.replacement ?? '?';
  if (options.multiline) return text.replace(controlCharacters, replacement);
  return text.replace(controlOrLineBreak, replacement);
}

/**
 * Makes a JSON document safe for a terminal without changing what it means: JSON.stringify already
 * escapes C0 controls inside strings, but not DEL, C1 or bidi controls. Those can only occur inside
 * strings, where `\uXXXX` is an equivalent spelling, so the parsed value stays the same.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
