import { VIRTIO_PCI_CFG_CAP_OFFSETS } from '../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { walkCapabilities } from '../../reference-impl/pci/index.ts';
import type { AccessWidth } from '../device-target.ts';
import type { QemuConfigAccess } from './config-access.ts';

/**
 * BAR access through the virtio PCI configuration access capability (`virtio_pci_cfg_cap`, VS13
 * §4.1.4.9): write the BAR index, the access length and the offset into the capability, then read or
 * write `pci_cfg_data`. This is how a driver without MMIO reaches the device, and the path the
 * `@pcicfg` target flag sends every BAR access through.
 */
export class PciCfgWindow {
  private constructor(
    private readonly config: QemuConfigAccess,
    /** Config-space offset of the capability. */
    readonly capabilityOffset: number,
  ) {}

  /** The first complete PCI_CFG capability of the function, or undefined when it has none. */
  static async find(config: QemuConfigAccess, configSize: number): Promise<PciCfgWindow | undefined> {
    const walk = walkCapabilities(await config.snapshot(configSize));
    const capability = walk.capabilities.find((c) => c.virtio?.cfgType === VirtioPciCfgType.PCI_CFG && c.virtio.complete);
    return capability ? new PciCfgWindow(config, capability.offset) : undefined;
  }

  async read(bar: number, offset: number, width: AccessWidth): Promise<number> {
    await this.#select(bar, offset, width);
    return this.config.read(this.capabilityOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData, width);
  }

  async write(bar: number, offset: number, width: AccessWidth, value: number): Promise<void> {
    await this.#select(bar, offset, width);
    await this.config.write(this.capabilityOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData, width, value);
  }

  async #select(bar: number, offset: number, width: AccessWidth): Promise<void> {
    await this.config.write(this.capabilityOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, 1, bar);
    await this.config.write(this.capabilityOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.length, 4, width);
    await this.config.write(this.capabilityOffset + VIRTIO_PCI_CFG_CAP_OFFSETS.offset, 4, offset);
  }
}
