import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../results/result-model.ts';
import { compareRecords, naturalKey, sortRecords } from './record-order.ts';

function record(outcome: ResultRecord['outcome'], requirement: string, target: string, test = 't'): ResultRecord {
  return { id: `${requirement}${target}${test}`, requirement, target, suite: 'device', test, outcome, message: '', evidence: [], durationMs: 0 };
}

describe('record order', () => {
  it('puts the worst outcome first, then requirements with their numbers compared as numbers, then target and test', () => {
    const records = [
      record('pass', 'PCI-DEV-10', 'a'),
      record('pass', 'PCI-DEV-2', 'b'),
      record('pass', 'PCI-DEV-2', 'a', 'y'),
      record('pass', 'PCI-DEV-2', 'a', 'x'),
      record('fail', 'XEN-INV-03', 'a'),
      record('error', 'XEN-INV-99', 'a'),
      record('warning', 'PCI-DEV-1', 'a'),
    ];
    expect(sortRecords(records).map((entry) => `${entry.outcome} ${entry.requirement} ${entry.target} ${entry.test}`)).toEqual([
      'error XEN-INV-99 a t',
      'fail XEN-INV-03 a t',
      'warning PCI-DEV-1 a t',
      'pass PCI-DEV-2 a x',
      'pass PCI-DEV-2 a y',
      'pass PCI-DEV-2 b t',
      'pass PCI-DEV-10 a t',
    ]);
    expect(records.map((entry) => entry.requirement)[0]).toBe('PCI-DEV-10');
  });

  it('agrees with compareRecords, and keeps equal records in their order', () => {
    const records = Array.from({ length: 50 }, (_, index) => record((['pass', 'fail', 'xfail'] as const)[index % 3]!, `REQ-${index % 7}`, `t${index % 4}`, index % 5 === 0 ? 'same' : `test ${index}`));
    const sorted = sortRecords(records);
    for (let index = 1; index < sorted.length; index++) expect(compareRecords(sorted[index - 1]!, sorted[index]!)).toBeLessThanOrEqual(0);
    const twins = [record('pass', 'R-1', 'a', 'same'), record('pass', 'R-1', 'a', 'same')];
    twins[1]!.id = 'second';
    expect(sortRecords(twins).map((entry) => entry.id)).toEqual([twins[0]!.id, 'second']);
    expect(naturalKey('PCI-DEV-2') < naturalKey('PCI-DEV-10')).toBe(true);
  });
});
