/**
 * How live checks reach a device: config and BAR accesses of a PCI function, the common
 * configuration structure located by the capability a driver would use, and the driver steps the
 * checks share (reset, feature windows, negotiation). Every loop is bounded.
 */
import { VIRTIO_FEATURE_WINDOW_BITS, VirtioDeviceStatus, VirtioFeatures } from '../../../generated/ts/virtio/virtio-core.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS, virtioPciCommonCfgLayout } from '../../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { preferredVirtioCapabilities } from '../../../reference-impl/pci/index.ts';
import type { AccessWidth } from '../../../targets/device-target.ts';
import type { FunctionView, VirtioCapabilityAt } from './function-view.ts';
import { hexNumber, regionEvidence } from './verdict.ts';

/** The accesses live checks need; a `PciFunction` of a live target provides them. */
export interface LiveAccess {
  readonly id: string;
  readConfig(offset: number, width: AccessWidth): Promise<number>;
  writeConfig(offset: number, width: AccessWidth, value: number): Promise<void>;
  readBar(bar: number, offset: number, width: AccessWidth): Promise<number>;
  writeBar(bar: number, offset: number, width: AccessWidth, value: number): Promise<void>;
  barSizes?(): Promise<number[]>;
}

/** A field of the common configuration structure, by its generated name. */
export type CommonField = keyof typeof VIRTIO_PCI_COMMON_CFG_OFFSETS;

/** How many times a driver polls device_status after a reset before giving up. */
export const RESET_POLL_LIMIT = 1000;
/** Feature bits a 64-bit feature word holds: the windows at select 0 and 1. */
export const FEATURE_WINDOW_COUNT = 2;
const DWORD: AccessWidth = 4;

/**
 * Features a device may refuse to work without (VS13 §6.2): VERSION_1, ACCESS_PLATFORM and
 * ORDER_PLATFORM. A driver that wants FEATURES_OK accepts whichever of them the device offers; QEMU
 * with iommu_platform=on refuses FEATURES_OK without ACCESS_PLATFORM, for one.
 */
export const FEATURES_A_DEVICE_MAY_REQUIRE: bigint = VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM | VirtioFeatures.ORDER_PLATFORM;
const dwordBits = 32n;
const dwordMask = 0xffff_ffffn;

const fieldWidths = new Map(virtioPciCommonCfgLayout.fields.map((field) => [field.name, field.bits / 8]));

/** Byte width of a common configuration field (8 for the 64-bit queue addresses). */
export function commonFieldWidth(field: CommonField): number {
  return fieldWidths.get(field) ?? DWORD;
}

/** The common configuration structure of one function, in the BAR its preferred capability names. */
export class CommonConfig {
  constructor(
    readonly access: LiveAccess,
    readonly capability: VirtioCapabilityAt,
  ) {}

  get bar(): number {
    return this.capability.virtio.bar;
  }

  get base(): number {
    return Number(this.capability.virtio.offset);
  }

  /** Structure length the capability declares, capped at the generated layout's size. */
  get length(): number {
    return Math.min(Number(this.capability.virtio.length), virtioPciCommonCfgLayout.size);
  }

  /** True when the capability's length covers `field`. */
  has(field: CommonField): boolean {
    return VIRTIO_PCI_COMMON_CFG_OFFSETS[field] + commonFieldWidth(field) <= Number(this.capability.virtio.length);
  }

  /** BAR offset of `field` (plus `extra` bytes, for the high half of a 64-bit field). */
  at(field: CommonField, extra = 0): number {
    return this.base + VIRTIO_PCI_COMMON_CFG_OFFSETS[field] + extra;
  }

  /** Reads a field of up to 32 bits with its natural width. */
  async read(field: CommonField): Promise<number> {
    return this.access.readBar(this.bar, this.at(field), commonFieldWidth(field) as AccessWidth);
  }

  /** Writes a field of up to 32 bits with its natural width. */
  async write(field: CommonField, value: number): Promise<void> {
    await this.access.writeBar(this.bar, this.at(field), commonFieldWidth(field) as AccessWidth, value);
  }

  /** Reads one 32-bit half (0 low, 1 high) of a 64-bit field. */
  async readHalf(field: CommonField, half: 0 | 1): Promise<number> {
    return this.access.readBar(this.bar, this.at(field, half * DWORD), DWORD);
  }

  /** Writes one 32-bit half of a 64-bit field. */
  async writeHalf(field: CommonField, half: 0 | 1, value: number): Promise<void> {
    await this.access.writeBar(this.bar, this.at(field, half * DWORD), DWORD, value);
  }

  /** The structure's bytes as they read now, dword by dword (no field of it has read side effects). */
  async bytes(): Promise<Uint8Array> {
    const out = new Uint8Array(this.length);
    for (let offset = 0; offset + DWORD <= out.length; offset += DWORD) {
      const value = await this.access.readBar(this.bar, this.base + offset, DWORD);
      new DataView(out.buffer).setUint32(offset, value >>> 0, true);
    }
    return out;
  }

