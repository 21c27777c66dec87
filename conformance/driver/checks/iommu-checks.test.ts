import { describe, expect, it } from 'vitest';
import { VirtioDeviceId } from '../../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_IOMMU_CONFIG_OFFSETS, VirtioIommuFeatures } from '../../../generated/ts/virtio/virtio-iommu-config.ts';
import { checkInput, conformantInit, conformantTrace, modernDevice, TraceBuilder } from '../../../test-support/driver-trace-builder.ts';
import { checkIommuBypassValue, checkIommuConfigWrites, checkIommuFeatures } from './iommu-checks.ts';

const iommu = modernDevice({ deviceId: 0x1057, virtioDeviceId: VirtioDeviceId.IOMMU });
const WANTED = VirtioIommuFeatures.INPUT_RANGE | VirtioIommuFeatures.DOMAIN_RANGE | VirtioIommuFeatures.PROBE;

function trace(acceptedLow: number, build: (b: TraceBuilder) => void = () => {}): ReturnType<typeof checkInput> {
  const b = conformantInit(new TraceBuilder(iommu), { acceptedLow });
  build(b);
  return checkInput(b.build());
}

describe('virtio-iommu driver checks', () => {
  it('do not apply to other device types', () => {
    const net = checkInput(conformantTrace());
    for (const check of [checkIommuFeatures, checkIommuConfigWrites, checkIommuBypassValue]) expect(check(net).outcome).toBe('inapplicable');
  });

  it('judge the range and probe features by what is offered', () => {
    // The builder offers bits 5, 28, 29: among the wanted ones none, so nothing to judge.
    expect(checkIommuFeatures(trace(0x20)).outcome).toBe('inapplicable');
    const offered = (accepted: number) => {
      const b = new TraceBuilder(iommu);
      b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', 3).common('write', 'deviceFeatureSelect', 0).common('read', 'deviceFeature', WANTED);
      b.common('write', 'driverFeatureSelect', 0).common('write', 'driverFeature', accepted).common('write', 'deviceStatus', 11);
      return checkInput(b.build());
    };
    expect(checkIommuFeatures(offered(WANTED)).outcome).toBe('pass');
    expect(checkIommuFeatures(offered(WANTED & ~VirtioIommuFeatures.PROBE))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('PROBE') });
  });

  it('fail configuration writes other than bypass, bypass without BYPASS_CONFIG, and bypass values other than 0 or 1', () => {
    expect(checkIommuConfigWrites(trace(0x20, (b) => b.deviceConfig('write', VIRTIO_IOMMU_CONFIG_OFFSETS.probeSize, 4, 0))).outcome).toBe('violation');
    expect(checkIommuConfigWrites(trace(0x20, (b) => b.deviceConfig('write', VIRTIO_IOMMU_CONFIG_OFFSETS.bypass, 1, 1)))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('BYPASS_CONFIG') });
    expect(checkIommuBypassValue(trace(0x20, (b) => b.deviceConfig('write', VIRTIO_IOMMU_CONFIG_OFFSETS.bypass, 1, 2))).outcome).toBe('violation');
    expect(checkIommuBypassValue(trace(0x20, (b) => b.deviceConfig('write', VIRTIO_IOMMU_CONFIG_OFFSETS.bypass, 1, 1))).outcome).toBe('pass');
  });
});
