/**
 * What a virtio-iommu driver shows in its register accesses (VS13 §5.13.3.1, §5.13.4.1): the range
 * and probe features accepted when offered, and device configuration written only at `bypass`, only
 * with BYPASS_CONFIG, and only with 0 or 1. Everything else it does travels in requests on its
 * virtqueues, which a driver trace does not show.
 */
import { VirtioDeviceId } from '../../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_IOMMU_CONFIG_OFFSETS, VirtioIommuFeaturesBits } from '../../../generated/ts/virtio/virtio-iommu-config.ts';
import { acceptedBefore, activeEpochs, featureBit, negotiated } from '../driver-session.ts';
import { firstViolation, hex, notApplicable, passed, violation, type DriverCheckInput, type DriverFinding } from '../driver-finding.ts';

/** Features a virtio-iommu driver should accept when offered (VIOMMU-DRV-01). */
const WANTED = ['INPUT_RANGE', 'DOMAIN_RANGE', 'PROBE'] as const;

function notIommu(input: DriverCheckInput): DriverFinding | undefined {
  return input.trace.device.virtioDeviceId === VirtioDeviceId.IOMMU ? undefined : notApplicable('the device is not a virtio-iommu');
}

/** VIOMMU-DRV-01: INPUT_RANGE, DOMAIN_RANGE and PROBE accepted when offered (a SHOULD). */
export function checkIommuFeatures(input: DriverCheckInput): DriverFinding {
  const other = notIommu(input);
  if (other) return other;
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(input.session)) {
    const closeAt = epoch.featuresOkAt;
    if (closeAt === undefined) continue;
    const accepted = acceptedBefore(epoch, closeAt);
    for (const name of WANTED) {
      const bit = VirtioIommuFeaturesBits[name];
      if (featureBit(epoch.offered, bit) !== true) continue;
      findings.push(featureBit(accepted, bit) === true ? passed() : violation(`VIRTIO_IOMMU_F_${name} is offered and not accepted`, [closeAt]));
    }
  }
  return firstViolation(findings, 'the device offered none of INPUT_RANGE, DOMAIN_RANGE, PROBE to a driver that finished negotiating');
}

function configWrites(input: DriverCheckInput): DriverCheckInput['trace']['accesses'] {
  return input.session.scope.filter((a) => a.structure === 'device' && a.op === 'write');
}

/** VIOMMU-DRV-02: no device configuration write but to bypass, and to bypass only with BYPASS_CONFIG negotiated. */
export function checkIommuConfigWrites(input: DriverCheckInput): DriverFinding {
  const other = notIommu(input);
  if (other) return other;
  const writes = configWrites(input);
  if (writes.length === 0) return notApplicable('the driver wrote no device configuration');
  return firstViolation(
    writes.map((write) => {
      if (write.offset !== VIRTIO_IOMMU_CONFIG_OFFSETS.bypass || (write.width ?? 1) !== 1) return violation(`device configuration written at ${hex(write.offset)} (${write.width ?? '?'} bytes); only bypass may be written`, [write.index]);
      const epoch = input.session.epochs.find((e) => write.index >= e.from && write.index <= e.to);
      return epoch && negotiated(epoch, VirtioIommuFeaturesBits.BYPASS_CONFIG) ? passed() : violation('bypass written without VIRTIO_IOMMU_F_BYPASS_CONFIG negotiated', [write.index]);
    }),
    'the driver wrote no device configuration',
  );
}

/** VIOMMU-DRV-03: bypass is written 0 or 1 only. */
export function checkIommuBypassValue(input: DriverCheckInput): DriverFinding {
  const other = notIommu(input);
  if (other) return other;
  const writes = configWrites(input).filter((write) => write.offset === VIRTIO_IOMMU_CONFIG_OFFSETS.bypass);
  if (writes.length === 0) return notApplicable('the driver never wrote bypass');
  return firstViolation(
    writes.map((write) => (write.value === 0 || write.value === 1 ? passed() : violation(`bypass written ${hex(write.value)}`, [write.index]))),
    'the driver never wrote bypass',
  );
}
