import { createHash } from 'node:crypto';
import type { ResultRecord } from './result-model.ts';

/**
 * JSON with object keys sorted and no whitespace, so that the same records hash the same whether
 * they were just built or read back from a file (JSON.parse keeps file order, builders do not).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** sha256 (hex) of the canonical JSON of a records array: the `recordsSha256` of run metadata. */
export function recordsSha256(records: readonly ResultRecord[]): string {
  return createHash('sha256').update(canonicalJson(records), 'utf8').digest('hex');
}
