/**
 * Which devices a driver takes and through which interface (VS13 §4.1.2.2, §4.1.4.10,
 * §4.1.5.1.1.1): modern and transitional IDs matched whatever the revision, a legacy driver kept to
 * the BAR0 structure, a transitional driver falling back to the legacy interface when the device has
 * no virtio capabilities, and a non-transitional one refusing such a device cleanly.
 */
import { PCI_TYPE0_HEADER_OFFSETS } from '../../../generated/ts/pci/pci-type0-header.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import {
  VIRTIO_PCI_MODERN_DEVICE_ID_BASE,
  VIRTIO_PCI_MODERN_DEVICE_ID_MAX,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN,
} from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { VirtioDeviceStatus } from '../../../generated/ts/virtio/virtio-core.ts';
import { isStatus } from '../driver-session.ts';
import { firstViolation, hex, notApplicable, passed, violation, type DriverCheckInput, type DriverFinding } from '../driver-finding.ts';

function firstStatusWrite(input: DriverCheckInput): number | undefined {
  return input.session.registers.find((r) => isStatus(r) && r.access.op === 'write' && (r.access.value & VirtioDeviceStatus.ACKNOWLEDGE) !== 0)?.access.index;
}

/** Index of the first read of the device ID (where the driver could have matched), for evidence. */
function idReadAt(input: DriverCheckInput): number[] {
  const read = input.trace.accesses.find((a) => a.structure === 'config' && a.op === 'read' && a.offset <= PCI_TYPE0_HEADER_OFFSETS.deviceId && a.offset + (a.width ?? 1) > PCI_TYPE0_HEADER_OFFSETS.deviceId);
  return read === undefined ? [] : [read.index];
}

function matched(input: DriverCheckInput, kind: string, inRange: (id: number) => boolean): DriverFinding {
  const id = input.trace.device.deviceId;
  if (id === undefined) return notApplicable('the trace shows no read of the device ID');
  if (!inRange(id)) return notApplicable(`device ID ${hex(id)} is not a ${kind} ID`);
  const acknowledged = firstStatusWrite(input);
  if (acknowledged !== undefined) return passed(`device ID ${hex(id)} matched (ACKNOWLEDGE set)`);
  if (!input.boot.reachedInit) return notApplicable('the guest never got to load its drivers');
  return violation(`no driver took the device with ${kind} ID ${hex(id)} (ACKNOWLEDGE never set)`, idReadAt(input));
}

/** PCI-DRV-01: the driver matches a modern device ID (0x1040 + virtio ID). */
export function checkMatchesModernId(input: DriverCheckInput): DriverFinding {
  return matched(input, 'modern', (id) => id >= VIRTIO_PCI_MODERN_DEVICE_ID_BASE && id <= VIRTIO_PCI_MODERN_DEVICE_ID_MAX);
}

/** PCI-DRV-02: the driver also matches a transitional device ID. */
export function checkMatchesTransitionalId(input: DriverCheckInput): DriverFinding {
  return matched(input, 'transitional', (id) => id >= VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN && id <= VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX);
}

/** PCI-DRV-03: the driver matches whatever the revision ID. */
export function checkAnyRevision(input: DriverCheckInput): DriverFinding {
  const revision = input.trace.device.revisionId;
  if (revision === undefined) return notApplicable('the trace shows no read of the revision ID');
  if (firstStatusWrite(input) !== undefined) return passed(`revision ${revision} matched`);
  if (!input.boot.reachedInit) return notApplicable('the guest never got to load its drivers');
  return violation(`no driver took the virtio device with revision ID ${revision}`, idReadAt(input));
}

/** PCI-LEG-05: a driver using the legacy interface uses the BAR0 structure only (no modern structure in the same initialisation). */
export function checkLegacyUsesBar0({ session }: DriverCheckInput): DriverFinding {
  const legacy = session.epochs.filter((epoch) => epoch.iface === 'legacy');
  if (legacy.length === 0) return notApplicable('the driver did not use the legacy interface');
  return firstViolation(
    legacy.map((epoch) => {
      const modern = session.scope.find((a) => a.index >= epoch.from && a.index <= epoch.to && (a.structure === 'common' || a.structure === 'notify' || a.structure === 'isr' || a.structure === 'device'));
      return modern ? violation(`a ${modern.structure} structure access in an initialisation driven through the legacy BAR0 header`, [modern.index]) : passed();
    }),
    'the driver did not use the legacy interface',
  );
}

function hasVirtioCapabilities(input: DriverCheckInput): boolean {
  return input.trace.device.capabilities.some((c) => c.cfgType === VirtioPciCfgType.COMMON_CFG && !c.reserved);
}

/** PCI-DRV-25: a transitional driver drives a device without virtio capabilities through the legacy interface. */
export function checkTransitionalFallback(input: DriverCheckInput): DriverFinding {
  if (!input.trace.device.transitional) return notApplicable('the device has no transitional ID');
  if (hasVirtioCapabilities(input)) return notApplicable('the device has virtio capabilities');
  if (input.boot.driverTransitional !== true) return notApplicable(input.boot.driverTransitional === false ? 'the guest driver is not transitional (no legacy support)' : 'whether the guest driver is transitional is unknown (no kernel configuration)');
  if (!input.boot.reachedInit) return notApplicable('the guest never got to load its drivers');
  const legacy = input.session.registers.find((r) => r.iface === 'legacy' && isStatus(r) && r.access.op === 'write' && r.access.value !== 0);
  return legacy ? passed('the driver used the legacy BAR0 header') : violation('the transitional driver did not drive the legacy interface of a device without virtio capabilities', idReadAt(input));
}

/** PCI-DRV-26: a non-transitional driver refuses a device without virtio capabilities, cleanly. */
export function checkNonTransitionalRefuses(input: DriverCheckInput): DriverFinding {
  if (hasVirtioCapabilities(input)) return notApplicable('the device has virtio capabilities');
  if (input.boot.driverTransitional !== false) return notApplicable(input.boot.driverTransitional === true ? 'the guest driver is transitional' : 'whether the guest driver is transitional is unknown (no kernel configuration)');
  if (!input.boot.reachedInit) return notApplicable('the guest never got to load its drivers');
  const used = input.session.registers.find((r) => isStatus(r) && r.access.op === 'write' && r.access.value !== 0);
  if (used) return violation('a non-transitional driver drove a device that has no virtio capabilities', [used.access.index]);
  if (!input.boot.finished) return violation(`the guest did not finish (${input.boot.ending}) after meeting a device without virtio capabilities`, idReadAt(input));
  return passed('the driver left the device alone and the guest went on');
}
