/**
 * `reference` as a device target: a few representative functions of the reference virtio-pci device
 * model (reference-impl/virtio), served in-process. Accesses are synchronous underneath; the async
 * surface is the one every device target has.
 */
import { VIRTIO_IOMMU_EVENTQ, VIRTIO_IOMMU_REQUESTQ, VirtioIommuFeatures, encodeVirtioIommuConfig } from '../generated/ts/virtio/virtio-iommu-config.ts';
import { VirtioDeviceId, VirtioFeatures } from '../generated/ts/virtio/virtio-core.ts';
import { DeviceModel } from '../reference-impl/virtio/index.ts';
import type { VirtioDeviceDescription } from '../reference-impl/virtio/index.ts';
import { modernNetDescription, transitionalNetDescription } from '../reference-impl/virtio/index.ts';
import { TargetError, type AccessWidth, type DeviceTarget, type PciFunction } from './device-target.ts';
import type { TargetMetadata } from './target-metadata.ts';
import type { TargetSpec } from './target-spec.ts';

/**
 * What only an in-process device can do: act as the device side, so that rules about changes the
 * device makes (config_generation, ISR read-to-clear) can be exercised.
 */
export interface DeviceSideControl {
  /** Changes device-specific configuration bytes as the device would; returns whether anything changed. */
  changeDeviceConfig(offset: number, bytes: Uint8Array): boolean;
  /** Signals used buffers (sets the ISR queue bit). */
  raiseQueueInterrupt(): void;
}

/** True when `fn` also offers {@link DeviceSideControl} (the reference target does). */
export function hasDeviceSide(fn: PciFunction): fn is PciFunction & { deviceSide: DeviceSideControl } {
  return typeof (fn as { deviceSide?: unknown }).deviceSide === 'object' && (fn as { deviceSide?: unknown }).deviceSide !== null;
}

/** Bytes of the reference virtio-blk device configuration (contents are not judged by the suites). */
const BLK_CONFIG_BYTES = 0x3c;

/** A modern virtio-blk function: one request queue and RING_RESET, which the queue-reset rules need. */
function blkDescription(): VirtioDeviceDescription {
  const config = Uint8Array.from({ length: BLK_CONFIG_BYTES }, (_, i) => i);
  return {
    deviceType: VirtioDeviceId.BLOCK,
    features: VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM | VirtioFeatures.INDIRECT_DESC | VirtioFeatures.EVENT_IDX | VirtioFeatures.RING_RESET,
    queues: [{ size: 128 }],
    placement: { bar: 4, space: 'memory', is64: true, prefetchable: true, common: 0, isr: 0x1000, device: 0x2000, notify: 0x3000 },
    notifyOffMultiplier: 4,
    deviceConfig: config,
    msixVectors: 2,
    msixBar: 1,
    classCode: 0x010000,
  };
}

/** A modern virtio-iommu function (the device Xen guests may learn backend domids through). */
function iommuDescription(): VirtioDeviceDescription {
  const config = encodeVirtioIommuConfig({
    pageSizeMask: 0xffff_ffff_ffff_f000n,
    inputRangeStart: 0n,
    inputRangeEnd: 0xffff_ffff_ffff_ffffn,
    domainRangeStart: 0,
    domainRangeEnd: 0xffff_ffff,
    probeSize: 0x200,
    bypass: 0,
    reserved: new Uint8Array(3),
  });
  const queues = [VIRTIO_IOMMU_REQUESTQ, VIRTIO_IOMMU_EVENTQ].map(() => ({ size: 64 }));
  return {
    deviceType: VirtioDeviceId.IOMMU,
    features:
      VirtioFeatures.VERSION_1 |
      VirtioFeatures.ACCESS_PLATFORM |
      BigInt(VirtioIommuFeatures.INPUT_RANGE | VirtioIommuFeatures.DOMAIN_RANGE | VirtioIommuFeatures.MAP_UNMAP | VirtioIommuFeatures.PROBE),
    queues,
    // A 32-bit memory BAR with the structures packed tightly, unlike the QEMU-shaped devices.
    placement: { bar: 2, space: 'memory', common: 0, isr: 0x40, device: 0x44, notify: 0x80 },
    notifyOffMultiplier: 2,
    deviceConfig: config,
    msixVectors: 3,
    msixBar: 1,
    classCode: 0x088000,
  };
}

