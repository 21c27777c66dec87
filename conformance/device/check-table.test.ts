import { describe, expect, it } from 'vitest';
import { isKnownRequirement, requirementCatalogue } from '../requirement-catalogue.ts';
import { liveRows, rowName, staticRows, type CheckInput } from './check-table.ts';
import type { TargetDeclarations } from './checks/declarations.ts';
import { device, type Harness } from '../../test-support/device-checks/test-devices.ts';
import { CHECK_SPEC_VERSION, grade, violationFails } from './grading.ts';

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

describe('grading from the catalogue', () => {
  const rowOf = (id: string) => [...staticRows, ...liveRows].find((candidate) => candidate.ids.includes(id as never))!;
  const inputOf = (h: Harness, declared?: TargetDeclarations): CheckInput => ({
    view: h.view,
    common: h.common,
    snapshot: () => h.fn.snapshot(),
    exhaustiveQueues: false,
    deviceSide: h.fn.deviceSide,
    ...(declared === undefined ? {} : { declared }),
  });

  it('a MUST violation fails and names the statement it rests on', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v) => (o === h.at('queueEnable') ? 1 : v);
    const verdict = await rowOf('PCI-DEV-17').run(inputOf(h));
    expect(verdict).toMatchObject({ outcome: 'fail', requirement: 'PCI-DEV-17', statement: { id: 'PCI-DEV-17', level: 'MUST', ref: expect.stringContaining('§4.1.4.3.1') } });
  });

  it('a SHOULD violation and behaviour only a note asks for warn instead (VIRTIO-DEV-11, VIRTIO-DEV-13 on QEMU 7.2-like devices)', async () => {
    const platformless = await device('net');
    platformless.hooks.readBar = (o, _w, v, s) => (o === platformless.at('deviceFeature') && s.featureSelect === 1 ? v & ~2 : v);
    const grants = { specVersions: [], grants: true, iommu: false, source: 'the test declares grants' };
    expect(await rowOf('VIRTIO-DEV-11').run(inputOf(platformless, grants))).toMatchObject({ outcome: 'warning', statement: { level: 'SHOULD' }, condition: expect.stringContaining('Xen grant') });
    expect(await rowOf('VIRTIO-DEV-11').run(inputOf(platformless))).toMatchObject({ outcome: 'inapplicable' });

    const masking = await device('net');
    let asked = false;
    masking.hooks.writeBar = (o, _w, v) => {
      if (o === masking.at('deviceStatus')) asked = (v & 8) !== 0;
      return true;
    };
    masking.hooks.readBar = (o, _w, v) => (o === masking.at('deviceStatus') && asked ? v | 8 : v);
    expect(await rowOf('VIRTIO-DEV-13').run(inputOf(masking))).toMatchObject({ outcome: 'warning', statement: { id: 'VIRTIO-DEV-13', level: 'NOTE' } });
    expect((await rowOf('VIRTIO-DEV-04').run(inputOf(masking))).outcome).toBe('pass');
  });

  it('every level the catalogue uses grades as the issue asks: MUST and MUST NOT fail, the rest warn', () => {
    expect(['MUST', 'MUST NOT'].map(violationFails)).toEqual([true, true]);
    expect(['SHOULD', 'SHOULD NOT', 'NOTE', 'MAY', 'CAN'].map(violationFails)).toEqual([false, false, false, false, false]);
  });

  it('a violation names a statement of its own row, never another', () => {
    const finding = { outcome: 'fail' as const, violations: [{ code: 'legacy-bar0-empty' as const }] as const, message: 'm', evidence: [], requirement: 'PCI-DEV-02' as const };
    expect(grade(finding, ['PCI-LEG-04', 'PCI-LEG-09'])).toMatchObject({ requirement: 'PCI-LEG-04' });
    expect(grade({ ...finding, requirement: 'PCI-LEG-09' }, ['PCI-LEG-04', 'PCI-LEG-09'])).toMatchObject({ requirement: 'PCI-LEG-09' });
  });

  it('judges against the version the target declares: a 1.2 target is not held to VIRTIO-DEV-05 (from 1.3)', async () => {
    const h = await device('net');
    h.hooks.readBar = (o, _w, v, s) => (o === h.at('deviceFeature') && s.featureSelect === 0 ? v | 0x8000_0000 : v);
    const declared = (specVersions: string[]) => ({ specVersions, grants: false, iommu: false, source: 'the test' });
    const old = await rowOf('VIRTIO-DEV-05').run(inputOf(h, declared(['1.2'])));
    expect(old.outcome === 'inapplicable' && old.note).toContain('came with virtio 1.3');
    expect(await rowOf('VIRTIO-DEV-05').run(inputOf(h, declared(['1.2', '1.4'])))).toMatchObject({ outcome: 'fail', violations: [{ code: 'reserved-features-offered', bits: [31], judgedVersion: '1.4' }] });
    expect(await rowOf('VIRTIO-DEV-05').run(inputOf(h))).toMatchObject({ outcome: 'fail', violations: [{ judgedVersion: CHECK_SPEC_VERSION }] });
    expect(CHECK_SPEC_VERSION).toBe('1.3');
  });
});
