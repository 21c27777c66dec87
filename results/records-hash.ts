import { createHash } from 'node:crypto';
import type { ResultRecord } from './result-model.ts';

/**
 * JSON with object keys sorted and no whitespace, so that the same records hash the same whether
 * they were just built or read back from a file (JSON.parse keeps file order, builders do not).
 */
export function canonicalJson(value: unknown): string {
  // Fast path: JSON.stringify does the writing, the replacer hands it every plain object with its
  // keys in sorted order (undefined properties are left out and undefined array items written as
  // null by JSON.stringify itself). A JavaScript object lists integer-like keys first whatever the
  // order they were set in, so an object with a key starting with a digit is written by the plain
  // recursive definition instead.
  let digitKeys = false;
  const sortedKeys = (_key: string, item: unknown): unknown => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const keys = Object.keys(item).sort();
    // No prototype: a key named __proto__ (JSON.parse makes it an own property) stays a plain key.
    const sorted = Object.create(null) as Record<string, unknown>;
    for (const key of keys) {
      const first = key.charCodeAt(0);
      if (first >= 0x30 && first <= 0x39) digitKeys = true;
      sorted[key] = (item as Record<string, unknown>)[key];
    }
    return sorted;
  };
  const fast = JSON.stringify(value, sortedKeys) ?? 'null';
  return digitKeys ? writeCanonical(value) : fast;
}

/** The definition, written out plainly: used for the rare values the fast path cannot order. */
function writeCanonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => writeCanonical(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${writeCanonical(item)}`).join(',')}}`;
}

/**
 * sha256 (hex) of the canonical JSON of a records array: the `recordsSha256` of run metadata. The
 * array's text is hashed record by record (`[`, each record, `,` between them, `]`: the same bytes
 * as the whole array's canonical JSON), so a run of 240,000 records never holds it as one string.
 */
export function recordsSha256(records: readonly ResultRecord[]): string {
  const hash = createHash('sha256').update('[');
  records.forEach((record, index) => {
    if (index > 0) hash.update(',');
    hash.update(record === undefined ? 'null' : canonicalJson(record), 'utf8');
  });
  return hash.update(']').digest('hex');
}
