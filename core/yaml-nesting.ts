/**
 * A bound on YAML nesting checked on the text, before the parser sees it. The yaml library parses
 * recursively, and near the end of the stack V8 may fail inside a regular expression's compilation
 * with a fatal "out of memory" abort that no try/catch sees (it happened under vitest for 100,000
 * '['). So text that could nest that deep is refused without being parsed.
 *
 * The estimate never undercounts: at each point it adds the line's indentation (each block level
 * indents at least one column), the compact indicators on the line (`- - - x`, `? ? x`, `a: b:`) and
 * the flow brackets open (`[[{`). Quoted scalars and comments are skipped where YAML reads them as
 * such: a quote only where a node may start (after an indicator, a bracket, a comma or the
 * indentation), a `#` only at the start of a line or after a space. Brackets in plain scalars and in
 * block scalars are counted although they nest nothing, which only overcounts.
 */

/** Nesting the estimate accepts: far above any file xvc reads, far below where the parser fails (~790 levels). */
export const MAX_ESTIMATED_NESTING = 400;

/** Offset where the nesting estimate of `text` first exceeds `limit`, or undefined when it never does. */
export function nestingBeyond(text: string, limit: number = MAX_ESTIMATED_NESTING): number | undefined {
  const length = text.length;
  let flow = 0;
  let i = 0;
  while (i < length) {
    let indent = 0;
    while (i < length && text.charCodeAt(i) === 0x20) {
      indent++;
      i++;
    }
    if (indent + flow > limit) return i;
    let compact = 0;
    let nodeStart = true;
    let previous = 0x20;
    for (; i < length && text.charCodeAt(i) !== 0x0a; i++) {
      const char = text.charCodeAt(i);
      if (char === 0x23 /* # */ && (previous === 0x20 || previous === 0x09)) {
        while (i < length && text.charCodeAt(i) !== 0x0a) i++;
        break;
      }
      if ((char === 0x22 /* " */ || char === 0x27) /* ' */ && nodeStart) {
        i = quotedEnd(text, i);
        nodeStart = false;
        previous = char;
        continue;
      }
      if (char === 0x5b /* [ */ || char === 0x7b /* { */) {
        flow++;
        if (indent + compact + flow > limit) return i;
        nodeStart = true;
      } else if (char === 0x5d /* ] */ || char === 0x7d /* } */) {
        if (flow > 0) flow--;
        nodeStart = false;
      } else if ((char === 0x2d /* - */ || char === 0x3f /* ? */ || char === 0x3a) /* : */ && isSeparator(text.charCodeAt(i + 1))) {
        compact++;
        if (indent + compact + flow > limit) return i;
        nodeStart = true;
      } else if (char === 0x2c /* , */) {
        nodeStart = true;
      } else if (char !== 0x20 && char !== 0x09) {
        nodeStart = false;
      }
      previous = char;
    }
    i++;
  }
  return undefined;
}

/** A space, a tab, a line break or the end of the text (NaN). */
function isSeparator(char: number): boolean {
  return char === 0x20 || char === 0x09 || char === 0x0a || char === 0x0d || Number.isNaN(char);
}

/** Offset of the closing quote of the quoted scalar opening at `start` (the text's end when it has none). */
function quotedEnd(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  for (let i = start + 1; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (quote === 0x22 && char === 0x5c /* \ */) i++;
    else if (char === quote) {
      // '' is an escaped quote inside a single-quoted scalar.
      if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
      else return i;
    }
  }
  return text.length;
}
