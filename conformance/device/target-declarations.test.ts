import { describe, expect, it } from 'vitest';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import type { DeviceTarget } from '../../targets/device-target.ts';
import { targetDeclarations } from './target-declarations.ts';

describe('targetDeclarations', () => {
  it('the reference target is a grant backend', () => {
    expect(targetDeclarations(parseTargetSpec('reference'))).toMatchObject({ grants: true, iommu: false });
  });

  it('a qemu target declares an IOMMU with iommu_platform=on and grants with grants=on, nothing otherwise', () => {
    expect(targetDeclarations(parseTargetSpec('qemu:virtio-net-pci,disable-legacy=on'))).toMatchObject({ grants: false, iommu: false, specVersions: [] });
    expect(targetDeclarations(parseTargetSpec('qemu:virtio-net-pci,disable-legacy=on,iommu_platform=on'))).toMatchObject({ grants: false, iommu: true, source: expect.stringContaining('iommu_platform=on') });
    expect(targetDeclarations(parseTargetSpec('qemu:virtio-net-pci,grants=on@pcie'))).toMatchObject({ grants: true, iommu: false, source: expect.stringContaining('grants=on') });
  });

  it('an adapter declares what its start answer says', () => {
    const started = { protocol: 'xvc-adapter/1', role: 'device', implementation: { name: 'a', version: '1', language: 'C' }, specVersions: ['1.2'], mechanisms: [], deviceUse: { grants: true } };
    const target = { started } as unknown as DeviceTarget;
    expect(targetDeclarations(parseTargetSpec('exec:./adapter'), target)).toMatchObject({ specVersions: ['1.2'], grants: true, iommu: false });
    expect(targetDeclarations(parseTargetSpec('exec:./adapter'))).toMatchObject({ specVersions: [], grants: false });
  });

  it('a dump declares nothing', () => {
    expect(targetDeclarations(parseTargetSpec('dump:x.txt'))).toMatchObject({ grants: false, iommu: false, specVersions: [] });
  });
});
