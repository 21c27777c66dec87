/**
 * Where a described device's registers live: the extents of the virtio structures in their BAR, and
 * which BAR slot holds what (virtio structures, legacy I/O BAR0, shared memory, MSI-X table) with
 * each BAR's kind and size. `checkDescription` and `DeviceModel` both use this one plan, so a
 * description the check accepts is one the model can implement.
 */
import { PCI_MSIX_ENTRY_SIZE } from '../../generated/ts/pci/pci-msix-cap.ts';
import { VIRTIO_PCI_ISR_SIZE } from '../../generated/ts/virtio/virtio-pci-isr.ts';
import { VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX } from '../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { checkBarDefinitions, PCI_BAR_IO_MIN_SIZE, PCI_BAR_MEMORY_MIN_SIZE, type BarDefinition } from '../pci/bar-register.ts';
import { PCI_TYPE0_BAR_COUNT } from '../pci/type0-header.ts';
import { commonConfigLength, LATEST_COMMON_CONFIG_VERSION } from './common-config.ts';
import type { DescriptionIssue, VirtioDeviceDescription } from './device-description.ts';
import { notifyWidth } from './notification-value.ts';

/** The smallest power of two that is at least `value` and at least `minimum` (itself a power of two). */
export function powerOfTwoAtLeast(value: number, minimum: number): number {
  let size = minimum;
  while (size < value && Number.isFinite(size)) size *= 2;
  return size;
}

/** One virtio structure's byte range in the virtio BAR. */
export interface StructureExtent {
  name: 'common' | 'notify' | 'isr' | 'device';
  start: number;
  length: number;
}

/**
 * The structures of the virtio BAR. Queue `i` has queue_notify_off `i` (device-state.ts), and the
 * notify area is sized for the widest notification the offer allows, so a driver that negotiates
 * NOTIFICATION_DATA still finds every queue's address inside it (PCI-DEV-27).
 */
export function structureExtents(d: VirtioDeviceDescription): StructureExtent[] {
  const p = d.placement;
  const lastNotifyOff = Math.max(0, d.queues.length - 1);
  const extents: StructureExtent[] = [
    { name: 'common', start: p.common, length: commonConfigLength(d.commonConfigVersion ?? LATEST_COMMON_CONFIG_VERSION) },
    { name: 'notify', start: p.notify, length: d.notifyOffMultiplier * lastNotifyOff + notifyWidth(d.features) },
    { name: 'isr', start: p.isr, length: VIRTIO_PCI_ISR_SIZE },
  ];
  const deviceLength = d.deviceConfig?.length ?? 0;
  if (p.device !== undefined && deviceLength > 0) extents.push({ name: 'device', start: p.device, length: deviceLength });
  return extents;
}

/** What a BAR slot is used for. */
export type BarOwner = 'virtio' | 'legacy' | 'shared-memory' | 'msix' | 'notify-io' | 'fend-off';

/** The MSI-X table and pending-bit array in their BAR. */
export interface MsixPlacement {
  bar: number;
  tableOffset: number;
  tableBytes: number;
  pbaOffset: number;
}

/** Every implemented BAR of a described device, and what could not be placed. */
export interface BarPlan {
  /** BAR definitions by index (first slot of a 64-bit BAR), as `ConfigSpace.defineBars` takes them. */
  bars: Map<number, BarDefinition>;
  owners: Map<number, BarOwner>;
  /** End of the last virtio structure in the virtio BAR. */
  structuresEnd: number;
  msix?: MsixPlacement;
  /** Empty when every BAR can be implemented. */
  issues: DescriptionIssue[];
}

const ownerLabel: Record<BarOwner, string> = {
  virtio: 'the virtio structures',
  legacy: 'the legacy interface',
  'shared-memory': 'shared memory',
  msix: 'the MSI-X table',
  'notify-io': 'the I/O notification structure',
  'fend-off': 'the legacy fend-off BAR',
};
const ownerCode: Record<BarOwner, DescriptionIssue['code']> = {
  virtio: 'placement-bar',
  legacy: 'placement-bar',
  'shared-memory': 'shared-memory',
  msix: 'msix-bar',
  'notify-io': 'placement-bar',
  'fend-off': 'placement-bar',
};

/** BAR0 of a device that fends off legacy drivers, and the legacy BAR0 a legacy driver expects. */
export const LEGACY_BAR = 0;

/** Size of the I/O BAR of a second notification structure: one notification of the widest kind the offer allows. */
export function notifyIoLength(d: Pick<VirtioDeviceDescription, 'features'>): number {
  return notifyWidth(d.features);
}