/** A modern virtio-fs-like function with a shared memory region and vendor data (the 1.2 capabilities). */
function fsDescription(): VirtioDeviceDescription {
  return {
    deviceType: VirtioDeviceId.FS,
    features: VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM | VirtioFeatures.NOTIFICATION_DATA,
    queues: [{ size: 128 }, { size: 128 }, { size: 0, available: false }],
    placement: { bar: 4, space: 'memory', is64: true, common: 0, isr: 0x1000, device: 0x2000, notify: 0x3000 },
    notifyOffMultiplier: 4,
    deviceConfig: new Uint8Array(0x28),
    sharedMemory: [{ id: 0, bar: 2, offset: 0n, length: 0x10000n }],
    vendorData: [{ vendorId: 0x8086, data: Uint8Array.of(1, 2) }],
    msixVectors: 4,
    msixBar: 1,
    commonConfigVersion: '1.3',
  };
}

/** The functions of the reference device target, by id: modern and transitional net, blk, iommu, fs. */
export function referenceDescriptions(): { id: string; description: string; device: VirtioDeviceDescription }[] {
  return [
    { id: 'net', description: 'reference virtio-net (modern, QEMU-shaped BAR4)', device: modernNetDescription() },
    { id: 'net-transitional', description: 'reference virtio-net (transitional, legacy I/O BAR0)', device: transitionalNetDescription() },
    { id: 'blk', description: 'reference virtio-blk (modern, RING_RESET)', device: blkDescription() },
    { id: 'iommu', description: 'reference virtio-iommu (modern, packed 32-bit BAR2)', device: iommuDescription() },
    { id: 'fs', description: 'reference virtio-fs (modern, shared memory and vendor data)', device: fsDescription() },
  ];
}

/**
 * How many PCI functions a device target shows, as far as it is known before the target is opened:
 * the reference target's own list; one for every other kind (a dump of a whole machine or an adapter
 * says how many it has only when opened).
 */
export function functionsBeforeOpening(target: TargetSpec): number {
  return target.kind === 'reference' ? referenceDescriptions().length : 1;
}

/** One function of the reference target around a {@link DeviceModel}. */
export class ReferencePciFunction implements PciFunction {
  readonly live = true;
  readonly truncated = false;
  readonly configSize: number;
  readonly deviceSide: DeviceSideControl;

  constructor(
    readonly id: string,
    readonly description: string,
    readonly model: DeviceModel,
  ) {
    this.configSize = model.snapshot().length;
    this.deviceSide = {
      changeDeviceConfig: (offset, bytes) => model.updateDeviceConfig(offset, bytes),
      raiseQueueInterrupt: () => model.raiseQueueInterrupt(),
    };
  }

  async snapshot(): Promise<Uint8Array> {
    return this.model.snapshot();
  }

  async readConfig(offset: number, width: AccessWidth): Promise<number> {
    this.checkConfig(offset, width);
    return this.model.configRead(offset, width);
  }

  async writeConfig(offset: number, width: AccessWidth, value: number): Promise<void> {
    this.checkConfig(offset, width);
    this.model.configWrite(offset, width, value);
  }

  async readBar(bar: number, offset: number, width: AccessWidth): Promise<number> {
    return this.model.barRead(bar, offset, width);
  }

  async writeBar(bar: number, offset: number, width: AccessWidth, value: number): Promise<void> {
    this.model.barWrite(bar, offset, width, value);
  }

  async barSizes(): Promise<number[]> {
    return this.model.barSizes();
  }

  private checkConfig(offset: number, width: AccessWidth): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.configSize) {
      throw new TargetError('targetInput', `${this.id}: ${width}-byte config access at 0x${offset.toString(16)} is outside its ${this.configSize}-byte space`, { offset });
    }
  }
}

/**
 * Creates the `reference` device target. Every call builds fresh devices, so runs never share state.
 * A description the model rejects is a harness error (`targetUnavailable`), not a crash.
 */
export function createReferenceDeviceTarget(): DeviceTarget {
  const metadata: TargetMetadata = {
    spec: 'reference',
    kind: 'reference',
    role: 'device',
    implementation: 'xvc reference virtio-pci device model',
    capturedBy: 'in-process',
  };
  let functions: ReferencePciFunction[] | undefined;
  return {
    metadata,
    async functions(): Promise<PciFunction[]> {
      if (functions === undefined) {
        try {
          functions = referenceDescriptions().map((entry) => new ReferencePciFunction(entry.id, entry.description, new DeviceModel(entry.device)));
        } catch (error) {
          throw new TargetError('targetUnavailable', `reference device model could not be built: ${(error as Error).message}`);
        }
      }
      return functions.slice();
    },
    async close(): Promise<void> {},
  };
}
