/**
 * Escaping for untrusted strings (anything a target, dump or adapter sent). Every writer goes
 * through these; none concatenates raw target text into markup.
 */

// Characters XML 1.0 does not allow at all (not even as references): C0 controls other than tab,
// newline and carriage return, lone surrogates, U+FFFE/U+FFFF.
const xmlIllegal = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Replaces characters XML cannot carry by a visible `\u{..}` notation. */
export function replaceXmlIllegal(text: string): string {
  return text.replace(xmlIllegal, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}

/** Escapes text for XML element content. */
export function escapeXmlText(text: string): string {
  return replaceXmlIllegal(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double- or single-quoted XML attribute; line breaks survive as references. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Escapes text for HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`
 * etc., so `</script>` or `<!--` in the data cannot end or confuse the element; U+2028/2029 are
 * escaped too for any consumer that treats the text as script.
 */
export function jsonForScriptElement(value: unknown): string {
  // One pass: a report's data can be a few hundred megabytes.
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => scriptEscapes[char]!);
}

const scriptEscapes: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * Escapes untrusted text for Markdown prose and table cells: HTML is neutralised (GitHub renders
 * inline HTML in step summaries), Markdown punctuation is backslash-escaped, and line breaks become
 * spaces so a value cannot start a new block or table row.
 */
export function escapeMarkdown(text: string): string {
  return replaceControls(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1');
}

/** A fenced code block whose fence is longer than any backtick run in `text`. */
export function markdownCodeBlock(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${replaceControls(text.replace(/\r/g, ''))}\n${fence}`;
}

/** Inline code for untrusted text: backtick fence longer than any run inside, no line breaks. */
export function markdownInlineCode(text: string): string {
  const flat = replaceControls(text.replace(/[\r\n]+/g, ' '));
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Control characters other than tab and newline, shown as `\u{..}` (they garble terminals and pages). */
function replaceControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}