  /** Byte evidence of the structure with `fields` highlighted, in BAR space. */
  async evidence(fields: readonly CommonField[], expected: string, actual: string) {
    const data = await this.bytes();
    const highlight = fields.flatMap((field) => Array.from({ length: commonFieldWidth(field) }, (_, i) => this.at(field) + i));
    return regionEvidence(this.access.id, `bar${this.bar}`, this.base, data, highlight, expected, actual);
  }

  /** Writes 0 to device_status and polls until it reads 0; returns whether it did within the bound. */
  async reset(): Promise<boolean> {
    await this.write('deviceStatus', 0);
    for (let poll = 0; poll < RESET_POLL_LIMIT; poll++) {
      if ((await this.read('deviceStatus')) === 0) return true;
    }
    return false;
  }

  /** The offered features, read through windows 0 and 1. */
  async offeredFeatures(): Promise<bigint> {
    let features = 0n;
    for (let select = 0; select < FEATURE_WINDOW_COUNT; select++) {
      await this.write('deviceFeatureSelect', select);
      features |= BigInt((await this.read('deviceFeature')) >>> 0) << (BigInt(select) * BigInt(VIRTIO_FEATURE_WINDOW_BITS));
    }
    return features;
  }

  /** The 32 bits device_feature shows for `select` (any 32-bit value). */
  async featureWindow(select: number): Promise<number> {
    await this.write('deviceFeatureSelect', select);
    return (await this.read('deviceFeature')) >>> 0;
  }

  /** Of `offered`, the features a device may require (see {@link FEATURES_A_DEVICE_MAY_REQUIRE}). */
  static required(offered: bigint): bigint {
    return offered & FEATURES_A_DEVICE_MAY_REQUIRE;
  }

  /** Writes the driver feature windows 0 and 1. */
  async writeDriverFeatures(features: bigint): Promise<void> {
    for (let select = 0; select < FEATURE_WINDOW_COUNT; select++) {
      await this.write('driverFeatureSelect', select);
      await this.write('driverFeature', Number((features >> (BigInt(select) * dwordBits)) & dwordMask));
    }
  }

  /** Reads back the driver feature windows 0 and 1. */
  async driverFeatures(): Promise<bigint> {
    let features = 0n;
    for (let select = 0; select < FEATURE_WINDOW_COUNT; select++) {
      await this.write('driverFeatureSelect', select);
      features |= BigInt((await this.read('driverFeature')) >>> 0) << (BigInt(select) * dwordBits);
    }
    return features;
  }

  /**
   * Reset, ACKNOWLEDGE, DRIVER, accept `features`, set FEATURES_OK and re-read the status (VS13 §3.1.1).
   * Returns the status read back; `undefined` when the reset never completed.
   */
  async negotiate(features: bigint): Promise<number | undefined> {
    if (!(await this.reset())) return undefined;
    await this.write('deviceStatus', VirtioDeviceStatus.ACKNOWLEDGE);
    await this.write('deviceStatus', VirtioDeviceStatus.ACKNOWLEDGE | VirtioDeviceStatus.DRIVER);
    await this.writeDriverFeatures(features);
    await this.write('deviceStatus', VirtioDeviceStatus.ACKNOWLEDGE | VirtioDeviceStatus.DRIVER | VirtioDeviceStatus.FEATURES_OK);
    return this.read('deviceStatus');
  }
}

/** The capabilities a driver would use (first complete one of each cfg_type), keyed by cfg_type. */
export function preferredCapabilities(view: FunctionView): Map<number, VirtioCapabilityAt> {
  const chosen = new Map<number, VirtioCapabilityAt>();
  for (const [cfgType, capability] of preferredVirtioCapabilities(view.walk)) {
    const at = view.virtioCapabilities.find((candidate) => candidate.offset === capability.offset);
    if (at !== undefined) chosen.set(cfgType, at);
  }
  return chosen;
}

/**
 * Why a live check cannot run, or the common configuration to run it on. With `barSizes`, a
 * common configuration that does not fit its BAR is refused (PCI-DEV-01 reports it).
 */
export function liveCommonConfig(view: FunctionView, fn: Partial<LiveAccess> & { id: string; live: boolean }, barSizes?: readonly number[]): CommonConfig | string {
  if (!fn.live) return 'the target is read-only (a dump): live checks need a device that answers writes';
  if (fn.readBar === undefined || fn.writeBar === undefined || fn.readConfig === undefined || fn.writeConfig === undefined) {
    return 'the target offers no BAR access for this function';
  }
  const common = preferredCapabilities(view).get(VirtioPciCfgType.COMMON_CFG);
  if (common === undefined) return 'the function has no usable COMMON_CFG capability (see PCI-DEV-12)';
  const end = BigInt(common.virtio.offset) + BigInt(common.virtio.length);
  const size = barSizes?.[common.virtio.bar];
  if (size !== undefined && end > BigInt(size)) return `the COMMON_CFG structure ends at ${hexNumber(end)}, past the ${hexNumber(size)} bytes of BAR${common.virtio.bar} (see PCI-DEV-01)`;
  return new CommonConfig(fn as LiveAccess, common);
}

/** Text of a feature set for messages. */
export function featureText(features: bigint): string {
  return hexNumber(features);
}
