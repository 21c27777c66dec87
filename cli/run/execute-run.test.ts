import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from '../../conformance/conformance-case.ts';
import { caseResults, recordId } from './execute-run.ts';

const twoIds: ConformanceCase = {
  suite: 'device',
  target: 'qemu:virtio-net-pci',
  groups: ['qemu:virtio-net-pci', '0000:00:03.0'],
  name: 'PCI-DEV-42 PCI-DEV-43 window reaches every structure',
  requirements: ['PCI-DEV-42', 'PCI-DEV-43'],
  run: async () => ({ outcome: 'pass' }),
};

describe('caseResults', () => {
  it('gives every requirement of a case its own record with a stable id', () => {
    const records = caseResults(twoIds, { outcome: 'pass' }, 12);
    expect(records.map((record) => [record.requirement, record.outcome, record.id])).toEqual([
      ['PCI-DEV-42', 'pass', 'device:qemu:virtio-net-pci > 0000:00:03.0 > PCI-DEV-42 PCI-DEV-43 window reaches every structure#PCI-DEV-42'],
      ['PCI-DEV-43', 'pass', recordId(twoIds, 'PCI-DEV-43')],
    ]);
  });

  it('fails only the requirement a violation rests on; the others are reported as not judged', () => {
    const evidence = [{ kind: 'text' as const, text: 'bar2 offset 0 read device_feature_select' }];
    const records = caseResults(twoIds, { outcome: 'fail', message: 'window ignores cap.bar', evidence, requirement: 'PCI-DEV-43', condition: 'structures in BAR2 and BAR4' }, 3);
    const byId = Object.fromEntries(records.map((record) => [record.requirement, record]));
    expect(byId['PCI-DEV-43']).toMatchObject({ outcome: 'fail', message: 'window ignores cap.bar', evidence, condition: 'structures in BAR2 and BAR4' });
    expect(byId['PCI-DEV-42']).toMatchObject({ outcome: 'skip', evidence: [] });
    expect(byId['PCI-DEV-42']!.message).toContain('stopped at a violation of PCI-DEV-43');
  });

  it('keeps what an opened target says about itself, but not the description of xvc\'s own targets', () => {
    const external = caseResults(twoIds, { outcome: 'pass', targetMetadata: { spec: 'qemu:virtio-net-pci', kind: 'qemu', role: 'device', implementation: 'QEMU 7.2.22' } }, 1);
    expect(external[0]!.targetMetadata?.implementation).toBe('QEMU 7.2.22');
    const builtin = caseResults({ ...twoIds, target: 'reference' }, { outcome: 'pass', targetMetadata: { spec: 'reference', kind: 'reference', role: 'device', implementation: 'xvc' } }, 1);
    expect(builtin[0]!.targetMetadata).toBeUndefined();
  });
});
