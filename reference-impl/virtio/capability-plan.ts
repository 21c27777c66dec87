/**
 * Where each capability of a virtio-pci function goes in config space and what bytes it holds,
 * encoded with the generated encoders: virtio structure capabilities in preference order, then the
 * PCI configuration access capability, shared memory and vendor data, then MSI-X.
 */
import { XvcError } from '../../core/xvc-error.ts';
import type { LayoutMeta } from '../../core/codec-runtime.ts';
import { PCI_CAP_FIRST_OFFSET } from '../../generated/ts/pci/pci-constants.ts';
import { PCI_CAP_PTR_MASK, PciCapId } from '../../generated/ts/pci/pci-cap-header.ts';
import { encodePciMsixCap, PCI_MSIX_CAP_SIZE, pciMsixCapLayout } from '../../generated/ts/pci/pci-msix-cap.ts';
import { encodePcieCapHeader, PCIE_CAP_HEADER_SIZE, pcieCapHeaderLayout } from '../../generated/ts/pci/pcie-cap-header.ts';
import { VIRTIO_PCI_CAP_SIZE, virtioPciCapLayout, VirtioPciCfgType, type VirtioPciCap } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_CAP64_SIZE, virtioPciCap64Layout } from '../../generated/ts/virtio/virtio-pci-cap64.ts';
import { VIRTIO_PCI_CFG_CAP_SIZE, virtioPciCfgCapLayout } from '../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { encodeVirtioPciCapability, type VirtioPciCapability } from '../../generated/ts/virtio/virtio-pci-capability.ts';
import { VIRTIO_PCI_NOTIFY_CAP_SIZE, virtioPciNotifyCapLayout } from '../../generated/ts/virtio/virtio-pci-notify-cap.ts';
import { VIRTIO_PCI_VNDR_DATA_SIZE, virtioPciVndrDataLayout } from '../../generated/ts/virtio/virtio-pci-vndr-data.ts';
import type { VirtioDeviceDescription } from './device-description.ts';
import { notifyWidth } from './notification-value.ts';

/** A BAR range a virtio capability describes (for the PCI_CFG window's range rule). */
export interface StructureRange {
  cfgType: number;
  bar: number;
  offset: bigint;
  length: bigint;
}

/** One capability, placed. */
export interface PlannedCapability {
  name: string;
  offset: number;
  length: number;
  layout: LayoutMeta;
  bytes: Uint8Array;
  /** Set for virtio structure capabilities that describe a BAR range. */
  range?: StructureRange;
  cfgType?: number;
}

/** Lengths and BARs the plan needs from the BAR layout. */
export interface PlanInputs {
  commonLength: number;
  notifyLength: number;
  isrLength: number;
  deviceLength: number;
  msix?: { bar: number; tableOffset: number; pbaOffset: number };
}

/** A plan that does not fit. */
export class CapabilityPlanError extends XvcError<'configSpaceFull'> {
  constructor(message: string) {
    super('configSpaceFull', message, {});
  }
}

