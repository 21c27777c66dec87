import { describe, expect, it } from 'vitest';
import { isKnownRequirement, requirementCatalogue } from '../requirement-catalogue.ts';
import { liveRows, rowName, staticRows } from './check-table.ts';

/**
 * Testable device-suite requirements the table does not check yet, each with the reason. Empty: a
 * requirement xvc cannot judge says so in the catalogue (testable: { reason }) instead.
 */
const notYetChecked = new Map<string, string>([]);

describe('device check table', () => {
  const rows = [...staticRows, ...liveRows];

  it('names only catalogued requirement ids, and every name starts with them', () => {
    for (const row of rows) {
      for (const id of row.ids) expect(isKnownRequirement(id), id).toBe(true);
      expect(rowName(row, { exhaustiveQueues: true }).startsWith(row.ids.join(' '))).toBe(true);
    }
  });

  it('covers every testable device requirement except the listed ones', () => {
    const covered = new Set(rows.flatMap((row) => row.ids));
    const missing = [...requirementCatalogue().values()]
      .filter((requirement) => requirement.testable === true && (requirement as { suite?: string }).suite === 'device')
      .map((requirement) => requirement.id)
      .filter((id) => !covered.has(id));
    expect(missing.sort()).toEqual([...notYetChecked.keys()].sort());
  });

  it('says in the PCI-DEV-20 name whether queue_select is swept or sampled', () => {
    const row = liveRows.find((candidate) => candidate.ids.includes('PCI-DEV-20'))!;
    expect(rowName(row, { exhaustiveQueues: true })).toContain('every queue_select');
    expect(rowName(row, { exhaustiveQueues: false })).toContain('sample');
  });
});
