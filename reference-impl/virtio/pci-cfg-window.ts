/**
 * The PCI configuration access capability (VS13 §4.1.4.9) as a device implements it: a read of
 * pci_cfg_data performs a BAR read of cap.length bytes at cap.bar/cap.offset into the data bytes; a
 * write performs a BAR write of the first cap.length data bytes.
 *
 * Choice for accesses a driver must not make (PCI-DRV-23, -24): when cap.length is not 1, 2 or 4,
 * cap.offset is not a multiple of cap.length, or the addressed bytes are not inside a BAR range that
 * another virtio capability describes, a read sets the data bytes to 0 and a write does nothing.
 */
import { VIRTIO_PCI_CFG_CAP_OFFSETS, virtioPciCfgCapLayout } from '../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import type { ConfigSpace } from '../pci/config-space.ts';
import { isAccessWidth, readLe, type AccessWidth } from '../pci/le-bytes.ts';
import type { StructureRange } from './capability-plan.ts';

/** BAR access the window performs. */
export interface WindowBarAccess {
  barRead(bar: number, offset: number, width: AccessWidth): number;
  barWrite(bar: number, offset: number, width: AccessWidth, value: number): void;
}

/** What the window did on the last data access, for tests and traces. */
export type WindowAccess =
  | { kind: 'read' | 'write'; bar: number; offset: number; length: AccessWidth; value: number }
  | { kind: 'refused'; reason: 'length' | 'alignment' | 'range'; bar: number; offset: number; length: number };

const dataField = virtioPciCfgCapLayout.fields.find((field) => field.specName === 'pci_cfg_data')!;
const DATA_BYTES = dataField.bits / 8;

/** Binds the window of the PCI_CFG capability at `capOffset` to the device's BARs. */
export class PciCfgWindow {
  /** The accesses the window made or refused, oldest first. */
  readonly log: WindowAccess[] = [];

  constructor(
    private readonly config: ConfigSpace,
    private readonly capOffset: number,
    private readonly ranges: readonly StructureRange[],
    private readonly bars: WindowBarAccess,
  ) {
    config.addHook({
      offset: capOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData,
      length: DATA_BYTES,
      beforeRead: () => this.onRead(),
      afterWrite: () => this.onWrite(),
    });
  }

  private target(): { bar: number; offset: number; length: number; refusal?: 'length' | 'alignment' | 'range' } {
    const bar = this.config.peek(this.capOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, 1);
    const offset = this.config.peek(this.capOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.offset, 4);
    const length = this.config.peek(this.capOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.length, 4);
    if (!isAccessWidth(length)) return { bar, offset, length, refusal: 'length' };
    if (offset % length !== 0) return { bar, offset, length, refusal: 'alignment' };
    const start = BigInt(offset);
    const end = start + BigInt(length);
    const inside = this.ranges.some((range) => range.bar === bar && start >= range.offset && end <= range.offset + range.length);
    return inside ? { bar, offset, length } : { bar, offset, length, refusal: 'range' };
  }

  private onRead(): void {
    const dataAt = this.capOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
    const t = this.target();
    if (t.refusal !== undefined || !isAccessWidth(t.length)) {
      this.log.push({ kind: 'refused', reason: t.refusal ?? 'length', bar: t.bar, offset: t.offset, length: t.length });
      this.config.load(dataAt, new Uint8Array(DATA_BYTES));
      return;
    }
    const value = this.bars.barRead(t.bar, t.offset, t.length);
    this.config.poke(dataAt, t.length, value);
    this.log.push({ kind: 'read', bar: t.bar, offset: t.offset, length: t.length, value });
  }

  private onWrite(): void {
    const dataAt = this.capOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
    const t = this.target();
    if (t.refusal !== undefined || !isAccessWidth(t.length)) {
      this.log.push({ kind: 'refused', reason: t.refusal ?? 'length', bar: t.bar, offset: t.offset, length: t.length });
      return;
    }
    const value = readLe(this.config.snapshot(), dataAt, t.length);
    this.bars.barWrite(t.bar, t.offset, t.length, value);
    this.log.push({ kind: 'write', bar: t.bar, offset: t.offset, length: t.length, value });
  }
}