interface Draft {
  name: string;
  length: number;
  layout: LayoutMeta;
  encode(next: number, target: Uint8Array): void;
  range?: StructureRange;
  cfgType?: number;
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** Capabilities start where a masked pointer can point: the pointer mask's cleared low bits give the alignment. */
const CAP_ALIGNMENT = (~PCI_CAP_PTR_MASK & 0xff) + 1;

function header(cfgType: number, bar: number, id: number, capLen: number, offset: number, length: number): Omit<VirtioPciCap, 'capNext'> {
  return { capVndr: PciCapId.VNDR, capLen, cfgType, bar, id, padding: new Uint8Array(2), offset, length };
}

function virtioDraft(name: string, layout: LayoutMeta, length: number, build: (next: number) => VirtioPciCapability, range?: StructureRange): Draft {
  return { name, layout, length, range, cfgType: range?.cfgType, encode: (next, target) => void encodeVirtioPciCapability(build(next), target) };
}

/** Places every capability of the described function; `limit` is the end of the legacy capability space. */
export function planCapabilities(d: VirtioDeviceDescription, inputs: PlanInputs, limit: number): PlannedCapability[] {
  const p = d.placement;
  const drafts: Draft[] = [];
  const range = (cfgType: number, offset: number, length: number): StructureRange => ({ cfgType, bar: p.bar, offset: BigInt(offset), length: BigInt(length) });
  if (d.pcie === true) {
    drafts.push({
      name: 'pcie',
      layout: pcieCapHeaderLayout,
      length: PCIE_CAP_HEADER_SIZE,
      encode: (next, target) => void encodePcieCapHeader({ capId: PciCapId.EXP, capNext: next, capabilities: 0 }, target),
    });
  }
  const plain = (name: string, cfgType: number, offset: number, length: number): Draft =>
    virtioDraft(name, virtioPciCapLayout, VIRTIO_PCI_CAP_SIZE, (next) => ({ variant: 'virtio_pci_cap', value: { ...header(cfgType, p.bar, 0, VIRTIO_PCI_CAP_SIZE, offset, length), capNext: next } }), range(cfgType, offset, length));
  drafts.push(plain('common', VirtioPciCfgType.COMMON_CFG, p.common, inputs.commonLength));
  drafts.push(
    virtioDraft(
      'notify',
      virtioPciNotifyCapLayout,
      VIRTIO_PCI_NOTIFY_CAP_SIZE,
      (next) => ({
        variant: 'virtio_pci_notify_cap',
        value: { cap: { ...header(VirtioPciCfgType.NOTIFY_CFG, p.bar, 0, VIRTIO_PCI_NOTIFY_CAP_SIZE, p.notify, inputs.notifyLength), capNext: next }, notifyOffMultiplier: d.notifyOffMultiplier },
      }),
      range(VirtioPciCfgType.NOTIFY_CFG, p.notify, inputs.notifyLength),
    ),
  );
  if (p.notifyIoBar !== undefined) {
    const ioBar = p.notifyIoBar;
    const length = notifyWidth(d.features);
    drafts.push(
      virtioDraft(
        'notify-io',
        virtioPciNotifyCapLayout,
        VIRTIO_PCI_NOTIFY_CAP_SIZE,
        (next) => ({
          variant: 'virtio_pci_notify_cap',
          value: { cap: { ...header(VirtioPciCfgType.NOTIFY_CFG, ioBar, 0, VIRTIO_PCI_NOTIFY_CAP_SIZE, 0, length), capNext: next }, notifyOffMultiplier: 0 },
        }),
        { cfgType: VirtioPciCfgType.NOTIFY_CFG, bar: ioBar, offset: 0n, length: BigInt(length) },
      ),
    );
  }
  drafts.push(plain('isr', VirtioPciCfgType.ISR_CFG, p.isr, inputs.isrLength));
  if (p.device !== undefined && inputs.deviceLength > 0) drafts.push(plain('device', VirtioPciCfgType.DEVICE_CFG, p.device, inputs.deviceLength));
  for (const region of d.sharedMemory ?? []) {
    const low = (value: bigint): number => Number(value & 0xffff_ffffn);
    const high = (value: bigint): number => Number(value >> 32n);
    drafts.push(
      virtioDraft(
        `shared-memory-${region.id}`,
        virtioPciCap64Layout,
        VIRTIO_PCI_CAP64_SIZE,
        (next) => ({
          variant: 'virtio_pci_cap64',
          value: {
            cap: { ...header(VirtioPciCfgType.SHARED_MEMORY_CFG, region.bar, region.id, VIRTIO_PCI_CAP64_SIZE, low(region.offset), low(region.length)), capNext: next },
            offsetHi: high(region.offset),
            lengthHi: high(region.length),
          },
        }),
        { cfgType: VirtioPciCfgType.SHARED_MEMORY_CFG, bar: region.bar, offset: region.offset, length: region.length },
      ),
    );
  }
  (d.vendorData ?? []).forEach((vendor, index) => {
    const capLen = alignUp(VIRTIO_PCI_VNDR_DATA_SIZE + vendor.data.length, virtioPciVndrDataLayout.sizeMultipleOf ?? 1);
    const data = new Uint8Array(capLen - VIRTIO_PCI_VNDR_DATA_SIZE);
    data.set(vendor.data);
    drafts.push({
      name: `vendor-data-${index}`,
      layout: virtioPciVndrDataLayout,
      length: capLen,
      cfgType: VirtioPciCfgType.VENDOR_CFG,
      encode: (next, target) =>
        void encodeVirtioPciCapability(
          { variant: 'virtio_pci_vndr_data', value: { capVndr: PciCapId.VNDR, capNext: next, capLen, cfgType: VirtioPciCfgType.VENDOR_CFG, vendorId: vendor.vendorId, data } },
          target,
        ),
    });
  });
  drafts.push({
    name: 'pci-cfg',
    layout: virtioPciCfgCapLayout,
    length: VIRTIO_PCI_CFG_CAP_SIZE,
    cfgType: VirtioPciCfgType.PCI_CFG,
    encode: (next, target) =>
      void encodeVirtioPciCapability(
        { variant: 'virtio_pci_cfg_cap', value: { ...header(VirtioPciCfgType.PCI_CFG, 0, 0, VIRTIO_PCI_CFG_CAP_SIZE, 0, 0), capNext: next, pciCfgData: new Uint8Array(4) } },
        target,
      ),
  });
  const msix = inputs.msix;
  if (msix !== undefined && (d.msixVectors ?? 0) > 0) {
    const shift = (name: string): number => pciMsixCapLayout.fields.find((field) => field.specName === name)!.bit;
    drafts.push({
      name: 'msix',
      layout: pciMsixCapLayout,
      length: PCI_MSIX_CAP_SIZE,
      encode: (next, target) =>
        void encodePciMsixCap(
          {
            capId: PciCapId.MSIX,
            capNext: next,
            tableSize: d.msixVectors! - 1,
            controlReserved: 0,
            functionMask: false,
            enable: false,
            tableBir: msix.bar,
            tableOffset: msix.tableOffset / 2 ** shift('table_offset'),
            pbaBir: msix.bar,
            pbaOffset: msix.pbaOffset / 2 ** shift('pba_offset'),
          },
          target,
        ),
    });
  }
  let at = PCI_CAP_FIRST_OFFSET;
  const offsets = drafts.map((draft) => {
    const offset = alignUp(at, CAP_ALIGNMENT);
    at = offset + draft.length;
    return offset;
  });
  if (at > limit) throw new CapabilityPlanError(`capabilities need ${at} bytes of config space; the legacy list ends at ${limit}`);
  return drafts.map((draft, index) => {
    const bytes = new Uint8Array(draft.length);
    draft.encode(offsets[index + 1] ?? 0, bytes);
    return { name: draft.name, offset: offsets[index]!, length: draft.length, layout: draft.layout, bytes, range: draft.range, cfgType: draft.cfgType };
  });
}
