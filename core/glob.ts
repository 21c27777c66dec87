/**
 * Glob matching for expectations: `*` matches any run of characters (target specs contain `/` and
 * `:`, so it is not stopped by them), `?` one character; everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** True when `value` matches `glob` (exact when it has no wildcard). */
export function matchesGlob(glob: string, value: string): boolean {
  if (!glob.includes('*') && !glob.includes('?')) return glob === value;
  return globToRegExp(glob).test(value);
}