/** Plans the BARs of `d`. Never throws; problems are in `issues`. */
export function planBars(d: VirtioDeviceDescription): BarPlan {
  const p = d.placement;
  const bars = new Map<number, BarDefinition>();
  const owners = new Map<number, BarOwner>();
  const issues: DescriptionIssue[] = [];
  const claim = (index: number, owner: BarOwner, definition: BarDefinition): void => {
    const holder = owners.get(index);
    if (holder !== undefined) {
      issues.push({ code: ownerCode[owner], message: `BAR ${index} is wanted for ${ownerLabel[owner]} but holds ${ownerLabel[holder]}` });
      return;
    }
    bars.set(index, definition);
    owners.set(index, owner);
  };

  // BAR0 is the legacy interface's by rule (PCI-LEG-04), so it is claimed first.
  if (d.transitional === true) {
    const legacyLength = VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX + (d.deviceConfig?.length ?? 0);
    claim(LEGACY_BAR, 'legacy', { space: 'io', size: powerOfTwoAtLeast(legacyLength, PCI_BAR_IO_MIN_SIZE) });
  } else if (d.fendOffLegacyDrivers === true) {
    // As large as the legacy header a legacy driver would look for.
    claim(LEGACY_BAR, 'fend-off', { space: 'io', size: powerOfTwoAtLeast(VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX, PCI_BAR_IO_MIN_SIZE) });
  }

  const extents = structureExtents(d);
  const structuresEnd = Math.max(...extents.map((extent) => extent.start + extent.length));
  const minimum = p.space === 'io' ? PCI_BAR_IO_MIN_SIZE : PCI_BAR_MEMORY_MIN_SIZE;
  const size = p.size ?? powerOfTwoAtLeast(structuresEnd, minimum);
  if (size < structuresEnd) issues.push({ code: 'placement-bar', message: `BAR ${p.bar} of ${size} bytes cannot hold structures ending at ${structuresEnd}` });
  claim(p.bar, 'virtio', { space: p.space, size, is64: p.space === 'memory' && p.is64 === true, prefetchable: p.space === 'memory' && p.prefetchable === true });
  if (p.notifyIoBar !== undefined) claim(p.notifyIoBar, 'notify-io', { space: 'io', size: powerOfTwoAtLeast(notifyIoLength(d), PCI_BAR_IO_MIN_SIZE) });

  // Regions that share a BAR share one 64-bit prefetchable BAR large enough for all of them.
  const regionEnds = new Map<number, number>();
  for (const region of d.sharedMemory ?? []) {
    regionEnds.set(region.bar, Math.max(regionEnds.get(region.bar) ?? 0, Number(region.offset + region.length)));
  }
  for (const [index, end] of regionEnds) {
    claim(index, 'shared-memory', { space: 'memory', is64: true, prefetchable: true, size: powerOfTwoAtLeast(end, PCI_BAR_MEMORY_MIN_SIZE) });
  }

  let msix: MsixPlacement | undefined;
  const vectors = d.msixVectors ?? 0;
  if (Number.isInteger(vectors) && vectors > 0) {
    const used = new Set<number>();
    for (const [index, bar] of bars) {
      used.add(index);
      if (bar.is64 === true) used.add(index + 1);
    }
    const index = d.msixBar ?? [...Array(PCI_TYPE0_BAR_COUNT).keys()].find((slot) => !used.has(slot));
    if (index === undefined) {
      issues.push({ code: 'msix-bar', message: 'no free BAR slot for the MSI-X table' });
    } else if (used.has(index) && !owners.has(index)) {
      issues.push({ code: 'msix-bar', message: `BAR ${index} is wanted for the MSI-X table but is the upper half of a 64-bit BAR` });
    } else {
      const tableBytes = vectors * PCI_MSIX_ENTRY_SIZE;
      // One pending bit per vector, in whole table-entry-sized chunks so the array stays qword aligned.
      const pbaBytes = Math.ceil(Math.ceil(vectors / 8) / PCI_MSIX_ENTRY_SIZE) * PCI_MSIX_ENTRY_SIZE;
      claim(index, 'msix', { space: 'memory', size: powerOfTwoAtLeast(tableBytes + pbaBytes, PCI_BAR_MEMORY_MIN_SIZE) });
      if (owners.get(index) === 'msix') msix = { bar: index, tableOffset: 0, tableBytes, pbaOffset: tableBytes };
    }
  }

  for (const issue of checkBarDefinitions(bars)) {
    const owner = owners.get(issue.index);
    issues.push({ code: owner === undefined ? 'placement-bar' : ownerCode[owner], message: `${owner === undefined ? '' : `${ownerLabel[owner]}: `}${issue.message}` });
  }
  return { bars, owners, structuresEnd, msix, issues };
}
