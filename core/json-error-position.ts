/**
 * Where a JSON text stops being JSON: the offset of the first character a JSON parser cannot accept.
 * JSON.parse's messages carry a position only in some Node versions and for some errors, and
 * DESIGN.md wants every bad input file reported at line:column. Only called on text JSON.parse
 * rejected; iterative over nesting (a deeply nested hostile file cannot overflow the stack).
 */
export function jsonErrorOffset(text: string): number {
  let index = 0;
  const whitespace = (): void => {
    while (index < text.length && ' \t\n\r'.includes(text[index] as string)) index++;
  };
  const literal = (word: string): boolean => {
    if (text.startsWith(word, index)) {
      index += word.length;
      return true;
    }
    return false;
  };
  const string = (): boolean => {
    index++; // opening quote
    while (index < text.length) {
      const char = text[index] as string;
      if (char === '"') {
        index++;
        return true;
      }
      if (char < ' ') return false;
      if (char === '\\') {
        const next = text[index + 1] ?? '';
        if ('"\\/bfnrt'.includes(next) && next !== '') index += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) index += 6;
        else {
          index++;
          return false;
        }
      } else index++;
    }
    return false;
  };
  const number = (): boolean => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(index, index + 400));
    if (!match || match[0] === '' || match[0] === '-') return false;
    index += match[0].length;
    return true;
  };
  // Stack of open containers: '{' expecting key, ':' after key, ',' expecting comma or close.
  const stack: { kind: '{' | '['; state: 'first' | 'value' | 'after' }[] = [];
  const scalar = (): boolean => {
    const char = text[index];
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    return number();
  };
  whitespace();
  // Every pass consumes a character or changes a container's state, so 3 passes per character bound it.
  for (let guard = 0; guard < 3 * text.length + 3; guard++) {
    whitespace();
    const top = stack[stack.length - 1];
    const char = text[index];
    if (top && top.state === 'after') {
      if (char === ',') {
        index++;
        top.state = 'value';
        if (top.kind === '{') {
          whitespace();
          if (text[index] !== '"' || !string()) return index;
          whitespace();
          if (text[index] !== ':') return index;
          index++;
        }
        continue;
      }
      if ((char === '}' && top.kind === '{') || (char === ']' && top.kind === '[')) {
        index++;
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) parent.state = 'after';
        else break;
        continue;
      }
      return index;
    }
    if (top && top.state === 'first') {
      if ((char === '}' && top.kind === '{') || (char === ']' && top.kind === '[')) {
        top.state = 'after';
        continue;
      }
      top.state = 'value';
      if (top.kind === '{') {
        if (char !== '"' || !string()) return index;
        whitespace();
        if (text[index] !== ':') return index;
        index++;
      }
      continue;
    }
    // A value is expected here.
    if (char === '{' || char === '[') {
      index++;
      stack.push({ kind: char, state: 'first' });
      continue;
    }
    if (!scalar()) return index;
    if (top) top.state = 'after';
    else break;
  }
  whitespace();
  return index < text.length ? index : text.length;
}
