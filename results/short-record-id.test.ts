import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findRecord, recordDigest, shortRecordId, shortRecordIds } from './short-record-id.ts';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Ids whose sha256 share their first `digits` hex digits, found by search (a few thousand hashes). */
function collidingIds(digits: number): [string, string] {
  const seen = new Map<string, string>();
  for (let index = 0; ; index++) {
    const id = `frontend:frontend reference > case ${index}#XEN-INV-02`;
    const start = sha(id).slice(0, digits);
    const other = seen.get(start);
    if (other !== undefined) return [other, id];
    seen.set(start, id);
  }
}

describe('short record ids', () => {
  const id = 'frontend:frontend model:linux-6.5 > XEN-INV-02 the initial domain never falls back to itself as backend#XEN-INV-02';

  it('is the first 10 hex digits of the sha256 of the record id', () => {
    expect(recordDigest(id)).toBe(sha(id));
    expect(shortRecordId(id)).toBe(sha(id).slice(0, 10));
    expect(shortRecordIds([{ id }, { id: 'other' }]).get(id)).toBe(sha(id).slice(0, 10));
  });

  it('grows past 10 digits for records whose digests share their start, so each names one record', () => {
    // A real 10-digit collision needs ~2^20 hashes; the rule is the same at any length, so it is
    // checked at 3 digits on a collision found by search.
    const [a, b] = collidingIds(3);
    const ids = shortRecordIds([{ id: a }, { id: b }, { id }], 3);
    expect(ids.get(a)).not.toBe(ids.get(b));
    expect(ids.get(a)!.length).toBeGreaterThan(3);
    expect(ids.get(a)).toBe(sha(a).slice(0, ids.get(a)!.length));
    expect(ids.get(id)).toBe(sha(id).slice(0, 3));
    for (const short of [ids.get(a)!, ids.get(b)!]) expect(findRecord([{ id: a }, { id: b }], short).kind).toBe('found');
    expect(findRecord([{ id: a }, { id: b }], ids.get(a)!)).toEqual({ kind: 'found', record: { id: a } });
    expect(findRecord([{ id: a }, { id: b }], sha(a).slice(0, 3)).kind).toBe('none');
    expect(findRecord([{ id: a }, { id: b }], sha(a).slice(0, 4)).kind).toBe(sha(a).slice(0, 4) === sha(b).slice(0, 4) ? 'ambiguous' : 'found');
  });

  it('finds a record by full id, short id, unique digest prefix (any case) or unique id prefix', () => {
    const records = [{ id }, { id: 'frontend:frontend reference > XEN-INV-03 x#XEN-INV-03' }, { id: 'frontend:frontend reference > XEN-INV-03 y#XEN-INV-03' }];
    expect(findRecord(records, id)).toEqual({ kind: 'found', record: records[0] });
    expect(findRecord(records, shortRecordId(id))).toEqual({ kind: 'found', record: records[0] });
    expect(findRecord(records, sha(id).slice(0, 6).toUpperCase())).toEqual({ kind: 'found', record: records[0] });
    expect(findRecord(records, 'frontend:frontend model:')).toEqual({ kind: 'found', record: records[0] });
    expect(findRecord(records, 'frontend:frontend reference')).toEqual({ kind: 'ambiguous', candidates: records.slice(1) });
    expect(findRecord(records, 'nothing-like-it')).toEqual({ kind: 'none' });
  });
});
