/**
 * `guest:all`: the device variants a real driver is judged on. Each device type in four placements
 * (modern only, transitional, behind a PCI Express root port, with `iommu_platform=on`, where the
 * driver must accept ACCESS_PLATFORM), plus variants that change what the driver must do: packed
 * rings, no event index, several queues, the legacy interface (a legacy-only device, and a transitional
 * one driven through BAR0), and MSI-X tables of other sizes (none, one vector, two vectors).
 */
import { formatGuestDeviceSpec, type GuestPlacement } from './guest-spec.ts';

/** One entry of the sweep. */
export interface GuestSweepTarget {
  /** `virtio-net-pci/modern`. */
  readonly id: string;
  /** `guest:virtio-net-pci,disable-legacy=on`. */
  readonly spec: string;
  /** Base device type. */
  readonly device: string;
  readonly variant: string;
}

/** The device types swept: the drivers a Xen guest most often binds (net, block, console, entropy, SCSI, balloon). */
export const GUEST_SWEEP_DEVICES = ['virtio-net-pci', 'virtio-blk-pci', 'virtio-rng-pci', 'virtio-serial-pci', 'virtio-scsi-pci', 'virtio-balloon-pci'] as const;

interface Variant {
  variant: string;
  /** Device types it applies to; all when absent. */
  devices?: readonly string[];
  /** The QEMU type to use (`-transitional` types). */
  type?: (device: string) => string;
  props: readonly string[];
  placement?: GuestPlacement;
  legacyDriver?: boolean;
}

const MODERN = 'disable-legacy=on';

const VARIANTS: readonly Variant[] = [
  { variant: 'modern', props: [MODERN] },
  { variant: 'transitional', type: (device) => `${device}-transitional`, props: [] },
  { variant: 'pcie', props: [], placement: 'root-port' },
  { variant: 'iommu-platform', props: [MODERN, 'iommu_platform=on'] },
  { variant: 'packed', devices: ['virtio-net-pci', 'virtio-blk-pci'], props: [MODERN, 'packed=on'] },
  { variant: 'no-event-idx', devices: ['virtio-net-pci', 'virtio-blk-pci'], props: [MODERN, 'event_idx=off'] },
  { variant: 'multiqueue', devices: ['virtio-blk-pci'], props: [MODERN, 'num-queues=4'] },
  { variant: 'multiqueue', devices: ['virtio-scsi-pci'], props: [MODERN, 'num_queues=4'] },
  { variant: 'legacy-driver', devices: ['virtio-net-pci', 'virtio-blk-pci', 'virtio-rng-pci'], type: (device) => `${device}-transitional`, props: [], legacyDriver: true },
  { variant: 'legacy-only', devices: ['virtio-blk-pci', 'virtio-rng-pci'], props: ['disable-modern=on'] },
  { variant: 'intx', devices: ['virtio-rng-pci'], props: [MODERN, 'vectors=0'] },
  { variant: 'one-vector', devices: ['virtio-blk-pci'], props: [MODERN, 'vectors=1'] },
  { variant: 'two-vectors', devices: ['virtio-net-pci'], props: [MODERN, 'vectors=2'] },
];

/**
 * The sweep, limited to the device types `available` lists (QEMU's `-device help`); every type when
 * `available` is undefined.
 */
export function guestSweepTargets(available?: ReadonlySet<string>): GuestSweepTarget[] {
  const targets: GuestSweepTarget[] = [];
  for (const device of GUEST_SWEEP_DEVICES) {
    for (const variant of VARIANTS) {
      if (variant.devices && !variant.devices.includes(device)) continue;
      const type = variant.type?.(device) ?? device;
      if (available && !available.has(type)) continue;
      targets.push({
        id: `${device}/${variant.variant}`,
        spec: formatGuestDeviceSpec({ device: type, props: variant.props, placement: variant.placement ?? 'root-bus', legacyDriver: variant.legacyDriver ?? false }),
        device,
        variant: variant.variant,
      });
    }
  }
  return targets;
}
