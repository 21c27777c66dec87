/**
 * Short record ids: a record id is `<suite>:<groups > name>#<requirement>`, often 100 characters and
 * more, too long to print in a command. A record's short id is the start of the sha256 (hex) of its
 * id: 10 digits, more for the rare records whose first 10 digits collide with another record's in
 * the same file, so a short id names exactly one record of its file. `xvc replay --record` accepts a
 * short id, any unique prefix of it (at least {@link minPrefixDigits} digits), or the full id.
 */
import * as crypto from 'node:crypto';

/** Digits of a short id when no other record of the file shares them. */
export const shortIdDigits = 10;
/** Fewest digits a prefix of a short id may have to name a record. */
export const minPrefixDigits = 4;

/** sha256 of a record id, as 64 lowercase hex digits. */
export function recordDigest(id: string): string {
  // crypto.hash (Node 20.12 and later) skips the Hash object: reports hash every record of a run.
  return typeof crypto.hash === 'function' ? crypto.hash('sha256', id, 'hex') : crypto.createHash('sha256').update(id, 'utf8').digest('hex');
}

/** The short id of `id` when no other record shares its first digits (what a run prints as it goes). */
export function shortRecordId(id: string): string {
  return recordDigest(id).slice(0, shortIdDigits);
}

/** Length of the common start of two strings. */
function commonPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length++;
  return length;
}

/**
 * Short ids unique within `records`, by record id: `digits` digits (default {@link shortIdDigits}),
 * or one digit more than the longest start a record shares with another record's digest. Records with the same id get
 * the same short id (a results file has one record per id).
 */
export function shortRecordIds(records: readonly { id: string }[], digits = shortIdDigits): Map<string, string> {
  const digests = new Map<string, string>();
  for (const record of records) if (!digests.has(record.id)) digests.set(record.id, recordDigest(record.id));
  const byStart = new Map<string, string[]>();
  for (const digest of digests.values()) {
    const start = digest.slice(0, digits);
    const group = byStart.get(start);
    if (group === undefined) byStart.set(start, [digest]);
    else group.push(digest);
  }
  const short = new Map<string, string>();
  for (const [id, digest] of digests) {
    const group = byStart.get(digest.slice(0, digits))!;
    let length = digits;
    for (const other of group) if (other !== digest) length = Math.max(length, commonPrefix(digest, other) + 1);
    short.set(id, digest.slice(0, length));
  }
  return short;
}

/** What {@link findRecord} found for a `--record` value. */
export type RecordLookup<T> = { kind: 'found'; record: T } | { kind: 'ambiguous'; candidates: T[] } | { kind: 'none' };

/**
 * The record `query` names: the record whose full id it is; else the records whose short id starts
 * with it (hex, at least {@link minPrefixDigits} digits); else the records whose full id starts with it.
 * More than one is ambiguous.
 */
export function findRecord<T extends { id: string }>(records: readonly T[], query: string): RecordLookup<T> {
  const exact = records.find((record) => record.id === query);
  if (exact !== undefined) return { kind: 'found', record: exact };
  const pick = (matches: T[]): RecordLookup<T> | undefined =>
    matches.length === 1 ? { kind: 'found', record: matches[0]! } : matches.length > 1 ? { kind: 'ambiguous', candidates: matches } : undefined;
  if (new RegExp(`^[0-9a-fA-F]{${minPrefixDigits},64}$`).test(query)) {
    const prefix = query.toLowerCase();
    const found = pick(records.filter((record) => recordDigest(record.id).startsWith(prefix)));
    if (found !== undefined) return found;
  }
  return pick(records.filter((record) => record.id.startsWith(query))) ?? { kind: 'none' };
}
