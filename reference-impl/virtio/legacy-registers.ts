/**
 * The legacy (transitional) interface in I/O BAR0 (VS13 §4.1.4.10): the legacy header, with the two
 * MSI-X vector registers while MSI-X is enabled, followed by device configuration. A view of the same
 * `VirtioDeviceState` the modern registers use; the layout comes from the generated legacy layouts.
 */
import type { FieldMeta } from '../../core/codec-runtime.ts';
import { decodeVirtioPciIsr } from '../../generated/ts/virtio/virtio-pci-isr.ts';
import {
  decodeVirtioPciLegacyCfgMsix,
  encodeVirtioPciLegacyCfgMsix,
  virtioPciLegacyCfgMsixLayout,
  type VirtioPciLegacyCfgMsix,
} from '../../generated/ts/virtio/virtio-pci-legacy-cfg-msix.ts';
import {
  VIRTIO_PCI_LEGACY_CFG_OFFSETS,
  VIRTIO_PCI_LEGACY_CONFIG_OFFSET,
  VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX,
  VIRTIO_PCI_QUEUE_ADDR_SHIFT,
} from '../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { VIRTIO_MSI_NO_VECTOR } from '../../generated/ts/virtio/virtio-pci-constants.ts';
import { readLe, type AccessWidth } from '../pci/le-bytes.ts';
import { featureWindow, type VirtioDeviceState } from './device-state.ts';

/** Register view of legacy BAR0. `msixEnabled` tells which header layout is in force. */
export class LegacyRegisters {
  constructor(
    private readonly state: VirtioDeviceState,
    private readonly msixEnabled: () => boolean,
  ) {}

  /** Bytes before device configuration: 20, or 24 while MSI-X is enabled. */
  headerLength(): number {
    return this.msixEnabled() ? VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX : VIRTIO_PCI_LEGACY_CONFIG_OFFSET;
  }

  /** Bytes the interface decodes: header plus device configuration. */
  length(): number {
    return VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX + this.state.deviceConfig.length;
  }

  private view(): VirtioPciLegacyCfgMsix {
    const s = this.state;
    const queue = s.selectedQueue();
    return {
      deviceFeatures: featureWindow(s.offeredFeatures, 0),
      driverFeatures: featureWindow(s.driverFeatures, 0),
      queueAddress: queue === undefined ? 0 : Number(queue.desc >> BigInt(VIRTIO_PCI_QUEUE_ADDR_SHIFT)),
      queueSize: queue?.maxSize ?? 0,
      queueSelect: s.queueSelect,
      queueNotify: 0,
      deviceStatus: s.status,
      isrStatus: decodeVirtioPciIsr(Uint8Array.of(s.isr)).value,
      configMsixVector: s.configMsixVector,
      queueMsixVector: queue?.msixVector ?? VIRTIO_MSI_NO_VECTOR,
    };
  }

  private fields(): readonly FieldMeta[] {
    const header = this.headerLength();
    return virtioPciLegacyCfgMsixLayout.fields.filter((field) => field.offset < header);
  }

  /** A driver read. Reading the ISR byte clears the ISR. */
  read(offset: number, width: AccessWidth): number {
    const header = this.headerLength();
    if (offset >= header) {
      const config = this.state.deviceConfig;
      return offset - header + width <= config.length ? readLe(config, offset - header, width) : 0;
    }
    if (offset + width > header) return 0;
    const image = encodeVirtioPciLegacyCfgMsix(this.view());
    const value = readLe(image, offset, width);
    const isrAt = VIRTIO_PCI_LEGACY_CFG_OFFSETS.isrStatus;
    if (offset <= isrAt && isrAt < offset + width) this.state.readAndClearIsr();
    return value;
  }

  /** A driver write; device configuration is read-only in this model. */
  write(offset: number, width: AccessWidth, value: number): void {
    const header = this.headerLength();
    if (offset + width > header) return;
    const image = encodeVirtioPciLegacyCfgMsix(this.view());
    for (let i = 0; i < width; i++) image[offset + i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
    const written = decodeVirtioPciLegacyCfgMsix(image).value;
    const s = this.state;
    const queue = s.selectedQueue();
    for (const field of this.fields()) {
      const end = field.offset + Math.max(1, Math.ceil((field.bit + field.bits) / 8));
      if (end <= offset || field.offset >= offset + width || field.access !== 'RW') continue;
      switch (field.name as keyof VirtioPciLegacyCfgMsix) {
        case 'driverFeatures':
          // Only bits 0..31 are reachable; bits 32..63 count as not acknowledged (PCI-LEG-08).
          s.driverFeatures = BigInt(written.driverFeatures >>> 0);
          break;
        case 'queueAddress':
          if (queue !== undefined) {
            queue.desc = BigInt(written.queueAddress >>> 0) << BigInt(VIRTIO_PCI_QUEUE_ADDR_SHIFT);
            queue.enabled = written.queueAddress !== 0;
          }
          break;
        case 'queueSelect':
          s.queueSelect = written.queueSelect;
          break;
        case 'queueNotify':
          s.notifications.push({ queues: [written.queueNotify], value: written.queueNotify });
          break;
        case 'deviceStatus':
          // The legacy interface has no FEATURES_OK step (VS13 §3.1.1, legacy note).
          s.writeStatus(written.deviceStatus, false);
          break;
        case 'configMsixVector':
          s.configMsixVector = s.mapVector(written.configMsixVector);
          break;
        case 'queueMsixVector':
          if (queue !== undefined) queue.msixVector = s.mapVector(written.queueMsixVector);
          break;
        default:
          break;
      }
    }
  }
}
