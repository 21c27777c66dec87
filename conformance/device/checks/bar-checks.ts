/**
 * BAR consistency of the virtio capabilities: each names a BAR the function implements (not the
 * upper slot of a 64-bit BAR), and, when BAR sizes are known, its structure lies inside that BAR.
 */
import { decodePciBarMem32, PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_SPACE_IO, PCI_STD_NUM_BARS, PciBarMemType } from '../../../generated/ts/pci/pci-bar-mem32.ts';
import { VIRTIO_PCI_CAP_OFFSETS, VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_CAP64_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-cap64.ts';
import { readLe } from '../../../reference-impl/pci/index.ts';
import { capabilitiesOfType, notVirtioReason, type FunctionView, type VirtioCapabilityAt } from './function-view.ts';
import { capabilityEvidence } from './capability-checks.ts';
import { combine, fail, hexNumber, inapplicable, pass, type CheckFinding } from './verdict.ts';

const BAR_REGISTER_BYTES = 4;

/** How each BAR slot reads from the header: its type, and whether it is the upper half of a 64-bit BAR. */
export interface BarSlot {
  index: number;
  /** The register is in the data. */
  present: boolean;
  register: number;
  kind: 'io' | 'mem32' | 'mem64' | 'upper-half';
}

/** Classifies the six BAR slots from the header registers. */
export function barSlots(config: Uint8Array): BarSlot[] {
  const slots: BarSlot[] = [];
  for (let index = 0; index < PCI_STD_NUM_BARS; index++) {
    const at = PCI_BASE_ADDRESS_0 + index * BAR_REGISTER_BYTES;
    const present = at + BAR_REGISTER_BYTES <= config.length;
    const register = present ? readLe(config, at, BAR_REGISTER_BYTES) : 0;
    const previous = slots[index - 1];
    if (previous?.kind === 'mem64') {
      slots.push({ index, present, register, kind: 'upper-half' });
      continue;
    }
    if ((register & PCI_BASE_ADDRESS_SPACE_IO) !== 0) {
      slots.push({ index, present, register, kind: 'io' });
      continue;
    }
    const memType = decodePciBarMem32(config, at, config.length).value.memType;
    slots.push({ index, present, register, kind: memType === PciBarMemType.MEM64 && present ? 'mem64' : 'mem32' });
  }
  return slots;
}

/** Capabilities whose bar/offset/length locate a structure the device defines (not PCI_CFG, whose fields the driver writes, nor vendor data). */
function locatingCapabilities(view: FunctionView): VirtioCapabilityAt[] {
  return view.virtioCapabilities.filter(
    (capability) =>
      !capability.virtio.reserved &&
      capability.virtio.cfgType !== VirtioPciCfgType.PCI_CFG &&
      capability.virtio.cfgType !== VirtioPciCfgType.VENDOR_CFG &&
      capability.virtio.bar >= 0,
  );
}

function checkOne(view: FunctionView, capability: VirtioCapabilityAt, slots: readonly BarSlot[], sizes: readonly number[] | undefined): CheckFinding {
  const bar = capability.virtio.bar;
  const slot = slots[bar];
  const field = VIRTIO_PCI_CAP_OFFSETS.bar;
  if (slot === undefined || !slot.present) return inapplicable(`the data ends before BAR${bar}`);
  if (slot.kind === 'upper-half') {
    return fail(
      { code: 'bar-upper-half', capability: capability.offset, bar },
      capabilityEvidence(view, capability, field, 1, 'the first slot of an implemented BAR', `BAR${bar} (upper half of BAR${bar - 1})`),
    );
  }
  if (sizes === undefined) return pass('BAR sizes unknown (read-only target): only the 64-bit slot rule was checked');
  const size = sizes[bar] ?? 0;
  if (size === 0) {
    return fail(
      { code: 'bar-unimplemented', capability: capability.offset, bar },
      capabilityEvidence(view, capability, field, 1, 'an implemented BAR', `BAR${bar} of size 0`),
    );
  }
  const start = BigInt(capability.virtio.offset);
  const end = start + BigInt(capability.virtio.length);
  if (end > BigInt(size)) {
    const is64 = capability.virtio.cfgType === VirtioPciCfgType.SHARED_MEMORY_CFG;
    return fail(
      { code: 'structure-past-bar', capability: capability.offset, bar, start: hexNumber(start), end: hexNumber(end), size },
      capabilityEvidence(view, capability, VIRTIO_PCI_CAP_OFFSETS.offset, 8, `inside BAR${bar} (${hexNumber(size)} bytes)`, `${hexNumber(start)}..${hexNumber(end)}`),
      ...(is64 ? [capabilityEvidence(view, capability, VIRTIO_PCI_CAP64_OFFSETS.offsetHi, 8, 'upper halves of offset and length', `${hexNumber(start)}..${hexNumber(end)}`)] : []),
    );
  }
  return pass();
}

/**
 * Every structure-locating capability other than shared memory names an implemented BAR (not the upper
 * half of a 64-bit BAR) and, with known `sizes`, lies inside it.
 */
export function checkStructureBars(view: FunctionView, sizes?: readonly number[]): CheckFinding {
  const notVirtio = notVirtioReason(view);
  if (notVirtio !== undefined) return inapplicable(notVirtio);
  const slots = barSlots(view.config);
  const caps = locatingCapabilities(view).filter((capability) => capability.virtio.cfgType !== VirtioPciCfgType.SHARED_MEMORY_CFG);
  return combine(caps.map((capability) => checkOne(view, capability, slots, sizes)), 'no virtio capability locates a structure in a BAR');
}

/** PCI-DEV-34: every shared memory region lies inside the BAR it names (needs BAR sizes). */
export function checkSharedMemoryBars(view: FunctionView, sizes?: readonly number[]): CheckFinding {
  const notVirtio = notVirtioReason(view);
  if (notVirtio !== undefined) return inapplicable(notVirtio);
  const regions = capabilitiesOfType(view, VirtioPciCfgType.SHARED_MEMORY_CFG).filter((capability) => !capability.virtio.reserved);
  if (regions.length === 0) return inapplicable('the device has no shared memory capability');
  if (sizes === undefined) return inapplicable('BAR sizes are unknown on this target (a dump): the region cannot be compared with its BAR');
  const slots = barSlots(view.config);
  return combine(regions.map((capability) => checkOne(view, capability, slots, sizes)), 'no shared memory capability');
}
