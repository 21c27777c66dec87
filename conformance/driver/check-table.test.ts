import { describe, expect, it } from 'vitest';
import { requirementCatalogue } from '../requirement-catalogue.ts';
import { driverCheckName, driverChecks, gradeViolation } from './check-table.ts';
import { violation } from './driver-finding.ts';

describe('the driver check table', () => {
  it('decides only driver statements that the catalogue gives to the driver suite, and every testable one of them', () => {
    const catalogue = requirementCatalogue();
    for (const check of driverChecks) {
      for (const id of check.ids) expect(catalogue.get(id), `${id} (${check.title})`).toMatchObject({ side: 'driver', suite: 'driver', testable: true });
    }
    const decided = new Set(driverChecks.flatMap((check) => check.ids));
    const owed = [...catalogue.values()].filter((requirement) => requirement.suite === 'driver' && requirement.testable === true).map((requirement) => requirement.id);
    expect(owed.filter((id) => !decided.has(id))).toEqual([]);
  });

  it('names each case by its ids and title, every name its own', () => {
    expect(driverCheckName({ ids: ['VIRTIO-DRV-01', 'VIRTIO-DRV-02'], title: 'a title', run: () => ({ outcome: 'pass' }) })).toBe('VIRTIO-DRV-01 VIRTIO-DRV-02 a title');
    const names = driverChecks.map(driverCheckName);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('gradeViolation', () => {
  const byLevel = (level: string) => driverChecks.find((check) => check.ids.length === 1 && requirementCatalogue().get(check.ids[0])?.level === level)!;

  it('fails a MUST or MUST NOT and warns for a SHOULD, reading the level from the catalogue', () => {
    const must = byLevel('MUST');
    expect(gradeViolation(must, violation('x', [1]) as never)).toEqual({ id: must.ids[0], fails: true, level: 'MUST' });
    const mustNot = byLevel('MUST NOT');
    expect(gradeViolation(mustNot, violation('x', [1]) as never)).toMatchObject({ fails: true, level: 'MUST NOT' });
    const should = byLevel('SHOULD');
    expect(gradeViolation(should, violation('x', [1]) as never)).toEqual({ id: should.ids[0], fails: false, level: 'SHOULD' });
  });

  it('rests on the id the finding names only when the row has it', () => {
    const check = { ids: ['VIRTIO-DRV-01', 'VIRTIO-DRV-06'] as const, title: 't', run: () => ({ outcome: 'pass' as const }) };
    expect(gradeViolation(check, violation('x', [], 'VIRTIO-DRV-06') as never)).toMatchObject({ id: 'VIRTIO-DRV-06', fails: false });
    expect(gradeViolation(check, violation('x', [], 'VIRTIO-DRV-12') as never)).toMatchObject({ id: 'VIRTIO-DRV-01', fails: true });
  });
});
