/** The PCI configuration access window, driven through config-space accesses as a driver makes them. */
import { describe, expect, it } from 'vitest';
import { VIRTIO_PCI_CFG_CAP_OFFSETS, virtioPciCfgCapLayout } from '../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { ConfigSpace } from '../pci/config-space.ts';
import type { AccessWidth } from '../pci/le-bytes.ts';
import { PciCfgWindow } from './pci-cfg-window.ts';

const cap = 0x40;
const at = (field: keyof typeof VIRTIO_PCI_CFG_CAP_OFFSETS) => cap + VIRTIO_PCI_CFG_CAP_OFFSETS[field];

/** A config space with the capability, a window onto BAR 4 bytes 0x1000..0x1fff, and a BAR that records accesses. */
function windowed() {
  const config = new ConfigSpace();
  config.defineRegion('pci-cfg', cap, virtioPciCfgCapLayout);
  const accesses: string[] = [];
  const bars = {
    barRead: (bar: number, offset: number, width: AccessWidth) => {
      accesses.push(`read ${bar}:${offset.toString(16)}/${width}`);
      return 0x44332211 & (width === 4 ? 0xffffffff : (1 << (8 * width)) - 1);
    },
    barWrite: (bar: number, offset: number, width: AccessWidth, value: number) => void accesses.push(`write ${bar}:${offset.toString(16)}/${width}=${value.toString(16)}`),
  };
  const window = new PciCfgWindow(config, cap, [{ cfgType: 1, bar: 4, offset: 0x1000n, length: 0x1000n }], bars);
  const aim = (bar: number, offset: number, length: number) => {
    config.write(at('bar'), 1, bar);
    config.write(at('offset'), 4, offset);
    config.write(at('length'), 4, length);
  };
  return { config, window, accesses, aim };
}

describe('PCI configuration access window', () => {
  it('performs a BAR read of the set length when the driver reads the data bytes', () => {
    const { config, window, accesses, aim } = windowed();
    aim(4, 0x1004, 2);
    expect(config.read(at('pciCfgData'), 4)).toBe(0x2211);
    expect(accesses).toEqual(['read 4:1004/2']);
    expect(window.log).toEqual([{ kind: 'read', bar: 4, offset: 0x1004, length: 2, value: 0x2211 }]);
  });

  it('performs a BAR write of the first length bytes when the driver writes the data bytes', () => {
    const { config, accesses, aim } = windowed();
    aim(4, 0x1008, 4);
    config.write(at('pciCfgData'), 4, 0xdeadbeef);
    expect(accesses).toEqual(['write 4:1008/4=deadbeef']);
  });

  it('refuses a length other than 1, 2 or 4, a misaligned offset and bytes outside every structure: reads give 0, writes do nothing', () => {
    const { config, window, accesses, aim } = windowed();
    for (const [bar, offset, length] of [[4, 0x1000, 3], [4, 0x1001, 2], [4, 0x2000, 4], [2, 0x1000, 4]] as const) {
      aim(bar, offset, length);
      expect(config.read(at('pciCfgData'), 4)).toBe(0);
      config.write(at('pciCfgData'), 4, 1);
    }
    expect(accesses).toEqual([]);
    expect(window.log.map((entry) => (entry.kind === 'refused' ? entry.reason : entry.kind))).toEqual(['length', 'length', 'alignment', 'alignment', 'range', 'range', 'range', 'range']);
  });
});
