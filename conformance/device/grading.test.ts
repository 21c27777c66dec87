import { describe, expect, it } from 'vitest';
import { requirementCatalogue, type RequirementId } from '../requirement-catalogue.ts';
import { fail, inapplicable, pass, withCondition } from './checks/verdict.ts';
import type { DeviceViolation } from './checks/violations.ts';
import { CHECK_SPEC_VERSION, grade, judgedVersion, versionGate, violationFails } from './grading.ts';

const catalogue = [...requirementCatalogue().values()];
const deviceIdOf = (level: string): RequirementId => catalogue.find((requirement) => requirement.side === 'device' && requirement.level === level)!.id;
const violation: DeviceViolation = { code: 'vendor-id', at: 0, actual: 0x8086, expected: 0x1af4 };

/** Versions compared part by part as numbers: 1.10 after 1.9. */
function newer(a: string, b: string): boolean {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
}

describe('grading a device finding from the catalogue', () => {
  it('fails a violation of a MUST or MUST NOT, warns for SHOULD, SHOULD NOT and notes', () => {
    expect(['MUST', 'MUST NOT'].map(violationFails)).toEqual([true, true]);
    expect(['SHOULD', 'SHOULD NOT', 'NOTE', 'MAY'].map(violationFails)).toEqual([false, false, false, false]);
  });

  it('names the statement it rests on: the row\'s first id unless the finding names another of the row', () => {
    const must = deviceIdOf('MUST');
    const should = deviceIdOf('SHOULD');
    const graded = grade(fail(violation), [must, should]);
    expect(graded).toMatchObject({ outcome: 'fail', requirement: must, statement: { id: must, level: 'MUST', ref: requirementCatalogue().get(must)!.ref } });
    expect(grade(withCondition(fail(violation), undefined, should), [must, should])).toMatchObject({ outcome: 'warning', requirement: should, statement: { level: 'SHOULD' } });
    // An id outside the row is not trusted: the row's first id decides.
    expect(grade(withCondition(fail(violation), undefined, should), [must])).toMatchObject({ outcome: 'fail', requirement: must });
    expect(grade(fail(violation), [deviceIdOf('NOTE')])).toMatchObject({ outcome: 'warning' });
  });

  it('passes pass and inapplicable findings through untouched', () => {
    const passed = pass('note');
    const skipped = inapplicable('not transitional');
    expect(grade(passed, [deviceIdOf('MUST')])).toBe(passed);
    expect(grade(skipped, [deviceIdOf('MUST')])).toBe(skipped);
  });
});

describe('spec versions', () => {
  it('judges a device that declares nothing against the newest version that added a virtio device requirement', () => {
    const sinces = catalogue.filter((requirement) => requirement.side === 'device' && requirement.spec === 'virtio' && requirement.since !== undefined).map((requirement) => requirement.since!);
    expect(sinces.length).toBeGreaterThan(0);
    expect(sinces.every((since) => !newer(since, CHECK_SPEC_VERSION))).toBe(true);
    expect(sinces).toContain(CHECK_SPEC_VERSION);
    expect(judgedVersion([])).toBe(CHECK_SPEC_VERSION);
  });

  it('judges a device that declares versions against the newest of them, compared as numbers', () => {
    expect(judgedVersion(['1.2', '1.10', '1.3'])).toBe('1.10');
  });

  it('keeps a requirement from a device that declares only versions before it, and says why', () => {
    const later = catalogue.find((requirement) => requirement.side === 'device' && requirement.since === '1.3')!;
    const always = catalogue.find((requirement) => requirement.side === 'device' && requirement.since === undefined)!;
    expect(versionGate([later.id], ['1.0', '1.2'])).toBe(`the target declares virtio 1.0, 1.2; ${later.id} came with virtio 1.3`);
    expect(versionGate([later.id], ['1.3'])).toBeUndefined();
    expect(versionGate([later.id], [])).toBeUndefined();
    // A row applies when any of its statements does.
    expect(versionGate([later.id, always.id], ['1.0'])).toBeUndefined();
  });
});
